"""Duplicates and syndication: URL aliases, exact copies, near copies (MinHash + LSH
clusters kept in SQLite), updates in place, the `duplicates` command and
`export --one-per-cluster`. Fixture texts: tests/dupfixtures.py."""

from __future__ import annotations

import hashlib
import html
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from archive import Archive
from archive.schema import SCHEMA_VERSION, migrations
from crawler.extract import content_hash, extract_article
from crawler.neardup import (
    DEFAULT_THRESHOLD,
    exact_jaccard,
    parse_threshold,
    signature,
    similarity,
    to_blob,
)
from crawler.sites import parse_site
from crawler.urls import canonicalize
from tests.conftest import rows, run_warta
from tests.dupfixtures import OTHER_EVENT, OWN_REPORT, RELEASE, SYNDICATED, UPDATED, VERBATIM, text
from tests.faultsite import sitemap, tiny_site


def rec(canon: str, paragraphs: list[str], published_at: str | None, site: str = "s") -> dict[str, Any]:
    body = text(paragraphs)
    return {"url": canon, "canonical_url": canon, "site": site, "title": "Judul " + canon, "text": body,
            "published_at": published_at, "content_hash": content_hash(body), "fetched_at": "2024-10-15T01:00:00+00:00"}


def by_url(a: Archive) -> dict[str, dict[str, Any]]:
    return {r["canonical_url"]: r for r in a.rows()}


# -- fingerprints ---------------------------------------------------------------------------
def test_signature_is_frozen() -> None:
    """Band hashes live in archives: the fingerprint of a text must never drift (a
    change needs a migration that recomputes them)."""
    sig, n = signature(text(RELEASE))
    assert n == 269
    assert hashlib.sha256(to_blob(sig)).hexdigest()[:16] == "041a09c824003332"


def test_estimate_follows_exact_jaccard() -> None:
    base = signature(text(RELEASE))[0]
    for other in (SYNDICATED, VERBATIM, OWN_REPORT, OTHER_EVENT, UPDATED):
        est = similarity(base, signature(text(other))[0])
        assert abs(est - exact_jaccard(text(RELEASE), text(other))) < 0.12


def test_fixture_pairs_fall_on_the_right_side_of_the_default_threshold() -> None:
    base = signature(text(RELEASE))[0]
    assert similarity(base, signature(text(SYNDICATED))[0]) >= DEFAULT_THRESHOLD + 0.15
    assert similarity(base, signature(text(OWN_REPORT))[0]) <= DEFAULT_THRESHOLD - 0.15
    assert similarity(base, signature(text(OTHER_EVENT))[0]) <= DEFAULT_THRESHOLD - 0.15


def test_threshold_setting() -> None:
    assert parse_threshold(None) == DEFAULT_THRESHOLD
    assert parse_threshold("0.55") == 0.55
    assert parse_threshold("off") is None and parse_threshold("0") is None
    for bad in ("1.5", "-0.1", "banyak"):
        with pytest.raises(ValueError, match="WARTA_NEAR_DUP_THRESHOLD"):
            parse_threshold(bad)


def test_settings_default_matches_the_module() -> None:
    from crawler import settings

    assert settings.WARTA_NEAR_DUP_THRESHOLD == DEFAULT_THRESHOLD


# -- URL identity ---------------------------------------------------------------------------
@pytest.mark.parametrize("alias", [
    "https://m.sumeks.co/read/318870/bawaslu-sumsel/amp/?utm_source=wa&page=1#top",
    "https://sumeks.co/read/318870/bawaslu-sumsel?UTM_Source=wa",
    "https://sumeks.co/read/318870/bawaslu-sumsel?amp",
    "https://sumeks.co/read/318870/bawaslu-sumsel?outputType=amp",
    "HTTPS://WWW.SUMEKS.CO:443/read/318870/bawaslu-sumsel//",
    "https://sumeks.co/read/318870/bawaslu-sumsel?fbclid=x&gclid=y&utm_term=z&page=1",
    "https://sumeks.co/read/318870/bawaslu-sumsel?halaman=1",
    "https://sumeks.co/read/318870/bawaslu-sumsel/amp/amp",
    "https://sumeks.co./read/318870/bawaslu-sumsel",
])
def test_combined_aliases_fold(alias: str) -> None:
    assert canonicalize(alias, "sumeks.co") == "https://sumeks.co/read/318870/bawaslu-sumsel"


def test_canonical_link_only_when_on_the_same_outlet() -> None:
    site = parse_site({"name": "kabarselatan", "base_url": "https://kabarselatan.id/", "start_urls": ["/"],
                       "timezone": "Asia/Jakarta"}, "t.toml")

    def page(canonical: str) -> str:
        body = "".join(f"<p>{p}</p>" for p in SYNDICATED)
        return (f'<html lang="id"><head><title>Ikrar netralitas</title><link rel="canonical" href="{canonical}">'
                f'<meta property="og:type" content="article"></head><body><article><h1>Ikrar netralitas</h1>'
                f"{body}</article></body></html>")

    url = "https://m.kabarselatan.id/read/77/ribuan-pegawai-ikrar?utm_source=wa"
    same = extract_article(page("https://www.kabarselatan.id/read/77/ribuan-pegawai-ikrar/amp"), url, site)
    assert same.canonical_url == "https://kabarselatan.id/read/77/ribuan-pegawai-ikrar"
    # A syndicated copy pointing at the original outlet keeps its own identity.
    other = extract_article(page("https://diskominfo.lembakjaya.go.id/berita/1/apel"), url, site)
    assert other.canonical_url == "https://kabarselatan.id/read/77/ribuan-pegawai-ikrar"


# -- clusters in the archive ----------------------------------------------------------------
def test_syndicated_copies_join_and_the_earliest_is_the_original(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        # Crawl order is not publication order: the copies arrive first.
        s1 = a.store_article(rec("b/77", SYNDICATED, "2024-10-14T15:00:00+07:00", site="b"))
        s2 = a.store_article(rec("c/9", VERBATIM, "2024-10-15T08:00:00+07:00", site="c"))
        s3 = a.store_article(rec("a/1", RELEASE, "2024-10-14T10:00:00+07:00", site="a"))
        s4 = a.store_article(rec("b/78", OWN_REPORT, "2024-10-14T12:00:00+07:00", site="b"))
        s5 = a.store_article(rec("a/2", OTHER_EVENT, "2024-09-12T09:00:00+07:00", site="a"))
        assert (s1.link, s2.link, s3.link, s4.link, s5.link) == (None, "near", "exact", None, None)
        got = by_url(a)
    orig = got["a/1"]
    assert orig["duplicate_of"] is None and orig["cluster_id"] == orig["id"] and orig["similarity"] is None
    assert got["b/77"]["duplicate_of"] == "a/1" and got["b/77"]["cluster_id"] == orig["id"]
    assert 0.4 < got["b/77"]["similarity"] < 0.8
    assert got["c/9"]["duplicate_of"] == "a/1" and got["c/9"]["similarity"] == 1.0
    for alone in ("b/78", "a/2"):  # another report of the apel; the official at another event
        assert got[alone]["duplicate_of"] is None and got[alone]["cluster_id"] == got[alone]["id"]


def test_threshold_off_links_exact_copies_only(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        a.store_article(rec("a/1", RELEASE, "2024-10-14T10:00:00+07:00"), near_threshold=None)
        assert a.store_article(rec("b/77", SYNDICATED, "2024-10-14T15:00:00+07:00"), near_threshold=None).link is None
        assert a.store_article(rec("c/9", VERBATIM, "2024-10-15T08:00:00+07:00"), near_threshold=None).link == "exact"
        # A strict threshold keeps the rewritten copy apart too.
        assert a.store_article(rec("d/5", SYNDICATED[:-1], "2024-10-16"), near_threshold=0.95).link is None


def test_update_in_place_is_an_update_not_a_duplicate(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        first = a.store_article(rec("a/1", RELEASE, "2024-10-14T10:00:00+07:00"))
        copy = a.store_article(rec("b/77", SYNDICATED, "2024-10-14T15:00:00+07:00"))
        again = a.store_article(rec("a/1", UPDATED, "2024-10-14T10:00:00+07:00"))
        assert (first.outcome, copy.link, again.outcome, again.link) == ("new", "near", "updated", None)
        assert again.id == first.id
        got = by_url(a)
        assert len(got) == 2 and a.counts()["duplicates"] == 1
        assert got["a/1"]["duplicate_of"] is None and got["a/1"]["text"] == text(UPDATED)
        assert got["b/77"]["duplicate_of"] == "a/1"
        # The original rewritten into another story leaves the cluster; the copy stays,
        # now the original of its own cluster.
        a.store_article(rec("a/1", OTHER_EVENT, "2024-10-14T10:00:00+07:00"))
        got = by_url(a)
        assert got["a/1"]["duplicate_of"] is None and got["a/1"]["cluster_id"] == got["a/1"]["id"]
        assert got["b/77"]["duplicate_of"] is None and got["b/77"]["cluster_id"] == got["b/77"]["id"]
        # Unchanged re-fetch: nothing moves.
        assert a.store_article(rec("a/1", OTHER_EVENT, "2024-10-14T10:00:00+07:00")).outcome == "unchanged"
        assert a.db.conn.execute("select count(*) from near_bands where article_id = ?", (first.id,)).fetchone()[0] > 0


def test_two_writers_side_by_side_agree_on_one_original(tmp_path: Path) -> None:
    """Site crawlers each hold their own connection; copies stored concurrently must
    end up in one cluster with the earliest-published copy as the original."""
    db = tmp_path / "a.db"
    Archive(db).open().close()
    variants = [RELEASE, SYNDICATED, VERBATIM, UPDATED]
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            with Archive(db) as a:
                for i in range(12):
                    # Each writer goes back in time: the earliest copy is stored last.
                    a.store_article(rec(f"w{w}/{i}", variants[(i + w) % 4],
                                        f"2024-10-{30 - i:02d}T{9 + w:02d}:00:00+07:00", site=f"s{w}"))
        except BaseException as e:  # noqa: BLE001 - reported by the assert below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with Archive(db, readonly=True) as a:
        got = list(a.rows())
    assert len(got) == 36 and len({r["cluster_id"] for r in got}) == 1
    originals = [r for r in got if r["duplicate_of"] is None]
    assert [r["canonical_url"] for r in originals] == ["w0/11"]
    assert all(r["duplicate_of"] == "w0/11" and r["cluster_id"] == originals[0]["id"]
               for r in got if r is not originals[0])


def test_migration_clusters_an_existing_archive(tmp_path: Path) -> None:
    db_path = tmp_path / "old.db"
    db = Database(db_path)
    migrations.apply(db, stop_before="m005_near_duplicates")
    for i, (canon, paras, when) in enumerate([("a/1", RELEASE, "2024-10-14T10:00:00+07:00"),
                                              ("b/77", SYNDICATED, "2024-10-14T15:00:00+07:00"),
                                              ("b/78", OWN_REPORT, "2024-10-14T12:00:00+07:00")]):
        db["articles"].insert({"id": i + 1, "url": canon, "canonical_url": canon, "site": "s", "text": text(paras),
                               "published_at": when, "content_hash": content_hash(text(paras))})
    db.conn.close()
    with Archive(db_path) as a:
        got = by_url(a)
    assert got["b/77"]["duplicate_of"] == "a/1" and got["b/78"]["duplicate_of"] is None
    assert rows(db_path, "select value from warta_meta where key = 'schema_version'")[0]["value"] == str(SCHEMA_VERSION)
    assert rows(db_path, "select count(*) n from near_signatures")[0]["n"] == 3


def test_duplicates_command_on_an_archive_from_before_clusters(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="m005_near_duplicates")
    db.conn.close()
    res = run_warta("duplicates", "--db", str(tmp_path / "old.db"))
    assert res.code == 1 and "no duplicate clusters yet" in res.stderr and "Traceback" not in res.stderr


def test_memory_free_lookup_reads_only_own_bands(tmp_path: Path) -> None:
    """The candidate query uses the band index, never a scan of the band table."""
    with Archive(tmp_path / "a.db") as a:
        a.store_article(rec("a/1", RELEASE, "2024-10-14"))
        plan = " ".join(str(r[3]) for r in a.db.conn.execute(
            "EXPLAIN QUERY PLAN SELECT DISTINCT article_id FROM near_bands WHERE band IN (1, 2) AND article_id != 3"))
    assert "SEARCH near_bands USING PRIMARY KEY (band=?)" in plan and "SCAN near_bands" not in plan


# -- a real crawl of three outlets on loopback ----------------------------------------------
def _page(title: str, paragraphs: list[str], published: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{published}"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


OUTLETS: dict[str, dict[str, tuple[str, list[str], str]]] = {
    "diskominfo-lj": {
        "/berita/1/apel-netralitas-asn": ("Pj Bupati pimpin apel netralitas ASN", RELEASE, "2024-10-14T10:00:00+07:00"),
        "/berita/2/rakor-kepala-desa": ("Kepala desa diminta tidak memihak", OTHER_EVENT, "2024-09-12T09:00:00+07:00"),
    },
    "kabarselatan": {
        "/read/77/ribuan-pegawai-ikrar": ("Ribuan pegawai ikrar netralitas", SYNDICATED, "2024-10-14T15:00:00+07:00"),
        "/read/78/halaman-kantor-bupati": ("Pagi di halaman kantor bupati", OWN_REPORT, "2024-10-14T12:00:00+07:00"),
    },
    "warta-lj": {
        "/2024/10/15/apel-asn": ("APEL ASN LEMBAK JAYA", VERBATIM, "2024-10-15T08:00:00+07:00"),
    },
}
ALIASES = {"kabarselatan": ["/read/77/ribuan-pegawai-ikrar?utm_source=wa&fbclid=abc",
                            "/read/77/ribuan-pegawai-ikrar/amp"]}


@contextmanager
def three_outlets(tmp_path: Path, state: dict[str, bool]) -> Iterator[list[str]]:
    sites = tmp_path / "sites"
    sites.mkdir(exist_ok=True)
    args: list[str] = ["--sites-dir", str(sites)]
    with ExitStack() as stack:
        for name, pages in OUTLETS.items():
            def route(path: str, origin: str, pages: dict = pages, name: str = name) -> tuple[int, str, bytes]:
                if path == "/sitemap.xml":
                    locs = [*pages, *(html.escape(a) for a in ALIASES.get(name, []))]
                    return 200, "application/xml", sitemap(origin, locs)
                clean = path.split("?")[0].removesuffix("/amp")
                if clean not in pages:
                    return 404, "text/plain", b"tidak ada"
                title, paras, when = pages[clean]
                if state.get("updated") and clean == "/berita/1/apel-netralitas-asn":
                    paras = UPDATED
                return 200, "text/html; charset=utf-8", _page(title, paras, when)

            origin = stack.enter_context(tiny_site(route))
            (sites / f"{name}.toml").write_text(f'name = "{name}"\nbase_url = "http://{name}.invalid/"\n'
                                                'start_urls = ["/sitemap.xml"]\ntimezone = "Asia/Jakarta"\n')
            args += ["--site", name, "--base-url", f"{name}={origin}"]
        yield args


def test_crawl_links_syndicated_copies_and_keeps_other_reports_apart(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    state = {"updated": False}
    common = ["-s", "WARTA_DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "WARTA_RECHECK_DAYS=100000"]
    with three_outlets(tmp_path, state) as args:
        # Extraction workers: the signatures are computed in the worker processes too.
        res = run_warta("crawl", "--db", str(db), *args, *common, "--workers", "2")
        assert res.code == 0, res.stderr
        got = {r["canonical_url"].split("/", 3)[3]: r for r in rows(db, "select * from articles")}
        assert len(got) == 5, list(got)  # the two aliases made no article
        orig = got["berita/1/apel-netralitas-asn"]
        assert orig["duplicate_of"] is None and orig["cluster_id"] == orig["id"]
        for copy in ("read/77/ribuan-pegawai-ikrar", "2024/10/15/apel-asn"):
            assert got[copy]["duplicate_of"] == orig["canonical_url"] and got[copy]["cluster_id"] == orig["id"]
        assert got["2024/10/15/apel-asn"]["similarity"] == 1.0
        assert 0.4 < got["read/77/ribuan-pegawai-ikrar"]["similarity"] < 0.8
        for alone in ("read/78/halaman-kantor-bupati", "berita/2/rakor-kepala-desa"):
            assert got[alone]["duplicate_of"] is None and got[alone]["cluster_id"] == got[alone]["id"]
        copy_id = got["read/77/ribuan-pegawai-ikrar"]["id"]
        aliases = rows(db, "select url from article_urls where article_id = ?", (copy_id,))
        assert {a["url"].split("/", 3)[3] for a in aliases} == {p.lstrip("/") for p in ALIASES["kabarselatan"]}
        stats = json.loads(rows(db, "select stats from crawl_runs")[0]["stats"])["sites"]
        # Two articles joined an existing cluster; which of them was exact or near
        # depends on which crawler stored first.
        assert sum(s.get("dedup/near", 0) + s.get("dedup/content", 0) for s in stats.values()) == 2
        assert sum(s.get("dedup/near", 0) for s in stats.values()) >= 1

        # The outlet corrects its release in place: an update, still the original.
        state["updated"] = True
        res = run_warta("crawl", "--db", str(db), *args, *common)
        assert res.code == 0, res.stderr
    stats = json.loads(rows(db, "select stats from crawl_runs order by id desc limit 1")[0]["stats"])["sites"]
    assert stats["diskominfo-lj"].get("archive/updated") == 1 and stats["diskominfo-lj"].get("archive/new", 0) == 0
    got2 = {r["canonical_url"].split("/", 3)[3]: r for r in rows(db, "select * from articles")}
    assert len(got2) == 5 and got2["berita/1/apel-netralitas-asn"]["id"] == orig["id"]
    assert "1.250 pegawai" in got2["berita/1/apel-netralitas-asn"]["text"]
    assert got2["berita/1/apel-netralitas-asn"]["duplicate_of"] is None
    assert got2["2024/10/15/apel-asn"]["duplicate_of"] == orig["canonical_url"]
    assert 0.8 < got2["2024/10/15/apel-asn"]["similarity"] < 1.0  # no longer the same text

    res = run_warta("duplicates", "--db", str(db))
    assert res.code == 0, res.stderr
    assert res.stdout.count("cluster ") == 1 and "3 articles on 3 site(s)" in res.stdout
    assert "original" in res.stdout and "near" in res.stdout and "kabarselatan" in res.stdout
    res = run_warta("duplicates", "--db", str(db), "--site", "warta-lj", "--json")
    (cluster,) = [json.loads(x) for x in res.stdout.splitlines()]
    assert cluster["sites"] == ["diskominfo-lj", "kabarselatan", "warta-lj"] and cluster["size"] == 3
    assert cluster["members"][0]["kind"] == "original" and cluster["first_published_at"].startswith("2024-10-14T10")
    res = run_warta("duplicates", "--db", str(db), "--site", "nowhere", "--json")
    assert res.code == 0 and res.stdout == ""

    res = run_warta("export", "--db", str(db), "--one-per-cluster")
    assert res.code == 0, res.stderr
    exported = [json.loads(x) for x in res.stdout.splitlines()]
    assert sorted(e["canonical_url"].split("/", 3)[3] for e in exported) == [
        "berita/1/apel-netralitas-asn", "berita/2/rakor-kepala-desa", "read/78/halaman-kantor-bupati"]
    everything = [json.loads(x) for x in run_warta("export", "--db", str(db)).stdout.splitlines()]
    assert len(everything) == 5 and {e["cluster_id"] for e in everything} >= {orig["id"]}


def test_bad_threshold_is_a_config_error(tmp_path: Path) -> None:
    res = run_warta("crawl", "--db", str(tmp_path / "a.db"), "--site", "sumeks", "-s",
                    "WARTA_NEAR_DUP_THRESHOLD=sedikit")
    assert res.code == 2 and "WARTA_NEAR_DUP_THRESHOLD" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "a.db").exists()


def test_duplicates_on_a_missing_archive(tmp_path: Path) -> None:
    res = run_warta("duplicates", "--db", str(tmp_path / "none.db"))
    assert res.code == 1 and "does not exist" in res.stderr and "Traceback" not in res.stderr


def test_reader_sees_whole_cluster_or_none(tmp_path: Path) -> None:
    """The copy and its cluster link are written in one transaction."""
    db = tmp_path / "a.db"
    with Archive(db) as w:
        w.store_article(rec("a/1", RELEASE, "2024-10-14T10:00:00+07:00"))
        reader = sqlite3.connect(db)
        seen: list[tuple[int, int]] = []

        def look(sql: str) -> None:
            seen.append(reader.execute("select count(*), count(duplicate_of) from articles").fetchone())

        w.db.conn.set_trace_callback(look)
        try:
            w.store_article(rec("b/77", SYNDICATED, "2024-10-14T15:00:00+07:00"))
        finally:
            w.db.conn.set_trace_callback(None)
        reader.close()
    assert set(seen) == {(1, 0)}, seen
    with Archive(db, readonly=True) as a:
        assert a.counts()["duplicates"] == 1
