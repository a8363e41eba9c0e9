"""Line rules: junk dropped, bylines/initials/captions/datelines moved to fields."""

from __future__ import annotations

import pytest

from crawler.boilerplate import clean_lines, parse_byline, split_names, take_dateline, take_initials
from crawler.encoding import repair_text

LEAD = (
    "Aparatur sipil negara di lingkungan pemerintah kabupaten diminta menjaga netralitas menjelang "
    "pemungutan suara Pilkada serentak."
)
BODY = "Sekretaris daerah menyampaikan pesan itu saat memimpin apel pagi di halaman kantor bupati."


@pytest.mark.parametrize(
    "junk",
    [
        "BACA JUGA: Harga Cabai di Pasar Induk Naik Lagi",
        "Baca juga: Harga Cabai di Pasar Induk Naik Lagi",
        "baca juga harga cabai naik",
        "Lihat juga: Video Banjir di Lahat",
        'Simak Video "Ratusan ASN Ikuti Apel Netralitas"',
        "Saksikan berita lainnya di kanal kami",
        "ADVERTISEMENT",
        "SCROLL TO CONTINUE WITH CONTENT",
        "Hide Ads",
        "Cek Berita dan Artikel yang lain di Google News",
        "Ikuti saluran WhatsApp kami untuk update berita terbaru",
        "Artikel ini telah tayang di TribunSumsel.com dengan judul Apel Netralitas",
        "Dapatkan update berita pilihan setiap hari",
        "[Gambas:Video 20detik]",
        "Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis tanpa izin.",
        "COPYRIGHT © 2024",
        "Sumber:",
        "BERITA LAINNYA",
        "More Stories",
        "-",
        "Kamis, 05/11/2015 09:25 WIB\t\tHarga Karet di Jambi Naik Lagi",
    ],
)
def test_junk_lines_are_dropped(junk: str) -> None:
    res = clean_lines([LEAD, junk, BODY])
    assert res.text == f"{LEAD}\n{BODY}"


def test_inline_markers_are_cut() -> None:
    res = clean_lines([LEAD + " BACA JUGA:Petani Khawatir Pupuk Langka", BODY + " ADVERTISEMENT"])
    assert "BACA" not in res.text and "ADVERTISEMENT" not in res.text
    assert res.text.startswith(LEAD)


def test_bylines_move_to_authors_and_editors() -> None:
    res = clean_lines(["Reporter: Andi Saputra | Editor: Dewi Lestari", LEAD, BODY, "Penulis: Rahmat Hidayat"])
    assert res.authors == ["Andi Saputra", "Rahmat Hidayat"]
    assert res.editors == ["Dewi Lestari"]
    assert "Reporter" not in res.text and "Penulis" not in res.text


def test_detik_byline_line() -> None:
    assert parse_byline("Reiza Pahlevi - detikSumbagsel") == (["Reiza Pahlevi"], [])


@pytest.mark.parametrize(
    "raw,names",
    [
        ("Tim detikcom", []),
        ("Redaksi", []),
        ("Kompas Cyber Media", []),
        ("Mediaindonesia Com Developer", []),
        ("Andi Saputra, Budi Santoso", ["Andi Saputra", "Budi Santoso"]),
        ("Andi Saputra dan Budi Santoso", ["Andi Saputra", "Budi Santoso"]),
    ],
)
def test_split_names_keeps_people_only(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names


@pytest.mark.parametrize(
    "last,initials,rest",
    [
        ("(csb/csb)", "csb/csb", ""),
        ("Demikian disampaikan. (rds/ima)", "rds/ima", "Demikian disampaikan."),
        ("tutupnya. (Arie id)", "Arie id", "tutupnya."),
        ("tungkasnya (Tim)", "Tim", "tungkasnya"),
        (
            "bisa rekomendasi kepada instansi terkait,\u201d jelasnya.rds",
            "rds",
            "bisa rekomendasi kepada instansi terkait,\u201d jelasnya.",
        ),
        ("Ia menutup sambutannya dengan salam.", "", "Ia menutup sambutannya dengan salam."),
    ],
)
def test_editor_initials(last: str, initials: str, rest: str) -> None:
    assert take_initials(last) == (initials, rest)


@pytest.mark.parametrize(
    "first,place",
    [
        ("BANYUASIN - " + LEAD, "BANYUASIN"),
        ("MUARA ENIM, SUMEKS.CO -  " + LEAD, "MUARA ENIM"),
        ("BANJARMASIN- " + LEAD, "BANJARMASIN"),
        ("Banyuasin, AkselNews.com \u2013 " + LEAD, "Banyuasin"),
        ("Palembang (ANTARA) - " + LEAD, "Palembang"),
    ],
)
def test_dateline(first: str, place: str) -> None:
    got, rest = take_dateline(first)
    assert got == place
    assert rest == LEAD


def test_no_dateline_in_plain_sentence() -> None:
    assert take_dateline(LEAD) == ("", LEAD)


def test_captions_move_out_of_text() -> None:
    cap = "Pj Bupati memimpin apel siaga di halaman kantor bupati. (Foto: Istimewa/Diskominfo Banyuasin)"
    res = clean_lines([cap, LEAD, "APEL : Asisten II memimpin apel gabungan.--", BODY])
    assert res.captions == [cap, "APEL : Asisten II memimpin apel gabungan.--"]
    assert res.text == f"{LEAD}\n{BODY}"


def test_repeated_title_dropped() -> None:
    title = "ASN Diminta Jaga Netralitas dalam Pemilu 2024"
    res = clean_lines([title, title, LEAD, BODY], title=title)
    assert res.text == f"{LEAD}\n{BODY}"


def test_paragraphs_kept_in_order_with_quotes_and_lists() -> None:
    lines = [
        LEAD,
        "\u201cKami tidak akan ragu memberi sanksi,\u201d kata dia.",
        "- Menjaga netralitas.",
        "- Menolak politik uang.",
        BODY,
    ]
    assert clean_lines(lines).text == "\n".join(lines)


def test_cp1253_mojibake_repaired() -> None:
    assert repair_text("\u03b2\u20ac\u2019 Menolak politik uang") == "\u2012 Menolak politik uang"
    assert "\u00e9" in repair_text("caf\u00c3\u00a9")
