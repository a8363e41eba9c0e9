"""`warta explain` / `warta relevance` and region filters, on a real crawl of the mirror."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliResult, run_warta

BANYUASIN = "/sumbagsel/berita/d-7441201/pj-bupati-banyuasin-ingatkan-asn-jaga-netralitas-jelang-pilkada"
LOGISTICS = "/sumbagsel/berita/d-7652310/kpu-lahat-mulai-distribusikan-logistik-pilkada-ke-kecamatan"


def test_explain_prints_terms_sentences_region(crawled_mirror: tuple[Path, CliResult], mirror) -> None:
    db, _ = crawled_mirror
    url = mirror.origins["detik-sumbagsel"].rstrip("/") + BANYUASIN
    res = run_warta("explain", url + "?utm_source=wa", "--db", str(db))  # an alias URL works too
    assert res.code == 0, res.stderr
    out = res.stdout
    assert "label: relevant" in out and "rule: actors, conduct and election together" in out
    assert "region: Sumatera Selatan / Banyuasin (16 16.07)" in out
    # Each matched term with its concept and the sentence it came from.
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("actors") and "[lead]" in ln)
    assert "ASN" in line or "aparatur sipil negara" in line
    assert "netralitas" in out and "Pilkada" in out


def test_relevance_alias_json_for_a_borderline_story(crawled_mirror: tuple[Path, CliResult], mirror) -> None:
    db, _ = crawled_mirror
    url = mirror.origins["detik-sumbagsel"].rstrip("/") + LOGISTICS
    res = run_warta("relevance", url, "--db", str(db), "--json")
    assert res.code == 0, res.stderr
    info = json.loads(res.stdout)
    assert info["relevance_label"] != "relevant" and "no actors" in info["why"]["rule"]
    assert (info["province"], info["regency"]) == ("Sumatera Selatan", "Lahat")
    assert info["judged_now"] is False


def test_explain_unknown_url_is_one_line(crawled_mirror: tuple[Path, CliResult], tmp_path: Path) -> None:
    db, _ = crawled_mirror
    res = run_warta("explain", "https://nowhere.invalid/x", "--db", str(db))
    assert res.code == 1 and res.stderr.strip().count("\n") == 0 and "no article" in res.stderr
    res = run_warta("explain", "https://nowhere.invalid/x", "--db", str(tmp_path / "missing.db"))
    assert res.code == 1 and "does not exist" in res.stderr and "Traceback" not in res.stderr


def test_export_and_search_by_region(crawled_mirror: tuple[Path, CliResult]) -> None:
    db, _ = crawled_mirror
    res = run_warta("export", "--db", str(db), "--region", "Kalimantan Selatan")
    assert res.code == 0, res.stderr
    got = [json.loads(x) for x in res.stdout.splitlines()]
    assert got and all(r["province_code"] == "63" for r in got)
    assert {"province", "regency", "regions", "officials", "relevance_why"} <= set(got[0])
    res = run_warta("search", "netralitas", "--db", str(db), "--region", "16.07", "--json")
    hits = [json.loads(x) for x in res.stdout.splitlines()]
    assert hits and all(h["regency"] == "Banyuasin" for h in hits)
