"""CircuitBreaker: an outlet that keeps failing (timeouts, resets, 403, 429, 5xx)
is set aside for this run, so one broken site does not eat the run's time while
the others go on. A downloader middleware: it sees both responses and errors."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

FAILING_STATUSES = frozenset({403, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


class CircuitBreaker:
    def __init__(self, crawler: Crawler, threshold: int) -> None:
        self.crawler = crawler
        self.threshold = threshold
        self.consecutive = 0
        self.last_failure = ""
        self.open = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CircuitBreaker:
        threshold = crawler.settings.getint("WARTA_BREAKER_FAILURES", 10)
        if threshold <= 0:
            raise NotConfigured
        return cls(crawler, threshold)

    def process_request(self, request: Request) -> None:
        if self.open:
            raise IgnoreRequest("circuit open: site set aside for this run")

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in FAILING_STATUSES:
            self._fail(f"HTTP {response.status}")
        else:
            self.consecutive = 0
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest):
            return None
        self._fail(type(exception).__name__)
        return None

    def _fail(self, what: str) -> None:
        self.consecutive += 1
        self.last_failure = what
        if self.consecutive >= self.threshold and not self.open:
            self.open = True
            stats = self.crawler.stats
            if stats is not None:
                stats.set_value("breaker/open", f"{self.consecutive} failures in a row, last {what}")
            logger.error("%s: %d failures in a row (last: %s); setting the site aside for this run",
                         getattr(self.crawler.spider, "name", "site"), self.consecutive, what)
            engine: Any = self.crawler.engine
            if engine is not None:
                asyncio.ensure_future(engine.close_spider_async(reason="circuit_open"))
