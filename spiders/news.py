"""The generic news spider: one site config in, article pages out.

Discovery runs from the config's start URLs: sitemaps (index, news, lastmod),
RSS/Atom feeds, and listing pages with pagination up to ``max_listing_pages``.
Article pages are handed on as ``FetchedPage`` items; everything else about an
article is the pipelines' business.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Request, Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from archive import Archive, ArchiveError
from crawler.dates import parse_timestamp
from crawler.discovery import (
    MAX_ARTICLE_PAGES,
    continuation_url,
    host_allowed,
    is_asset,
    is_pagination_link,
    looks_like_article_url,
    looks_like_listing_url,
    parse_feed,
    path_of,
    sniff_kind,
)
from crawler.items import Capture, FetchedPage, Gone, NotModified
from crawler.sites import SiteConfig, load_registry

logger = logging.getLogger(__name__)

# Sitemap indexes can nest; real ones are two levels deep, traps are not.
MAX_SITEMAP_DEPTH = 3
_SOURCE_HINT = re.compile(r"sitemap|feed|rss|atom|\.xml", re.IGNORECASE)


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(
        self,
        site: str | None = None,
        site_config: SiteConfig | None = None,
        sites_dir: str | None = None,
        base_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if site_config is None:
            if not site:
                raise ValueError("NewsSpider needs a site: scrapy crawl news -a site=NAME")
            registry = load_registry(Path(sites_dir) if sites_dir else None)
            if site not in registry:
                raise ValueError(f"unknown site {site!r}; known: {', '.join(sorted(registry))}")
            site_config = registry[site]
        if base_url:
            site_config = site_config.rebased(base_url)
        self.site = site_config
        self.allowed_hosts = site_config.domains
        # Scrapy's offsite middleware compares hostnames (no port), which is also what a
        # mirror on 127.0.0.1:PORT needs; it stops redirects that leave the outlet.
        self.allowed_domains = list(site_config.domains)
        self._article_re = site_config.article_re()
        self._listing_re = site_config.listing_re()
        self._seen_feeds: set[str] = set()
        self._known: dict[str, tuple[str, str | None]] = {}
        self._recheck_after = datetime.now(UTC) - timedelta(days=3)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        # Settings are still open here (one crawler per site), so the site's politeness
        # becomes this crawler's. An operator (or a test against a local mirror) may
        # override every site's delay with WARTA_DOWNLOAD_DELAY.
        override = crawler.settings.get("WARTA_DOWNLOAD_DELAY")
        delay = float(override) if override not in (None, "") else spider.site.download_delay
        crawler.settings.set("DOWNLOAD_DELAY", delay, priority="spider")
        crawler.settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", spider.site.concurrency, priority="spider")
        # One crawler per site: requests beyond the site's concurrency would only wait in
        # the downloader, out of reach of the circuit breaker when the site fails.
        crawler.settings.set("CONCURRENT_REQUESTS", spider.site.concurrency + 1, priority="spider")
        contact = crawler.settings.get("WARTA_CONTACT")
        if contact:
            ua = crawler.settings.get("USER_AGENT", "Warta").rstrip(")")
            crawler.settings.set("USER_AGENT", f"{ua}; +{contact})", priority="spider")
        return spider

    # -- entry ---------------------------------------------------------------
    def _load_known(self) -> None:
        db = self.crawler.settings.get("WARTA_DB")
        days = self.crawler.settings.getfloat("WARTA_RECHECK_DAYS", 3)
        self._recheck_after = datetime.now(UTC) - timedelta(days=days)
        if not db or not Path(db).exists():
            return
        try:
            with Archive(db, readonly=True) as archive:
                self._known = archive.known_urls(self.site.name)
        except ArchiveError as e:
            logger.warning("incremental discovery off this run: %s", e)

    def should_fetch(self, url: str, lastmod: str | None = None) -> bool:
        """Incremental: an article fetched before is asked for again only when the
        sitemap/feed says it changed since, or when it is recent enough that edits and
        deletions are still likely (WARTA_RECHECK_DAYS, default 3)."""
        known = self._known.get(url)
        if known is None:
            return True
        fetched, published = known
        when = parse_timestamp(published) if published else None
        if when is not None and when >= self._recheck_after:
            return True  # recent: edits and deletions are still likely
        if lastmod:
            changed = parse_timestamp(lastmod)
            seen = parse_timestamp(fetched)
            if changed is not None and seen is not None:
                if changed > seen:
                    return True
                self.crawler.stats.inc_value("discovery/skipped_unchanged")
                return False
        self.crawler.stats.inc_value("discovery/skipped_known")
        return False

    async def start(self) -> AsyncIterator[Request]:
        self._load_known()
        urls = self.site.resolved_start_urls()
        self._seen_feeds.update(urls)  # a start URL advertised again as a feed is not fetched twice
        for url in urls:
            yield Request(url, callback=self.parse_any, meta={"warta_via": "start", "listing_page": 1},
                          dont_filter=True)
        if not any(_SOURCE_HINT.search(path_of(u)) for u in urls):
            # No sitemap or feed configured: the site's robots.txt may name its sitemaps.
            yield Request(urljoin(urls[0], "/robots.txt"), callback=self.parse_robots,
                          meta={"warta_via": "robots", "dont_obey_robotstxt": True}, dont_filter=True)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        for line in response.text.splitlines() if response.status == 200 else []:
            key, _, value = line.partition(":")
            if key.strip().lower() == "sitemap":
                url = urljoin(response.url, value.strip())
                if host_allowed(url, self.allowed_hosts):
                    self.crawler.stats.inc_value("discovery/robots_sitemaps")
                    yield Request(url, callback=self.parse_any, meta={"warta_via": "sitemap"})

    def parse_any(self, response: Response) -> Iterator[Any]:
        ct = (response.headers.get("Content-Type") or b"").decode("latin-1")
        body = response.body
        kind = sniff_kind(body, ct)
        if kind == "sitemap":
            yield from self.parse_sitemap(response)
        elif kind == "feed":
            yield from self.parse_feed(response)
        elif kind == "html":
            if self.is_article_page(response):
                yield self.page_item(response)
            else:
                yield from self.parse_listing(response)
        else:
            self.crawler.stats.inc_value("discovery/skipped_non_html")

    # -- classification ------------------------------------------------------
    def classify(self, url: str) -> str | None:
        """'article', 'listing' or None (not worth fetching)."""
        if not host_allowed(url, self.allowed_hosts) or is_asset(url):
            return None
        p = path_of(url)
        if self._article_re is not None:
            if self._article_re.search(p):
                return "article"
        elif looks_like_article_url(url):
            return "article"
        if self._listing_re is not None:
            return "listing" if self._listing_re.search(p) else None
        return "listing" if looks_like_listing_url(url) else None

    def is_article_page(self, response: Response) -> bool:
        if self._article_re is not None and self._article_re.search(path_of(response.url)):
            return True
        if response.meta.get("warta_expect") == "article":
            return True
        og = response.xpath('//meta[@property="og:type"]/@content').get("")
        if og.strip().lower() == "article":
            return True
        ld = " ".join(response.xpath('//script[@type="application/ld+json"]/text()').getall())
        if '"NewsArticle"' in ld or '"Article"' in ld or '"ReportageNewsArticle"' in ld:
            return True
        return self._article_re is None and looks_like_article_url(response.url)

    # -- sources -------------------------------------------------------------
    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=50 * 1024 * 1024)
            except Exception:  # noqa: BLE001 - a corrupt sitemap is logged and skipped
                logger.warning("cannot gunzip sitemap %s", response.url)
                self.crawler.stats.inc_value("discovery/bad_sitemap")
                return
        try:
            sm = Sitemap(body)
        except Exception:  # noqa: BLE001
            logger.warning("cannot parse sitemap %s", response.url)
            self.crawler.stats.inc_value("discovery/bad_sitemap")
            return
        depth = response.meta.get("sitemap_depth", 0)
        for entry in sm:
            loc = urljoin(response.url, entry.get("loc", ""))
            if sm.type == "sitemapindex":
                if depth + 1 >= MAX_SITEMAP_DEPTH or not host_allowed(loc, self.allowed_hosts):
                    continue
                yield Request(loc, callback=self.parse_any,
                              meta={"warta_via": "sitemap", "sitemap_depth": depth + 1})
            elif self.classify(loc) == "article" or (
                self._article_re is None and host_allowed(loc, self.allowed_hosts)
            ):
                self.crawler.stats.inc_value("discovery/sitemap_urls")
                lastmod = entry.get("lastmod") or _news_date(entry)
                if self.should_fetch(loc, lastmod):
                    yield self.article_request(loc, "sitemap", response.url)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        for entry in parse_feed(response.body, response.url):
            if self.classify(entry.url) == "article" or (
                self._article_re is None and host_allowed(entry.url, self.allowed_hosts)
            ):
                self.crawler.stats.inc_value("discovery/feed_urls")
                if self.should_fetch(entry.url, entry.date or None):
                    yield self.article_request(entry.url, "feed", response.url)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        page = int(response.meta.get("listing_page", 1))
        self.crawler.stats.inc_value("discovery/listing_pages")
        # Feeds advertised by an HTML start page are the cheapest discovery source.
        if response.meta.get("warta_via") == "start":
            for href in response.xpath(
                '//link[@rel="alternate"][contains(@type,"rss") or contains(@type,"atom")]/@href'
            ).getall():
                feed = urljoin(response.url, href)
                if feed not in self._seen_feeds and host_allowed(feed, self.allowed_hosts):
                    self._seen_feeds.add(feed)
                    yield Request(feed, callback=self.parse_any, meta={"warta_via": "feed"})
        articles: list[str] = []
        listings: list[str] = []
        for a in response.xpath("//a[@href]"):
            href = a.attrib.get("href", "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                continue
            url = response.urljoin(href).split("#")[0]
            kind = self.classify(url)
            if kind == "article":
                self.crawler.stats.inc_value("discovery/listing_urls")
                articles.append(url)
                continue
            text = " ".join(a.xpath(".//text()").getall())
            rel = a.attrib.get("rel", "")
            cls = " ".join(a.xpath("ancestor-or-self::*/@class").getall()[-3:])
            if kind == "listing" or (kind is None and host_allowed(url, self.allowed_hosts)
                                     and is_pagination_link(text, rel, cls) and self._listing_re is None):
                listings.append(url)
        wanted = [u for u in dict.fromkeys(articles) if self.should_fetch(u)]
        for url in wanted:
            yield self.article_request(url, "listing", response.url)
        if articles and not wanted and page > 1:
            # A page of nothing but known, older articles: the rest of the listing is older
            # still and was walked before. (Page 1 always leads on: it may be a front page.)
            self.crawler.stats.inc_value("discovery/listing_stopped_known")
            return
        for url in dict.fromkeys(listings):
            if page >= self.site.max_listing_pages:
                self.crawler.stats.inc_value("discovery/listing_cap_reached")
                continue
            yield Request(url, callback=self.parse_any, meta={"warta_via": "listing", "listing_page": page + 1})

    # -- articles ------------------------------------------------------------
    def article_request(self, url: str, via: str, referer: str) -> Request:
        return Request(url, callback=self.parse_article, meta={"warta_via": via, "warta_expect": "article"},
                       headers={"Referer": referer})

    def parse_article(self, response: Response) -> Iterator[Any]:
        if response.status == 304:
            self.crawler.stats.inc_value("conditional/not_modified")
            cap = _capture(response)
            yield NotModified(self.site.name, response.url, cap.fetched_at, capture=cap)
            return
        if response.status in (404, 410):
            self.crawler.stats.inc_value("conditional/gone")
            cap = _capture(response)
            yield Gone(self.site.name, response.url, response.status, cap.fetched_at, capture=cap)
            return
        ct = (response.headers.get("Content-Type") or b"").decode("latin-1")
        if sniff_kind(response.body, ct) != "html":
            self.crawler.stats.inc_value("discovery/article_not_html")
            return
        item = self.page_item(response)
        yield from self._continue(response, item)

    def _continue(self, response: Response, item: FetchedPage) -> Iterator[Any]:
        """Follow "Halaman selanjutnya" / ?page=N+1 and hand the article on whole."""
        body = response.body
        path = urlsplit(response.url).path.rstrip("/").encode("utf-8", "replace")
        if not (b"page=" in body or b"elanjutnya" in body or b"erikutnya" in body or b"next" in body
                or path + b"/2" in body):
            # Most articles have one page; skip walking every link of the page.
            yield item
            return
        links = [(response.urljoin(a.attrib.get("href", "")), " ".join(a.xpath(".//text()").getall()),
                  a.attrib.get("rel", "")) for a in response.xpath("//a[@href]")]
        links += [(response.urljoin(h), "", "next") for h in response.xpath('//link[@rel="next"]/@href').getall()]
        nxt = continuation_url(response.url, links)
        if nxt is None or len(item.continuation) + 1 >= MAX_ARTICLE_PAGES:
            yield item
            return
        self.crawler.stats.inc_value("discovery/article_continuation")
        yield Request(nxt, callback=self.parse_continuation, meta={"warta_item": item}, dont_filter=True,
                      errback=self.continuation_failed)

    def parse_continuation(self, response: Response) -> Iterator[Any]:
        item: FetchedPage = response.meta["warta_item"]
        if response.status != 200:
            yield item
            return
        item.continuation.append(response.body)
        item.continuation_captures.append(_capture(response))
        yield from self._continue(response, item)

    def continuation_failed(self, failure: Any) -> Iterator[Any]:
        # A later page failed: keep what we have rather than lose the article.
        yield failure.request.meta["warta_item"]

    def page_item(self, response: Response) -> FetchedPage:
        cap = _capture(response)
        return FetchedPage(
            site=self.site.name,
            url=response.url,
            requested_url=cap.requested_url,
            status=response.status,
            headers=cap.headers,
            body=response.body,
            fetched_at=cap.fetched_at,
            discovered_via=str(response.meta.get("warta_via", "")),
            referer=(response.request.headers.get("Referer", b"") or b"").decode("latin-1")
            if response.request else "",
        )


def _capture(response: Response) -> Capture:
    headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
    redirected = response.request.meta.get("redirect_urls") if response.request else None
    return Capture(url=response.url, status=response.status, headers=headers, body=response.body,
                   fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
                   requested_url=redirected[0] if redirected else response.url)


def _news_date(entry: dict[str, Any]) -> str | None:
    news = entry.get("news")
    if isinstance(news, dict):
        value = news.get("publication_date")
        return str(value) if value else None
    return None
