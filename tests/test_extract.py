"""extract_article on fixture pages written for these tests (no Scrapy involved)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.boilerplate import norm_key
from crawler.extract import _drop_headline_tail, content_hash, extract_article
from crawler.sites import parse_site
from tests.conftest import DATA

FETCHED = datetime(2024, 11, 1, 3, 0, tzinfo=UTC)
MARKERS = ["baca juga", "advertisement", "scroll to continue", "hide ads", "google news", "copyright",
           "dilarang keras", "artikel ini telah tayang", "saluran whatsapp", "pewarta:", "editor:", "penulis:"]


def page(name: str) -> bytes:
    return (DATA / "pages" / name).read_bytes()


def assert_clean(text: str) -> None:
    low = text.lower()
    for m in MARKERS:
        assert m not in low, m


def test_antara_like_page() -> None:
    site = parse_site({"name": "antara-kalsel", "title": "ANTARA News Kalimantan Selatan",
                       "base_url": "https://kalsel.antaranews.com/", "start_urls": ["/"],
                       "timezone": "Asia/Makassar"}, "t.toml")
    url = "https://kalsel.antaranews.com/berita/401234/bawaslu-kalsel-temukan-12-dugaan-pelanggaran-netralitas-asn"
    a = extract_article(page("antara-like.html"), url, site, fetched_at=FETCHED)
    assert a.is_article
    assert a.title == "Bawaslu Kalsel temukan 12 dugaan pelanggaran netralitas ASN"
    assert a.authors == ["Firman Syah"] and a.editors == ["Rina Wulandari"]
    assert a.dateline == "Banjarmasin"
    assert a.canonical_url == url
    # The meta is UTC; the outlet is in WITA (+08:00).
    assert a.published_at is not None and a.published_at.startswith("2024-01-16T14:45") and \
        a.published_at.endswith("+08:00")
    assert a.section == "Pemilu" and "netralitas asn" in a.tags
    assert a.captions and "ANTARA/Firman Syah" in a.captions[0]
    assert a.text.startswith("Badan Pengawas Pemilu Provinsi Kalimantan Selatan menemukan 12 dugaan")
    assert a.text.endswith("keterlibatan pegawai dalam politik praktis.")
    assert "Harga beras" not in a.text and "Banjir di Hulu" not in a.text
    assert_clean(a.text)
    assert a.language == "id"


def test_tribun_like_page() -> None:
    url = "https://sumsel.tribunnews.com/2024/10/07/camat-di-ogan-ilir-dipanggil-bawaslu"
    a = extract_article(page("tribun-like.html"), url, None, fetched_at=FETCHED)
    assert a.title == "Camat di Ogan Ilir Dipanggil Bawaslu Usai Foto Bersama Paslon"
    assert a.authors == ["Sri Hidayatun"]
    assert a.editors == ["Slamet Teguh"]
    assert a.dateline == "INDRALAYA"
    assert a.published_at is not None and a.published_at.startswith("2024-10-07T15:20:00+07:00")
    assert a.modified_at is not None and a.modified_at.startswith("2024-10-07T16:02")
    assert a.date_source is not None and a.date_source.startswith("jsonld")
    assert a.section == "Sumsel" and a.tags == ["Bawaslu", "Ogan Ilir", "Pilkada 2024"]
    assert "Jadwal Debat" not in a.text
    assert_clean(a.text)
    assert len(a.text.split("\n")) == 5


def test_listing_page_is_not_an_article() -> None:
    a = extract_article(page("not-article.html"), "https://x.id/indeks", None, fetched_at=FETCHED)
    assert not a.is_article and "no article body" in a.not_article_reason


def test_content_hash_ignores_case_spacing_punctuation() -> None:
    assert content_hash("ASN harus netral.\nKata dia") == content_hash("asn  harus netral  kata dia!")
    assert content_hash("ASN harus netral") != content_hash("ASN tidak netral")


def test_no_date_stays_null_never_today() -> None:
    html = ("<html><body><article><h1>Judul</h1>" + "<p>Isi berita tentang apel pagi pegawai kantor.</p>" * 12
            + "</article></body></html>")
    a = extract_article(html, "https://x.id/read/1/judul", None, fetched_at=FETCHED)
    assert a.published_at is None and a.date_note


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    a = extract_article(data, "https://x.id/read/1/x", None, fetched_at=FETCHED)
    assert isinstance(a.is_article, bool)


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=3000), st.integers(min_value=0, max_value=len(page("tribun-like.html"))))
def test_never_raises_on_truncated_or_mangled_html(junk: str, cut: int) -> None:
    html = page("tribun-like.html")[:cut].decode("utf-8", "ignore") + junk
    extract_article(html, "https://x.id/read/1/x", None, fetched_at=FETCHED)


def test_deeply_nested_html() -> None:
    html = "<div>" * 5000 + "<p>teks</p>" + "</div>" * 5000
    a = extract_article(html, "https://x.id/read/1/x", None, fetched_at=FETCHED)
    assert not a.is_article


def test_loose_lead_before_first_paragraph_is_kept() -> None:
    """A lead written as loose text before the first <p> (old kapanlagi/kompas markup)."""
    lead = ("<b>Warta.id</b> - <a href='/tag/bawaslu'>Bawaslu</a> Kabupaten Lahat menemukan tiga kepala desa "
            "yang diduga ikut berkampanye untuk salah satu pasangan calon bupati.")
    paras = "".join(f"<p>Paragraf ke-{i} menjelaskan temuan pengawas kecamatan tentang kegiatan kampanye di desa "
                    f"dan langkah klarifikasi yang akan ditempuh Bawaslu pekan ini.</p>" for i in range(1, 7))
    html = f"<html><body><h1>Judul</h1><div class='isi'>{lead}<p><p>{paras}</div></body></html>"
    a = extract_article(html, "https://x.id/read/1/judul", None, fetched_at=FETCHED)
    assert a.text.split("\n")[0].endswith("salah satu pasangan calon bupati.")
    assert "Bawaslu Kabupaten Lahat menemukan tiga kepala desa" in a.text
    assert a.text.count("Paragraf ke-1 ") == 1


def test_page_lying_about_its_charset() -> None:
    """Declared UTF-8 (header and meta) but saved as Windows-1252: no replacement characters."""
    html = ("<html><head><meta charset='utf-8'><title>Kafé Seroja jadi tempat pertemuan tim sukses</title></head>"
            "<body><article><h1>Kafé Seroja jadi tempat pertemuan tim sukses</h1>"
            + "<p>Pemilik kafé, René Pratama, mengaku tidak tahu siapa saja yang hadir malam itu di tempatnya.</p>" * 6
            + "</article></body></html>")
    a = extract_article(html.encode("cp1252"), "https://x.id/read/2/kafe", None, fetched_at=FETCHED,
                        content_type="text/html; charset=utf-8")
    assert a.title == "Kafé Seroja jadi tempat pertemuan tim sukses"
    assert "René Pratama" in a.text and "\ufffd" not in a.text


def test_okezone_like_page() -> None:
    """A 2017 okezone-style layout: the site logo is an <h1>, the byline date sits under the
    headline with no class, the deck repeats og:description, a credit caption sits among the
    paragraphs, the byline is a table at the end, "berita lainnya" cards and a numbered
    headline sidebar follow, the page says lang="en" and its keywords are words of the text."""
    url = "https://zone.example.id/read/2017/02/17/33/1620900/camat-diperiksa-bawaslu"
    a = extract_article(page("okezone-like.html"), url, None, fetched_at=FETCHED)
    assert a.is_article
    assert a.title == "Camat Diperiksa Bawaslu karena Hadiri Kampanye"
    assert a.authors == ["Andi Saputra"] and a.editors == ["Dewi Lestari"]
    assert a.editor_initials == ["FHM"] and a.dateline == "LAHAT"
    assert a.published_at == "2017-02-17T13:30:00+07:00"
    assert a.language == "id" and a.tags == []
    assert a.captions == ["Camat memberikan keterangan kepada wartawan usai pemeriksaan di kantor Bawaslu. "
                          "(ANTARA FOTO/Nova Wahyudi)"]
    assert a.text.startswith("Badan Pengawas Pemilu Kabupaten Lahat memeriksa")
    assert a.text.endswith("selesai dimintai keterangan,\" tandasnya.")
    for gone in ("Foto camat bersama", "Banjir Rendam", "Hujan deras", "Pasar Baru", "Penulis", "Regional"):
        assert gone not in a.text, gone
    assert len(a.text.split("\n")) == 6
    assert_clean(a.text)


def test_headline_sidebar_after_the_body_is_cut() -> None:
    """trafilatura sometimes runs on from the body into a numbered "terpopuler" list (old
    detik): the run of link headlines after the body goes, the body stays."""
    body = [f"Paragraf {i} laporan tentang pengawasan netralitas aparatur sipil negara di kecamatan yang "
            f"dilakukan pengawas pemilu sepanjang pekan ini." for i in range(1, 6)]
    heads = [f"Judul berita lain nomor {i} tentang harga cabai" for i in range(1, 7)]
    links = {norm_key(h) for h in heads} | {"indeks berita hari ini"}
    tail = ["- ", "01"] + [f"0{i}Kamis, 05/11/2015 09:3{i} WIB {h}" for i, h in enumerate(heads, 2)]
    tail += ["Indeks Berita Hari Ini", "Ringkasan pendek di bawah judul yang juga sebuah tautan."]
    assert _drop_headline_tail(body + tail, links) == body
    # Headlines before the body (a list at the top) do not cut the body away.
    assert _drop_headline_tail(tail[2:5] + body, links) == tail[2:5] + body
    # A body whose lines are all links is left alone.
    assert _drop_headline_tail(heads, links) == heads


def test_lead_in_a_br_body_is_kept() -> None:
    """Old viva: the body is one <span> of text and <br> breaks, the lead before the first."""
    lead = ("<b>Warta.id</b> - Bawaslu Kabupaten Lahat menemukan tiga kepala desa yang diduga ikut "
            "berkampanye untuk salah satu pasangan calon bupati.")
    rest = "".join(f"<div>Paragraf {i} menjelaskan temuan pengawas kecamatan tentang kegiatan kampanye di desa dan "
                   f"langkah klarifikasi yang akan ditempuh pekan ini.</div><div><br/></div>" for i in range(1, 6))
    html = (f"<html><body><h1>Judul</h1><article><span itemprop='articleBody'>{lead}<div><br/></div>{rest}"
            f"</span></article></body></html>")
    a = extract_article(html, "https://x.id/read/1/judul", None, fetched_at=FETCHED)
    assert a.text.startswith("Bawaslu Kabupaten Lahat menemukan tiga kepala desa")
    assert a.text.count("Paragraf") == 5


def test_photo_story_text_is_its_captions() -> None:
    caps = [f"Warga antre di tempat pemungutan suara nomor {i} di Kecamatan Merapi sejak pagi. "
            f"(Foto: Andi Saputra/Warta)" for i in range(1, 5)]
    figs = "".join(f"<figure><img src='/f{i}.jpg'><figcaption>{c}</figcaption></figure>" for i, c in enumerate(caps))
    html = (f"<html><body><h1>Antre di TPS sejak pagi</h1><div class='gallery'><span>Antre di TPS sejak pagi "
            f"By Andi Saputra on 14 Feb 2024 at 09:00 WIB 17Shares Facebook Twitter</span>{figs}"
            f"<span>Like (0) Dislike (0)</span></div></body></html>")
    a = extract_article(html, "https://x.id/photo/1/antre", None, fetched_at=FETCHED)
    assert a.text.split("\n") == caps
    assert all(c in a.captions for c in caps)


def test_language_comes_from_the_text() -> None:
    body = "".join(f"<p>Para pegawai yang hadir di apel ke-{i} itu diminta untuk menjaga netralitas dan tidak ikut "
                   f"kampanye.</p>" for i in range(8))
    a = extract_article(f"<html lang='en'><body><article><h1>Apel</h1>{body}</article></body></html>",
                        "https://x.id/read/1/apel", None, fetched_at=FETCHED)
    assert a.language == "id"


def test_charset_order_header_then_meta_then_sniffing() -> None:
    """The HTTP header outranks <meta charset>, which outranks sniffing."""
    text = "Pemilik kafé, René Pratama, mengaku tidak tahu siapa saja yang hadir malam itu di tempatnya."
    paras = "".join(f"<p>{text} Paragraf {i}.</p>" for i in range(6))
    body = f"<html><head><meta charset='iso-8859-7'></head><body><article>{paras}</article></body></html>"
    raw = body.encode("cp1252")
    # header says windows-1252: the Greek meta is ignored
    a = extract_article(raw, "https://x.id/read/3/kafe", None, fetched_at=FETCHED,
                        content_type="text/html; charset=windows-1252")
    assert "René Pratama" in a.text
    # no header: the meta is followed (and gives Greek letters for é, as a browser would)
    b = extract_article(raw, "https://x.id/read/3/kafe", None, fetched_at=FETCHED)
    assert "René" not in b.text and "Ren" in b.text
    # neither: sniffed as UTF-8
    c = extract_article(body.replace("<meta charset='iso-8859-7'>", "").encode("utf-8"),
                        "https://x.id/read/3/kafe", None, fetched_at=FETCHED)
    assert "René Pratama" in c.text
