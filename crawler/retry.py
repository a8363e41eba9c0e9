"""Retries for 5xx/429 that honour Retry-After with exponential backoff otherwise."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message

from crawler.dates import parse_timestamp

logger = logging.getLogger(__name__)


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    when = parse_timestamp(value)
    if when is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings):  # type: ignore[no-untyped-def]
        super().__init__(settings)
        self.max_wait = settings.getfloat("WARTA_RETRY_AFTER_MAX", 120)
        self.base_backoff = settings.getfloat("WARTA_RETRY_BACKOFF", 1.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retries = request.meta.get("retry_times", 0)
        header = (response.headers.get("Retry-After") or b"").decode("latin-1")
        wait = retry_after_seconds(header) if header else None
        if wait is None:
            # Exponential backoff with jitter; the first retry comes quickly.
            wait = self.base_backoff * (2**retries) * (0.5 + random.random() / 2)
        if wait > self.max_wait:
            logger.warning("%s asks us to come back in %.0fs; setting it aside", request.url, wait)
            self.crawler.stats.inc_value("retry/retry_after_too_long")
            return response
        reason = response_status_message(response.status)
        new = self._retry(request, reason)
        if new is None:
            return response
        if wait > 0:
            self.crawler.stats.inc_value("retry/waited_seconds", int(wait))
            await asyncio.sleep(wait)
        return new
