"""ConditionalRequests: re-crawls ask "has this changed?" instead of downloading again.

A downloader middleware, so redirected article requests get the validators of
their target too. Validators (ETag, Last-Modified) come from earlier runs through
the archive; a 304 answer reaches the spider, which reports the article unchanged.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request

from archive import Archive, ArchiveError

logger = logging.getLogger(__name__)


class ConditionalRequests:
    def __init__(self, crawler: Crawler, db_path: str) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.validators: dict[str, tuple[str, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequests:
        if not crawler.settings.getbool("WARTA_CONDITIONAL_REQUESTS", True):
            raise NotConfigured
        mw = cls(crawler, crawler.settings.get("WARTA_DB"))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self) -> None:
        site = getattr(self.crawler.spider, "site", None)
        if site is None or not Path(self.db_path).exists():
            return
        try:
            with Archive(self.db_path, readonly=True) as archive:
                self.validators = archive.validators(site.name)
        except ArchiveError as e:
            logger.warning("no conditional requests this run: %s", e)
        logger.info("%d known URLs for conditional requests", len(self.validators))

    def process_request(self, request: Request) -> None:
        if request.meta.get("warta_expect") != "article":
            return
        known = self.validators.get(request.url)
        if known is None:
            return
        etag, last_modified = known
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if last_modified:
            request.headers.setdefault("If-Modified-Since", last_modified)
        # 404/410 of a known article reach the spider too: the article was removed.
        request.meta.setdefault("handle_httpstatus_list", [304, 404, 410])
        if self.crawler.stats:
            self.crawler.stats.inc_value("conditional/sent")
