"""Readers during a crawl: a real crawl (run_warta) of a slow loopback site while
readers loop over the archive, one of them holding a read transaction open for the
whole crawl, and `warta export` runs alongside. WAL lets the crawl write on: it must
finish with every article, and no reader may ever see half an article."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from archive import Archive, ArchiveError
from tests.conftest import CliResult, run_warta
from tests.faultsite import article_html, sitemap, tiny_site

N_ARTICLES = 24


def slow_site(path: str, origin: str) -> tuple[int, str, bytes]:
    if path == "/robots.txt":
        return 200, "text/plain", b"User-agent: *\nAllow: /\n"
    if path == "/sitemap.xml":
        return 200, "application/xml", sitemap(origin, [f"/berita/{n}/artikel-konkuren-nomor-{n}"
                                                        for n in range(N_ARTICLES)])
    if path.startswith("/berita/"):
        n = int(path.split("/")[2])
        time.sleep(0.15)  # a slow outlet: the crawl takes a few seconds of interleaved writes
        return 200, "text/html; charset=utf-8", article_html(n, f"Artikel konkuren kodeunik{n}").encode()
    return 404, "text/html", b"not found"


def check_consistent(conn: sqlite3.Connection) -> int:
    """Inside one read transaction: every article is whole (row, FTS entry, text),
    the FTS index has exactly the articles, and each one is found by its own token."""
    n = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert conn.execute("SELECT COUNT(*) FROM articles_fts_docsize").fetchone()[0] == n
    for art_id, title, text, words in conn.execute("SELECT id, title, text, word_count FROM articles"):
        token = title.split()[-1]
        assert token.startswith("kodeunik") and text and words and words > 50, (art_id, title)
        ids = [r[0] for r in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (token,))]
        assert ids == [art_id], (token, ids)
    orphans = conn.execute("SELECT COUNT(*) FROM article_urls WHERE article_id NOT IN (SELECT id FROM articles)")
    assert orphans.fetchone()[0] == 0
    return int(n)


def test_readers_during_a_crawl(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    db = tmp_path / "archive.db"
    errors: list[str] = []
    seen: list[int] = []
    held: dict[str, int] = {}
    exports: list[tuple[int, int]] = []
    crawl_result: list[CliResult] = []
    done = threading.Event()

    def wait_for_archive() -> None:
        while not done.is_set():
            try:
                with Archive(db, readonly=True):
                    return
            except ArchiveError:
                time.sleep(0.02)

    def loop_reader() -> None:
        wait_for_archive()
        while not done.is_set():
            try:
                conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True, timeout=10)
                conn.execute("BEGIN")
                seen.append(check_consistent(conn))
                conn.execute("COMMIT")
                conn.close()
                # The typed API on the same file, as a researcher would use it mid-crawl.
                for r in Archive(db).articles():
                    assert r.title and r.text and r.published_at is not None
            except Exception as e:  # recorded, asserted in the test body
                errors.append(f"reader: {type(e).__name__}: {e}")
                return

    def long_transaction() -> None:
        # A slow query (a Datasette facet, a long export) keeps one snapshot for the
        # whole crawl: the crawl must not wait for it, and it must not see the crawl.
        wait_for_archive()
        try:
            conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True, timeout=10)
            conn.execute("BEGIN")
            held["start"] = check_consistent(conn)
            done.wait(120)
            held["end"] = check_consistent(conn)
            conn.execute("COMMIT")
            conn.close()
        except Exception as e:
            errors.append(f"long transaction: {type(e).__name__}: {e}")

    def exporter() -> None:
        wait_for_archive()
        k = 0
        while not done.is_set() and k < 3:
            out = tmp_path / f"during-{k}.jsonl"
            res = run_warta("export", "--db", str(db), "--out", str(out))
            if res.code != 0:
                errors.append(f"export: {res.stderr.strip()}")
                return
            manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text("utf-8"))
            lines = out.read_text("utf-8").splitlines()
            if any(not json.loads(line)["text"] for line in lines):
                errors.append("export: an article without text")
            exports.append((manifest["rows"], len(lines)))
            k += 1

    def crawl() -> None:
        try:
            with tiny_site(slow_site) as origin:
                (sites / "slow.toml").write_text(
                    f'name = "slow"\nbase_url = "{origin}/"\nstart_urls = ["/sitemap.xml"]\n'
                    'timezone = "Asia/Jakarta"\ndownload_delay = 0\nconcurrency = 2\n')
                crawl_result.append(run_warta("crawl", "--db", str(db), "--sites-dir", str(sites), "--site", "slow",
                                              "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "WARTA_DOWNLOAD_DELAY=0"))
        finally:
            done.set()

    threads = [threading.Thread(target=f) for f in (crawl, loop_reader, long_transaction, exporter)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)

    (res,) = crawl_result
    assert res.code == 0, res.stderr
    assert "locked" not in res.stderr and "busy" not in res.stderr
    assert errors == []
    with Archive(db, readonly=True) as a:
        assert a.counts()["articles"] == N_ARTICLES
        stats = json.loads(a.runs()[-1]["stats"])["sites"]["slow"]
        assert stats["archive/new"] == N_ARTICLES
    # The readers really ran while the crawl wrote: they saw the archive grow.
    assert len(set(seen)) >= 3 and max(seen) <= N_ARTICLES, seen
    assert held["start"] == held["end"] < N_ARTICLES  # one snapshot, unmoved by the crawl
    assert exports and all(rows == lines for rows, lines in exports)
