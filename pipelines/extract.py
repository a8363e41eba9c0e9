"""ExtractArticle: FetchedPage -> Article (text, metadata, raw date candidates)."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.extract import extract_content
from crawler.items import Article, FetchedPage
from crawler.sites import SiteConfig

logger = logging.getLogger(__name__)


def _extract(body: bytes, url: str, site: SiteConfig, content_type: str | None) -> Article:
    return extract_content(body, url, site, content_type=content_type)


class ExtractArticle:
    """Runs the extractor; with WARTA_EXTRACT_WORKERS > 0 it runs in worker processes
    so the crawl process keeps downloading while pages are parsed on other cores."""

    def __init__(self, crawler: Crawler, workers: int) -> None:
        self.crawler = crawler
        self.workers = workers
        self.pool: Executor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractArticle:
        return cls(crawler, crawler.settings.getint("WARTA_EXTRACT_WORKERS", 0))

    def open_spider(self) -> None:
        if self.workers > 0:
            # spawn, not fork: forking a process that runs a reactor and threads is unsafe.
            ctx = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        spider = self.crawler.spider
        site: SiteConfig = spider.site  # type: ignore[union-attr]
        ct = item.headers.get("Content-Type") or item.headers.get("content-type")
        stats = self.crawler.stats
        assert stats is not None
        try:
            if self.pool is not None:
                loop = asyncio.get_running_loop()
                art = await loop.run_in_executor(self.pool, _extract, item.body, item.url, site, ct)
            else:
                art = _extract(item.body, item.url, site, ct)
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
        art.url = item.requested_url if item.requested_url != item.url else item.url
        if not art.canonical_url:
            art.canonical_url = item.url
        stats.inc_value("extract/ok")
        return art
