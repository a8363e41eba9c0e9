"""Exporters: stream articles as JSON Lines, CSV or Parquet in constant memory, and
write a manifest next to each exported file so a snapshot can be cited.

Rows are read in batches from one cursor (one read transaction, so one consistent
snapshot of the archive, however long the export takes and whatever a crawl writes
meanwhile) and written as they come: memory does not grow with the archive."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from archive.core import Archive
from archive.schema import JSON_LIST_COLUMNS, JSON_OBJECT_COLUMNS

logger = logging.getLogger(__name__)

EXPORT_FIELDS = (
    "id", "url", "canonical_url", "site", "title", "authors", "editors", "editor_initials", "published_at",
    "modified_at", "date_source", "date_note", "fetched_at", "first_seen_at", "text", "word_count", "language",
    "section", "tags", "image", "dateline", "captions", "relevance_score", "relevance_label", "matched_terms",
    "content_hash", "duplicate_of", "http_status", "discovered_via", "run_id", "gone_at", "cluster_id", "similarity",
    "relevance_why", "province_code", "province", "regency_code", "regency", "regions", "officials",
)
FORMATS = ("jsonl", "csv", "parquet")
BATCH_ROWS = 5000
_LIST_IDX = tuple(i for i, k in enumerate(EXPORT_FIELDS) if k in JSON_LIST_COLUMNS)
_OBJECT_IDX = tuple(i for i, k in enumerate(EXPORT_FIELDS) if k in JSON_OBJECT_COLUMNS)
# What an empty JSON cell reads as in CSV: "[]" for lists, "{}" for objects.
_EMPTY_JSON = {**{i: "[]" for i in _LIST_IDX}, **{i: "{}" for i in _OBJECT_IDX}}
# JSON columns Parquet gets as real Arrow lists; any other JSON column goes in as its
# JSON text, so a column added later can never make the Parquet export fail.
_MATCHED_TERM = ("term", "concept", "where", "sentence")
_ARROW_LISTS = ("authors", "editors", "editor_initials", "tags", "captions", "matched_terms", "regions", "officials")
_REGION = ("code", "name", "type", "province_code", "province", "via")

Progress = Callable[[int], None]


def _batches(archive: Archive, filters: dict[str, Any]) -> Iterator[list[tuple[Any, ...]]]:
    for _, batch in archive.row_batches(columns=EXPORT_FIELDS, batch_size=BATCH_ROWS, **filters):
        yield batch


def _loads(value: str | None) -> Any:
    if not value or value == "[]":
        return []
    try:
        return json.loads(value)
    except ValueError:
        return []


def export_jsonl(archive: Archive, out: IO[str], progress: Progress | None = None, **filters: Any) -> int:
    n = 0
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for batch in _batches(archive, filters):
        lines = []
        for values in batch:
            row = dict(zip(EXPORT_FIELDS, values, strict=True))
            for i in _LIST_IDX:
                row[EXPORT_FIELDS[i]] = _loads(values[i])
            for i in _OBJECT_IDX:
                row[EXPORT_FIELDS[i]] = _loads(values[i]) or {}
            lines.append(dumps(row))
        lines.append("")
        out.write("\n".join(lines))
        n += len(batch)
        if progress:
            progress(len(batch))
    return n


def export_csv(archive: Archive, out: IO[str], progress: Progress | None = None, **filters: Any) -> int:
    """List columns stay JSON text in their cell (CSV has no lists)."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    n = 0
    for batch in _batches(archive, filters):
        writer.writerows(
            [v if v is not None else _EMPTY_JSON.get(i, v) for i, v in enumerate(values)] for values in batch)
        n += len(batch)
        if progress:
            progress(len(batch))
    return n


def parquet_schema() -> Any:
    """Arrow types: list columns are real lists, ``matched_terms`` a list of structs;
    dates stay the ISO 8601 strings the archive stores (an outlet's own offset, or only
    a day, would not survive a single timestamp type)."""
    import pyarrow as pa

    text = pa.string()
    types: dict[str, Any] = {k: text for k in EXPORT_FIELDS}
    for k in _ARROW_LISTS:
        types[k] = pa.list_(text)
    types["matched_terms"] = pa.list_(pa.struct([(k, text) for k in _MATCHED_TERM]))
    types["regions"] = pa.list_(pa.struct([*((k, text) for k in _REGION), ("count", pa.int64())]))
    types["officials"] = pa.list_(pa.struct([("role", text), ("name", text)]))
    for k in ("id", "word_count", "http_status", "run_id", "cluster_id"):
        types[k] = pa.int64()
    types["relevance_score"] = pa.float64()
    types["similarity"] = pa.float64()
    return pa.schema([(k, types[k]) for k in EXPORT_FIELDS])


PARQUET_COMPRESSIONS = ("snappy", "zstd", "lz4", "none")
# Low-cardinality columns only: dictionary-encoding article texts costs time for nothing.
_DICTIONARY_COLUMNS = ["site", "language", "section", "date_source", "relevance_label", "discovered_via"]


def export_parquet(archive: Archive, out: IO[bytes], progress: Progress | None = None, *,
                   compression: str = "snappy", **filters: Any) -> int:
    """One row group per batch of rows. Three things keep it at tens of thousands of
    articles a second: the JSON list columns are parsed by Arrow's C++ JSON reader,
    not one ``json.loads`` per cell; ``text`` comes out of SQLite as bytes and becomes
    an Arrow string without a round trip through Python ``str``; and encoding,
    compression and writing run in a second thread (Arrow releases the GIL) while the
    next batch is read."""
    import queue
    import threading

    import pyarrow.parquet as pq

    schema = parquet_schema()
    columns = [f"CAST({k} AS BLOB) AS {k}" if k == "text" else k for k in EXPORT_FIELDS]
    todo: queue.Queue[Any] = queue.Queue(maxsize=2)  # bounded: memory stays a few batches
    failed: list[BaseException] = []

    with pq.ParquetWriter(out, schema, compression=compression, use_dictionary=_DICTIONARY_COLUMNS) as writer:
        def write() -> None:
            while (batch := todo.get()) is not None:
                if not failed:
                    try:
                        writer.write_batch(batch)
                    except BaseException as e:  # surfaced in the reading thread below
                        failed.append(e)

        thread = threading.Thread(target=write, name="parquet-writer", daemon=True)
        thread.start()
        n = 0
        try:
            for _, rows in archive.row_batches(columns=columns, batch_size=BATCH_ROWS, **filters):
                if failed:
                    break
                todo.put(_arrow_batch(rows, schema))
                n += len(rows)
                if progress:
                    progress(len(rows))
        finally:
            todo.put(None)
            thread.join()
        if failed:
            raise failed[0]
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


_TEXT_IDX = EXPORT_FIELDS.index("text")
_ARROW_LIST_IDX = tuple(i for i, k in enumerate(EXPORT_FIELDS) if k in _ARROW_LISTS)
_LIST_NAMES = [EXPORT_FIELDS[i] for i in _ARROW_LIST_IDX]


def _arrow_batch(rows: list[tuple[Any, ...]], schema: Any) -> Any:
    import pyarrow as pa
    import pyarrow.json as pj

    cols = list(zip(*rows, strict=True))
    # The list cells are JSON the archive wrote; hand them to Arrow as one NDJSON block.
    ndjson = "\n".join("{" + ",".join(f'"{k}":{v or "[]"}' for k, v in zip(_LIST_NAMES, vals, strict=True)) + "}"
                        for vals in zip(*(cols[i] for i in _ARROW_LIST_IDX), strict=True))
    lists = pj.read_json(pa.BufferReader(ndjson.encode("utf-8")), parse_options=pj.ParseOptions(
        explicit_schema=pa.schema([schema.field(k) for k in _LIST_NAMES]), unexpected_field_behavior="ignore"))
    arrays = []
    for i, col in enumerate(cols):
        if i in _ARROW_LIST_IDX:
            arrays.append(lists.column(EXPORT_FIELDS[i]).combine_chunks())
        elif i == _TEXT_IDX:
            arrays.append(pa.array(col, type=pa.binary()).cast(pa.string()))  # validates UTF-8
        else:
            arrays.append(pa.array(col, type=schema.field(i).type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


class _HashingFile(io.RawIOBase):
    """A binary file that hashes what goes through it, so the manifest's sha256 costs
    no second read of a file that may be gigabytes."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.sha256.update(data)
        self._fh.write(data)
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self._fh.flush()


def manifest_path(out: Path) -> Path:
    return out.with_name(out.name + ".manifest.json")


def export_to_file(archive: Archive, out: Path, fmt: str, filters: dict[str, Any],
                   progress: Progress | None = None, compression: str = "snappy") -> dict[str, Any]:
    """Write the export to ``out`` and its manifest to ``OUT.manifest.json``; return the
    manifest. The file appears under its name only once complete (written as
    ``OUT.partial`` and renamed), so a killed export never looks like a finished one."""
    from archive.schema import SCHEMA_VERSION
    from crawler import __version__

    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    partial = out.with_name(out.name + ".partial")
    conn = archive.db.conn
    # One read transaction: the snapshot (last run id) and the rows agree even while
    # a crawl goes on writing. (A caller already in a transaction has its own snapshot.)
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        snap = archive.snapshot()
        with open(partial, "wb") as raw:
            sink = _HashingFile(raw)
            if fmt == "parquet":
                n = export_parquet(archive, sink, progress, compression=compression,  # type: ignore[arg-type]
                                   **filters)
            else:
                buffered = io.BufferedWriter(sink, buffer_size=1 << 20)
                text = io.TextIOWrapper(buffered, encoding="utf-8", newline="")
                n = (export_jsonl if fmt == "jsonl" else export_csv)(archive, text, progress, **filters)
                text.flush()
                text.detach()
                buffered.flush()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        if own:
            conn.execute("COMMIT")
    os.replace(partial, out)
    manifest = {
        "file": out.name,
        "format": fmt,
        "rows": n,
        "bytes": sink.size,
        "sha256": sink.sha256.hexdigest(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warta_version": __version__,
        "schema_version": snap["schema_version"] or SCHEMA_VERSION,
        "archive": snap["archive"],
        "archive_last_run_id": snap["last_run_id"],
        "filters": {k: v for k, v in filters.items() if v not in (None, False)},
        **({"compression": compression} if fmt == "parquet" else {}),
        "columns": list(EXPORT_FIELDS),
    }
    mpath = manifest_path(out)
    tmp = mpath.with_name(mpath.name + ".partial")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, mpath)
    return manifest
