"""Keep everything, with provenance: raw captures behind every article, versions when a
re-crawl or a re-extraction changes one, `warta history`, `warta reextract`, `warta check`.
Real crawls through the CLI against loopback servers, into real SQLite files."""

from __future__ import annotations

import hashlib
import sqlite3
import urllib.request
from pathlib import Path

import pytest

from archive import Archive
from archive.schema import SCHEMA_VERSION
from crawler.mirror_server import MirrorServer
from tests.conftest import rows, run_warta
from tests.faultsite import article_html, sitemap, tiny_site
from tests.test_e2e_mirror import _raise_rice_price, _sumeks_args, _sumeks_copy

RICE_LIKE = "%/312004/%"


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - loopback mirror only
        return bytes(resp.read())


@pytest.fixture(scope="module")
def sumeks_twice(tmp_path_factory: pytest.TempPathFactory):
    """Crawl a private sumeks copy, edit one article and delete another, crawl again
    (re-checking everything). Returns the archive, the copy, the served bytes of every
    article URL before the edit, and the second crawl's `warta` result."""
    tmp = tmp_path_factory.mktemp("captures")
    root = _sumeks_copy(tmp)
    db = tmp / "a.db"
    with MirrorServer(root) as srv:
        args = _sumeks_args(db, srv.origins["sumeks"], "-s", "WARTA_RECHECK_DAYS=100000")
        first = run_warta(*args)
        assert first.code == 0, first.stderr
        served = {r["url"]: _fetch(r["url"]) for r in rows(db, "select url from captures")}
        _raise_rice_price(root)
        (root / "sumeks" / "read" / "314177" / "sriwijaya-fc-tahan-imbang-tamu-wasit-dinilai-netral.html").unlink()
        second = run_warta(*args)
        assert second.code == 0, second.stderr
        served_after = _fetch(rows(db, "select url from articles where canonical_url like ?", (RICE_LIKE,))[0]["url"])
    return db, root, served, served_after


def test_every_article_links_to_its_capture_and_run(sumeks_twice) -> None:
    db, _, served, _ = sumeks_twice
    arts = rows(db, "select a.id, a.run_id, a.capture_id, c.article_id, c.run_id as cap_run, c.status "
                    "from articles a join captures c on c.id = a.capture_id")
    assert len(arts) == 6 == len(rows(db, "select id from articles"))
    for a in arts:
        assert a["article_id"] == a["id"] and a["cap_run"] == a["run_id"] and a["status"] == 200
        assert rows(db, "select id from crawl_runs where id = ?", (a["run_id"],))
    # Stored compressed; the first crawl's six pages, all of them.
    first = rows(db, "select url, body, body_size, body_encoding from captures where run_id = 1")
    assert len(first) == 6 and len(served) == 6
    assert all(len(c["body"]) < 0.6 * c["body_size"] for c in first)
    assert {c["body_encoding"] for c in first} <= {"zlib", "zlib+dict"}


def test_captures_decompress_to_the_served_bytes(sumeks_twice) -> None:
    db, _, served, _ = sumeks_twice
    with Archive(db, readonly=True) as archive:
        for cap in rows(db, "select id, url, body_sha256, body_size from captures where run_id = 1"):
            (page,) = archive.capture_pages(cap["id"])
            assert page["body"] == served[cap["url"]], cap["url"]
            assert hashlib.sha256(page["body"]).hexdigest() == cap["body_sha256"]
            assert page["status"] == 200 and page["headers"]["Content-Type"].startswith("text/html")


def test_recrawl_keeps_every_response(sumeks_twice) -> None:
    """Second crawl: one edited page (200, new version), four 304s, one 404: all kept."""
    db, _, _, served_after = sumeks_twice
    second = rows(db, "select c.status, a.canonical_url from captures c join articles a on a.id = c.article_id "
                      "where c.run_id = 2")
    assert sorted(c["status"] for c in second) == [200, 304, 304, 304, 304, 404]
    assert next(c for c in second if c["status"] == 404)["canonical_url"].count("/314177/") == 1
    (rice,) = rows(db, "select id, capture_id from articles where canonical_url like ?", (RICE_LIKE,))
    with Archive(db, readonly=True) as archive:
        assert archive.capture_pages(rice["capture_id"])[0]["body"] == served_after


def test_edited_page_gives_two_versions(sumeks_twice) -> None:
    db, _, _, _ = sumeks_twice
    (art,) = rows(db, "select * from articles where canonical_url like ?", (RICE_LIKE,))
    (old,) = rows(db, "select * from article_versions where article_id = ?", (art["id"],))
    assert art["version"] == 2 and old["version"] == 1
    assert "Rp1.500 per kilogram dalam sepekan" in art["text"]
    assert "Rp1.000 per kilogram dalam sepekan" in old["text"]
    assert old["run_id"] == 1 and art["run_id"] == 2 and old["capture_id"] != art["capture_id"]
    assert old["content_hash"] != art["content_hash"] and old["superseded_at"]
    # Each version's capture holds the page it was extracted from.
    with Archive(db, readonly=True) as archive:
        assert "Rp1.000 per kilogram dalam" in archive.capture_pages(old["capture_id"])[0]["body"].decode()
        assert "Rp1.500 per kilogram dalam" in archive.capture_pages(art["capture_id"])[0]["body"].decode()
    # Unchanged articles stay at version 1; nothing was overwritten elsewhere.
    assert rows(db, "select count(*) n from article_versions")[0]["n"] == 1
    assert rows(db, "select count(*) n from articles where version = 1")[0]["n"] == 5


def test_history_shows_the_diff(sumeks_twice) -> None:
    db, _, _, _ = sumeks_twice
    (art,) = rows(db, "select canonical_url, url from articles where canonical_url like ?", (RICE_LIKE,))
    res = run_warta("history", art["url"], "--db", str(db))
    assert res.code == 0, res.stderr
    out = res.stdout.splitlines()
    assert "2 version(s)" in out[0] and out[1].startswith("fetched 2 time(s) (200 x2)")
    assert any(line.startswith("version 1:") and "run 1 (crawl)" in line for line in out)
    assert any(line.startswith("version 2:") and line.endswith("(current)") for line in out)
    assert "--- version 1" in out and "+++ version 2" in out
    assert any(line.startswith("-") and "Rp1.000 per kilogram" in line for line in out)
    assert any(line.startswith("+") and "Rp1.500 per kilogram" in line for line in out)
    missing = run_warta("history", "https://sumeks.co/read/1/tidak-ada", "--db", str(db))
    assert missing.code == 1 and "no article" in missing.stderr and "Traceback" not in missing.stderr


def test_gone_article_keeps_its_versions_and_capture(sumeks_twice) -> None:
    db, _, _, _ = sumeks_twice
    (gone,) = rows(db, "select id, gone_at, version, capture_id from articles where gone_at is not null")
    assert gone["version"] == 1 and gone["capture_id"]
    statuses = [c["status"] for c in rows(db, "select status from captures where article_id = ? order by id",
                                          (gone["id"],))]
    assert statuses == [200, 404]
    hist = run_warta("history", rows(db, "select canonical_url from articles where id = ?", (gone["id"],))[0]
                     ["canonical_url"], "--db", str(db))
    assert "removed by the outlet (404/410) since" in hist.stdout and "(200 x1, 404 x1)" in hist.stdout


def test_check_passes_on_a_crawled_archive(sumeks_twice) -> None:
    db, _, _, _ = sumeks_twice
    res = run_warta("check", "--db", str(db), "--deep")
    assert res.code == 0, res.stdout + res.stderr
    assert "problem" not in res.stdout
    assert "articles=6 article_versions=1 captures=12" in res.stdout


@pytest.mark.parametrize("corruption, expected", [
    ("insert into articles_fts(articles_fts, rowid, title, text) select 'delete', id, title, text "
     "from articles where canonical_url like '%/312004/%'", "fts: articles_fts indexes 5 rows, articles has 6"),
    ("update articles_fts_data set block = zeroblob(length(block)) where id = (select max(id) from "
     "articles_fts_data)", "fts: articles_fts does not match the articles rows"),
    ("insert into captures (article_id, url, status, body, body_encoding, dict_id, body_size, body_sha256) "
     "select 999, url, status, body, body_encoding, dict_id, body_size, body_sha256 from captures where id = 1",
     "1 orphan capture(s): their article does not exist"),
    ("insert into article_urls (url, article_id, first_seen_at) values ('http://x/?utm_source=a', 999, '2024')",
     "1 alias row(s) in article_urls point to no article"),
    ("update articles set capture_id = null where canonical_url like '%/312004/%'",
     "1 article(s) fetched since captures began have no capture"),
    ("update captures set body = substr(body, 1, 20) where id = 1", "capture 1: body cannot be decompressed"),
])
def test_check_fails_on_a_corrupted_archive(sumeks_twice, tmp_path: Path, corruption: str, expected: str) -> None:
    src, _, _, _ = sumeks_twice
    db = tmp_path / "corrupt.db"
    with sqlite3.connect(src) as s, sqlite3.connect(db) as d:
        s.backup(d)
    con = sqlite3.connect(db)  # foreign keys off, as any SQLite tool would have them
    con.execute(corruption)
    con.commit()
    con.close()
    res = run_warta("check", "--db", str(db), "--deep")
    assert res.code == 1, res.stdout
    problems = [line for line in res.stdout.splitlines() if line.startswith("problem: ")]
    assert len(problems) == 1 and problems[0].startswith(f"problem: {expected}"), res.stdout
    assert "Traceback" not in res.stderr


def test_reextract_versions_only_what_the_new_extractor_changes(sumeks_twice, tmp_path: Path) -> None:
    src, _, _, _ = sumeks_twice
    db = tmp_path / "re.db"
    with sqlite3.connect(src) as s, sqlite3.connect(db) as d:
        s.backup(d)
    before = {r["id"]: r for r in rows(db, "select * from articles")}
    # The same extractor over the same captures changes nothing.
    res = run_warta("reextract", "--db", str(db), "--workers", "2")
    assert res.code == 0, res.stderr
    assert "6 articles re-extracted, 0 changed (new version), 6 unchanged" in res.stdout
    assert {r["id"]: r for r in rows(db, "select * from articles")} == before
    # A changed extractor (here: the outlet's config drops one paragraph that only the
    # rice article has) changes that article alone.
    sites = tmp_path / "sites"
    sites.mkdir()
    bundled = (Path(__file__).resolve().parent.parent / "crawler" / "sites" / "sumeks.toml").read_text("utf-8")
    (sites / "sumeks.toml").write_text(bundled.replace(
        'drop_selectors = [', 'drop_selectors = ["p:contains(\'Harga cabai rawit\')", '), "utf-8")
    res = run_warta("reextract", "--db", str(db), "--sites-dir", str(sites), "--site", "sumeks")
    assert res.code == 0, res.stderr
    assert "6 articles re-extracted, 1 changed (new version), 5 unchanged" in res.stdout
    after = {r["id"]: r for r in rows(db, "select * from articles")}
    (changed,) = [i for i in after if after[i] != before[i]]
    art = after[changed]
    assert "/312004/" in art["canonical_url"] and art["version"] == 3
    assert "Harga cabai rawit" in before[changed]["text"] and "Harga cabai rawit" not in art["text"]
    run = rows(db, "select id, args, status from crawl_runs order by id desc limit 1")[0]
    assert art["run_id"] == run["id"] and '"reextract"' in run["args"] and run["status"] == "ok"
    assert art["capture_id"] == before[changed]["capture_id"]  # the same capture, read again
    (v2,) = rows(db, "select text, run_id from article_versions where article_id = ? and version = 2", (changed,))
    assert v2["text"] == before[changed]["text"] and v2["run_id"] == 2
    hist = run_warta("history", art["canonical_url"], "--db", str(db))
    assert "(reextract)" in hist.stdout and any(
        line.startswith("-") and "Harga cabai rawit" in line for line in hist.stdout.splitlines())
    assert run_warta("check", "--db", str(db)).code == 0


def test_multi_page_article_has_a_capture_per_page(tmp_path: Path) -> None:
    pages: dict[str, bytes] = {}

    def route(path: str, origin: str) -> tuple[int, str, bytes]:
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\n"
        if path == "/sitemap.xml":
            return 200, "application/xml", sitemap(origin, ["/berita/1/artikel-bersambung", "/berita/2/artikel-biasa"])
        if path == "/berita/1/artikel-bersambung":
            body = article_html(1, "Artikel bersambung", extra='<a href="/berita/1/artikel-bersambung?page=2">'
                                                              "Halaman selanjutnya</a>").encode()
        elif path == "/berita/1/artikel-bersambung?page=2":
            body = article_html(1, "Artikel bersambung", extra="<p>Halaman kedua: camat dipanggil Bawaslu untuk "
                                                              "klarifikasi pada Senin pekan depan.</p>").encode()
        elif path == "/berita/2/artikel-biasa":
            body = article_html(2, "Artikel biasa").encode()
        else:
            return 404, "text/html", b"not found"
        pages[path] = body
        return 200, "text/html; charset=utf-8", body

    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "paged.toml").write_text('name = "paged"\nbase_url = "http://paged.invalid/"\n'
                                      'start_urls = ["/sitemap.xml"]\ntimezone = "Asia/Jakarta"\n')
    db = tmp_path / "a.db"
    with tiny_site(route) as origin:
        res = run_warta("crawl", "--db", str(db), "--sites-dir", str(sites), "--site", "paged",
                        "--base-url", f"paged={origin}", "-s", "WARTA_DOWNLOAD_DELAY=0",
                        "-s", "AUTOTHROTTLE_ENABLED=False")
    assert res.code == 0, res.stderr
    (art,) = rows(db, "select id, capture_id, text from articles where canonical_url like '%/berita/1/%'")
    assert "Halaman kedua" in art["text"]
    caps = rows(db, "select id, page, first_page_id, url from captures where article_id = ? order by page",
                (art["id"],))
    assert [c["page"] for c in caps] == [1, 2] and caps[0]["id"] == art["capture_id"]
    assert caps[1]["first_page_id"] == caps[0]["id"] and caps[1]["url"].endswith("?page=2")
    with Archive(db, readonly=True) as archive:
        got = [p["body"] for p in archive.capture_pages(art["capture_id"])]
    assert got == [pages["/berita/1/artikel-bersambung"], pages["/berita/1/artikel-bersambung?page=2"]]
    # Re-extraction reads both pages again: nothing changes.
    res = run_warta("reextract", "--db", str(db), "--sites-dir", str(sites), "--workers", "0")
    assert res.code == 0 and "2 articles re-extracted, 0 changed" in res.stdout, res.stdout + res.stderr


def test_reextract_and_check_errors_are_one_line(tmp_path: Path) -> None:
    for cmd in (["reextract"], ["check"], ["history", "http://x/"]):
        res = run_warta(*cmd, "--db", str(tmp_path / "missing.db"))
        assert res.code == 1 and "does not exist" in res.stderr and "Traceback" not in res.stderr
    notdb = tmp_path / "notes.txt"
    notdb.write_text("not an archive")
    res = run_warta("check", "--db", str(notdb))
    assert res.code == 1 and "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1



def test_export_warc_round_trips_the_captures(sumeks_twice, tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    db, _, served, _ = sumeks_twice
    out = tmp_path / "sumeks.warc.gz"
    res = run_warta("export-warc", "--db", str(db), "--site", "sumeks", "--out", str(out))
    assert res.code == 0 and "12 records written" in res.stderr, res.stderr
    records = []
    with open(out, "rb") as fh:
        for rec in ArchiveIterator(fh, check_digests="raise"):
            if rec.rec_type == "response":
                records.append((rec.rec_headers.get_header("WARC-Target-URI"), rec.http_headers.get_statuscode(),
                                rec.rec_headers.get_header("WARC-Warta-Run-Id"), rec.content_stream().read()))
    assert len(records) == 12
    assert sorted(r[1] for r in records) == ["200"] * 7 + ["304"] * 4 + ["404"]
    for url, status, run, body in records:
        if run == "1":
            assert status == "200" and body == served[url]
    res = run_warta("export-warc", "--db", str(db), "--run", "2", "--out", str(tmp_path / "run2.warc.gz"))
    assert res.code == 0 and "6 records written" in res.stderr


def test_schema_reference_names_every_column(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "schema.md").read_text("utf-8")
    with Archive(tmp_path / "fresh.db") as archive:
        for table in ("articles", "captures", "article_versions", "article_urls", "crawl_runs", "url_state"):
            assert f"`{table}`" in doc
            missing = [c.name for c in archive.db[table].columns if f"`{c.name}`" not in doc]
            assert not missing, (table, missing)


def test_whole_mirror_crawl_has_a_capture_per_article_and_checks_clean(crawled_mirror) -> None:
    db, res = crawled_mirror
    assert res.code == 0, res.stderr
    assert rows(db, "select count(*) n from articles a join captures c on c.id = a.capture_id "
                    "and c.article_id = a.id")[0]["n"] == 17
    check = run_warta("check", "--db", str(db), "--deep")
    assert check.code == 0 and "problem" not in check.stdout, check.stdout
    # Every outlet's pages after its first are stored primed with an earlier page of the same outlet.
    primed = rows(db, "select a.site, c.dict_id, d.article_id as dict_article from captures c "
                      "join articles a on a.id = c.article_id join captures d on d.id = c.dict_id")
    assert primed and all(rows(db, "select site from articles where id = ?", (p["dict_article"],))[0]["site"]
                          == p["site"] for p in primed)


def test_archive_from_schema_3_migrates_and_keeps_its_old_text_as_version_1(tmp_path: Path) -> None:
    """An archive written before captures existed: m004 adds them; the article stored
    then becomes version 1 (without a capture) when a crawl finds it changed."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from archive.schema import m001_initial, m002_url_state, m003_gone_at

    db = tmp_path / "v3.db"
    old = Migrations("warta")
    for fn in (m001_initial, m002_url_state, m003_gone_at):
        old(name=fn.__name__)(fn)
    root = _sumeks_copy(tmp_path)
    with MirrorServer(root) as srv:
        origin = srv.origins["sumeks"]
        v3 = Database(db)
        old.apply(v3)
        v3["crawl_runs"].insert({"id": 1, "started_at": "2024-03-01T00:00:00+00:00", "status": "ok"})
        v3["articles"].insert({"url": f"{origin}/read/312004/x", "site": "sumeks", "run_id": 1,
                               "canonical_url": f"{origin}/read/312004/"
                                                "harga-beras-premium-di-pasar-cinde-naik-rp1000-per-kilogram",
                               "title": "Judul lama", "text": "Teks lama yang sudah diarsipkan sebelum capture.",
                               "fetched_at": "2024-03-01T00:00:00+00:00"})
        v3.conn.close()
        assert run_warta("check", "--db", str(db)).code == 0  # read-only: still schema 3
        res = run_warta(*_sumeks_args(db, origin))
        assert res.code == 0, res.stderr
    # m004 and every later migration ran: the archive is at the current version.
    assert rows(db, "select value from warta_meta where key = 'schema_version'")[0]["value"] == str(SCHEMA_VERSION)
    (art,) = rows(db, "select id, version, capture_id, text from articles where canonical_url like ?", (RICE_LIKE,))
    (v1,) = rows(db, "select version, text, capture_id, run_id from article_versions where article_id = ?",
                 (art["id"],))
    assert art["version"] == 2 and art["capture_id"] and "Rp1.000" in art["text"]
    assert v1 == {"version": 1, "text": "Teks lama yang sudah diarsipkan sebelum capture.", "capture_id": None,
                  "run_id": 1}
    assert rows(db, "select count(*) n from articles")[0]["n"] == 6
    res = run_warta("check", "--db", str(db), "--deep")
    assert res.code == 0 and "articles=6 article_versions=1" in res.stdout, res.stdout
