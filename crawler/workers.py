"""CpuPool: a process pool the CPU-heavy pipelines (extraction, dates, relevance)
share, so parsing runs on every core while the crawl process keeps downloading.

A Scrapy extension: off (NotConfigured) when WARTA_EXTRACT_WORKERS is 0, in which
case the pipelines run their functions inline.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)
T = TypeVar("T")


class CpuPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CpuPool:
        workers = crawler.settings.getint("WARTA_EXTRACT_WORKERS", 0)
        if workers <= 0:
            # No message: Scrapy would log one as a warning, and 0 workers is a normal choice.
            raise NotConfigured
        ext = cls(workers)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def start(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = process_pool(self.workers)
        return self.pool

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.start(), fn, *args)

    def spider_closed(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def process_pool(workers: int) -> ProcessPoolExecutor:
    """The worker pool of a crawl and of ``warta reextract``."""
    # spawn, not fork: forking a process that runs a reactor and threads is unsafe.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def cpu_pool(crawler: Crawler) -> CpuPool | None:
    """The crawler's CpuPool extension, if enabled."""
    if crawler.extensions is None:
        return None
    for ext in crawler.extensions.middlewares:
        if isinstance(ext, CpuPool):
            return ext
    return None


async def run_cpu(crawler: Crawler, fn: Callable[..., T], *args: Any) -> T:
    pool = cpu_pool(crawler)
    if pool is None:
        return fn(*args)
    return await pool.run(fn, *args)
