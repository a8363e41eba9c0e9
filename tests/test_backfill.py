"""`warta backfill` against a loopback outlet with two and a half years of history
(tests/backfillsite.py): real crawls through the CLI, checked against the server's
access log and the archive."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from crawler.backfill import listed_links, plan_units, start_page, topic_queries
from crawler.sites import SiteConfigError, parse_site
from tests.backfillsite import ARTICLES, SITE_TOML, SOURCES, BackfillSite, expected, search_results, tagged
from tests.conftest import CliResult, rows, run_warta

SINCE, UNTIL = date(2023, 6, 1), date(2024, 12, 31)
FAST = ["-s", "WARTA_DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
CONFIGS = {
    "rantau-all": "\n".join(SOURCES.values()),
    "rantau-search": SOURCES["search"],
    "rantau-index": SOURCES["index"],
    "rantau-none": "",
    # The outlet reads DD-MM-YYYY; this asks for YYYY-MM-DD and gets the latest news back.
    "rantau-badindex": 'archive_url = "/indeks?tanggal={date}&hal={page}"',
}


@pytest.fixture(scope="module")
def sites_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("sites")
    for name, extra in CONFIGS.items():
        (d / f"{name}.toml").write_text(SITE_TOML.format(name=name, extra=extra), "utf-8")
    return d


def backfill(srv: BackfillSite, sites_dir: Path, db: Path, site: str, since: date, until: date, *extra: str
             ) -> tuple[CliResult, list[str]]:
    """One real `warta backfill`; returns its result and the paths it requested."""
    start = len(srv.log)
    res = run_warta("backfill", "--db", str(db), "--since", since.isoformat(), "--until", until.isoformat(),
                    "--sites-dir", str(sites_dir), "--site", site, "--base-url", f"{site}={srv.origin}",
                    *FAST, *extra)
    return res, [p for p in srv.log[start:] if p != "/robots.txt"]


def archived_ids(db: Path) -> set[int]:
    urls = rows(db, "select canonical_url from articles")
    return {int(urlsplit(r["canonical_url"]).path.split("/")[2]) for r in urls}


def run_stats(db: Path, run: int) -> dict:
    stats = json.loads(rows(db, "select stats from crawl_runs where id = ?", (run,))[0]["stats"])
    return next(iter(stats["sites"].values()))


def read_ids(paths: list[str]) -> list[int]:
    return [int(p.split("/")[2]) for p in paths if p.startswith("/read/")]


def index_days(paths: list[str]) -> list[date]:
    out = []
    for p in paths:
        u = urlsplit(p)
        if u.path == "/indeks":
            dd, mm, yy = (int(x) for x in parse_qs(u.query)["tanggal"][0].split("-"))
            out.append(date(yy, mm, dd))
    return out


# -- one site with every source, the brief's range -------------------------------

@pytest.fixture(scope="module")
def full(sites_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    db = tmp_path_factory.mktemp("full") / "archive.db"
    with BackfillSite() as srv:
        first, log1 = backfill(srv, sites_dir, db, "rantau-all", SINCE, UNTIL)
        again, log2 = backfill(srv, sites_dir, db, "rantau-all", SINCE, UNTIL)
        # Budgeted: walking everything again proves no more than its first 150 pages do.
        restart, log3 = backfill(srv, sites_dir, db, "rantau-all", SINCE, UNTIL, "--restart", "--max-pages", "150")
        coverage = run_warta("stats", "--coverage", "--db", str(db), "--json")
        yield {"db": db, "first": first, "log1": log1, "again": again, "log2": log2, "restart": restart,
               "log3": log3, "coverage": coverage}


def test_everything_in_range_found(full: dict) -> None:
    assert full["first"].code == 0, full["first"].stderr
    want = expected(SINCE, UNTIL)
    assert len(want) > 250
    assert archived_ids(full["db"]) == want


def test_nothing_outside_the_range_fetched(full: dict) -> None:
    log = full["log1"]
    assert set(read_ids(log)) <= expected(SINCE, UNTIL)
    assert len(read_ids(log)) == len(set(read_ids(log)))  # no article twice
    # The date index offers "previous day" links forever; only the range's days are asked for.
    days = index_days(log)
    assert min(days) == SINCE and max(days) == UNTIL
    assert len(set(days)) == (UNTIL - SINCE).days + 1
    months = {p for p in log if p.startswith("/sitemap/")}
    assert months == {f"/sitemap/{y}/{m:02d}.xml" for y in (2023, 2024) for m in range(1, 13)
                      if (y, m) >= (2023, 6)}
    # The tag pages' "Terpopuler" box links to dated 2022 articles: never fetched.
    assert not any(a.day < SINCE for a in ARTICLES if a.id in read_ids(log))


def test_search_that_repeats_its_last_page_stops(full: dict) -> None:
    pages = Counter(parse_qs(urlsplit(p).query)["q"][0] for p in full["log1"] if p.startswith("/cari"))
    # All of its results are from 2024, so its walk reaches the end: the last page,
    # then two repeats of it (stale rule, 2 pages with nothing new).
    last = -(-len(search_results("sanksi ASN pilkada")) // 10)
    assert pages["sanksi ASN pilkada"] == last + 2
    # The other queries reach back past --since: they stop at the first page older than it.
    older = [a for a in search_results("netralitas ASN") if a.day >= SINCE]
    assert pages["netralitas ASN"] == -(-len(older) // 10) + 1
    # The tag pages' box of 2022 articles neither stops the walk on page 1 nor drags it on.
    tag_pages = sum(1 for p in full["log1"] if p.startswith("/tag/"))
    assert tag_pages == -(-len([a for a in tagged() if a.day >= SINCE]) // 10) + 1
    # A query without results still shows the "Terbaru" box: two more pages of it, then stale.
    assert pages["netralitas PNS"] == 3
    stats = run_stats(full["db"], 1)
    assert stats["backfill/stop/stale"] == 1 + 4  # the repeating search + 4 queries without results
    assert stats["backfill/stop/older_than_since"] == 6  # 5 queries reaching back + the tag
    assert stats["backfill/undated_skipped"] > 0
    assert stats["backfill/stop/range_exhausted"] == 1


def test_finished_range_not_walked_again(full: dict) -> None:
    assert full["again"].code == 0, full["again"].stderr
    assert full["log2"] == []
    assert "done before" in full["again"].stdout


def test_restart_walks_again_without_refetching_articles(full: dict) -> None:
    assert full["restart"].code == 0, full["restart"].stderr
    assert len(full["log3"]) == 150
    assert read_ids(full["log3"]) == []  # listing pages only: archived articles are not refetched
    assert set(full["log3"]) <= set(full["log1"])  # the same walks from page 1, none beyond the range
    assert len(index_days(full["log3"])) > 20


def test_coverage_without_gaps(full: dict) -> None:
    assert full["coverage"].code == 0, full["coverage"].stderr
    days = json.loads(full["coverage"].stdout)
    per_day = Counter(a.day.isoformat() for a in ARTICLES if SINCE <= a.day <= UNTIL)
    assert {d["day"]: d["listed"] for d in days} == dict(per_day)
    assert all(d["listed"] == d["archived"] == d["archived_any_source"] for d in days)


# -- budget and resume -----------------------------------------------------------

def test_budget_respected_and_resume_does_not_refetch(sites_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    since, until = date(2024, 1, 1), date(2024, 3, 31)
    budget = 40
    with BackfillSite() as srv:
        runs = []
        for _ in range(20):
            res, log = backfill(srv, sites_dir, db, "rantau-all", since, until, "--max-pages", str(budget))
            assert res.code == 0, res.stderr
            runs.append(log)
            if not log:
                break
        hits = Counter(p for p in srv.log if p != "/robots.txt")
    assert len(runs) > 3  # the budget did cut the walk
    assert all(len(log) <= budget for log in runs)
    assert max(len(log) for log in runs) == budget
    assert runs[-1] == []  # the last run found everything done
    # Each run went on where the one before stopped: no page, listing or article, twice.
    assert [p for p, n in hits.items() if n > 1] == []
    assert archived_ids(db) == expected(since, until)
    assert set(index_days(list(hits))) == {date.fromordinal(o) for o in range(since.toordinal(), until.toordinal() + 1)}


# -- completeness accounting -----------------------------------------------------

def test_coverage_shows_gaps_and_resume_closes_them(sites_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    since, until = date(2024, 1, 1), date(2024, 1, 31)
    in_range = sorted(expected(since, until))
    broken = {in_range[0], in_range[3], in_range[4]}
    with BackfillSite(broken=set(broken)) as srv:
        res, _ = backfill(srv, sites_dir, db, "rantau-index", since, until, "-s", "RETRY_TIMES=0")
        assert res.code == 0, res.stderr
        out = run_warta("stats", "--coverage", "--db", str(db), "--site", "rantau-index",
                        "--since", since.isoformat(), "--until", until.isoformat())
        assert out.code == 0, out.stderr
        gap_days = Counter(a.day.isoformat() for a in ARTICLES if a.id in broken)
        lines = [ln.split() for ln in out.stdout.splitlines() if ln.startswith("rantau-index ")]
        assert {ln[1]: int(ln[4]) for ln in lines} == dict(gap_days)  # day -> missing
        for ln in lines:
            assert int(ln[2]) - int(ln[3]) == int(ln[4])
        total = len(in_range)
        assert f"{total} listed" in out.stdout and f"{total - 3} archived, 3 missing" in out.stdout
        # The outlet recovers: the next run owes only what it listed and could not fetch.
        srv.broken.clear()
        res, log = backfill(srv, sites_dir, db, "rantau-index", since, until)
        assert res.code == 0, res.stderr
        assert sorted(read_ids(log)) == sorted(broken)
        assert index_days(log) == []
        out = run_warta("stats", "--coverage", "--db", str(db), "--site", "rantau-index")
        assert f"{total} listed" in out.stdout and "0 days with gaps" in out.stdout
    assert archived_ids(db) == set(in_range)


def test_search_only_site_finds_every_match_in_range(sites_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    since, until = date(2024, 6, 1), date(2024, 9, 30)
    queries = topic_queries("netralitas-asn")
    with BackfillSite() as srv:
        res, log = backfill(srv, sites_dir, db, "rantau-search", since, until)
    assert res.code == 0, res.stderr
    want = {a.id for q in queries for a in search_results(q) if since <= a.day <= until}
    assert want and archived_ids(db) == want
    assert set(read_ids(log)) == want


def test_date_index_that_ignores_the_date_is_not_walked(sites_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    since, until = date(2024, 1, 1), date(2024, 1, 10)
    with BackfillSite() as srv:
        res, log = backfill(srv, sites_dir, db, "rantau-badindex", since, until)
    assert res.code == 0, res.stderr
    assert read_ids(log) == []  # the latest news shown instead is from 2025: not this range
    assert len(log) == 10  # page 1 of each day, no paging on into today's news
    assert run_stats(db, 1)["backfill/stop/not_this_day"] == 10


def test_source_refused_by_robots_is_done_not_retried(sites_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    since, until = date(2024, 1, 1), date(2024, 1, 10)
    with BackfillSite(disallow=("/tag/",)) as srv:
        res, log = backfill(srv, sites_dir, db, "rantau-all", since, until)
        assert res.code == 0, res.stderr
        again, log2 = backfill(srv, sites_dir, db, "rantau-all", since, until)
    assert not any(p.startswith("/tag/") for p in log)
    assert run_stats(db, 1)["backfill/stop/not_allowed"] == 1
    assert archived_ids(db) == expected(since, until)
    assert again.code == 0 and log2 == []


# -- bad input -------------------------------------------------------------------

def test_cli_errors_are_one_line(sites_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    res = run_warta("backfill", "--db", db, "--since", "2024-05-01", "--until", "2024-01-01")
    assert res.code == 2 and "before --since" in res.stderr and "Traceback" not in res.stderr
    res = run_warta("backfill", "--db", db, "--since", "2024-13-01", "--until", "2024-12-01")
    assert res.code == 2 and "2024-13-01" in res.stderr
    res = run_warta("backfill", "--db", db, "--since", "2024-01-01", "--until", "2024-01-02",
                    "--sites-dir", str(sites_dir), "--site", "rantau-none")
    assert res.code == 2 and "no backfill source" in res.stderr and "Traceback" not in res.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.toml").write_text(SITE_TOML.format(name="x", extra='search_url = "/cari?q={query}"'), "utf-8")
    res = run_warta("sites", "--check", "--sites-dir", str(bad))
    assert res.code == 2 and "search_url" in res.stderr and "{page}" in res.stderr
    res = run_warta("stats", "--coverage", "--db", db)
    assert res.code == 1 and "does not exist" in res.stderr


BASE = {"name": "x", "base_url": "https://x.example/", "start_urls": ["/"], "timezone": "Asia/Jakarta"}


@pytest.mark.parametrize("extra, message", [
    ({"search_url": "/cari?q={query}"}, "missing placeholder {page}"),
    ({"search_url": "/cari?q={query}&p={page}&x={tanggal}"}, "unknown placeholder {tanggal}"),
    ({"search_url": "/cari?q={query"}, "bad template"),
    ({"tag_urls": []}, "at least one"),
    ({"tag_urls": ["/tag/asn/"]}, "missing placeholder {page}"),
    ({"archive_url": "/indeks?d={date}", "archive_date_format": "%Y-%m"}, "does not tell days apart"),
    ({"archive_date_format": "%Y-%m-%d"}, "without archive_url"),
    ({"archive_sitemaps": ["/sitemap-{month}.xml"]}, "missing placeholder {year}"),
    ({"archive_sitemaps": "/sitemap-{year}.xml"}, "expected list"),
    ({"search_url": "ftp://x.example/{query}/{page}"}, "not an http(s) URL"),
])
def test_backfill_keys_validated(extra: dict, message: str) -> None:
    with pytest.raises(SiteConfigError) as e:
        parse_site({**BASE, **extra}, "x.toml")
    assert message in str(e.value) and "x.toml" in str(e.value)


def test_plan_and_resume_points() -> None:
    site = parse_site({**BASE, "search_url": "/?s={query}&paged={page}", "tag_urls": ["/tag/asn/page/{page}/"],
                       "archive_url": "/indeks/{page}?date={date}", "archive_date_format": "%m/%d/%Y",
                       "archive_sitemaps": ["/sitemap/{year}-{month}.xml", "/sitemap-{year}.xml"]}, "x.toml")
    units = plan_units(site.rebased("http://127.0.0.1:9/"), date(2023, 12, 30), date(2024, 1, 2), ["netralitas ASN"])
    urls = [u.url("http://127.0.0.1:9/", 2) for u in units]
    assert urls == [
        "http://127.0.0.1:9/?s=netralitas+ASN&paged=2", "http://127.0.0.1:9/tag/asn/page/2/",
        "http://127.0.0.1:9/indeks/2?date=01/02/2024", "http://127.0.0.1:9/indeks/2?date=01/01/2024",
        "http://127.0.0.1:9/indeks/2?date=12/31/2023", "http://127.0.0.1:9/indeks/2?date=12/30/2023",
        "http://127.0.0.1:9/sitemap/2024-01.xml", "http://127.0.0.1:9/sitemap/2023-12.xml",
        "http://127.0.0.1:9/sitemap-2024.xml", "http://127.0.0.1:9/sitemap-2023.xml",
    ]
    assert [u.key for u in units][-2:] == ["/sitemap-{year}.xml@2024", "/sitemap-{year}.xml@2023"]
    search = units[0]
    row = {"status": "running", "next_page": 7, "since": "2023-12-30", "until": "2024-01-02"}
    assert start_page(search, row, restart=False) == 7
    assert start_page(search, row, restart=True) == 1
    assert start_page(search, {**row, "since": "2023-01-01"}, restart=False) == 1  # another range: anew
    assert start_page(search, {**row, "status": "done"}, restart=False) is None
    assert start_page(search, {**row, "status": "done", "since": "2023-12-31"}, restart=False) == 1  # wider now


def test_listed_links_read_each_items_own_date() -> None:
    html = """<html><body><ul class="list">
      <li><a href="/read/1/a">A</a><span class="date">Senin, 15 Januari 2024 10:00 WIB</span></li>
      <li><h2><a href="/read/2/b">B</a></h2><time datetime="2023-05-31T23:30:00+07:00">kemarin</time></li>
      <li><a href="/2024/02/03/c-d-e">C</a></li>
      <li><a href="/read/4/d">D, no date</a></li></ul>
      <a href="/read/1/a">A again</a><a href="/kategori/politik">not an article</a></body></html>"""
    got = listed_links(html, "http://x.example/cari", lambda u: "/read/" in u or "/2024/" in u,
                       ZoneInfo("Asia/Jakarta"))
    assert got == [("http://x.example/read/1/a", date(2024, 1, 15)), ("http://x.example/read/2/b", date(2023, 5, 31)),
                   ("http://x.example/2024/02/03/c-d-e", date(2024, 2, 3)), ("http://x.example/read/4/d", None)]


def test_topic_queries(tmp_path: Path) -> None:
    assert "netralitas ASN" in topic_queries("netralitas-asn")
    topic = tmp_path / "t.toml"
    topic.write_text('name = "t"\n', "utf-8")
    assert topic_queries(str(topic)) == []
    topic.write_text('name = "t"\nqueries = ["ASN netral", "ASN netral", "camat"]\n', "utf-8")
    assert topic_queries(str(topic)) == ["ASN netral", "camat"]
    topic.write_text('name = "t"\nqueries = "ASN"\n', "utf-8")
    with pytest.raises(ValueError, match="queries"):
        topic_queries(str(topic))


def test_bundled_backfill_templates_are_relative_and_explained() -> None:
    from crawler.sites import load_registry

    declared = 0
    for s in load_registry().values():
        templates = [t for t in (s.search_url, s.archive_url, *s.tag_urls, *s.archive_sitemaps) if t]
        assert all(t.startswith("/") for t in templates), s.name  # a rebased config can never reach the outlet
        assert "Backfill" in s.notes, f"{s.name}: notes must say what backfill rests on"
        moved = s.rebased("http://127.0.0.1:9/")
        for unit in plan_units(moved, date(2024, 2, 13), date(2024, 2, 14), ["netralitas ASN"]):
            assert unit.url(moved.base_url, 2).startswith("http://127.0.0.1:9/"), s.name
        declared += bool(s.backfill_sources)
    assert declared >= 10


def test_kill_9_mid_backfill_then_resume(sites_dir: Path, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    db = tmp_path / "a.db"
    since, until = date(2024, 1, 1), date(2024, 3, 31)
    with BackfillSite() as srv:
        args = ["backfill", "--db", str(db), "--since", since.isoformat(), "--until", until.isoformat(),
                "--sites-dir", str(sites_dir), "--site", "rantau-index", "--base-url", f"rantau-index={srv.origin}",
                "-s", "AUTOTHROTTLE_ENABLED=False"]
        proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", *args, "-s", "WARTA_DOWNLOAD_DELAY=0.05"],
                                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(srv.fetched_articles()) < 12:
            time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed_at = len(srv.log)
        assert 12 <= len(srv.fetched_articles()) < len(expected(since, until))
        res = run_warta(*args, "-s", "WARTA_DOWNLOAD_DELAY=0")
        assert res.code == 0, res.stderr
        before, after = srv.log[:killed_at], srv.log[killed_at:]
    assert archived_ids(db) == expected(since, until)
    # The second run went on from the last page whose links were stored: at most the
    # requests in flight at the kill (concurrency 4) are asked for again.
    again = [p for p in after if p in set(before) and p != "/robots.txt"]
    assert len(again) <= 4, again
    assert [r["status"] for r in rows(db, "select status from crawl_runs order by id")] == ["interrupted", "ok"]
