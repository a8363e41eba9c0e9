"""ResolveDates: pick published/modified dates in the outlet's time zone."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from scrapy.crawler import Crawler

from crawler.extract import apply_dates
from crawler.items import Article

logger = logging.getLogger(__name__)


class ResolveDates:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResolveDates:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        site = self.crawler.spider.site  # type: ignore[union-attr]
        # Inline: resolving a handful of strings costs less than a trip to a worker.
        apply_dates(item, site.tz, datetime.fromisoformat(item.fetched_at))
        stats = self.crawler.stats
        assert stats is not None
        if item.published_at is None:
            stats.inc_value("dates/missing")
            logger.info("no trustworthy date for %s: %s", item.url, item.date_note)
        else:
            stats.inc_value(f"dates/source/{(item.date_source or 'unknown').split('+')[0]}")
        return item
