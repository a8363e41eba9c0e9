"""The archive layer on real SQLite files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive import Archive, ArchiveError
from archive.export import EXPORT_FIELDS, export_csv, export_jsonl
from crawler.items import Article


def rec(canon: str, **kw: object) -> dict[str, Any]:
    base: dict[str, Any] = {
        "url": canon, "canonical_url": canon, "site": "s", "title": "Judul", "text": "ASN diminta netral.",
        "authors": ["Andi"], "tags": ["pemilu"], "published_at": "2024-07-19T07:00:00+07:00",
        "relevance_label": "relevant", "content_hash": "h-" + canon, "fetched_at": "2024-07-19T01:00:00+00:00"}
    base.update(kw)
    return base


def test_migrations_create_schema_and_are_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db):
        pass
    with Archive(db):
        pass
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    assert {"articles", "article_urls", "crawl_runs", "articles_fts", "warta_meta", "_sqlite_migrations",
            "url_state"} <= tables
    from archive.schema import SCHEMA_VERSION, migrations

    assert con.execute("select count(*) from _sqlite_migrations").fetchone()[0] == len(migrations._migrations)
    assert con.execute("select value from warta_meta where key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_upsert_outcomes_and_first_seen(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        i, o = a.upsert_article(rec("u1"))
        assert o == "new"
        first = a.find_by_url("u1")
        assert first is not None
        assert a.upsert_article(rec("u1"))[1] == "unchanged"
        j, o = a.upsert_article(rec("u1", text="ASN diminta netral. Paragraf baru."))
        assert (j, o) == (i, "updated")
        after = a.find_by_url("u1")
        assert after is not None
        assert after["first_seen_at"] == first["first_seen_at"] and "Paragraf baru" in after["text"]
        assert a.counts()["articles"] == 1


def test_aliases(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        art_id, _ = a.upsert_article(rec("u1"), alias_url="u1?utm_source=wa")
        assert a.upsert_article(rec("u1"), alias_url="u1/amp")[1] == "unchanged"
        assert a.aliases(art_id) == ["u1/amp", "u1?utm_source=wa"]
        found = a.find_by_url("u1/amp")
        assert found is not None and found["id"] == art_id


def test_duplicates_point_at_the_earliest(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        a.upsert_article(rec("late", content_hash="H", published_at="2024-10-14T15:30:00+08:00"))
        a.upsert_article(rec("early", content_hash="H", published_at="2024-10-14T09:00:00+07:00"))
        a.relink_duplicates("H")
        got = {r.canonical_url: r.duplicate_of for r in a.articles()}
        assert got == {"late": "early", "early": None}


def test_earliest_copy_is_compared_in_utc(tmp_path: Path) -> None:
    # 08:00 WIB is 01:00 UTC, earlier than 07:30 UTC although it sorts later as text.
    with Archive(tmp_path / "a.db") as a:
        a.upsert_article(rec("utc", content_hash="H", published_at="2024-10-14T07:30:00+00:00"))
        a.upsert_article(rec("wib", content_hash="H", published_at="2024-10-14T08:00:00+07:00"))
        a.upsert_article(rec("undated", content_hash="H", published_at=None))
        a.relink_duplicates("H")
        got = {r.canonical_url: r.duplicate_of for r in a.articles()}
        assert got == {"utc": "wib", "wib": None, "undated": "wib"}
        assert a.counts()["duplicates"] == 2


def test_filters(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        run = a.start_run(sites=["s"], args={})
        a.upsert_article(rec("a", site="s1", published_at="2023-12-01T10:00:00+07:00", run_id=run))
        a.upsert_article(rec("b", site="s2", published_at="2024-02-14T10:00:00+07:00", relevance_label="borderline"))
        a.upsert_article(rec("c", site="s1", published_at="2024-11-27"))
        assert [r.canonical_url for r in a.articles(site="s1")] == ["a", "c"]
        assert [r.canonical_url for r in a.articles(since="2024-01-01")] == ["b", "c"]
        assert [r.canonical_url for r in a.articles(until="2024-02-14")] == ["a", "b"]
        assert [r.canonical_url for r in a.articles(relevant_only=True)] == ["a", "c"]
        assert [r.canonical_url for r in a.articles(run_id=run)] == ["a"]
        assert a.articles(site="s1").__next__().authors == ("Andi",)


def test_fts_search_and_sync(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        a.upsert_article(rec("a", title="Apel netralitas ASN", text="Ratusan pegawai ikut apel."))
        a.upsert_article(rec("b", title="Harga beras", text="Harga beras naik di pasar."))
        hits = a.search("netralitas")
        assert [h["canonical_url"] if "canonical_url" in h else h["url"] for h in hits] == ["a"]
        a.upsert_article(rec("b", title="Harga beras", text="Pedagang bicara netralitas pasar."))
        assert {h["url"] for h in a.search("netralitas")} == {"a", "b"}
        # The update trigger must also drop the old text from the index.
        assert a.search("naik") == []
        assert "[Pedagang]" in a.search("pedagang")[0]["snippet"]
        with pytest.raises(ArchiveError):
            a.search('"unbalanced')


def test_exports_round_trip(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        a.upsert_article(rec("a", text="Baris satu.\nBaris dua, dengan \"kutip\"."))
        out = io.StringIO()
        assert export_jsonl(a, out) == 1
        row = json.loads(out.getvalue())
        assert list(row) == list(EXPORT_FIELDS) and row["authors"] == ["Andi"]
        assert row["text"] == 'Baris satu.\nBaris dua, dengan "kutip".' and row["first_seen_at"]
        out = io.StringIO()
        assert export_csv(a, out) == 1
        reader = csv.DictReader(io.StringIO(out.getvalue()))
        assert reader.fieldnames == list(EXPORT_FIELDS)
        (crow,) = list(reader)
        assert crow["text"] == "Baris satu.\nBaris dua, dengan \"kutip\"." and json.loads(crow["tags"]) == ["pemilu"]


def test_export_fields_follow_the_article(tmp_path: Path) -> None:
    """A field added to Article without a migration and an export column fails here."""
    stored = set(Article(url="u").to_record()) - {"is_article", "not_article_reason"}
    assert set(EXPORT_FIELDS) == stored | {"id", "first_seen_at", "gone_at", "cluster_id", "similarity"}
    with Archive(tmp_path / "a.db") as a:
        a.upsert_article(rec("a"))
        (row,) = a.rows()
        assert set(EXPORT_FIELDS) <= set(row)


def test_export_filters_and_streaming(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        a.upsert_article(rec("a", site="s1"))
        a.upsert_article(rec("b", site="s2", relevance_label="not_relevant"))
        out = io.StringIO()
        assert export_jsonl(a, out, site="s2") == 1
        assert json.loads(out.getvalue())["canonical_url"] == "b"
        out = io.StringIO()
        assert export_csv(a, out, relevant_only=True) == 1
        assert [r["canonical_url"] for r in csv.DictReader(io.StringIO(out.getvalue()))] == ["a"]
        assert isinstance(a.articles(), Iterator)


def test_stats_and_counts(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        a.upsert_article(rec("a", site="s1", published_at="2024-01-02"), alias_url="a?utm_source=x")
        # The archive decides duplicate links: b is an exact copy of a (same content hash).
        a.upsert_article(rec("b", site="s1", published_at=None, relevance_label="borderline", content_hash="h-a"))
        a.upsert_article(rec("c", site="s2"))
        (s1, s2) = a.stats()
        assert (s1["site"], s1["articles"], s1["relevant"], s1["duplicates"], s1["with_date"]) == ("s1", 2, 1, 1, 1)
        assert s1["first_published_at"] == s1["last_published_at"] == "2024-01-02" and s1["last_fetched_at"]
        assert (s2["site"], s2["articles"]) == ("s2", 1)
        assert a.counts() == {"articles": 3, "relevant": 2, "duplicates": 1, "aliases": 1, "runs": 0}


def test_garbage_file_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a db" * 100)
    before = bad.read_bytes()
    for ro in (False, True):
        with pytest.raises(ArchiveError) as e:
            Archive(bad, readonly=ro).open()
        assert "bad.db" in str(e.value) and "\n" not in str(e.value)
    assert bad.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.db"]  # no -wal/-shm left behind
    with pytest.raises(ArchiveError):
        Archive(tmp_path).open()  # a folder


def test_readonly_path_with_uri_characters(tmp_path: Path) -> None:
    db = tmp_path / "run #2?.db"
    with Archive(db) as a:
        a.upsert_article(rec("a"))
    with Archive(db, readonly=True) as r:
        assert [x.canonical_url for x in r.articles()] == ["a"]
        with pytest.raises(sqlite3.OperationalError):
            r.db.conn.execute("DELETE FROM articles")


def test_readonly_missing(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError):
        Archive(tmp_path / "none.db", readonly=True).open()
    assert not (tmp_path / "none.db").exists()


def test_reader_never_sees_half_an_article(tmp_path: Path) -> None:
    """A second connection looks at the archive between every statement of upsert_article:
    it must see the whole article (row, FTS entry, alias) or none of it."""
    db = tmp_path / "a.db"
    with Archive(db) as writer, Archive(db) as reader:
        looks: list[tuple[str, bool, bool, bool]] = []

        def look(sql: str) -> None:
            # Errors raised inside a trace callback are swallowed; record, assert later.
            row = reader.find_by_url("u1")
            by_alias = reader.find_by_url("u1?utm_source=wa")
            hits = reader.search("perubahan")
            looks.append((sql.split()[0].upper(), row is not None and "perubahan" in row["text"],
                          by_alias is not None, bool(hits)))

        writer.upsert_article(rec("u1"))
        writer.db.conn.set_trace_callback(look)
        try:
            writer.upsert_article(rec("u1", text="Ada perubahan."), alias_url="u1?utm_source=wa")
        finally:
            writer.db.conn.set_trace_callback(None)
        assert any(kind == "UPDATE" for kind, *_ in looks)  # the look really ran mid-write
        assert all(seen == [False, False, False] for _, *seen in looks), looks
        assert reader.find_by_url("u1?utm_source=wa") is not None and reader.search("perubahan")


def test_runs(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        rid = a.start_run(sites=["s"], args={"x": 1})
        a.finish_run(rid, stats={"pages": 3}, status="ok")
        (run,) = a.runs()
        assert run["status"] == "ok" and json.loads(run["stats"]) == {"pages": 3} and run["finished_at"]


def test_validators_and_touch(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        a.upsert_article(rec("u1"))
        a.record_fetch(["u1", "u1?utm_source=wa"], site="s", status=200, etag='"abc"', last_modified=None)
        a.record_fetch(["u1"], site="s", status=200, etag=None, last_modified="Mon, 01 Jul 2024 00:00:00 GMT")
        assert a.validators("s") == {"u1": ('"abc"', "Mon, 01 Jul 2024 00:00:00 GMT"),
                                     "u1?utm_source=wa": ('"abc"', "")}
        assert a.validators("other") == {}
        assert a.touch("u1", "2024-12-01T00:00:00+00:00")
        found = a.find_by_url("u1")
        assert found is not None and found["last_fetched_at"] == "2024-12-01T00:00:00+00:00"
        assert not a.touch("nope", "2024-12-01T00:00:00+00:00")


def test_gone_is_marked_never_deleted(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        a.upsert_article(rec("u1"))
        assert a.mark_gone("u1", "2024-12-01T00:00:00+00:00")
        assert a.mark_gone("u1", "2024-12-05T00:00:00+00:00")  # the first date stays
        row = a.find_by_url("u1")
        assert row is not None and row["gone_at"] == "2024-12-01T00:00:00+00:00" and row["text"]
        a.upsert_article(rec("u1"))  # back online
        row = a.find_by_url("u1")
        assert row is not None and row["gone_at"] is None
        assert not a.mark_gone("never-seen", "2024-12-01T00:00:00+00:00")
