"""Deduplicate: same canonical URL means the same article (an alias was fetched);
the same normalised text elsewhere means a copy, linked to the earliest one."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from archive import Archive
from crawler.extract import content_hash
from crawler.items import Article

logger = logging.getLogger(__name__)


class Deduplicate:
    def __init__(self, crawler: Crawler, db_path: str) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.archive: Archive | None = None
        self.seen_urls: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Deduplicate:
        return cls(crawler, crawler.settings.get("WARTA_DB"))

    def open_spider(self) -> None:
        self.archive = Archive(self.db_path).open()

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        assert self.archive is not None and self.crawler.stats is not None
        stats = self.crawler.stats
        item.content_hash = item.content_hash or content_hash(item.text)
        if item.canonical_url in self.seen_urls:
            # An alias (?utm_source=..., a redirect) of a page this run already has;
            # the store records the alias instead of a second article.
            stats.inc_value("dedup/url")
        self.seen_urls.add(item.canonical_url)
        first = self.archive.find_by_content_hash(item.content_hash)
        if first is not None and first["canonical_url"] != item.canonical_url:
            stats.inc_value("dedup/content")
            item.duplicate_of = first["canonical_url"]
        return item
