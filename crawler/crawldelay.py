"""CrawlDelay: honour robots.txt ``Crawl-delay``, which Scrapy parses but does not apply.

On the robots_parsed signal the outlet's download slot gets at least that delay,
without jitter, so requests never come faster than the outlet asked. Capped by
WARTA_MAX_CRAWL_DELAY so a typo (Crawl-delay: 3600) cannot stall a run.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request

logger = logging.getLogger(__name__)


class CrawlDelay:
    def __init__(self, crawler: Crawler, max_delay: float) -> None:
        self.crawler = crawler
        self.max_delay = max_delay

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelay:
        ext = cls(crawler, crawler.settings.getfloat("WARTA_MAX_CRAWL_DELAY", 60.0))
        crawler.signals.connect(ext.robots_parsed, signal=signals.robots_parsed)
        return ext

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        ua = self.crawler.settings.get("ROBOTSTXT_USER_AGENT") or self.crawler.settings.get("USER_AGENT")
        try:
            delay = robotparser.crawl_delay(ua)
        except Exception:  # noqa: BLE001 - a parser without Crawl-delay support
            return
        if not delay or delay <= 0:
            return
        delay = min(float(delay), self.max_delay)
        engine: Any = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return
        key = downloader.get_slot_key(request)
        settings = dict(downloader.per_slot_settings.get(key, {}))
        settings["delay"] = max(delay, float(settings.get("delay", 0) or 0), float(downloader._delay or 0))
        settings["jitter"] = 0.0
        downloader.per_slot_settings[key] = settings
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("robotstxt/crawl_delay", delay)
        logger.info("robots.txt asks for Crawl-delay %.1fs on %s", delay, key)
