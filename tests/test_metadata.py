"""Metadata helpers: headline choice, tags, language, labelled bylines, itemprop dates."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

from crawler.dates import resolve_dates
from crawler.extract import clean_tags, detect_language
from crawler.metadata import PageMeta, clean_title, label_bylines, pick_title, read_metadata

FETCHED = datetime(2024, 11, 1, 3, 0, tzinfo=UTC)


def test_headline_is_the_h1_that_agrees_with_og_title() -> None:
    meta = PageMeta(h1s=["Regional", "Polres Serahkan Anggota ke Kejaksaan"], h1="Regional",
                    og_title="Polres Serahkan Anggota ke Kejaksaan - Kompas.com")
    assert pick_title(meta) == "Polres Serahkan Anggota ke Kejaksaan"
    # No agreeing <h1>: og:title, cleaned of the outlet suffix.
    meta = PageMeta(h1s=["Otomotif"], h1="Otomotif", og_title="Merek China Serbu Indonesia :: Warta Zone News")
    assert clean_title(pick_title(meta)) == "Merek China Serbu Indonesia"
    assert pick_title(PageMeta(title="Dari JSON-LD", h1s=["Lain"], h1="Lain")) == "Dari JSON-LD"


def test_tags() -> None:
    assert clean_tags(["main", "di", "film", "keduanya", "brandon"]) == []  # a CMS's auto-keywords
    assert clean_tags(["KPK,Indonesia corruption", "berita terkini", "berita harian online", "Bawaslu"]) == [
        "KPK", "Indonesia corruption", "Bawaslu"]


def test_language_from_function_words() -> None:
    assert detect_language("Para pegawai yang hadir di apel itu diminta untuk menjaga netralitas. " * 5) == "id"
    assert detect_language("The officials who attended the rally were asked to stay neutral in the vote. " * 5) == "en"
    assert detect_language("terlalu pendek") == ""


def test_labelled_byline_boxes_and_itemprop_date() -> None:
    tree = lxml_html.document_fromstring(
        "<html><body><h2>Judul berita yang cukup panjang</h2>"
        "<p class='datetime'><span itemprop='datePublished' datetime='18 Jun 2015 at &lt;span&gt;'>"
        "18 Jun 2015 at <span>06:25 WIB</span></span></p>"
        "<ul class='sidebar'><li><time datetime='2015-06-17T21:50:56+07:00'>10 hours ago</time></li></ul>"
        "<article><p>Isi.</p></article>"
        "<table><tr><td>Penulis</td><td>: Ferril Dennys</td></tr><tr><td>Editor</td><td>: Aloysius Gonsaga</td>"
        "</tr></table></body></html>")
    meta = read_metadata(tree, "https://x.id/read/1/x")
    assert label_bylines(tree)[:2] == ["Penulis: Ferril Dennys", "Editor: Aloysius Gonsaga"]
    res = resolve_dates(meta.dates, ZoneInfo("Asia/Jakarta"), FETCHED)
    assert res.published_at == "2015-06-18T06:25:00+07:00"


def test_date_under_the_headline() -> None:
    tree = lxml_html.document_fromstring(
        "<html><head><meta property='og:title' content='Supaya Timnya Mengalah, Pelatih Ditawari Uang'></head>"
        "<body><h2>Supaya Timnya Mengalah, Pelatih Ditawari Uang</h2><div class='grey small'>"
        "Rabu, 17 Juni 2015 | 22:26 WIB</div><p>Isi.</p></body></html>")
    meta = read_metadata(tree, "https://x.id/read/1/x")
    res = resolve_dates(meta.dates, ZoneInfo("Asia/Jakarta"), FETCHED)
    assert res.published_at == "2015-06-17T22:26:00+07:00"
