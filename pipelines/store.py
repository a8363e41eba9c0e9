"""StoreArticle: write each article to the SQLite archive, with its run and aliases."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from archive import Archive
from crawler.items import Article, Gone, NotModified
from crawler.neardup import parse_threshold

logger = logging.getLogger(__name__)


class StoreArticle:
    def __init__(self, crawler: Crawler, db_path: str, run_id: int | None, near_threshold: float | None) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.run_id = run_id
        self.near_threshold = near_threshold
        self.own_run = False
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreArticle:
        run = crawler.settings.get("WARTA_RUN_ID")
        threshold = parse_threshold(crawler.settings.get("WARTA_NEAR_DUP_THRESHOLD"))
        return cls(crawler, crawler.settings.get("WARTA_DB"), int(run) if run else None, threshold)

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
        if isinstance(item, NotModified):
            assert self.archive is not None and self.crawler.stats is not None
            if self.archive.touch(item.url, item.fetched_at):
                self.crawler.stats.inc_value("archive/not_modified")
            return item
        if isinstance(item, Gone):
            assert self.archive is not None and self.crawler.stats is not None
            if self.archive.mark_gone(item.url, item.fetched_at):
                self.crawler.stats.inc_value("archive/gone")
            return item
        if not isinstance(item, Article):
            return item
        assert self.archive is not None and self.crawler.stats is not None
        item.run_id = self.run_id
        alias = item.url if item.url != item.canonical_url else None
        stored = self.archive.store_article(
            item.to_record(), alias_url=alias, fetched_urls=item.fetched_urls,
            etag=item.http_validators.get("etag"), last_modified=item.http_validators.get("last-modified"),
            minhash=item.minhash, near_threshold=self.near_threshold)
        self.crawler.stats.inc_value(f"archive/{stored.outcome}")
        # The archive links copies in the write's own transaction (see pipelines.dedup).
        if stored.link == "exact":
            self.crawler.stats.inc_value("dedup/content")
        elif stored.link == "near":
            self.crawler.stats.inc_value("dedup/near")
        return item


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in stats.items():
        out[k] = v.isoformat() if hasattr(v, "isoformat") else v
    return out
