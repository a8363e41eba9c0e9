"""Discovery: document kinds, feed parsing, link classification, spider routing."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request, XmlResponse

from crawler.discovery import (
    host_allowed,
    is_pagination_link,
    looks_like_article_url,
    looks_like_listing_url,
    parse_feed,
    sniff_kind,
)
from crawler.items import FetchedPage
from crawler.sites import parse_site
from spiders.news import NewsSpider

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<item><title>a</title><link>https://ex.id/2024/07/19/apel-netralitas-asn/</link>
<pubDate>Fri, 19 Jul 2024 07:00:00 +0700</pubDate></item>
<item><title>b</title><link>/read/123456/kpu-distribusi-logistik</link></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>a</title>
<link rel="alternate" href="https://ex.id/read/99999/judul-berita"/><published>2024-07-19T07:00:00+07:00</published></entry></feed>"""


def test_sniff_kind() -> None:
    assert sniff_kind(b'<?xml version="1.0"?><urlset>', "text/xml") == "sitemap"
    assert sniff_kind(b"<sitemapindex>", "") == "sitemap"
    assert sniff_kind(RSS, "application/xml") == "feed"
    assert sniff_kind(ATOM, "application/atom+xml") == "feed"
    assert sniff_kind(b"<!doctype html><html>", "text/html") == "html"
    assert sniff_kind(b"\x89PNG", "image/png") == "other"


def test_parse_feeds() -> None:
    rss = parse_feed(RSS, "https://ex.id/feed/")
    assert [e.url for e in rss] == [
        "https://ex.id/2024/07/19/apel-netralitas-asn/",
        "https://ex.id/read/123456/kpu-distribusi-logistik",
    ]
    assert rss[0].date.startswith("Fri, 19 Jul 2024")
    assert [e.url for e in parse_feed(ATOM, "https://ex.id/")] == ["https://ex.id/read/99999/judul-berita"]
    assert parse_feed(b"not xml at all <<<", "https://ex.id/") == []


@pytest.mark.parametrize(
    "url,article,listing",
    [
        ("https://ex.id/2024/07/19/apel-netralitas-asn/", True, False),
        ("https://ex.id/read/123456/kpu-distribusi-logistik", True, False),
        ("https://www.detik.com/sumbagsel/berita/d-7446812/pj-bupati-minta-asn", True, False),
        ("https://kalsel.antaranews.com/berita/412345/bawaslu-ingatkan-asn", True, False),
        ("https://ex.id/tag/netralitas-asn-dan-pemilu-serentak", False, False),
        ("https://ex.id/category/politik/page/2/", False, True),
        ("https://ex.id/indeks?page=3", False, True),
        ("https://ex.id/wp-content/uploads/foto-apel-netralitas-asn-2024.jpg", False, False),
    ],
)
def test_url_shapes(url: str, article: bool, listing: bool) -> None:
    assert looks_like_article_url(url) is article
    assert looks_like_listing_url(url) is listing


def test_host_allowed_ignores_port() -> None:
    assert host_allowed("http://127.0.0.1:8765/x", ("127.0.0.1",))
    assert host_allowed("https://m.sumeks.co/x", ("sumeks.co",))
    assert not host_allowed("https://evil-sumeks.co/x", ("sumeks.co",))


def test_pagination_links() -> None:
    assert is_pagination_link("2", "", "pagination")
    assert is_pagination_link("Selanjutnya", "", "")
    assert is_pagination_link("x", "next", "")
    assert not is_pagination_link("Politik", "", "menu")


def _spider(**extra: object) -> NewsSpider:
    data = {
        "name": "ex",
        "base_url": "http://127.0.0.1:8000/",
        "start_urls": ["/"],
        "timezone": "Asia/Jakarta",
        **extra,
    }
    return NewsSpider(site_config=parse_site(data, "test.toml"))


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, n: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + n


class _Crawler:
    def __init__(self) -> None:
        self.stats = _Stats()


LISTING = b"""<html><body><ul>
<li><a href="/2024/07/19/apel-netralitas-asn-banyuasin/">Apel</a></li>
<li><a href="http://127.0.0.1:8000/read/555555/bawaslu-temukan-camat-kampanye">Camat</a></li>
<li><a href="https://elsewhere.example/2024/07/19/berita-di-situs-lain/">luar</a></li>
<li><a href="/tag/asn/">tag</a></li></ul>
<div class="pagination"><a href="/category/politik/page/2/">2</a></div></body></html>"""


def test_listing_yields_articles_and_next_page_only_in_domain() -> None:
    spider = _spider()
    spider.crawler = _Crawler()  # type: ignore[assignment]
    req = Request("http://127.0.0.1:8000/category/politik/", meta={"listing_page": 1})
    resp = HtmlResponse(req.url, body=LISTING, request=req, headers={"Content-Type": "text/html"})
    out = list(spider.parse_listing(resp))
    urls = [r.url for r in out]
    assert "http://127.0.0.1:8000/2024/07/19/apel-netralitas-asn-banyuasin/" in urls
    assert "http://127.0.0.1:8000/read/555555/bawaslu-temukan-camat-kampanye" in urls
    assert "http://127.0.0.1:8000/category/politik/page/2/" in urls
    assert not any("elsewhere" in u or "/tag/" in u for u in urls)


def test_listing_pagination_stops_at_cap() -> None:
    spider = _spider(max_listing_pages=3)
    spider.crawler = _Crawler()  # type: ignore[assignment]
    req = Request("http://127.0.0.1:8000/category/politik/page/2/", meta={"listing_page": 3})
    resp = HtmlResponse(req.url, body=LISTING, request=req, headers={"Content-Type": "text/html"})
    urls = [r.url for r in spider.parse_listing(resp)]
    assert "http://127.0.0.1:8000/category/politik/page/2/" not in urls
    assert spider.crawler.stats.values["discovery/listing_cap_reached"] == 1


def test_article_pattern_limits_what_is_an_article() -> None:
    spider = _spider(article_url_pattern=r"^/read/\d+/", listing_url_pattern=r"^/category/")
    assert spider.classify("http://127.0.0.1:8000/read/555555/x") == "article"
    assert spider.classify("http://127.0.0.1:8000/2024/07/19/apel-netralitas-asn-banyuasin/") is None
    assert spider.classify("http://127.0.0.1:8000/category/politik/page/2/") == "listing"


def test_sitemap_index_and_urlset() -> None:
    spider = _spider()
    spider.crawler = _Crawler()  # type: ignore[assignment]
    idx = (
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>http://127.0.0.1:8000/post-sitemap.xml</loc></sitemap>"
        b"<sitemap><loc>https://other.example/s.xml</loc></sitemap></sitemapindex>"
    )
    resp = XmlResponse(
        "http://127.0.0.1:8000/sitemap_index.xml", body=idx, request=Request("http://127.0.0.1:8000/sitemap_index.xml")
    )
    assert [r.url for r in spider.parse_sitemap(resp)] == ["http://127.0.0.1:8000/post-sitemap.xml"]
    urlset = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>http://127.0.0.1:8000/2024/07/19/apel-netralitas-asn-banyuasin/</loc>"
        b"<lastmod>2024-07-19T07:00:00+07:00</lastmod></url></urlset>"
    )
    resp = XmlResponse(
        "http://127.0.0.1:8000/post-sitemap.xml", body=urlset, request=Request("http://127.0.0.1:8000/post-sitemap.xml")
    )
    reqs = list(spider.parse_sitemap(resp))
    assert [r.meta["warta_via"] for r in reqs] == ["sitemap"]


def test_article_page_becomes_fetched_page() -> None:
    spider = _spider()
    spider.crawler = _Crawler()  # type: ignore[assignment]
    body = b'<html><head><meta property="og:type" content="article"></head><body><p>x</p></body></html>'
    req = Request("http://127.0.0.1:8000/some/page", meta={"warta_via": "feed"})
    resp = HtmlResponse(req.url, body=body, request=req, headers={"Content-Type": "text/html; charset=utf-8"})
    assert spider.is_article_page(resp)
    item = spider.page_item(resp)
    assert isinstance(item, FetchedPage)
    assert item.site == "ex" and item.discovered_via == "feed" and item.body == body


def test_continuation_url() -> None:
    from crawler.discovery import continuation_url

    cur = "https://x.id/2024/10/07/camat-dipanggil"
    links = [("https://x.id/2024/10/07/camat-dipanggil?page=2", "Halaman selanjutnya", ""),
             ("https://x.id/2024/10/08/lain?page=2", "Selanjutnya", "")]
    assert continuation_url(cur, links) == "https://x.id/2024/10/07/camat-dipanggil?page=2"
    assert continuation_url(cur + "?page=2", [(cur + "?page=3", "3", "")]) == cur + "?page=3"
    assert continuation_url("https://x.id/read/1/judul", [("https://x.id/read/1/judul/2", "Next page", "")]) == \
        "https://x.id/read/1/judul/2"
    assert continuation_url(cur, [("https://x.id/2024/10/08/lain?page=2", "Selanjutnya", "")]) is None
    assert continuation_url(cur, [(cur + "?page=5", "5", "")]) is None
