"""The read-only Python API: typed records, to_pandas, bulk insert, old archives."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlite_utils import Database

from archive import Archive, ArchiveError
from archive.export import EXPORT_FIELDS
from archive.records import ArticleRecord, MatchedTerm
from archive.schema import migrations


def rec(canon: str, **kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "url": canon, "canonical_url": canon, "site": "s", "title": "Judul", "text": "ASN diminta netral.",
        "authors": ["Andi", "Rina"], "tags": ["pemilu"], "published_at": "2024-02-14T05:30:00+07:00",
        "relevance_label": "relevant", "relevance_score": 0.9, "word_count": 3,
        "matched_terms": [{"term": "netral", "concept": "neutrality", "where": "text", "sentence": "ASN netral."}],
        "fetched_at": "2024-02-14T01:00:00+00:00"}
    base.update(kw)
    return base


def test_records_are_typed_and_frozen(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as a:
        a.upsert_article(rec("wib"))
        a.upsert_article(rec("day", published_at="2024-11-27", modified_at="2024-11-28T08:00:00+08:00"))
        a.upsert_article(rec("none", published_at=None, authors=None, matched_terms=None))
    wib, day, none = Archive(db).articles()  # never opened: reads through its own read-only connection
    assert isinstance(wib, ArticleRecord)
    assert wib.published_at == datetime(2024, 2, 13, 22, 30, tzinfo=UTC)
    assert isinstance(wib.published_at, datetime) and wib.published_at.utcoffset() == timedelta(hours=7)
    # The outlet's local day, not the UTC one (05:30 WIB is the 13th in UTC).
    assert wib.published_day == date(2024, 2, 14)
    assert wib.fetched_at == datetime(2024, 2, 14, 1, tzinfo=UTC) and wib.first_seen_at is not None
    assert wib.first_seen_at.tzinfo is not None
    assert wib.authors == ("Andi", "Rina") and wib.tags == ("pemilu",) and wib.captions == ()
    assert wib.matched_terms == (MatchedTerm("netral", "neutrality", "text", "ASN netral."),)
    assert wib.relevance_score == 0.9 and wib.is_relevant and wib.gone_at is None
    assert type(day.published_at) is date and day.published_day == date(2024, 11, 27)
    assert isinstance(day.modified_at, datetime) and day.modified_at.utcoffset() == timedelta(hours=8)
    assert none.published_at is None and none.published_day is None and none.authors == () and none.matched_terms == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        wib.title = "x"  # type: ignore[misc]
    assert len({wib, day, none}) == 3  # hashable all the way down
    d = wib.to_dict()
    assert d["authors"] == ["Andi", "Rina"] and d["matched_terms"][0]["term"] == "netral"
    assert set(EXPORT_FIELDS) <= set(d) and "published_day" in d


def test_filters_through_the_typed_api(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as a:
        r1 = a.start_run(sites=["s"], args={})
        a.upsert_article(rec("a", site="s1", published_at="2023-12-31T23:30:00+07:00", run_id=r1))
        a.upsert_article(rec("b", site="s2", published_at="2024-01-01T00:10:00+07:00", relevance_label="borderline"))
        r2 = a.start_run(sites=["s"], args={})
        a.upsert_article(rec("c", site="s1", published_at="2024-03-01", run_id=r2))
    api = Archive(db)
    assert [r.canonical_url for r in api.articles(since="2024-01-01")] == ["b", "c"]
    assert [r.canonical_url for r in api.articles(until="2023-12-31")] == ["a"]
    assert [r.canonical_url for r in api.articles(site="s1", relevant_only=True)] == ["a", "c"]
    assert [r.canonical_url for r in api.articles(since_run=r1)] == ["c"]
    assert api.count_articles(site="s1") == 2


def test_reading_never_migrates_an_old_archive(tmp_path: Path) -> None:
    """An archive made by an older Warta (no published_day column yet) is read as it
    is: the API does not migrate or write it, and date filters still work."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    migrations.apply(Database(conn), stop_before="m008_published_day")
    conn.execute("INSERT INTO articles (url, canonical_url, site, published_at, text, title) VALUES "
                 "('u', 'u', 's', '2024-02-14T09:00:00+07:00', 'teks', 'judul'), "
                 "('v', 'v', 's', '2023-02-14T09:00:00+07:00', 'teks', 'judul')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    (r,) = Archive(db).articles(since="2024-01-01")
    assert r.canonical_url == "u" and r.published_day == date(2024, 2, 14)
    assert [h["url"] for h in Archive(db).search("teks", since="2024-01-01")] == ["u"]
    assert db.read_bytes() == before
    with Archive(db) as a:  # a writer does migrate it
        assert [x.canonical_url for x in a.articles(until="2023-12-31")] == ["v"]
    names = {r[1] for r in sqlite3.connect(db).execute("PRAGMA table_xinfo(articles)")}
    assert "published_day" in names


def test_to_pandas(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as a:
        a.upsert_article(rec("a"))
        a.upsert_article(rec("b", site="t", published_at=None, relevance_label="not_relevant"))
    df = Archive(db).to_pandas()
    assert isinstance(df, pd.DataFrame) and list(df["canonical_url"]) == ["a", "b"]
    assert str(df["fetched_at"].dtype).startswith("datetime64") and str(df["fetched_at"].dt.tz) == "UTC"
    assert df.loc[0, "authors"] == ["Andi", "Rina"] and df.loc[0, "matched_terms"][0]["concept"] == "neutrality"
    assert df.loc[0, "published_at"] == "2024-02-14T05:30:00+07:00" and df.loc[0, "published_day"] == "2024-02-14"
    assert len(Archive(db).to_pandas(relevant_only=True)) == 1


def test_insert_articles_in_bulk(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as a:
        assert a.insert_articles(rec(f"u{i}", text=f"teks nomor{i} netralitas") for i in range(50)) == 50
        # Known canonical URLs are left alone, new ones go in.
        assert a.insert_articles([rec("u1", text="berubah"), rec("u50")]) == 1
        assert a.counts()["articles"] == 51
        assert [h["url"] for h in a.search("nomor7")] == ["u7"]
        assert a.search("berubah") == []
        assert len(a.search("netralitas", limit=100)) == 50
        one = next(a.articles())
        assert one.authors == ("Andi", "Rina") and one.first_seen_at is not None


def test_malformed_date_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as a:
        a.upsert_article(rec("a", published_at="kemarin sore"))
    with pytest.raises(ArchiveError, match="article 1 .* malformed date"):
        list(Archive(db).articles())


def test_reading_a_missing_archive(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="does not exist"):
        list(Archive(tmp_path / "none.db").articles())
    assert not (tmp_path / "none.db").exists()
