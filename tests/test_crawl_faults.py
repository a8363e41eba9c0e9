"""Real crawls against a fault-injecting loopback site: bad weather ends cleanly."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import rows, run_warta
from tests.faultsite import FaultServer

CONFIG = """
name = "faultsite"
base_url = "http://faultsite.invalid/"
start_urls = ["/sitemap.xml", "/kalender/0"]
timezone = "Asia/Jakarta"
download_delay = 0
concurrency = 4
max_listing_pages = 5
"""


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("faults")
    sites = tmp / "sites"
    sites.mkdir()
    (sites / "faultsite.toml").write_text(CONFIG)
    db = tmp / "archive.db"
    with FaultServer(slow_seconds=6) as srv:
        res = run_warta("crawl", "--db", str(db), "--sites-dir", str(sites), "--site", "faultsite",
                        "--base-url", f"faultsite={srv.origin}",
                        "-s", "DOWNLOAD_TIMEOUT=2", "-s", "DOWNLOAD_MAXSIZE=1000000", "-s", "RETRY_TIMES=2",
                        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "WARTA_DOWNLOAD_DELAY=0",
                        "-s", "WARTA_RETRY_BACKOFF=0.1", "-s", "WARTA_CONTACT=mailto:arsip@example.org")
        hits = dict(srv.hits)
        waited = srv.retried_at - srv.first_retry_after_at
        user_agents = set(srv.user_agents)
    assert user_agents == {"Warta/0.1.0 (research archive of Indonesian regional news; +mailto:arsip@example.org)"}
    return db, res, hits, waited


def _paths(db: Path) -> set[str]:
    return {r["url"].split("/", 3)[3] for r in rows(db, "select url from articles")}


def test_crawl_finishes_and_keeps_good_articles(fault_crawl) -> None:
    db, res, _, _ = fault_crawl
    assert res.code == 0, res.stderr
    got = _paths(db)
    for n in range(1, 6):
        assert f"berita/{n}/artikel-uji-nomor-{n}-tentang-netralitas" in got


def test_5xx_is_retried_then_archived(fault_crawl) -> None:
    db, _, hits, _ = fault_crawl
    assert hits["/flaky/7/artikel-yang-sempat-gagal-dimuat-server"] == 2
    assert "flaky/7/artikel-yang-sempat-gagal-dimuat-server" in _paths(db)


def test_retry_after_is_honoured(fault_crawl) -> None:
    db, _, hits, waited = fault_crawl
    assert hits["/retry-after/13/artikel-dengan-retry-after"] == 2
    assert waited >= 1.9
    assert "retry-after/13/artikel-dengan-retry-after" in _paths(db)


def test_permanent_500_gives_up_after_retries(fault_crawl) -> None:
    db, _, hits, _ = fault_crawl
    assert hits["/always500/14/artikel-server-selalu-gagal"] == 3  # 1 + RETRY_TIMES
    assert not any(p.startswith("always500") for p in _paths(db))


def test_redirect_loop_ends(fault_crawl) -> None:
    _, _, hits, _ = fault_crawl
    assert 1 <= hits["/loop/a"] + hits["/loop/b"] <= 8


def test_timeout_and_huge_page_are_skipped(fault_crawl) -> None:
    db, _, _, _ = fault_crawl
    got = _paths(db)
    assert not any(p.startswith(("slow/", "huge/")) for p in got)


def test_robots_txt_obeyed(fault_crawl) -> None:
    db, _, hits, _ = fault_crawl
    assert "/private/11/artikel-rahasia-tidak-boleh" not in hits
    assert not any(p.startswith("private/") for p in _paths(db))


def test_redirect_off_the_outlet_is_not_followed(fault_crawl) -> None:
    db, _, hits, _ = fault_crawl
    assert hits["/offsite/15/artikel-yang-dialihkan-ke-situs-lain"] == 1
    assert "/berita/99/artikel-di-situs-lain" not in hits
    assert not any("99" in p for p in _paths(db))


def test_multi_page_article_is_joined(fault_crawl) -> None:
    db, _, hits, _ = fault_crawl
    assert hits["/multi/16/artikel-bersambung?page=2"] == 1
    (row,) = rows(db, "select text from articles where url like '%/multi/%'")
    assert "(bagian 16.0)" in row["text"] and "Bagian kedua: pengawas kecamatan" in row["text"]
    assert "Halaman selanjutnya" not in row["text"]
    assert row["text"].index("(bagian 16.4)") < row["text"].index("Bagian kedua")


def test_connection_reset_is_retried(fault_crawl) -> None:
    db, _, hits, _ = fault_crawl
    assert hits["/reset/18/artikel-koneksi-terputus-sekali"] == 2
    assert "reset/18/artikel-koneksi-terputus-sekali" in _paths(db)


def test_50mb_page_is_cut_off(fault_crawl) -> None:
    db, _, hits, _ = fault_crawl
    assert hits["/huge50/19/artikel-lima-puluh-megabita"] >= 1
    assert not any(p.startswith("huge50/") for p in _paths(db))


def test_404_is_not_archived(fault_crawl) -> None:
    db, _, hits, _ = fault_crawl
    assert hits["/gone/10/artikel-yang-sudah-dihapus"] == 1
    assert not any(p.startswith("gone/") for p in _paths(db))


def test_endless_calendar_stops_at_listing_cap(fault_crawl) -> None:
    _, _, hits, _ = fault_crawl
    calendar = [p for p in hits if p.startswith("/kalender/")]
    assert 1 <= len(calendar) <= 5


def test_declared_windows_1252_is_decoded(fault_crawl) -> None:
    db, _, _, _ = fault_crawl
    r = rows(db, "select title, text from articles where url like '%cp1252%'")
    assert r and "café" in r[0]["title"] and "René Siregar" in r[0]["text"]


def test_run_is_recorded(fault_crawl) -> None:
    db, _, _, _ = fault_crawl
    runs = rows(db, "select * from crawl_runs")
    assert len(runs) == 1 and runs[0]["status"] == "ok" and runs[0]["finished_at"]


def test_unreachable_site_fails_clearly(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "faultsite.toml").write_text(CONFIG)
    db = tmp_path / "a.db"
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    res = run_warta("crawl", "--db", str(db), "--sites-dir", str(sites), "--site", "faultsite",
                    "--base-url", "faultsite=http://127.0.0.1:9", "-s", "RETRY_TIMES=0",
                    "-s", "WARTA_DOWNLOAD_DELAY=0")
    assert res.code == 4
    assert "site faultsite: no page could be fetched" in res.stderr
    assert "Traceback" not in res.stderr
    con = sqlite3.connect(db)
    assert con.execute("select status from crawl_runs").fetchone()[0] == "failed"


def test_scrapy_crawl_uses_the_same_path(tmp_path: Path) -> None:
    """`scrapy crawl news -a site=NAME` from the repo root: same spider, same pipelines."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "faultsite.toml").write_text(CONFIG.replace('"/kalender/0"', '"/berita/1/artikel-uji-nomor-1"'))
    db = tmp_path / "scrapy.db"
    with FaultServer() as srv:
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "site=faultsite", "-a", f"sites_dir={sites}",
             "-a", f"base_url={srv.origin}", "-s", f"WARTA_DB={db}", "-s", "WARTA_DOWNLOAD_DELAY=0",
             "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0", "-s", "LOG_LEVEL=WARNING"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = _paths(db)
    assert "berita/3/artikel-uji-nomor-3-tentang-netralitas" in got
    runs = rows(db, "select * from crawl_runs")
    assert len(runs) == 1 and runs[0]["finished_at"] and "scrapy crawl" in runs[0]["args"]


def test_failing_site_is_set_aside_while_others_continue(tmp_path: Path, mirror) -> None:
    """An outlet answering 503 to everything trips the breaker; the mirror's sumeks still
    gets archived and the run ends partial (exit 3)."""
    from tests.faultsite import sitemap, tiny_site

    hits: list[str] = []

    def broken(path: str, origin: str) -> tuple[int, str, bytes]:
        hits.append(path)
        if path == "/sitemap.xml":
            return 200, "application/xml", sitemap(origin, (f"/read/{n}/x" for n in range(1000, 1060)))
        return 503, "text/plain", b"busy"

    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "broken.toml").write_text('name = "broken"\nbase_url = "http://broken.invalid/"\n'
                                       'start_urls = ["/sitemap.xml"]\ntimezone = "Asia/Jakarta"\nconcurrency = 1\n')
    db = tmp_path / "a.db"
    with tiny_site(broken) as origin:
        res = run_warta("crawl", "--db", str(db), "--sites-dir", str(sites), "--site", "broken", "--site", "sumeks",
                        "--base-url", f"broken={origin}", "--base-url", f"sumeks={mirror.origins['sumeks']}",
                        "-s", "WARTA_DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0", "-s", "WARTA_BREAKER_FAILURES=5",
                        "-s", "AUTOTHROTTLE_ENABLED=False")
    assert res.code == 3, res.stderr
    assert "site broken: set aside for this run: 5 failures in a row" in res.stderr
    article_hits = [h for h in hits if h.startswith("/read/")]
    assert 5 <= len(article_hits) <= 8  # stopped at the threshold, not after all 60
    assert rows(db, "select count(*) n from articles where site = 'sumeks'")[0]["n"] == 6
    assert rows(db, "select status from crawl_runs")[0]["status"] == "partial"


def test_robots_crawl_delay_is_honoured(tmp_path: Path) -> None:
    import time

    from tests.faultsite import article_html, sitemap, tiny_site

    seen: list[float] = []

    def polite(path: str, origin: str) -> tuple[int, str, bytes]:
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nCrawl-delay: 1\n"
        if path == "/sitemap.xml":
            return 200, "application/xml", sitemap(origin, (f"/berita/{n}/artikel-uji-nomor-{n}" for n in range(1, 5)))
        seen.append(time.monotonic())
        return 200, "text/html", article_html(int(path.split("/")[2]), "Artikel sopan").encode()

    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "polite.toml").write_text('name = "polite"\nbase_url = "http://polite.invalid/"\n'
                                       'start_urls = ["/sitemap.xml"]\ntimezone = "Asia/Jakarta"\nconcurrency = 2\n')
    with tiny_site(polite) as origin:
        res = run_warta("crawl", "--db", str(tmp_path / "a.db"), "--sites-dir", str(sites), "--site", "polite",
                        "--base-url", f"polite={origin}", "-s", "WARTA_DOWNLOAD_DELAY=0",
                        "-s", "AUTOTHROTTLE_ENABLED=False")
    assert res.code == 0, res.stderr
    assert len(seen) == 4
    gaps = [b - a for a, b in zip(seen, seen[1:], strict=False)]
    assert min(gaps) >= 0.9, gaps


def test_runs_command_reports_errors_by_kind(fault_crawl) -> None:
    db, _, hits, _ = fault_crawl
    res = run_warta("runs", "--db", str(db), "--json")
    assert res.code == 0, res.stderr
    (run,) = json.loads(res.stdout)
    s = run["sites"]["faultsite"]
    assert run["status"] == "ok" and s["duration_s"] > 0
    assert s["new"] == len(rows(db, "select id from articles"))
    assert s["pages"] >= s["new"] and s["gone"] == 0
    # The fault site's weather, counted by kind: a 404, permanent 500s, timeouts.
    assert s["errors"]["http_404"] >= 1
    assert s["errors"]["http_500"] >= 3  # the first try and RETRY_TIMES=2 retries
    assert s["errors"]["DownloadTimeoutError"] >= 1
    table = run_warta("runs", "--db", str(db))
    assert table.code == 0 and "faultsite" in table.stdout and "http_404=" in table.stdout
