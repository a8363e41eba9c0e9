"""The archive: one SQLite file (WAL) that only this package writes SQL for."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from sqlite_utils import Database

from archive import clusters
from archive.records import ArticleRecord
from archive.schema import ANNOTATION_COLUMNS, JSON_LIST_COLUMNS, JSON_OBJECT_COLUMNS, VERSION_COLUMNS, migrations
from crawler.neardup import DEFAULT_THRESHOLD, Signature, band_hashes, signature

logger = logging.getLogger(__name__)

# Fields an article row takes from the extractor's record.
ARTICLE_FIELDS = (
    "url", "canonical_url", "site", "title", "authors", "editors", "editor_initials", "published_at",
    "modified_at", "date_source", "date_note", "fetched_at", "text", "word_count", "language", "section",
    "tags", "image", "dateline", "captions", "relevance_score", "relevance_label", "matched_terms",
    "content_hash", "duplicate_of", "http_status", "discovered_via", "run_id",
    "relevance_why", "province_code", "province", "regency_code", "regency", "regions", "officials",
)
# What the extractor and the date and relevance steps produce from a capture: a
# re-extraction that changes any of these makes a new version.
EXTRACTED_FIELDS = tuple(c for c in (*VERSION_COLUMNS, *ANNOTATION_COLUMNS)
                         if c not in ("fetched_at", "http_status", "discovered_via", "run_id", "capture_id"))
# Columns a version row copies from the article row.
_VERSIONED = (*VERSION_COLUMNS, *ANNOTATION_COLUMNS)


# zlib level 6 stores Indonesian news pages at about a fifth of their size; level 9
# saves under 1 % more for twice the time (docs/captures.md).
CAPTURE_ZLIB_LEVEL = 6
# Pages below this are stored plain (304s, error pages); a primed page that still
# needs more than this share of its size means the outlet changed its template.
DICT_MIN_BODY = 1024
DICT_REBASE_RATIO = 0.30


@dataclass(frozen=True)
class Stored:
    """What ``Archive.store_article`` did: the article's id, "new" / "updated" /
    "unchanged", and "exact" or "near" when it joined an existing duplicate cluster."""

    id: int
    outcome: str
    link: str | None = None


class ArchiveError(Exception):
    """The archive cannot be used; the message is one line for the operator."""


class ArchiveWriteError(ArchiveError):
    """A write failed (disk full, read-only file or folder, I/O error). The failed
    transaction was rolled back: nothing archived before is lost."""


W = TypeVar("W", bound=Callable[..., Any])


def _writes(fn: W) -> W:
    """Turn SQLite's write failures into one ArchiveWriteError with a hint, so callers
    (the store pipeline, the CLI) can stop cleanly instead of failing item by item."""

    @wraps(fn)
    def wrapper(self: Archive, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self, *args, **kwargs)
        except sqlite3.OperationalError as e:
            msg = str(e)
            hint = (" (is the disk full?)" if "disk" in msg or "full" in msg
                    else " (is the file or its folder read-only?)" if "readonly" in msg or "open" in msg else "")
            raise ArchiveWriteError(f"cannot write to archive {self.path}: {msg}{hint}") from None

    return wrapper  # type: ignore[return-value]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Archive:
    def __init__(self, path: str | Path, *, readonly: bool = False, busy_timeout_ms: int = 10_000) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.busy_timeout_ms = busy_timeout_ms
        self._db: Database | None = None
        # site -> (capture id, the last 32 KiB of its body): the zlib dictionary for the
        # site's next captures (see _compress).
        self._dict_cache: dict[str, tuple[int, bytes]] = {}
        self._dict_pending: dict[str, tuple[int, bytes]] = {}
        self._zdicts: dict[int, bytes] = {}

    # -- lifecycle -------------------------------------------------------------
    def open(self) -> Archive:
        if self.readonly and not self.path.exists():
            raise ArchiveError(f"archive {self.path} does not exist")
        if not self.readonly and self.path.exists() and self.path.stat().st_size > 0:
            # Checked before SQLite sees the file: a writable connection would run the
            # migrations and could write into whatever the user pointed us at.
            try:
                with open(self.path, "rb") as fh:
                    header = fh.read(16)
            except OSError as e:
                raise ArchiveError(f"cannot open archive {self.path}: {e.strerror or e}") from None
            if header != b"SQLite format 3\x00":
                raise ArchiveError(f"cannot open archive {self.path}: file is not a database")
        conn: sqlite3.Connection | None = None
        try:
            if self.readonly:
                # as_uri() percent-escapes the path: a raw "#" or "?" would end the file name.
                uri = self.path.resolve().as_uri() + "?mode=ro"
                conn = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout_ms / 1000)
            else:
                if not self.path.parent.exists():
                    raise ArchiveError(f"cannot create archive {self.path}: folder does not exist")
                conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout_ms / 1000)
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if not self.readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # 32 MiB page cache (default 2 MiB): holds the interior pages of the
                # near-duplicate band index of a million-article archive, so storing an
                # article costs leaf reads only. A bound, not a growth with the archive.
                conn.execute("PRAGMA cache_size = -32768")
                # Each stored article dirties ~70 scattered pages (its 64 LSH band rows);
                # checkpointing every 1,000 WAL pages (the default) would copy and fsync
                # every dozen articles. 10,000 pages (40 MiB of WAL) cut the store's wall
                # time by about half in bench/near_dup.py.
                conn.execute("PRAGMA wal_autocheckpoint = 10000")
            db = Database(conn)
            if self.readonly:
                if not db["articles"].exists():
                    raise ArchiveError(f"{self.path} is not a Warta archive (no articles table)")
            else:
                migrations.apply(db)
        except (sqlite3.DatabaseError, ArchiveError) as e:
            # A half-opened connection would keep the file open (and locked on Windows).
            if conn is not None:
                conn.close()
            if isinstance(e, ArchiveError):
                raise
            raise ArchiveError(f"cannot open archive {self.path}: {e}") from None
        self._db = db
        return self

    def close(self) -> None:
        if self._db is not None:
            self._db.conn.close()
            self._db = None

    def __enter__(self) -> Archive:
        if self._db is None:
            self.open()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def db(self) -> Database:
        if self._db is None:
            raise ArchiveError("archive is not open")
        return self._db

    # -- runs ------------------------------------------------------------------
    @_writes
    def start_run(self, *, sites: list[str], args: dict[str, Any]) -> int:
        from crawler import __version__

        with self.db.conn:
            cur = self.db.conn.execute(
                "INSERT INTO crawl_runs (started_at, sites, args, stats, status, pid, warta_version) "
                "VALUES (?, ?, ?, '{}', 'running', ?, ?)",
                (_now(), json.dumps(sites), json.dumps(args, default=str), os.getpid(), __version__),
            )
        return int(cur.lastrowid or 0)

    @_writes
    def mark_interrupted_runs(self) -> int:
        """Runs still 'running' when a new run holds the lock died mid-way (kill -9,
        power loss); say so instead of leaving them looking alive."""
        with self.db.conn:
            cur = self.db.conn.execute(
                "UPDATE crawl_runs SET status = 'interrupted' WHERE status = 'running' AND finished_at IS NULL")
        return cur.rowcount

    @_writes
    def finish_run(self, run_id: int, *, stats: dict[str, Any], status: str) -> None:
        with self.db.conn:
            self.db.conn.execute(
                "UPDATE crawl_runs SET finished_at = ?, stats = ?, status = ? WHERE id = ?",
                (_now(), json.dumps(stats, default=str, sort_keys=True), status, run_id),
            )

    def runs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query("SELECT * FROM crawl_runs ORDER BY id")]

    # -- articles --------------------------------------------------------------
    def find_by_url(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT * FROM articles WHERE canonical_url = :u OR id = "
            "(SELECT article_id FROM article_urls WHERE url = :u) LIMIT 1", {"u": url}))
        return _decode(rows[0]) if rows else None

    @_writes
    def upsert_article(self, record: dict[str, Any], *, alias_url: str | None = None,
                       fetched_urls: list[str] | None = None, etag: str | None = None,
                       last_modified: str | None = None,
                       captures: list[dict[str, Any]] | None = None) -> tuple[int, str]:
        """Insert or update by canonical_url in one transaction; returns (id, outcome)
        with outcome "new", "updated" or "unchanged". Clusters the article with the
        default threshold; ``store_article`` says more."""
        stored = self.store_article(record, alias_url=alias_url, fetched_urls=fetched_urls, etag=etag,
                                    last_modified=last_modified, captures=captures)
        return stored.id, stored.outcome

    @_writes
    def store_article(self, record: dict[str, Any], *, alias_url: str | None = None,
                      fetched_urls: list[str] | None = None, etag: str | None = None,
                      last_modified: str | None = None, captures: list[dict[str, Any]] | None = None,
                      minhash: tuple[Signature, int] | None = None,
                      near_threshold: float | None = DEFAULT_THRESHOLD) -> Stored:
        """Insert or update by canonical_url in one transaction. A changed title or text
        keeps the row it replaces in ``article_versions``. ``captures`` (the raw
        responses of this fetch, page 1 first) and ``fetched_urls`` with their HTTP
        validators are written in the same transaction, so a killed crawl leaves no
        article without its capture.

        Also says whether the article joined a duplicate cluster ("exact" or "near").
        The cluster is decided in the same transaction as the write, under the write
        lock, so copies stored by crawlers running side by side always end up in one
        cluster with the earliest-published as original. ``minhash`` is (signature,
        shingle count) of the text when the caller already has it; ``near_threshold``
        None links exact copies only."""
        row = _encode_json({k: record.get(k) for k in ARTICLE_FIELDS})
        now = _now()
        conn = self.db.conn
        link: str | None = None
        with self._tx(immediate=True):
            existing = conn.execute(
                "SELECT id, title, text, cluster_id FROM articles WHERE canonical_url = ?", (row["canonical_url"],)
            ).fetchone()
            if existing is None:
                row.pop("gone_at", None)
                row["first_seen_at"] = now
                row["last_fetched_at"] = row.get("fetched_at") or now
                cols = ", ".join(row)
                marks = ", ".join(f":{k}" for k in row)
                cur = conn.execute(f"INSERT INTO articles ({cols}) VALUES ({marks})", row)
                art_id, outcome = int(cur.lastrowid or 0), "new"
            else:
                art_id = int(existing[0])
                outcome = "unchanged" if existing[1] == row["title"] and existing[2] == row["text"] else "updated"
            capture_id = self._insert_captures(art_id, row.get("run_id"), captures or [], str(row["site"]))
            if outcome == "new":
                conn.execute("UPDATE articles SET capture_id = ? WHERE id = ?", (capture_id, art_id))
            elif outcome == "unchanged":
                conn.execute("UPDATE articles SET last_fetched_at = ?, gone_at = NULL WHERE id = ?",
                             (row.get("fetched_at") or now, art_id))
            else:
                row.pop("url", None)  # the first URL seen stays the article's URL
                # The archive decides duplicate links (cluster below), not the caller.
                row.pop("duplicate_of", None)
                row["last_fetched_at"] = row.get("fetched_at") or now
                row["gone_at"] = None
                row["capture_id"] = capture_id
                self._new_version(art_id, row, now)
            if outcome != "unchanged" or existing[3] is None:
                sig, n = minhash if minhash is not None else signature(str(row.get("text") or ""))
                link = clusters.assign(conn, art_id, sig, n, row.get("content_hash"), near_threshold)
            if alias_url and alias_url != row["canonical_url"]:
                conn.execute("INSERT OR IGNORE INTO article_urls (url, article_id, first_seen_at) VALUES (?, ?, ?)",
                             (alias_url, art_id, now))
            for url in fetched_urls or ():
                self._record_fetch(url, str(row["site"]), int(row.get("http_status") or 0), etag, last_modified, now)
        return Stored(art_id, outcome, link)

    def _new_version(self, art_id: int, row: dict[str, Any], now: str) -> None:
        """Keep the current row in article_versions, then write ``row`` over it as the
        next version. Runs inside the caller's transaction."""
        conn = self.db.conn
        cols = ", ".join(_VERSIONED)
        conn.execute(
            f"INSERT INTO article_versions (article_id, version, {cols}, superseded_at) "
            f"SELECT id, version, {cols}, ? FROM articles WHERE id = ?", (now, art_id))
        sets = ", ".join(f"{k} = :{k}" for k in row if k != "canonical_url")
        conn.execute(f"UPDATE articles SET {sets}, version = version + 1 WHERE id = :id", {**row, "id": art_id})

    def _insert_captures(self, art_id: int, run_id: int | None, captures: list[dict[str, Any]],
                         site: str | None = None) -> int | None:
        """Store raw responses compressed; continuation pages point at page 1. Returns
        page 1's capture id."""
        first: int | None = None
        for page, cap in enumerate(captures, start=1):
            body: bytes = cap.get("body") or b""
            packed, encoding, dict_id = self._compress(body, site)
            cur = self.db.conn.execute(
                "INSERT INTO captures (article_id, run_id, page, first_page_id, url, requested_url, fetched_at, "
                "status, headers, body, body_encoding, dict_id, body_size, body_sha256) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (art_id, run_id, page, first, cap["url"], cap.get("requested_url") or cap["url"],
                 cap.get("fetched_at") or _now(), int(cap["status"]),
                 json.dumps(cap.get("headers") or {}, ensure_ascii=False, sort_keys=True),
                 packed, encoding, dict_id, len(body), hashlib.sha256(body).hexdigest()))
            if first is None:
                first = int(cur.lastrowid or 0)
            if encoding == "zlib" and site and len(body) >= DICT_MIN_BODY:
                # The newest plain capture of a site is its dictionary from now on, once
                # the transaction commits (see _tx).
                self._dict_pending[site] = (int(cur.lastrowid or 0), body[-32768:])
        return first

    def _compress(self, body: bytes, site: str | None) -> tuple[bytes, str, int | None]:
        """zlib, primed with an earlier page of the same outlet when one is stored: pages
        of one outlet share their template (head, menus, footer, scripts), which a lone
        small page cannot exploit. When the primed result is poor (a new template), the
        page is stored plain and becomes the outlet's dictionary."""
        if site and len(body) >= DICT_MIN_BODY:
            base = self._site_dict(site)
            if base is not None:
                co = zlib.compressobj(CAPTURE_ZLIB_LEVEL, zdict=base[1])
                packed = co.compress(body) + co.flush()
                if len(packed) <= DICT_REBASE_RATIO * len(body):
                    return packed, "zlib+dict", base[0]
        return zlib.compress(body, CAPTURE_ZLIB_LEVEL), "zlib", None

    def _site_dict(self, site: str) -> tuple[int, bytes] | None:
        if site not in self._dict_cache:
            row = self.db.conn.execute(
                "SELECT c.id, c.body FROM captures c JOIN articles a ON a.id = c.article_id "
                "WHERE a.site = ? AND c.body_encoding = 'zlib' AND c.body_size >= ? ORDER BY c.id DESC LIMIT 1",
                (site, DICT_MIN_BODY)).fetchone()
            if row is None:
                return None
            self._dict_cache[site] = (int(row[0]), zlib.decompress(row[1])[-32768:])
        return self._dict_cache[site]

    def _inflate(self, body: bytes | None, encoding: str | None, dict_id: int | None) -> bytes:
        if encoding != "zlib+dict":
            return _inflate(body, encoding)
        if dict_id is None:
            raise ValueError("capture compressed with a dictionary names no dictionary")
        if dict_id not in self._zdicts:
            row = self.db.conn.execute("SELECT body, body_encoding FROM captures WHERE id = ?", (dict_id,)).fetchone()
            if row is None or row[1] != "zlib":
                raise ValueError(f"dictionary capture {dict_id} is missing or not plain zlib")
            self._zdicts[dict_id] = zlib.decompress(row[0])[-32768:]
        d = zlib.decompressobj(zdict=self._zdicts[dict_id])
        return d.decompress(body or b"") + d.flush()

    @contextmanager
    def _tx(self, *, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction; dictionaries chosen inside it are used only once it commits.
        ``immediate`` takes the write lock at once, so what the transaction reads (the
        duplicate check) sees every copy committed before it and none after."""
        self._dict_pending.clear()
        try:
            with self.db.conn:
                if immediate:
                    self.db.conn.execute("BEGIN IMMEDIATE")
                yield self.db.conn
        except BaseException:
            self._dict_pending.clear()
            raise
        self._dict_cache.update(self._dict_pending)
        self._dict_pending.clear()

    # -- HTTP validators (conditional re-crawls) -------------------------------
    def validators(self, site: str) -> dict[str, tuple[str, str]]:
        """url -> (etag, last_modified) for every URL of the site fetched before."""
        cur = self.db.conn.execute(
            "SELECT url, COALESCE(etag, ''), COALESCE(last_modified, '') FROM url_state "
            "WHERE site = ? AND (etag IS NOT NULL OR last_modified IS NOT NULL)", (site,))
        return {u: (e, lm) for u, e, lm in cur}

    @_writes
    def record_fetch(self, urls: list[str], *, site: str, status: int, etag: str | None,
                     last_modified: str | None) -> None:
        with self.db.conn:
            for url in urls:
                self._record_fetch(url, site, status, etag, last_modified, _now())

    def _record_fetch(self, url: str, site: str, status: int, etag: str | None, last_modified: str | None,
                      now: str) -> None:
        self.db.conn.execute(
            "INSERT INTO url_state (url, site, etag, last_modified, last_status, last_fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "etag = COALESCE(excluded.etag, url_state.etag), "
            "last_modified = COALESCE(excluded.last_modified, url_state.last_modified), "
            "last_status = excluded.last_status, last_fetched_at = excluded.last_fetched_at",
            (url, site, etag, last_modified, status, now))

    @_writes
    def mark_gone(self, url: str, when: str, *, capture: dict[str, Any] | None = None,
                  run_id: int | None = None) -> bool:
        """The outlet removed the article (404/410): note when, keep everything, and keep
        the answer that said so as a capture."""
        art = self.find_by_url(url)
        if art is None:
            return False
        with self._tx():
            self.db.conn.execute("UPDATE articles SET gone_at = COALESCE(gone_at, ?) WHERE id = ?", (when, art["id"]))
            self._insert_captures(art["id"], run_id, [capture] if capture else [], art["site"])
        return True

    def known_urls(self, site: str) -> dict[str, tuple[str, str | None]]:
        """url -> (last_fetched_at, published_at of its article) for every article URL of
        the site fetched before: what incremental discovery may skip."""
        cur = self.db.conn.execute(
            "SELECT u.url, u.last_fetched_at, "
            "COALESCE(a1.published_at, a2.published_at, a3.published_at) "
            "FROM url_state u "
            "LEFT JOIN articles a1 ON a1.canonical_url = u.url "
            "LEFT JOIN articles a2 ON a2.url = u.url "
            "LEFT JOIN article_urls au ON au.url = u.url LEFT JOIN articles a3 ON a3.id = au.article_id "
            "WHERE u.site = ?", (site,))
        return {url: (fetched, published) for url, fetched, published in cur}

    @_writes
    def touch(self, url: str, fetched_at: str, *, capture: dict[str, Any] | None = None,
              run_id: int | None = None) -> bool:
        """A conditional re-fetch said 304: the article is unchanged; note that we looked
        (and keep the 304's status and headers as a capture)."""
        art = self.find_by_url(url)
        if art is None:
            return False
        with self._tx():
            self.db.conn.execute("UPDATE articles SET last_fetched_at = ? WHERE id = ?", (fetched_at, art["id"]))
            self._insert_captures(art["id"], run_id, [capture] if capture else [], art["site"])
        return True

    def aliases(self, article_id: int) -> list[str]:
        return [r["url"] for r in self.db.query(
            "SELECT url FROM article_urls WHERE article_id = ? ORDER BY url", [article_id])]

    @_writes
    def relink_duplicates(self, content_hash: str) -> None:
        """Point every copy in the clusters holding this text at its cluster's
        earliest-published member (ties: first stored). ``store_article`` already does
        this on every write; this repairs links by hand."""
        conn = self.db.conn
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            clusters.relink_by_content_hash(conn, content_hash)

    # Fields a re-judgement (warta rescore) rewrites; everything else stays as crawled.
    ANNOTATION_FIELDS = ("relevance_score", "relevance_label", "matched_terms", "relevance_why", "province_code",
                         "province", "regency_code", "regency", "regions", "officials")

    def article_ids(self, *, site: str | None = None) -> list[int]:
        where, params = _filters(site, None, None, False, None)
        return [int(r[0]) for r in self.db.conn.execute(f"SELECT id FROM articles {where} ORDER BY id", params)]

    def annotation_input(self, article_id: int) -> tuple[str, str, str]:
        """(title, text, dateline) of one article: what relevance, regions and officials read."""
        row = self.db.conn.execute("SELECT title, text, dateline FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise ArchiveError(f"no article with id {article_id}")
        return row[0] or "", row[1] or "", row[2] or ""

    @_writes
    def set_annotations(self, updates: list[tuple[int, dict[str, Any]]]) -> None:
        """Rewrite the relevance, region and official fields of many articles in one transaction."""
        sets = ", ".join(f"{k} = :{k}" for k in self.ANNOTATION_FIELDS)
        with self.db.conn:
            for art_id, fields in updates:
                row = _encode_json({k: fields.get(k) for k in self.ANNOTATION_FIELDS})
                self.db.conn.execute(f"UPDATE articles SET {sets} WHERE id = :id", {**row, "id": art_id})

    # -- reading (Python API, exports, search) ---------------------------------
    @contextmanager
    def reading(self) -> Iterator[Database]:
        """The open connection, or, for ``Archive(path).articles()`` on an archive that
        was never opened, a read-only one for as long as the caller reads. Reading
        never migrates or writes."""
        if self._db is not None:
            yield self._db
            return
        reader = Archive(self.path, readonly=True, busy_timeout_ms=self.busy_timeout_ms).open()
        try:
            yield reader.db
        finally:
            reader.close()

    def articles(self, *, site: str | None = None, since: str | None = None, until: str | None = None,
                 relevant_only: bool = False, run_id: int | None = None,
                 since_run: int | None = None, region: str | None = None,
                 one_per_cluster: bool = False) -> Iterator[ArticleRecord]:
        """Typed records (``archive.records.ArticleRecord``) in ``id`` order, streamed:
        constant memory however large the archive. Works on an unopened ``Archive``
        (it then reads through its own read-only connection)."""
        for row in self.rows(site=site, since=since, until=until, relevant_only=relevant_only, run_id=run_id,
                             since_run=since_run, region=region, one_per_cluster=one_per_cluster):
            try:
                yield ArticleRecord.from_row(row)
            except ValueError as e:
                raise ArchiveError(f"article {row.get('id')} in {self.path} has a malformed date: {e}") from None

    def rows(self, *, site: str | None = None, since: str | None = None, until: str | None = None,
             relevant_only: bool = False, run_id: int | None = None,
             since_run: int | None = None, region: str | None = None,
             one_per_cluster: bool = False) -> Iterator[dict[str, Any]]:
        """Like ``articles()`` but plain dicts with JSON list columns decoded and dates
        left as the ISO strings stored (what exporters write)."""
        for names, batch in self.row_batches(site=site, since=since, until=until, relevant_only=relevant_only,
                                             run_id=run_id, since_run=since_run, region=region,
                                             one_per_cluster=one_per_cluster):
            for values in batch:
                yield _decode(dict(zip(names, values, strict=True)))

    def row_batches(self, *, site: str | None = None, since: str | None = None, until: str | None = None,
                    relevant_only: bool = False, run_id: int | None = None, since_run: int | None = None,
                    region: str | None = None, one_per_cluster: bool = False, batch_size: int = 2000,
                    columns: Iterable[str] | None = None
                    ) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]:
        """(column names, raw row tuples) in batches: the fast path for exporters.
        JSON list columns are still JSON text here."""
        with self.reading() as db:
            where, params = _filters(site, since, until, relevant_only, run_id, region=region, since_run=since_run,
                                     one_per_cluster=one_per_cluster, day_column=_has_day_column(db))
            cols = ", ".join(columns) if columns else "*"
            # A plain cursor iterates without loading the result set: constant memory.
            cur = db.conn.execute(f"SELECT {cols} FROM articles {where} ORDER BY id", params)
            names = [d[0] for d in cur.description]
            while batch := cur.fetchmany(batch_size):
                yield names, batch

    def count_articles(self, *, site: str | None = None, since: str | None = None, until: str | None = None,
                       relevant_only: bool = False, run_id: int | None = None, since_run: int | None = None,
                       region: str | None = None, one_per_cluster: bool = False) -> int:
        with self.reading() as db:
            where, params = _filters(site, since, until, relevant_only, run_id, region=region, since_run=since_run,
                                     one_per_cluster=one_per_cluster, day_column=_has_day_column(db))
            return int(db.conn.execute(f"SELECT COUNT(*) FROM articles {where}", params).fetchone()[0])

    def snapshot(self) -> dict[str, Any]:
        """What a citation of an export needs to know about the archive right now."""
        with self.reading() as db:
            run = db.conn.execute("SELECT MAX(id) FROM crawl_runs").fetchone()[0]
            version = db.conn.execute("SELECT value FROM warta_meta WHERE key = 'schema_version'").fetchone()
            return {"archive": str(self.path.resolve()), "last_run_id": run,
                    "schema_version": int(version[0]) if version else None}

    def run_exists(self, run_id: int) -> bool:
        with self.reading() as db:
            return db.conn.execute("SELECT 1 FROM crawl_runs WHERE id = ?", (run_id,)).fetchone() is not None

    def to_pandas(self, **filters: Any) -> Any:
        """The filtered articles as a pandas DataFrame (needs ``pip install 'warta[pandas]'``):
        the export columns plus ``last_fetched_at`` and ``published_day``.

        List columns hold Python lists, ``matched_terms`` lists of dicts; Warta's own
        timestamps (``fetched_at``, ``first_seen_at``, ``last_fetched_at``, ``gone_at``)
        are ``datetime64[ns, UTC]``; ``published_at``/``modified_at`` stay ISO strings
        because each carries the outlet's own offset or only a day; ``published_day`` is
        the outlet's local day as a string."""
        try:
            import pandas as pd
        except ImportError:
            raise ArchiveError("to_pandas needs pandas: pip install 'warta[pandas]'") from None
        from archive.export import EXPORT_FIELDS

        columns = [*EXPORT_FIELDS, "last_fetched_at", "published_day"]
        frame = pd.DataFrame.from_records(
            ({k: r.get(k) for k in columns} for r in self.rows(**filters)), columns=columns)
        for col in ("fetched_at", "first_seen_at", "last_fetched_at", "gone_at"):
            frame[col] = pd.to_datetime(frame[col], utc=True, format="ISO8601")
        return frame

    def near_candidates(self, sig: Signature, *, exclude: int = 0) -> list[int]:
        """Ids of stored articles sharing an LSH band with this signature (what a new
        article with it would be compared with)."""
        return clusters.candidates(self.db.conn, band_hashes(sig), exclude)

    def bulk_fill_fingerprints(self, articles: Iterable[tuple[int, bytes, int]],
                               bands: Iterable[tuple[int, int]]) -> int:
        """Benchmark helper: insert filler articles with ready-made fingerprints in one
        transaction, no matching (see archive.clusters.bulk_fill)."""
        with self.db.conn:
            return clusters.bulk_fill(self.db.conn, articles, bands)

    def duplicate_clusters(self, *, site: str | None = None) -> Iterator[dict[str, Any]]:
        """Clusters with more than one member, streamed one at a time: the original
        first, then its copies by publication date, each with site, dates and
        similarity to the original. ``site``: clusters with a member on that site."""
        if "cluster_id" not in self.db["articles"].columns_dict:
            # A read-only open does not migrate: an archive from before clusters.
            raise ArchiveError(f"{self.path} has no duplicate clusters yet (older schema); any `warta crawl` "
                               f"on it adds them")
        where = "WHERE cluster_id IN (SELECT cluster_id FROM articles WHERE duplicate_of IS NOT NULL)"
        params: dict[str, Any] = {}
        if site:
            where += " AND cluster_id IN (SELECT cluster_id FROM articles WHERE site = :site)"
            params["site"] = site
        cur = self.db.conn.execute(
            "SELECT cluster_id, id, site, title, canonical_url, published_at, first_seen_at, similarity, "
            "duplicate_of, content_hash FROM articles " + where + " ORDER BY cluster_id, duplicate_of IS NOT NULL, "
            "julianday(published_at) IS NULL, julianday(published_at), id", params)
        names = [d[0] for d in cur.description]
        group: list[dict[str, Any]] = []
        for values in cur:
            r = dict(zip(names, values, strict=True))
            if group and group[0]["cluster_id"] != r["cluster_id"]:
                yield _cluster(group)
                group = []
            group.append(r)
        if group:
            yield _cluster(group)

    def search(self, query: str, *, site: str | None = None, since: str | None = None, until: str | None = None,
               relevant_only: bool = False, limit: int = 20, region: str | None = None) -> list[dict[str, Any]]:
        """Best matches first (bm25, title and text weighted equally), with a snippet
        around the matched words in [brackets]."""
        with self.reading() as db:
            where, params = _filters(site, since, until, relevant_only, None, prefix="a.", region=region,
                                     day_column=_has_day_column(db))
            extra = where.replace("WHERE", "AND", 1)
            # ORDER BY the FTS5 hidden ``rank`` column (not a bm25() expression): FTS5 then
            # sorts inside the virtual table and SQLite computes snippet() only for the rows
            # it returns, instead of for every match.
            sql = (
                "SELECT a.id, a.site, a.title, a.url, a.published_at, a.relevance_label, a.province, a.regency, "
                # Paragraphs are lines; a snippet is shown on one.
                "replace(snippet(articles_fts, -1, '[', ']', '…', 16), char(10), ' ') AS snippet, "
                "articles_fts.rank AS rank "
                "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                f"WHERE articles_fts MATCH :q {extra} ORDER BY articles_fts.rank LIMIT :limit"
            )
            try:
                return [dict(r) for r in db.query(sql, {**params, "q": query, "limit": limit})]
            except sqlite3.OperationalError as e:
                if "locked" in str(e) or "busy" in str(e):
                    raise ArchiveError(f"search failed on {self.path}: {e}") from None
                raise ArchiveError(
                    f"bad search query {query!r}: {e} (FTS5 syntax: words, \"exact phrase\", AND, OR, NOT, "
                    "prefix*; put words with punctuation in double quotes)") from None

    # -- bulk import -------------------------------------------------------------
    def insert_articles(self, records: Iterable[dict[str, Any]]) -> int:
        """Insert many new articles in one transaction (imports, benchmarks); an article
        whose ``canonical_url`` is already archived is left untouched. Returns how many
        were inserted. The crawler uses ``upsert_article`` (one article, outcome)."""
        now = _now()
        cols = [*ARTICLE_FIELDS, "first_seen_at", "last_fetched_at"]
        sql = (f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) "
               "ON CONFLICT(canonical_url) DO NOTHING")

        def values() -> Iterator[tuple[Any, ...]]:
            for record in records:
                row = _encode_json({k: record.get(k) for k in ARTICLE_FIELDS})
                yield (*row.values(), record.get("first_seen_at") or now, record.get("fetched_at") or now)

        conn = self.db.conn
        with conn:
            # rowcount sums sqlite3_changes(), which leaves out the FTS triggers' writes
            # and the rows DO NOTHING skipped: it counts inserted articles only.
            return int(conn.executemany(sql, values()).rowcount)

    def stats(self) -> list[dict[str, Any]]:
        sql = (
            "SELECT site, COUNT(*) AS articles, "
            "SUM(relevance_label = 'relevant') AS relevant, "
            "SUM(duplicate_of IS NOT NULL) AS duplicates, "
            "SUM(published_at IS NOT NULL) AS with_date, "
            "MIN(published_at) AS first_published_at, MAX(published_at) AS last_published_at, "
            "MAX(last_fetched_at) AS last_fetched_at "
            "FROM articles GROUP BY site ORDER BY site"
        )
        return [dict(r) for r in self.db.query(sql)]

    def health(self, now: str, *, days_recent: int = 7, days_window: int = 30) -> list[dict[str, Any]]:
        """Per site: yield and quality in the last ``days_recent`` days against the
        ``days_window`` days before, by when Warta first stored each article."""
        sql = """
        WITH w AS (
          SELECT site,
                 julianday(:now) - julianday(first_seen_at) AS age,
                 published_at IS NULL AS no_date,
                 COALESCE(word_count, 0) < 40 AS thin
          FROM articles
        )
        SELECT site,
               SUM(age <= :recent) AS recent,
               SUM(age > :recent AND age <= :recent + :window) AS before,
               SUM(CASE WHEN age <= :recent THEN no_date END) AS recent_no_date,
               SUM(CASE WHEN age > :recent AND age <= :recent + :window THEN no_date END) AS before_no_date,
               SUM(CASE WHEN age <= :recent THEN thin END) AS recent_thin,
               COUNT(*) AS total
        FROM w GROUP BY site ORDER BY site
        """
        rows = [dict(r) for r in self.db.query(sql, {"now": now, "recent": days_recent, "window": days_window})]
        last_ok: dict[str, str] = {}
        for run in self.db.query("SELECT finished_at, sites, stats FROM crawl_runs WHERE finished_at IS NOT NULL "
                                 "ORDER BY id"):
            try:
                failed = json.loads(run["stats"] or "{}").get("failed", {})
                sites = json.loads(run["sites"] or "[]")
            except ValueError:
                continue
            for site in sites:
                if site not in failed:
                    last_ok[site] = run["finished_at"]
        for r in rows:
            for k in ("recent", "before", "recent_no_date", "before_no_date", "recent_thin"):
                r[k] = int(r[k] or 0)
            r["last_ok_run"] = last_ok.get(r["site"])
        return rows

    # -- captures and versions ---------------------------------------------------
    def capture_pages(self, capture_id: int) -> list[dict[str, Any]]:
        """A capture and its continuation pages, in page order, bodies decompressed."""
        rows = [dict(r) for r in self.db.query(
            "SELECT * FROM captures WHERE id = :id OR first_page_id = :id ORDER BY page", {"id": capture_id})]
        for r in rows:
            r["body"] = self._inflate(r["body"], r["body_encoding"], r["dict_id"])
            r["headers"] = json.loads(r["headers"] or "{}")
        return rows

    def captures_of(self, article_id: int) -> list[dict[str, Any]]:
        """Every capture of an article, oldest first, without bodies."""
        return [dict(r) for r in self.db.query(
            "SELECT id, run_id, page, first_page_id, url, requested_url, fetched_at, status, body_size, body_sha256, "
            "length(body) AS stored_size FROM captures WHERE article_id = ? ORDER BY id", [article_id])]

    def versions(self, article_id: int) -> list[dict[str, Any]]:
        """Every version of an article, oldest first; the last is the current row."""
        if not self.db["article_versions"].exists():
            # Opened read-only before the migration that added versions (schema 3).
            return [{**_decode(dict(r)), "version": 1, "superseded_at": None}
                    for r in self.db.query("SELECT * FROM articles WHERE id = ?", [article_id])]
        # A read-only archive from before m006 has no annotation columns yet.
        have = set(self.db["article_versions"].columns_dict)
        cols = ", ".join(c for c in _VERSIONED if c in have)
        out = [_decode(dict(r)) for r in self.db.query(
            f"SELECT version, {cols}, superseded_at FROM article_versions WHERE article_id = ? ORDER BY version",
            [article_id])]
        cur = list(self.db.query(f"SELECT version, {cols}, NULL AS superseded_at FROM articles WHERE id = ?",
                                 [article_id]))
        return out + [_decode(dict(r)) for r in cur]

    def run_command(self, run_id: int | None) -> str:
        """What made a run: 'crawl' or the command stored in its args (e.g. 'reextract')."""
        if run_id is None:
            return "?"
        row = self.db.conn.execute("SELECT args FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
        try:
            return str(json.loads(row[0] or "{}").get("command", "crawl")) if row else "?"
        except ValueError:
            return "crawl"

    def sites(self) -> list[str]:
        return [r[0] for r in self.db.conn.execute("SELECT DISTINCT site FROM articles ORDER BY site")]

    def last_topic(self) -> str | None:
        """The topic profile the newest run that named one used (crawl or reextract)."""
        for (args,) in self.db.conn.execute("SELECT args FROM crawl_runs ORDER BY id DESC"):
            try:
                topic = json.loads(args or "{}").get("topic")
            except ValueError:
                continue
            if topic:
                return str(topic)
        return None

    def reextract_count(self, site: str | None = None) -> int:
        if not self.db["captures"].exists():
            return 0  # read-only before the migration that added captures
        row = self.db.conn.execute(
            "SELECT COUNT(*) FROM articles a WHERE (:site IS NULL OR a.site = :site) AND EXISTS "
            "(SELECT 1 FROM captures c WHERE c.article_id = a.id AND c.page = 1 AND c.status = 200)",
            {"site": site}).fetchone()
        return int(row[0])

    def reextract_sources(self, site: str | None = None, batch: int = 200) -> Iterator[dict[str, Any]]:
        """Per article, its newest successful capture (page 1 and continuation pages),
        bodies still compressed: what ``warta reextract`` hands to its workers. Pages
        through the archive by id, so memory stays flat and writes can go in between."""
        last = 0
        conn = self.db.conn
        while True:
            heads = conn.execute(
                "SELECT a.id, a.site, c.id, c.url, c.headers, c.fetched_at, c.status FROM articles a "
                "JOIN captures c ON c.id = (SELECT MAX(id) FROM captures WHERE article_id = a.id AND page = 1 "
                "AND status = 200) WHERE a.id > :last AND (:site IS NULL OR a.site = :site) ORDER BY a.id "
                "LIMIT :batch", {"last": last, "site": site, "batch": batch}).fetchall()
            if not heads:
                return
            for art_id, art_site, cap_id, url, headers, fetched_at, status in heads:
                bodies = [self._inflate(b, enc, d) for b, enc, d in conn.execute(
                    "SELECT body, body_encoding, dict_id FROM captures WHERE id = :id OR first_page_id = :id "
                    "ORDER BY page", {"id": cap_id})]
                yield {"article_id": art_id, "site": art_site, "capture_id": cap_id, "url": url,
                       "headers": json.loads(headers or "{}"), "fetched_at": fetched_at, "status": status,
                       "bodies": bodies}
                last = art_id

    @_writes
    def save_reextracted(self, article_id: int, record: dict[str, Any], *, capture_id: int, run_id: int,
                         fetched_at: str, status: int) -> bool:
        """A new version when the extractor's output differs from the current row in any
        extracted field; the row is not touched otherwise. Returns whether it changed."""
        new = _encode_json({k: record.get(k) for k in EXTRACTED_FIELDS})
        cols = ", ".join(EXTRACTED_FIELDS)
        conn = self.db.conn
        with conn:
            cur = conn.execute(f"SELECT {cols} FROM articles WHERE id = ?", (article_id,)).fetchone()
            if cur is None or dict(zip(EXTRACTED_FIELDS, cur, strict=True)) == new:
                return False
            old_hash = cur[EXTRACTED_FIELDS.index("content_hash")]
            row = {**new, "capture_id": capture_id, "run_id": run_id, "fetched_at": fetched_at,
                   "http_status": status}
            self._new_version(article_id, row, _now())
        for h in {old_hash, new["content_hash"]}:
            if h:
                self.relink_duplicates(h)
        return True

    def iter_captures(self, *, site: str | None = None, run_id: int | None = None,
                      batch: int = 200) -> Iterator[dict[str, Any]]:
        """Every capture in storage order with its body decompressed, its article's
        canonical URL and site; paged by id, so memory stays flat."""
        last = 0
        while True:
            batch_rows = self.db.conn.execute(
                "SELECT c.*, a.canonical_url, a.site FROM captures c JOIN articles a ON a.id = c.article_id "
                "WHERE c.id > :last AND (:site IS NULL OR a.site = :site) AND (:run IS NULL OR c.run_id = :run) "
                "ORDER BY c.id LIMIT :batch", {"last": last, "site": site, "run": run_id, "batch": batch})
            names = [d[0] for d in batch_rows.description]
            got = [dict(zip(names, r, strict=True)) for r in batch_rows.fetchall()]
            if not got:
                return
            for r in got:
                r["body"] = self._inflate(r["body"], r["body_encoding"], r["dict_id"])
                r["headers"] = json.loads(r["headers"] or "{}")
                yield r
                last = r["id"]

    def capture_sizes(self) -> dict[str, int]:
        row = self.db.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(body_size), 0), COALESCE(SUM(length(body)), 0) FROM captures").fetchone()
        return {"captures": int(row[0]), "raw_bytes": int(row[1]), "stored_bytes": int(row[2])}

    # -- consistency -------------------------------------------------------------
    def check(self, *, deep: bool = False) -> list[str]:
        """Problems found, one line each (empty when the archive is sound)."""
        conn = self.db.conn
        problems: list[str] = []
        for (msg,) in conn.execute("PRAGMA integrity_check"):
            if msg != "ok":
                problems.append(f"integrity: {msg}")
        # Every declared link (captures -> articles, aliases -> articles, versions ->
        # articles, anything -> crawl_runs) in one pass, one line per kind of break.
        broken: dict[tuple[str, str], int] = {}
        for table, _rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            broken[(table, parent)] = broken.get((table, parent), 0) + 1
        for (table, parent), n in sorted(broken.items()):
            what = _LINK_NAMES.get((table, parent), f"{table} row(s) point to a missing {parent} row")
            problems.append(f"{n} {what}")
        problems += self._fts_check()
        if not self.db["captures"].exists():
            return problems  # an archive from before captures and versions (schema 3)
        problems += _count_problems(conn, {
            "article(s) point to a missing capture": "SELECT COUNT(*) FROM articles a WHERE a.capture_id IS NOT NULL "
                "AND NOT EXISTS (SELECT 1 FROM captures c WHERE c.id = a.capture_id)",
            "article(s) fetched since captures began have no capture": "SELECT COUNT(*) FROM articles a "
                "WHERE a.capture_id IS NULL AND a.fetched_at >= "
                "(SELECT value FROM warta_meta WHERE key = 'captures_since')",
            "article(s) point to another article's capture": "SELECT COUNT(*) FROM articles a "
                "JOIN captures c ON c.id = a.capture_id WHERE c.article_id != a.id",
            "article(s) whose version number disagrees with article_versions": "SELECT COUNT(*) FROM articles a "
                "WHERE a.version != 1 + (SELECT COUNT(*) FROM article_versions v WHERE v.article_id = a.id)",
        })
        if deep:
            problems += self._check_bodies()
        return problems

    def _check_bodies(self) -> list[str]:
        """Decompress every capture and compare with its recorded size and sha256. A
        damaged dictionary capture is one problem, with the captures that depend on it."""
        bad: dict[int, str] = {}
        dependents: dict[int, int] = {}
        for cap_id, body, enc, dict_id, size, sha in self.db.conn.execute(
                "SELECT id, body, body_encoding, dict_id, body_size, body_sha256 FROM captures ORDER BY id"):
            if dict_id in bad:
                dependents[dict_id] = dependents.get(dict_id, 0) + 1
                continue
            try:
                raw = self._inflate(body, enc, dict_id)
            except (zlib.error, ValueError) as e:
                bad[cap_id] = f"body cannot be decompressed ({e})"
                continue
            if len(raw) != size or hashlib.sha256(raw).hexdigest() != sha:
                bad[cap_id] = "body does not match its recorded size and sha256"
        out = []
        for cap_id, msg in bad.items():
            more = dependents.get(cap_id, 0)
            out.append(f"capture {cap_id}: {msg}" + (f"; {more} capture(s) compressed against it cannot be "
                                                      "read either" if more else ""))
        return out

    def _fts_check(self) -> list[str]:
        conn = self.db.conn
        n_articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        n_indexed = conn.execute("SELECT COUNT(*) FROM articles_fts_docsize").fetchone()[0]
        if n_indexed != n_articles:
            return [f"fts: articles_fts indexes {n_indexed} rows, articles has {n_articles}"]
        # FTS5's own check compares the index with the articles rows. It is issued as an
        # INSERT, which a read-only connection refuses, so it gets a connection of its
        # own; it changes nothing in the file.
        if self.readonly:
            conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout_ms / 1000)
        try:
            conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
            return []
        except sqlite3.DatabaseError as e:
            return [f"fts: articles_fts does not match the articles rows ({e})"]
        finally:
            if conn is not self.db.conn:
                conn.close()

    def table_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for table in ("articles", "article_versions", "captures", "article_urls", "crawl_runs", "url_state",
                      "backfill_progress", "backfill_listed"):
            if self.db[table].exists():
                out[table] = int(self.db.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        return out

    # -- backfill --------------------------------------------------------------
    def backfill_units(self, site: str) -> dict[tuple[str, str], dict[str, Any]]:
        """(source, key) -> stored progress of every backfill walk of the site."""
        return {(r["source"], r["key"]): dict(r) for r in self.db.query(
            "SELECT * FROM backfill_progress WHERE site = ?", [site])}

    @_writes
    def save_backfill_page(self, unit: dict[str, Any], listed: list[tuple[str, str, str | None]]) -> None:
        """One listing page done: its listed URLs ((canonical url, listed url, day)) and
        the walk's new position, in one transaction, so a killed run resumes exactly
        after the last page whose links are recorded."""
        now = _now()
        with self._tx() as conn:
            conn.executemany(
                "INSERT INTO backfill_listed (site, url, listed_url, listed_date, source, key, first_listed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(site, url) DO UPDATE SET "
                "listed_date = COALESCE(backfill_listed.listed_date, excluded.listed_date)",
                [(unit["site"], url, listed_url, day, unit["source"], unit["key"], now)
                 for url, listed_url, day in listed])
            conn.execute(
                "INSERT INTO backfill_progress (site, source, key, since, until, status, next_page, pages, listed, "
                "stop_reason, started_at, updated_at, finished_at) "
                "VALUES (:site, :source, :key, :since, :until, :status, :next_page, :pages, :listed, :stop_reason, "
                ":now, :now, CASE WHEN :status = 'done' THEN :now END) "
                "ON CONFLICT(site, source, key) DO UPDATE SET since = excluded.since, until = excluded.until, "
                "status = excluded.status, next_page = excluded.next_page, "
                "pages = CASE WHEN :fresh THEN excluded.pages ELSE backfill_progress.pages + excluded.pages END, "
                "listed = CASE WHEN :fresh THEN excluded.listed ELSE backfill_progress.listed + excluded.listed END, "
                "stop_reason = excluded.stop_reason, updated_at = excluded.updated_at, "
                "started_at = CASE WHEN :fresh THEN excluded.started_at ELSE backfill_progress.started_at END, "
                "finished_at = excluded.finished_at",
                {"stop_reason": None, "fresh": False, **unit, "now": now})

    @_writes
    def mark_listed_fetched(self, site: str, listed_url: str, status: int) -> None:
        with self._tx() as conn:
            conn.execute(
                "UPDATE backfill_listed SET fetch_status = ?, fetched_at = ? WHERE site = ? AND listed_url = ?",
                (status, _now(), site, listed_url))

    def pending_listed(self, site: str, since: str, until: str, *, include_fetched: bool = False
                       ) -> list[dict[str, Any]]:
        """Listed URLs of the site, in range or undated, that are not archived and (unless
        ``include_fetched``) were never answered: what an interrupted backfill still owes."""
        sql = (
            "SELECT listed_url, source, key, listed_date FROM backfill_listed l WHERE site = :site "
            "AND (listed_date IS NULL OR listed_date BETWEEN :since AND :until) "
            f"{'' if include_fetched else 'AND fetch_status IS NULL'} "
            f"AND NOT {_LISTED_ARCHIVED} ORDER BY listed_date DESC, listed_url"
        )
        return [dict(r) for r in self.db.query(sql, {"site": site, "since": since, "until": until})]

    def archived_urls(self, site: str) -> set[str]:
        """Canonical URLs and aliases of the site's archived articles."""
        cur = self.db.conn.execute(
            "SELECT canonical_url FROM articles WHERE site = :s UNION SELECT au.url FROM article_urls au "
            "JOIN articles a ON a.id = au.article_id WHERE a.site = :s", {"s": site})
        return {r[0] for r in cur}

    def coverage(self, *, site: str | None = None, since: str | None = None, until: str | None = None
                 ) -> list[dict[str, Any]]:
        """Per site and day: URLs the backfill sources listed, how many of them are
        archived, and how many articles the archive has published that day (any source).
        An undated listed URL counts on its archived article's day, else on day None."""
        sql = f"""
        WITH l AS (
          SELECT l.site, COALESCE(l.listed_date, substr(a.published_at, 1, 10)) AS day,
                 a.id IS NOT NULL AS archived
          FROM backfill_listed l
          LEFT JOIN articles a ON a.id = COALESCE(
            (SELECT id FROM articles WHERE canonical_url = l.url),
            (SELECT article_id FROM article_urls WHERE url = l.listed_url),
            (SELECT id FROM articles WHERE canonical_url = l.listed_url))
          {"WHERE l.site = :site" if site else ""}
        )
        SELECT site, day, COUNT(*) AS listed, SUM(archived) AS archived FROM l
        WHERE (:since IS NULL OR day >= :since OR day IS NULL) AND (:until IS NULL OR day <= :until OR day IS NULL)
        GROUP BY site, day ORDER BY site, day
        """
        params = {"site": site, "since": since, "until": until}
        rows = [dict(r) for r in self.db.query(sql, params)]
        totals = {(r["site"], r["day"]): int(r["n"]) for r in self.db.query(
            "SELECT site, substr(published_at, 1, 10) AS day, COUNT(*) AS n FROM articles "
            "WHERE published_at IS NOT NULL AND (:site IS NULL OR site = :site) GROUP BY site, day", params)}
        for r in rows:
            r["archived"] = int(r["archived"] or 0)
            r["archived_any_source"] = totals.get((r["site"], r["day"]), 0)
        return rows

    def counts(self) -> dict[str, int]:
        row = next(self.db.query(
            "SELECT COUNT(*) AS articles, COALESCE(SUM(relevance_label = 'relevant'), 0) AS relevant, "
            "COALESCE(SUM(duplicate_of IS NOT NULL), 0) AS duplicates, "
            "(SELECT COUNT(*) FROM article_urls) AS aliases, (SELECT COUNT(*) FROM crawl_runs) AS runs "
            "FROM articles"))
        return {k: int(v or 0) for k, v in row.items()}


# A listed URL is archived when an article has it as canonical URL or alias.
_LISTED_ARCHIVED = (
    "(EXISTS (SELECT 1 FROM articles a WHERE a.canonical_url = l.url OR a.canonical_url = l.listed_url) "
    "OR EXISTS (SELECT 1 FROM article_urls au WHERE au.url = l.listed_url))"
)


def _filters(site: str | None, since: str | None, until: str | None, relevant_only: bool, run_id: int | None,
             prefix: str = "", region: str | None = None, *, since_run: int | None = None,
             one_per_cluster: bool = False, day_column: bool = True) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    # published_day (m008) is indexed; an archive not yet migrated falls back to the expression.
    day = f"{prefix}published_day" if day_column else f"substr({prefix}published_at, 1, 10)"
    if region:
        # A Kemendagri code ("16", "16.07") or a name, of the article's province or regency/city.
        clauses.append(f"(lower({prefix}province) = lower(:region) OR lower({prefix}regency) = lower(:region) "
                       f"OR {prefix}province_code = :region OR {prefix}regency_code = :region)")
        params["region"] = region
    if site:
        clauses.append(f"{prefix}site = :site")
        params["site"] = site
    if since:
        clauses.append(f"{day} >= :since")
        params["since"] = since[:10]
    if until:
        clauses.append(f"{day} <= :until")
        params["until"] = until[:10]
    if relevant_only:
        clauses.append(f"{prefix}relevance_label = 'relevant'")
    if run_id is not None:
        clauses.append(f"{prefix}run_id = :run_id")
        params["run_id"] = run_id
    if since_run is not None:
        # run_id is the run that stored the article's current version: new or changed text.
        clauses.append(f"{prefix}run_id > :since_run")
        params["since_run"] = since_run
    if one_per_cluster:
        # Only originals (no copy of an earlier article): each story counted once.
        clauses.append(f"{prefix}duplicate_of IS NULL")
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


_LINK_NAMES = {
    ("captures", "articles"): "orphan capture(s): their article does not exist",
    ("captures", "captures"): "capture(s) point to a missing first page or dictionary capture",
    ("captures", "crawl_runs"): "capture(s) point to a missing crawl run",
    ("article_urls", "articles"): "alias row(s) in article_urls point to no article",
    ("article_versions", "articles"): "version row(s) of a missing article",
    ("article_versions", "captures"): "version row(s) point to a missing capture",
    ("articles", "crawl_runs"): "article(s) point to a missing crawl run",
}


def _count_problems(conn: sqlite3.Connection, queries: dict[str, str]) -> list[str]:
    out = []
    for what, sql in queries.items():
        n = conn.execute(sql).fetchone()[0]
        if n:
            out.append(f"{n} {what}")
    return out


def _inflate(body: bytes | None, encoding: str | None) -> bytes:
    if not body:
        return b""
    if encoding == "zlib":
        return zlib.decompress(body)
    if encoding in (None, "", "identity"):
        return bytes(body)
    raise ValueError(f"unknown capture body encoding {encoding!r}")


def _has_day_column(db: Database) -> bool:
    # table_xinfo: generated columns are hidden from table_info.
    return any(r[1] == "published_day" for r in db.conn.execute("PRAGMA table_xinfo(articles)"))


def _cluster(rows: list[dict[str, Any]]) -> dict[str, Any]:
    original = rows[0]
    members = []
    for r in rows:
        kind = ("original" if r["duplicate_of"] is None
                else "exact" if r["content_hash"] and r["content_hash"] == original["content_hash"] else "near")
        members.append({k: r[k] for k in ("id", "site", "published_at", "canonical_url", "title", "similarity")}
                       | {"kind": kind})
    sims = [m["similarity"] for m in members[1:] if m["similarity"] is not None]
    dates = [r["published_at"] for r in rows if r["published_at"]]
    return {
        "cluster_id": original["cluster_id"], "size": len(rows), "sites": sorted({r["site"] for r in rows}),
        # Rows come original first, then copies by instant (julianday), undated last.
        "first_published_at": dates[0] if dates else None, "last_published_at": dates[-1] if dates else None,
        "min_similarity": min(sims) if sims else None, "members": members,
    }


def _encode_json(row: dict[str, Any]) -> dict[str, Any]:
    """The JSON columns of ``row`` as the text the archive stores ("[]"/"{}" when empty);
    the inverse of ``_decode``."""
    for col in JSON_LIST_COLUMNS:
        if col in row:
            row[col] = json.dumps(row[col] or [], ensure_ascii=False)
    for col in JSON_OBJECT_COLUMNS:
        if col in row:
            row[col] = json.dumps(row[col] or {}, ensure_ascii=False)
    return row


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    # NULL (rows stored before a column existed) reads as empty, like a stored "[]".
    for col in JSON_LIST_COLUMNS:
        if col in row and row[col] is None:
            row[col] = []
        if isinstance(row.get(col), str):
            try:
                row[col] = json.loads(row[col])
            except ValueError:
                row[col] = []
    for col in JSON_OBJECT_COLUMNS:
        if col in row and row[col] is None:
            row[col] = {}
        if isinstance(row.get(col), str):
            try:
                row[col] = json.loads(row[col])
            except ValueError:
                row[col] = {}
    return row
