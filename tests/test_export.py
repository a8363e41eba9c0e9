"""`warta export` and `warta search` through the real CLI, on an archive built by a
real crawl of the bundled mirror; manifests, incremental exports, bad input."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from archive import Archive
from archive.export import EXPORT_FIELDS
from archive.schema import SCHEMA_VERSION
from crawler.mirror_server import MirrorServer
from tests.conftest import mirror_crawl_args, rows, run_warta


@pytest.fixture(scope="module")
def mirror_db(mirror: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("exports") / "archive.db"
    args = mirror_crawl_args(db, mirror)
    res = run_warta(*args)
    assert res.code == 0, res.stderr
    return db


def _manifest(out: Path) -> dict:
    return json.loads(out.with_name(out.name + ".manifest.json").read_text("utf-8"))


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_writes_file_and_citable_manifest(mirror_db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"all.{fmt}"
    res = run_warta("export", "--db", str(mirror_db), "--format", fmt, "--out", str(out), "--since", "2024-01-01")
    assert res.code == 0, res.stderr
    want = rows(mirror_db, "select id from articles where substr(published_at, 1, 10) >= '2024-01-01' order by id")
    assert 0 < len(want) < 17
    if fmt == "jsonl":
        got = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    elif fmt == "csv":
        got = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    else:
        got = pq.read_table(out).to_pylist()
    assert [int(r["id"]) for r in got] == [r["id"] for r in want]
    m = _manifest(out)
    assert m["rows"] == len(want) and m["format"] == fmt and m["file"] == out.name
    assert m["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest() and m["bytes"] == out.stat().st_size
    assert m["filters"] == {"since": "2024-01-01"}
    assert m["schema_version"] == SCHEMA_VERSION and m["warta_version"] == "0.1.0" and m["created_at"]
    assert m["archive"] == str(mirror_db.resolve())
    assert m["archive_last_run_id"] == rows(mirror_db, "select max(id) m from crawl_runs")[0]["m"]
    assert m["columns"] == list(EXPORT_FIELDS)
    assert f"{len(want)} articles written to {out}" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name, out.name + ".manifest.json"]  # no .partial


def test_formats_carry_the_same_data(mirror_db: Path, tmp_path: Path) -> None:
    for fmt in ("jsonl", "csv", "parquet"):
        res = run_warta("export", "--db", str(mirror_db), "--format", fmt, "--out", str(tmp_path / f"a.{fmt}"))
        assert res.code == 0, res.stderr
    jl = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    pa_rows = pq.read_table(tmp_path / "a.parquet").to_pylist()
    for r in pa_rows:
        # Free-form reasons stay JSON text in Parquet (no fixed Arrow type for them).
        assert isinstance(r["relevance_why"], str)
        r["relevance_why"] = json.loads(r["relevance_why"])
    assert len(jl) == 17 and pa_rows == jl
    assert any(r["regions"] and r["regions"][0]["code"] for r in pa_rows)
    assert any(r["matched_terms"] and r["matched_terms"][0]["term"] for r in pa_rows)
    assert all(isinstance(r["authors"], list) for r in pa_rows)
    cs = list(csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text("utf-8"))))
    for c, j in zip(cs, jl, strict=True):
        assert c["text"] == j["text"] and json.loads(c["matched_terms"]) == j["matched_terms"]


def test_filters_site_relevance_run(mirror_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.parquet"
    res = run_warta("export", "--db", str(mirror_db), "--format", "parquet", "--out", str(out), "--site", "sumeks",
                    "--relevant-only", "--run", "1", "--until", "2024-12-31")
    assert res.code == 0, res.stderr
    want = rows(mirror_db, "select id from articles where site = 'sumeks' and relevance_label = 'relevant' "
                           "and run_id = 1 and published_at <= '2024-12-31T99' order by id")
    assert want and [r["id"] for r in pq.read_table(out).to_pylist()] == [r["id"] for r in want]
    assert _manifest(out)["filters"] == {"site": "sumeks", "relevant_only": True, "run_id": 1,
                                         "until": "2024-12-31"}


def test_stdout_export_has_no_manifest(mirror_db: Path, tmp_path: Path) -> None:
    res = run_warta("export", "--db", str(mirror_db), "--site", "jejakrekam", cwd=tmp_path)
    assert res.code == 0, res.stderr
    assert [json.loads(line)["site"] for line in res.stdout.splitlines()] == ["jejakrekam"] * 6
    assert list(tmp_path.iterdir()) == []
    help_text = run_warta("export", "--help").stdout
    assert "no manifest" in help_text and "Example:" in help_text


def test_empty_export_is_a_valid_file(mirror_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.parquet"
    res = run_warta("export", "--db", str(mirror_db), "--format", "parquet", "--out", str(out), "--site", "nope")
    assert res.code == 0, res.stderr
    t = pq.read_table(out)
    assert t.num_rows == 0 and t.column_names == list(EXPORT_FIELDS)
    assert _manifest(out)["rows"] == 0


def _rec(canon: str, **kw: object) -> dict:
    base = {"url": canon, "canonical_url": canon, "site": "s", "title": "Judul", "text": "ASN diminta netral.",
            "published_at": "2024-07-19T07:00:00+07:00", "relevance_label": "relevant"}
    base.update(kw)
    return base


def test_since_run_exports_what_is_new_or_changed(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as a:
        r1 = a.start_run(sites=["s"], args={})
        for u in ("a", "b", "c"):
            a.upsert_article(_rec(u, run_id=r1))
        a.finish_run(r1, stats={}, status="ok")
        r2 = a.start_run(sites=["s"], args={})
        a.upsert_article(_rec("b", text="Teks berubah.", run_id=r2))   # changed
        a.upsert_article(_rec("c", run_id=r2))                          # unchanged: keeps run 1
        a.upsert_article(_rec("d", run_id=r2))                          # new
        a.finish_run(r2, stats={}, status="ok")
    out = tmp_path / "inc.jsonl"
    res = run_warta("export", "--db", str(db), "--since-run", str(r1), "--out", str(out))
    assert res.code == 0, res.stderr
    got = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["canonical_url"], r["text"]) for r in got] == [("b", "Teks berubah."), ("d", "ASN diminta netral.")]
    m = _manifest(out)
    assert m["filters"] == {"since_run": r1} and m["archive_last_run_id"] == r2 and m["rows"] == 2
    # Citing the next increment starts from the run this manifest names.
    res = run_warta("export", "--db", str(db), "--since-run", str(m["archive_last_run_id"]))
    assert res.code == 0 and res.stdout == ""
    res = run_warta("export", "--db", str(db), "--since-run", "9")
    assert res.code == 1 and "no such run" in res.stderr and "last run: 2" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args,msg", [
    (["--since", "14-02-2024"], "not a date"),
    (["--format", "xml"], "xml"),
    (["--out", "/nonexistent-folder/x.jsonl"], "No such file or directory"),
    (["--since-run", "-1"], "-1"),
])
def test_export_bad_input_one_line(mirror_db: Path, args: list[str], msg: str) -> None:
    res = run_warta("export", "--db", str(mirror_db), *args)
    assert res.code != 0 and msg in res.stderr and "Traceback" not in res.stderr
    assert not Path("/nonexistent-folder").exists()


def test_search_prints_ranked_hits_with_snippets(mirror_db: Path) -> None:
    res = run_warta("search", "netralitas ASN", "--db", str(mirror_db))
    assert res.code == 0, res.stderr
    blocks = [b for b in res.stdout.split("\n") if b and not b.startswith("    ")]
    snippets = [line.strip() for line in res.stdout.splitlines() if line.startswith("    ") and "[" in line]
    assert len(blocks) >= 3 and len(snippets) == len(blocks)
    assert all("[" in s and "]" in s for s in snippets)
    assert f"{len(blocks)} hit(s)" in res.stderr
    # Ranked: the JSON output carries bm25 ranks in ascending order (best first).
    js = [json.loads(line) for line in run_warta("search", "netralitas ASN", "--db", str(mirror_db),
                                                  "--json").stdout.splitlines()]
    assert [h["rank"] for h in js] == sorted(h["rank"] for h in js) and len(js) == len(blocks)
    assert all("netralitas" in (h["title"] + h["snippet"]).lower() for h in js)


def test_search_filters_and_limit(mirror_db: Path) -> None:
    def hits(*args: str) -> list[dict]:
        res = run_warta("search", "ASN", "--db", str(mirror_db), "--json", *args)
        assert res.code == 0, res.stderr
        return [json.loads(line) for line in res.stdout.splitlines()]

    every = hits()
    assert len({h["site"] for h in every}) >= 2
    assert {h["site"] for h in hits("--site", "sumeks")} == {"sumeks"}
    assert {h["relevance_label"] for h in hits("--relevant-only")} == {"relevant"}
    assert all(h["published_at"][:10] >= "2024-06-01" for h in hits("--since", "2024-06-01"))
    assert all(h["published_at"][:10] <= "2024-01-31" for h in hits("--until", "2024-01-31"))
    assert len(hits("--limit", "1")) == 1 and hits("--limit", "1")[0]["id"] == every[0]["id"]


@pytest.mark.parametrize("query", ['"netralitas', "AND", "title:", "camat NOT"])
def test_search_bad_syntax_is_one_line(mirror_db: Path, query: str) -> None:
    res = run_warta("search", query, "--db", str(mirror_db))
    assert res.code == 1 and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "bad search query" in res.stderr
