"""ExtractArticle: FetchedPage -> Article (text, metadata, raw date candidates)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.extract import extract_content
from crawler.items import Article, FetchedPage
from crawler.sites import SiteConfig
from crawler.urls import canonicalize
from crawler.workers import run_cpu

logger = logging.getLogger(__name__)


def _extract(body: bytes, url: str, site: SiteConfig, content_type: str | None,
             continuation: list[bytes] | None = None) -> Article:
    return extract_content(body, url, site, content_type=content_type, continuation=continuation)


class ExtractArticle:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractArticle:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        site: SiteConfig = self.crawler.spider.site  # type: ignore[union-attr]
        ct = item.headers.get("Content-Type") or item.headers.get("content-type")
        stats = self.crawler.stats
        assert stats is not None
        try:
            art = await run_cpu(self.crawler, _extract, item.body, item.url, site, ct, item.continuation)
        except Exception as e:  # noqa: BLE001 - one bad page must not stop the crawl
            stats.inc_value("extract/error")
            logger.error("extraction failed for %s: %s", item.url, e)
            raise DropItem(f"extraction failed: {e}") from None
        if not art.is_article:
            stats.inc_value("extract/not_article")
            raise DropItem(f"not an article: {art.not_article_reason} ({item.url})")
        art.site = item.site
        art.fetched_at = item.fetched_at
        art.http_status = item.status
        art.discovered_via = item.discovered_via
        art.run_id = item.run_id
        # The URL we asked for may be an alias (tracking parameters, redirects).
        art.url = item.requested_url
        if not art.canonical_url:
            art.canonical_url = canonicalize(item.url, urlsplit(site.base_url).hostname)
        headers = {k.lower(): v for k, v in item.headers.items()}
        art.http_validators = {k: headers[k] for k in ("etag", "last-modified") if headers.get(k)}
        art.fetched_urls = list(dict.fromkeys([item.requested_url, item.url]))
        art.captures = item.captures()
        stats.inc_value("extract/ok")
        return art
