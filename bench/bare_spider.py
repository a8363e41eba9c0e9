"""Baseline (b): a bare Scrapy spider that fetches the same pages and does nothing."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.sitemap import Sitemap


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, origin: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.origin = origin

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.origin + "/sitemap.xml", callback=self.parse_sitemap)

    def parse_sitemap(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        sm = Sitemap(response.body)
        for e in sm:
            cb = self.parse_sitemap if sm.type == "sitemapindex" else self.parse_page
            yield scrapy.Request(e["loc"], callback=cb)

    def parse_page(self, response: scrapy.http.Response) -> None:
        self.crawler.stats.inc_value("bare/pages")


def main() -> None:
    origin, concurrency = sys.argv[1], int(sys.argv[2])
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
    })
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, origin=origin)
    process.start()
    print(f"pages={crawler.stats.get_value('bare/pages', 0)}")


if __name__ == "__main__":
    main()
