"""Deduplicate: fingerprint each article for duplicate clustering.

Same canonical URL means the same article (an alias was fetched). Same normalised
text (content_hash) elsewhere is an exact copy; a similar MinHash signature (a
press release with a new intro and outro) is a near copy. Which cluster an article
joins is decided by the archive in the store's write transaction, not here: crawlers
of several sites run side by side, and two copies can pass this stage before either
is stored. This stage does the CPU work (hash, shingles, MinHash), in the
extraction worker processes when there are any, so the write transaction stays short
and the crawl process stays free for downloads.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from crawler.extract import content_hash
from crawler.items import Article
from crawler.neardup import signature
from crawler.workers import run_cpu

logger = logging.getLogger(__name__)


class Deduplicate:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen_urls: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Deduplicate:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        assert self.crawler.stats is not None
        item.content_hash = item.content_hash or content_hash(item.text)
        if item.canonical_url in self.seen_urls:
            # An alias (?utm_source=..., a redirect) of a page this run already has;
            # the store records the alias instead of a second article.
            self.crawler.stats.inc_value("dedup/url")
        self.seen_urls.add(item.canonical_url)
        if item.minhash is None:
            item.minhash = await run_cpu(self.crawler, signature, item.text)
        return item
