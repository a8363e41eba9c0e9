"""Discovery helpers: what kind of document a response is, which links are
articles, which are listings. Pure functions so they can be tested without a crawl.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

logger = logging.getLogger(__name__)

_ASSET_RE = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|css|js|pdf|zip|rar|mp[34]|avi|mov|woff2?|ttf|xlsx?|docx?|pptx?)$",
    re.IGNORECASE,
)
# Paths that are never articles on Indonesian news CMSes (WordPress, Disway, detik, Tribun).
_NON_ARTICLE_RE = re.compile(
    r"/(tag|tags|topik|topic|author|penulis|user|login|register|wp-admin|wp-login|wp-json|"
    r"feed|rss|search|cari|privacy|kebijakan-privasi|pedoman-media-siber|redaksi|tentang-kami|"
    r"about|kontak|contact|karir|disclaimer|sitemap|amp-stories|video|foto|galeri|cdn-cgi)(/|$|\?)",
    re.IGNORECASE,
)
_ARTICLE_SHAPE_RES = [
    re.compile(r"/(19|20)\d\d/\d{1,2}/\d{1,2}/[^/]{8,}"),  # WordPress, Tribun, kompas
    re.compile(r"/read/\d{3,}/"),  # Disway
    re.compile(r"/d-\d{5,}/"),  # detik
    re.compile(r"/berita/\d{4,}/"),  # ANTARA
    re.compile(r"/[a-z0-9]+(-[a-z0-9]+){4,}(\.html?)?/?$"),  # a long slug
]
_LISTING_SHAPE_RES = [
    re.compile(r"/page/\d+/?$"),
    re.compile(r"[?&](page|p|hal|halaman)=\d+"),
    re.compile(r"/(indeks|index|kategori|category|rubrik|kanal|section|berita|news)(/[a-z0-9-]+)*(/\d+)?/?$"),
]
_NEXT_TEXT_RE = re.compile(r"^\s*(next|selanjutnya|berikutnya|lanjut|»|›|>|older posts|\d{1,4})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    date: str = ""


def sniff_kind(body: bytes, content_type: str) -> str:
    """'sitemap', 'feed', 'html' or 'other'."""
    head = body[:2048].lstrip().lower()
    ct = content_type.lower()
    if head.startswith(b"\x1f\x8b"):
        return "sitemap"  # gzipped sitemap; feeds are never served that way here
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if "html" in ct or b"<html" in head or b"<!doctype html" in head:
        return "html"
    if "xml" in ct:
        return "feed" if b"<channel" in body[:8192].lower() else "other"
    return "other"


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """Entry links of an RSS 1/2 or Atom feed; robust to junk around the XML."""
    try:
        parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(body, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    out: list[FeedEntry] = []
    for item in root.iter():
        if not isinstance(item.tag, str):
            continue
        local = etree.QName(item).localname
        if local not in ("item", "entry"):
            continue
        link = ""
        date = ""
        for child in item:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "link":
                href = child.get("href")
                rel = child.get("rel", "alternate")
                if href and rel == "alternate":
                    link = href
                elif (child.text or "").strip() and not link:
                    link = (child.text or "").strip()
            elif name in ("pubDate", "published", "updated", "date") and not date:
                date = (child.text or "").strip()
            elif name == "guid" and not link and (child.text or "").startswith("http"):
                link = (child.text or "").strip()
        if link:
            out.append(FeedEntry(urljoin(base_url, link), date))
    return out


def is_asset(url: str) -> bool:
    return bool(_ASSET_RE.search(urlsplit(url).path))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def looks_like_article_url(url: str) -> bool:
    p = path_of(url)
    if _NON_ARTICLE_RE.search(p) or is_asset(url):
        return False
    return any(r.search(p) for r in _ARTICLE_SHAPE_RES)


def looks_like_listing_url(url: str) -> bool:
    p = path_of(url)
    if is_asset(url) or looks_like_article_url(url):
        return False
    return any(r.search(p) for r in _LISTING_SHAPE_RES)


def host_allowed(url: str, domains: tuple[str, ...]) -> bool:
    # Hostname only, ignoring the port: Scrapy's allow_domains compares host:port,
    # which would reject every URL of a test server or mirror.
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)


def is_pagination_link(text: str, rel: str, cls: str) -> bool:
    if "next" in rel.lower().split():
        return True
    if re.search(r"(pag|next|nav)", cls, re.IGNORECASE) and _NEXT_TEXT_RE.match(text or ""):
        return True
    return bool(re.match(r"^\s*(selanjutnya|berikutnya|next|older posts|»|›)\s*$", text or "", re.IGNORECASE))


MAX_ARTICLE_PAGES = 10
_NEXT_PAGE_TEXT = re.compile(
    r"^\s*(halaman\s+(selanjutnya|berikutnya)|selanjutnya|next\s+page|berikutnya|›|»|\d{1,2})\s*$", re.IGNORECASE
)


def continuation_url(current: str, links: list[tuple[str, str, str]]) -> str | None:
    """The next page of the same article: ``?page=N+1``, ``/N+1`` after the article path,
    or a "Halaman selanjutnya" link that stays under the article's path. ``links`` are
    (absolute href, text, rel)."""
    cur = urlsplit(current)
    base_path = re.sub(r"/\d{1,2}/?$", "", cur.path.rstrip("/"))
    m = re.search(r"(?:^|&)page=(\d+)", cur.query)
    cur_page = int(m.group(1)) if m else 1
    tail = re.search(r"/(\d{1,2})/?$", cur.path.rstrip("/") + "/")
    if tail and not m:
        cur_page = int(tail.group(1))
    for href, text, rel in links:
        nxt = urlsplit(href)
        if nxt.netloc != cur.netloc:
            continue
        nm = re.search(r"(?:^|&)page=(\d+)", nxt.query)
        ntail = re.search(r"/(\d{1,2})/?$", nxt.path)
        same_article = re.sub(r"/\d{1,2}/?$", "", nxt.path.rstrip("/")) == base_path
        if not same_article:
            continue
        page = int(nm.group(1)) if nm else int(ntail.group(1)) if ntail else None
        if page == cur_page + 1 and ("next" in rel.lower().split() or _NEXT_PAGE_TEXT.match(text or "")):
            return href
    return None
