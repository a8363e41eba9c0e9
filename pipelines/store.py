"""StoreArticle: write each article to the SQLite archive, with its run and aliases."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archive import Archive, ArchiveWriteError
from crawler.items import Article, Gone, NotModified

logger = logging.getLogger(__name__)


class StoreArticle:
    def __init__(self, crawler: Crawler, db_path: str, run_id: int | None) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.run_id = run_id
        self.own_run = False
        self.archive: Archive | None = None
        self.write_error: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreArticle:
        run = crawler.settings.get("WARTA_RUN_ID")
        return cls(crawler, crawler.settings.get("WARTA_DB"), int(run) if run else None)

    def open_spider(self) -> None:
        self.archive = Archive(self.db_path).open()
        if self.run_id is None:
            # `scrapy crawl news` without the CLI: the run is this spider's own.
            spider = self.crawler.spider
            self.run_id = self.archive.start_run(sites=[spider.site.name], args={"via": "scrapy crawl"})  # type: ignore[union-attr]
            self.own_run = True

    def close_spider(self) -> None:
        if self.archive is None:
            return
        if self.own_run and self.run_id is not None:
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            errors = sum(v for k, v in stats.items() if k.startswith("log_count/ERROR"))
            self.archive.finish_run(self.run_id, stats=_jsonable(stats), status="partial" if errors else "ok")
        self.archive.close()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, (Article, NotModified, Gone)):
            return item
        assert self.crawler.stats is not None
        if self.write_error is not None:
            self.crawler.stats.inc_value("archive/not_stored")
            raise DropItem("archive not writable", log_level="DEBUG")
        try:
            return self._store(item)
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

    def _store(self, item: Article | NotModified | Gone) -> Any:
        assert self.archive is not None and self.crawler.stats is not None
        if isinstance(item, NotModified):
            cap = item.capture.to_record() if item.capture else None
            if self.archive.touch(item.url, item.fetched_at, capture=cap, run_id=self.run_id):
                self.crawler.stats.inc_value("archive/not_modified")
            return item
        if isinstance(item, Gone):
            cap = item.capture.to_record() if item.capture else None
            if self.archive.mark_gone(item.url, item.fetched_at, capture=cap, run_id=self.run_id):
                self.crawler.stats.inc_value("archive/gone")
            return item
        item.run_id = self.run_id
        alias = item.url if item.url != item.canonical_url else None
        _id, outcome = self.archive.upsert_article(
            item.to_record(), alias_url=alias, fetched_urls=item.fetched_urls,
            etag=item.http_validators.get("etag"), last_modified=item.http_validators.get("last-modified"),
            captures=[c.to_record() for c in item.captures])
        self.crawler.stats.inc_value(f"archive/{outcome}")
        # Checked here, after the write, not only in Deduplicate: crawlers of several
        # sites run side by side, and two copies can pass Deduplicate before either
        # is stored. The earliest-published copy must end up as the original.
        if item.content_hash and self.archive.count_by_content_hash(item.content_hash) > 1:
            self.archive.relink_duplicates(item.content_hash)
        return item


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in stats.items():
        out[k] = v.isoformat() if hasattr(v, "isoformat") else v
    return out
