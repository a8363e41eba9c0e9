"""Region tagging from the bundled gazetteer: counts, prefixes, ambiguous names."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from crawler.regions import Gazetteer, tag_regions


def _rows() -> list[dict[str, str]]:
    text = (resources.files("crawler") / "data" / "gazetteer.csv").read_text("utf-8")
    return list(csv.DictReader(ln for ln in text.splitlines() if not ln.startswith("#")))


def test_gazetteer_has_38_provinces_and_514_regencies() -> None:
    rows = _rows()
    kinds = [r["type"] for r in rows]
    assert kinds.count("provinsi") == 38
    assert kinds.count("kabupaten") == 416 and kinds.count("kota") == 98
    assert len({r["code"] for r in rows}) == len(rows)
    # The 2022 Papua splits: Papua Selatan, Papua Tengah, Papua Pegunungan, Papua Barat Daya.
    provinces = {r["code"]: r["name"] for r in rows if r["type"] == "provinsi"}
    assert {provinces[c] for c in ("93", "94", "95", "96")} == {
        "Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Papua Barat Daya"}
    for r in rows:
        if r["type"] != "provinsi":
            assert r["code"].startswith(r["province_code"] + ".") and r["province_code"] in provinces
            assert (r["type"] == "kota") == (int(r["code"].split(".")[1]) >= 71)


@pytest.mark.parametrize("title,text,dateline,province,regency", [
    ("Pj Bupati Ingatkan ASN", "Pegawai Pemkab Banyuasin diminta netral.", "BANYUASIN", "16", "16.07"),
    ("Kades Disanksi", "Bawaslu Kalsel menyatakan kades itu melanggar.", "PELAIHARI", "63", "63.01"),
    # Martapura is the capital of OKU Timur and of Banjar: the article's other places decide.
    ("Haul", "Kendaraan dari arah Banjarmasin dialihkan.", "MARTAPURA", "63", "63.03"),
    ("TPP Cair", "Pemkab OKU Timur mencairkan TPP.", "MARTAPURA", "16", "16.08"),
    # A bare "Bogor" is the city; "Pj Bupati Bogor" and "Kabupaten Bogor" are the regency.
    ("Apel", "Pj Bupati Bogor memimpin apel ASN Kabupaten Bogor.", "CIBINONG", "32", "32.01"),
    ("Kebun", "Pengunjung Kebun Raya ramai.", "BOGOR", "32", "32.71"),
    # "Bupati Gorontalo" implies the kabupaten, not Kota Gorontalo.
    ("Kades Diberhentikan", "Bupati Gorontalo memberhentikan kades.", "LIMBOTO", "75", "75.01"),
    # A dateline is a town: BENGKULU is the city even when the province is named.
    ("Mutasi", "Bawaslu Provinsi Bengkulu mengingatkan kepala daerah.", "BENGKULU", "17", "17.71"),
    # JAKARTA is the province; a named city inside it becomes the regency.
    ("Apel TNI", "Apel di Cilangkap, Jakarta Timur.", "JAKARTA", "31", "31.75"),
    # No dateline: the most mentioned regency, the title counting twice.
    ("ASN Agam Disanksi", "Pemkab Agam dan Bawaslu Agam sepakat. Warga Padang ikut melapor.", "", "13", "13.06"),
])
def test_dateline_and_mentions(title: str, text: str, dateline: str, province: str, regency: str) -> None:
    r = tag_regions(title, text, dateline)
    assert (r.province_code, r.regency_code) == (province, regency), r.places


@pytest.mark.parametrize("text", [
    "Batu dan kerikil menutup jalan desa.",            # lower-case everyday word
    "Agam, seorang pedagang, menyiapkan rendang.",     # a person's name
    "Kota Baru itu dibangun di atas rawa.",            # "new town", not Kotabaru
    "Warga di Kecamatan Lahat dan Jalan Bengkulu.",     # district and street names
    "Medan persaingan kian ketat.",                     # "medan" = field, capitalised at sentence start
])
def test_everyday_words_are_not_places(text: str) -> None:
    r = tag_regions("", text, "")
    assert r.places == (), r.places


def test_prefix_or_institution_makes_an_everyday_word_a_place() -> None:
    assert tag_regions("", "Warga Kota Batu memanen apel.", "").regency_code == "35.79"
    assert tag_regions("", "Bupati Agam meminta ASN netral.", "").regency_code == "13.06"
    assert tag_regions("", "Festival digelar di Kabupaten Agam.", "").regency_code == "13.06"


def test_dateline_only_capitals() -> None:
    # Tanjung (Tabalong's capital) is an everyday word in the text, a place as a dateline.
    assert tag_regions("", "Perahu bersandar di tanjung. Tanjung itu indah.", "").places == ()
    assert tag_regions("", "Warga berkumpul.", "TANJUNG").regency_code == "63.09"


def test_every_mention_is_listed_with_how_it_was_found() -> None:
    r = tag_regions("Bawaslu Sumsel Catat Pelanggaran", "Kasus di OKU Timur dan Kota Palembang.", "PALEMBANG")
    by_code = {p["code"]: p for p in r.places}
    assert by_code["16.71"]["via"] == "dateline"
    assert by_code["16.08"]["via"] == "mention" and by_code["16"]["count"] == 2  # title counts twice
    assert r.as_dict()["regions"][0]["code"] == "16.71"


def test_gazetteer_loads_once() -> None:
    assert Gazetteer.bundled() is Gazetteer.bundled()
