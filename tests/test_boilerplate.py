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


@pytest.mark.parametrize(
    "junk",
    [
        "Cek Berita dan Artikel yang lain di WhatsApp Channel",
        "Follow WhatsApp Channel Warta untuk update berita terbaru setiap hari",
        "Simak berita lainnya di Google News dan saluran WA",
        "Simak Lifestyle Populer Lainnya",
        "FOTO TERKAIT:",
        "Home > Berita > Nasional",
        "- Like (0)",
        "Credits (3)",
        "Rate artikel ini",
        "Disclaimer: Komentar adalah tanggapan pribadi, tidak mewakili kebijakan redaksi.",
        "Redaksi: redaksi[at]warta.example",
        "Informasi pemasangan iklan",
        "BeritaTerbaru Index »",
    ],
)
def test_more_junk_lines_are_dropped(junk: str) -> None:
    res = clean_lines([LEAD, junk, BODY])
    assert res.text == f"{LEAD}\n{BODY}"


def test_whatsapp_channel_and_hide_ads_cut_inline() -> None:
    res = clean_lines([LEAD + " Hide Ads " + BODY, BODY + " Cek berita dan artikel lainnya di WhatsApp Channel"])
    assert res.text == f"{LEAD} {BODY}\n{BODY}"


def test_table_row_bylines() -> None:
    """trafilatura writes a byline table as "| Penulis | : ... |" rows."""
    res = clean_lines([LEAD, BODY, "| Penulis | : Kontributor Lahat, Andi Saputra |", "| Editor | : Dewi Lestari |"])
    assert res.text == f"{LEAD}\n{BODY}"
    assert res.authors == ["Andi Saputra"] and res.editors == ["Dewi Lestari"]


def test_byline_label_on_its_own_line() -> None:
    res = clean_lines([LEAD, BODY, "Reporter:", "Adinda Salsabila |", "Editor:", "Budi Santoso"])
    assert res.text == f"{LEAD}\n{BODY}"
    assert res.authors == ["Adinda Salsabila"] and res.editors == ["Budi Santoso"]


@pytest.mark.parametrize(
    "cap",
    [
        "Staf laboratorium memeriksa sampel di Bangkok. (REUTERS/Chaiwat Subprasom)",
        "Alat terapi temuan mahasiswa diberi nama I-REBOT. (Bagus Kurniawan/detikcom)",
        "Aksi seribu lilin di Denpasar. [suara.com/Oke Atmaja]",
        "Warga antre di TPS sejak pagi. (ANTARA FOTO/Nova Wahyudi)",
        "Fotografer: Grandyos Zafna",
    ],
)
def test_credit_captions_move_out_of_text(cap: str) -> None:
    res = clean_lines([LEAD, cap, BODY])
    assert res.text == f"{LEAD}\n{BODY}" and res.captions == [cap]


def test_initials_are_not_a_credit_caption() -> None:
    res = clean_lines([LEAD, BODY + " (Mvi/Ali)"])
    assert res.editor_initials == ["Mvi/Ali"] and res.captions == []
    # A closing source credit on the last paragraph stays text.
    assert clean_lines([LEAD, BODY + " (Ant/Reuters)"]).text.endswith("(Ant/Reuters)")


def test_kickers_and_deck_above_the_lead() -> None:
    deck = "Puluhan orang dikarantina di Thailand terkait penyakit MERS."
    res = clean_lines(["DUNIA", deck, "Adrianus Mandey", LEAD, BODY],
                      lead_junk={"puluhan orang dikarantina di thailand terkait penyakit mers", "adrianus mandey"})
    assert res.text == f"{LEAD}\n{BODY}"
    # A fragment that runs on into the next line is text, not a kicker.
    assert clean_lines(["Photos", "which were released online show the actress.", BODY]).text.startswith("Photos")


def test_headline_variants_dropped_anywhere() -> None:
    title = "KPK Periksa Pejabat Mahkamah Agung yang Tertangkap OTT"
    res = clean_lines([f"In Picture: {title}", LEAD, BODY, f"{title} | Warta.co"], title=title)
    assert res.text == f"{LEAD}\n{BODY}"


def test_outlet_credit_without_place() -> None:
    res = clean_lines(["Kapanlagi.com - " + LEAD, BODY])
    assert res.text == f"{LEAD}\n{BODY}" and res.dateline == ""
    assert take_dateline("Liputan6.com, Jakarta - " + LEAD) == ("Jakarta", LEAD)


def test_closing_reporter_name_in_capitals() -> None:
    """Tempo closes with the reporter's name in capitals, glued or on its own line."""
    assert clean_lines([LEAD, BODY + " DINI TEJA"]).authors == ["Dini Teja"]
    res = clean_lines([LEAD, BODY, "DINI TEJA"])
    assert res.authors == ["Dini Teja"] and res.text == f"{LEAD}\n{BODY}"


@pytest.mark.parametrize(
    "raw,names",
    [
        ("Kontributor Lhokseumawe, Masriadi", ["Masriadi"]),
        ("MASRIADI", ["Masriadi"]),
        ("Fakhrizal Fakhri Jurnalis", ["Fakhrizal Fakhri"]),
        ("Monalisa", ["Monalisa"]),
        ("Dok.Saleh Husin", []),
        ("Facebook", []),
        ("PR Wire", []),
        ("Agence France-Presse, CHARLESTON, South Carolina | World | Fri, June 19 2015, 7:36 AM", []),
    ],
)
def test_split_names_roles_agencies_and_datelines(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names
