"""Migration m006 on real SQLite files: reasons, regions and officials stored, exported,
filtered and searchable; an archive from before the migration keeps its text searchable."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive import Archive
from archive.export import export_csv, export_jsonl
from archive.schema import SCHEMA_VERSION, migrations
from crawler.relevance import annotate

TEXT = ("Pj Bupati Banyuasin Hani Syopiar Rustam meminta ASN tidak ikut kampanye pasangan calon.\n"
        "Pelanggaran netralitas dalam Pilkada dijatuhi sanksi sesuai PP 94/2021.")


def rec(canon: str, title: str, text: str, dateline: str) -> dict[str, Any]:
    base: dict[str, Any] = {"url": canon, "canonical_url": canon, "site": "s", "title": title, "text": text,
                            "dateline": dateline, "content_hash": "h-" + canon,
                            "published_at": "2024-07-19T07:00:00+07:00"}
    base.update(annotate("netralitas-asn", title, text, dateline))
    return base


def test_reasons_regions_officials_round_trip(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        a.upsert_article(rec("https://x/1", "ASN Banyuasin Diminta Netral", TEXT, "BANYUASIN"))
        a.upsert_article(rec("https://x/2", "Harga Beras Naik", "Harga beras di Kota Palembang naik.", "PALEMBANG"))
        row = a.find_by_url("https://x/1")
        assert row is not None
        assert row["relevance_label"] == "relevant" and row["relevance_why"]["proximity"] == "sentence"
        assert (row["province_code"], row["regency_code"], row["regency"]) == ("16", "16.07", "Banyuasin")
        assert row["officials"] == [{"role": "Pj Bupati Banyuasin", "name": "Hani Syopiar Rustam"}]
        assert {m["concept"] for m in row["matched_terms"]} >= {"actors", "conduct", "election", "sanctions"}
        # Region filters take a name or a Kemendagri code, of the province or the regency/city.
        for region in ("Banyuasin", "banyuasin", "16.07"):
            assert [r.canonical_url for r in a.articles(region=region)] == ["https://x/1"]
        assert len(list(a.articles(region="Sumatera Selatan"))) == 2
        assert len(list(a.articles(region="16"))) == 2
        # Officials are in the full-text index, also by column.
        assert [h["url"] for h in a.search("officials:Syopiar")] == ["https://x/1"]
        assert [h["url"] for h in a.search("Rustam", region="Palembang")] == []
        out = io.StringIO()
        export_jsonl(a, out, region="Banyuasin")
        got = [json.loads(x) for x in out.getvalue().splitlines()]
        assert got[0]["officials"][0]["name"] == "Hani Syopiar Rustam" and got[0]["regions"][0]["via"] == "dateline"
        assert got[0]["relevance_why"]["rule"].startswith("actors")
        out = io.StringIO()
        export_csv(a, out, region="16.07")
        assert '""name"": ""Hani Syopiar Rustam""' in out.getvalue() and "relevance_why" in out.getvalue()


def test_archive_from_before_m006_is_migrated(tmp_path: Path) -> None:
    db_path = tmp_path / "old.db"
    conn = sqlite3.connect(db_path)
    db = Database(conn)
    migrations.apply(db, stop_before="m006_relevance_explained")
    conn.execute("INSERT INTO articles (url, canonical_url, site, title, text, relevance_label, matched_terms) "
                 "VALUES ('https://x/old', 'https://x/old', 's', 'Lama', 'Camat Sukarami dilaporkan ke Bawaslu.', "
                 "'borderline', '[]')")
    conn.commit()
    assert "officials" not in {c[1] for c in conn.execute("pragma table_info(articles)")}
    conn.close()
    with Archive(db_path) as a:
        assert [h["url"] for h in a.search("Sukarami")] == ["https://x/old"]  # index rebuilt with old rows
        row = a.find_by_url("https://x/old")
        assert row is not None and row["officials"] == [] and row["relevance_why"] == {}
        a.upsert_article(rec("https://x/new", "ASN Banyuasin", TEXT, "BANYUASIN"))
        assert [h["url"] for h in a.search("officials:Hani")] == ["https://x/new"]
    con = sqlite3.connect(db_path)
    assert con.execute("select value from warta_meta where key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)


def test_rescore_fills_an_archive_from_before_m006(tmp_path: Path) -> None:
    from tests.conftest import run_warta

    db_path = tmp_path / "old.db"
    conn = sqlite3.connect(db_path)
    migrations.apply(Database(conn), stop_before="m006_relevance_explained")
    conn.execute("INSERT INTO articles (url, canonical_url, site, title, text, dateline, relevance_label) "
                 "VALUES ('https://x/1', 'https://x/1', 's', 'ASN Banyuasin Diminta Netral', ?, 'BANYUASIN', "
                 "'borderline')", (TEXT,))
    conn.execute("INSERT INTO articles (url, canonical_url, site, title, text, relevance_label) "
                 "VALUES ('https://x/2', 'https://x/2', 's', 'Banjir', 'Banjir di Kabupaten Lahat.', 'borderline')")
    conn.commit()
    conn.close()
    before = run_warta("explain", "https://x/1", "--db", str(db_path))
    assert before.code == 0 and "judged again now" in before.stdout
    res = run_warta("rescore", "--db", str(db_path))
    assert res.code == 0, res.stderr
    assert "2 articles rescored: not_relevant 1, relevant 1" in res.stdout
    with Archive(db_path, readonly=True) as a:
        one, two = a.find_by_url("https://x/1"), a.find_by_url("https://x/2")
        assert one is not None and two is not None
        assert one["relevance_label"] == "relevant" and one["regency"] == "Banyuasin"
        assert one["officials"][0]["name"] == "Hani Syopiar Rustam" and one["text"] == TEXT
        assert two["relevance_label"] == "not_relevant" and two["regency_code"] == "16.04"
        assert [h["url"] for h in a.search("officials:Rustam")] == ["https://x/1"]
    after = run_warta("explain", "https://x/1", "--db", str(db_path))
    assert "judged again now" not in after.stdout and "label: relevant" in after.stdout
    bad = run_warta("rescore", "--db", str(db_path), "--topic", "nope")
    assert bad.code == 2 and "unknown topic profile" in bad.stderr


def test_a_version_keeps_the_judgement_it_had(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as a:
        art_id, _ = a.upsert_article(rec("https://x/1", "ASN Banyuasin Diminta Netral", TEXT, "BANYUASIN"))
        edited = "Banjir merendam rumah warga di Kabupaten Lahat.\nCamat Merapi, Joko Susilo, meninjau lokasi."
        assert a.upsert_article(rec("https://x/1", "Banjir di Lahat", edited, "LAHAT"))[1] == "updated"
        old, new = a.versions(art_id)
        assert old["version"] == 1 and old["relevance_label"] == "relevant" and old["regency"] == "Banyuasin"
        assert old["officials"] == [{"role": "Pj Bupati Banyuasin", "name": "Hani Syopiar Rustam"}]
        assert old["relevance_why"]["proximity"] == "sentence"
        assert new["version"] == 2 and new["regency"] == "Lahat" and new["relevance_label"] == "not_relevant"
        assert new["officials"] == [{"role": "Camat Merapi", "name": "Joko Susilo"}]
