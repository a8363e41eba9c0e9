"""StoreArticle: write each article to the SQLite archive, with its run, aliases and
captures.

Writes run on one thread of their own that owns the archive connection: storing an
article (its row, FTS entry, captures and 64 LSH band rows, one transaction) takes a
few milliseconds of SQLite work, which releases the GIL, so the crawl's reactor keeps
downloading meanwhile instead of waiting on the disk.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archive import Archive, ArchiveWriteError
from crawler.items import Article, Gone, NotModified
from crawler.neardup import parse_threshold

logger = logging.getLogger(__name__)

T = TypeVar("T")


class StoreArticle:
    def __init__(self, crawler: Crawler, db_path: str, run_id: int | None, near_threshold: float | None) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.run_id = run_id
        self.near_threshold = near_threshold
        self.own_run = False
        self.archive: Archive | None = None
        self.writer: ThreadPoolExecutor | None = None
        self.write_error: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreArticle:
        run = crawler.settings.get("WARTA_RUN_ID")
        threshold = parse_threshold(crawler.settings.get("WARTA_NEAR_DUP_THRESHOLD"))
        return cls(crawler, crawler.settings.get("WARTA_DB"), int(run) if run else None, threshold)

    def open_spider(self) -> None:
        # The connection is made on the writer thread: SQLite connections stay on the
        # thread that made them.
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warta-store")
        self.archive = self.writer.submit(Archive(self.db_path).open).result()
        if self.run_id is None:
            # `scrapy crawl news` without the CLI: the run is this spider's own.
            spider = self.crawler.spider
            self.run_id = self.writer.submit(self.archive.start_run, sites=[spider.site.name],  # type: ignore[union-attr]
                                             args={"via": "scrapy crawl"}).result()
            self.own_run = True

    def close_spider(self) -> None:
        if self.archive is None or self.writer is None:
            return
        archive = self.archive
        try:
            if self.own_run and self.run_id is not None:
                stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
                errors = sum(v for k, v in stats.items() if k.startswith("log_count/ERROR"))
                self.writer.submit(archive.finish_run, self.run_id, stats=_jsonable(stats),
                                   status="partial" if errors else "ok").result()
        except ArchiveWriteError as e:
            logger.error("%s", e)
        finally:
            self.writer.submit(archive.close).result()
            self.writer.shutdown()

    async def _write(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        assert self.writer is not None
        return await asyncio.wrap_future(self.writer.submit(fn, *args, **kwargs))

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, (Article, NotModified, Gone)):
            return item
        assert self.crawler.stats is not None
        if self.write_error is not None:
            self.crawler.stats.inc_value("archive/not_stored")
            raise DropItem("archive not writable", log_level="DEBUG")
        try:
            return await self._store(item)
        except ArchiveWriteError as e:
            # Disk full or read-only: every later write would fail the same way, so stop
            # this site's crawl now. The failed transaction rolled back; the articles not
            # stored have no url_state row either, so the next run fetches them.
            self.write_error = str(e)
            site = getattr(getattr(self.crawler.spider, "site", None), "name", "this site")
            logger.error("%s; stopping the crawl of %s", e, site)
            self.crawler.stats.set_value("archive/write_error", str(e))
            self.crawler.stats.inc_value("archive/not_stored")
            if self.crawler.engine is not None:
                asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="archive_unwritable"))
            raise DropItem("archive not writable", log_level="DEBUG") from None

    async def _store(self, item: Article | NotModified | Gone) -> Any:
        assert self.archive is not None and self.crawler.stats is not None
        stats = self.crawler.stats
        if isinstance(item, NotModified):
            cap = item.capture.to_record() if item.capture else None
            if await self._write(self.archive.touch, item.url, item.fetched_at, capture=cap, run_id=self.run_id):
                stats.inc_value("archive/not_modified")
            return item
        if isinstance(item, Gone):
            cap = item.capture.to_record() if item.capture else None
            if await self._write(self.archive.mark_gone, item.url, item.fetched_at, capture=cap, run_id=self.run_id):
                stats.inc_value("archive/gone")
            return item
        item.run_id = self.run_id
        alias = item.url if item.url != item.canonical_url else None
        stored = await self._write(
            self.archive.store_article, item.to_record(), alias_url=alias, fetched_urls=item.fetched_urls,
            etag=item.http_validators.get("etag"), last_modified=item.http_validators.get("last-modified"),
            captures=[c.to_record() for c in item.captures], minhash=item.minhash,
            near_threshold=self.near_threshold)
        stats.inc_value(f"archive/{stored.outcome}")
        # The archive links copies in the write's own transaction (see pipelines.dedup).
        if stored.link == "exact":
            stats.inc_value("dedup/content")
        elif stored.link == "near":
            stats.inc_value("dedup/near")
        return item


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in stats.items():
        out[k] = v.isoformat() if hasattr(v, "isoformat") else v
    return out
