"""Datasette on loopback against an archive built by a real mirror crawl: plain
`datasette archive.db` (Warta's plugin) and `warta serve`, queried through the JSON API."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from archive import Archive
from archive.datasette import ARTICLE_COLUMNS
from crawler.mirror_server import MirrorServer
from tests.conftest import ROOT, mirror_crawl_args, rows, run_warta

# Loopback only: never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def archive_db(mirror: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("datasette") / "archive.db"
    args = mirror_crawl_args(db, mirror)
    res = run_warta(*args)
    assert res.code == 0, res.stderr
    return db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(base: str, path: str, **params: str) -> Any:
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with _OPENER.open(url, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


@contextmanager
def serving(args: list[str], port: int) -> Iterator[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(base, "/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    out, err = proc.communicate()
                    pytest.fail(f"datasette did not start: {err[-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_plain_datasette_is_usable_out_of_the_box(archive_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("create table articles (id integer primary key, title text)")
    con.commit()
    con.close()
    port = _free_port()
    with serving(["datasette", "serve", str(archive_db), str(other), "--host", "127.0.0.1", "--port", str(port)],
                 port) as base:
        # Rows, with the default facets from Warta's metadata (no _facet= asked for).
        data = get(base, "/archive/articles.json", _shape="objects", _size="max")
        assert data["filtered_table_rows_count"] == 17 and len(data["rows"]) == 17
        assert {r["id"] for r in data["rows"]} == {r["id"] for r in rows(archive_db, "select id from articles")}
        facets = data["facet_results"]
        assert set(facets) == {"site", "published_day", "relevance_label"}
        by_site = {f["value"]: f["count"] for f in facets["site"]["results"]}
        assert by_site == dict(Counter(r["site"] for r in rows(archive_db, "select site from articles")))
        by_label = {f["value"]: f["count"] for f in facets["relevance_label"]["results"]}
        assert by_label == {r["relevance_label"]: r["n"] for r in rows(
            archive_db, "select relevance_label, count(*) n from articles group by 1")}
        days = {f["value"]: f["count"] for f in facets["published_day"]["results"]}
        assert days and all(len(d) == 10 for d in days if d)
        # The outlet's local day, as in published_at (not converted to UTC).
        assert days == dict(Counter(r["d"] for r in rows(
            archive_db, "select substr(published_at, 1, 10) d from articles where published_at is not null")))

        # Full-text search: same articles as the archive's own search; raw mode keeps phrases.
        with Archive(archive_db, readonly=True) as a:
            want_word = {h["id"] for h in a.search("netralitas", limit=100)}
            want_phrase = {h["id"] for h in a.search('"netralitas ASN"', limit=100)}
        found = get(base, "/archive/articles.json", _shape="objects", _search="netralitas", _size="max")
        assert want_word and {r["id"] for r in found["rows"]} == want_word
        phrase = get(base, "/archive/articles.json", _shape="objects", _search='"netralitas ASN"', _size="max")
        assert {r["id"] for r in phrase["rows"]} == want_phrase and want_phrase < want_word
        # A facet on a search: counts of the matching articles only.
        faceted = get(base, "/archive/articles.json", _search="Bawaslu", _facet="site", _size="0")
        assert sum(f["count"] for f in faceted["facet_results"]["site"]["results"]) == \
            faceted["filtered_table_rows_count"] > 0

        # The canned search query gives snippets.
        hits = get(base, "/archive/search.json", q="netralitas", _shape="objects")["rows"]
        assert {h["id"] for h in hits} == want_word and all("[" in h["snippet"] for h in hits)

        # Descriptions for every column, for the archive only.
        meta = get(base, "/-/metadata.json")
        cols = meta["databases"]["archive"]["tables"]["articles"]["columns"]
        live = {r[1] for r in sqlite3.connect(archive_db).execute("PRAGMA table_xinfo(articles)")}
        assert live == set(cols) == set(ARTICLE_COLUMNS)
        assert "other" not in meta["databases"]
        with _OPENER.open(base + "/archive/articles", timeout=30) as resp:
            page = resp.read().decode("utf-8")
        assert "derived from published_at" in page and "One row per article" in page


def test_warta_serve(archive_db: Path) -> None:
    port = _free_port()
    with serving(["crawler.cli", "serve", "--db", str(archive_db), "--port", str(port)], port) as base:
        data = get(base, "/archive/articles.json", _shape="objects", _search="kampanye", _size="max")
        assert data["rows"] and all("kampanye" in (r["title"] + r["text"]).lower() for r in data["rows"])
        assert set(data["facet_results"]) == {"site", "published_day", "relevance_label"}
        settings = get(base, "/-/settings.json")
        assert settings["facet_time_limit_ms"] == 3000


def test_serve_refuses_what_is_not_an_archive(tmp_path: Path) -> None:
    bad = tmp_path / "x.db"
    bad.write_bytes(b"no database here" * 10)
    res = run_warta("serve", "--db", str(bad))
    assert res.code == 1 and "not a database" in res.stderr and "Traceback" not in res.stderr
    res = run_warta("serve", "--db", str(tmp_path / "missing.db"))
    assert res.code == 1 and "does not exist" in res.stderr


def test_datasette_metadata_file(archive_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "metadata.json"
    res = run_warta("datasette-metadata", "--db", str(archive_db), "--out", str(out))
    assert res.code == 0, res.stderr
    meta = json.loads(out.read_text("utf-8"))
    table = meta["databases"]["archive"]["tables"]["articles"]
    assert table["fts_table"] == "articles_fts" and table["searchmode"] == "raw"
    assert table["facets"] == ["site", "published_day", "relevance_label"]
