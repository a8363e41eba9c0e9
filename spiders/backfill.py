"""BackfillSpider: the NewsSpider walking an outlet's own search, tags, date index and
archive sitemaps for a date range, instead of its current sitemaps and feeds.

Articles go through the same pipelines and archive as a crawl. What is generic here
is the walk: pages are generated from the config's templates (never from the
page's own "next" or "previous day" links), each walk stops on its own rules, and
its position is stored in the archive after every page, so an interrupted backfill
resumes where it stopped and a finished one is not walked again.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from archive import Archive
from crawler.backfill import Unit, in_range, listed_links, plan_units, start_page
from crawler.dates import parse_date
from crawler.discovery import host_allowed, sniff_kind
from crawler.items import Article, FetchedPage
from crawler.urls import canonicalize
from spiders.news import NewsSpider, _news_date

logger = logging.getLogger(__name__)

ARTICLE_PRIORITY = 10  # fetch what a page listed before walking further
MAX_SITEMAP_DEPTH = 2


@dataclass
class Walk:
    """A unit being walked in this run."""

    unit: Unit
    first_page: int
    seen: set[str] = field(default_factory=set)
    stale: int = 0
    pending: int = 0  # sitemap documents in flight
    failed: bool = False  # a document failed: the walk stays unfinished
    fresh: bool = True  # the next stored page resets the unit's counters


class BackfillSpider(NewsSpider):
    name = "backfill"

    def __init__(self, since: str | date = "", until: str | date = "", queries: list[str] | None = None,
                 max_pages: int | str | None = None, restart: bool | str = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.since = since if isinstance(since, date) else date.fromisoformat(since)
        self.until = until if isinstance(until, date) else date.fromisoformat(until)
        if self.until < self.since:
            raise ValueError(f"--until {self.until} is before --since {self.since}")
        self.queries = list(queries or [])
        self.budget = int(max_pages) if max_pages else 0  # 0: no budget
        self.restart = restart in (True, "1", "true", "yes")
        self.issued = 0
        self.budget_hit = False
        self.archive: Archive | None = None
        self._units: Iterator[tuple[Unit, int]] = iter(())
        self._active = 0
        self._requested: set[str] = set()
        self._archived: set[str] = set()
        self._host = urlsplit(self.site.base_url).hostname or ""
        self.stale_pages = 2
        self.max_result_pages = 500

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BackfillSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, BackfillSpider)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        s = crawler.settings
        spider.stale_pages = max(1, s.getint("WARTA_BACKFILL_STALE_PAGES", 2))
        spider.max_result_pages = max(1, s.getint("WARTA_BACKFILL_MAX_RESULT_PAGES", 500))
        # The walk bounds itself (stop rules, page cap, budget); Scrapy's depth limit
        # would silently drop page 26 of a search, its page count would cut requests
        # in flight instead of not issuing them.
        crawler.settings.set("DEPTH_LIMIT", 0, priority="spider")
        crawler.settings.set("CLOSESPIDER_PAGECOUNT", 0, priority="spider")
        return spider

    # -- entry ---------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        self._load_known()
        db = self.crawler.settings.get("WARTA_DB")
        self.archive = Archive(db).open()
        name = self.site.name
        self._archived = self.archive.archived_urls(name)
        progress = self.archive.backfill_units(name)
        units = plan_units(self.site, self.since, self.until, self.queries)
        logger.info("backfill %s %s..%s: %d walks (%s)", name, self.since, self.until, len(units),
                    ", ".join(self.site.backfill_sources))
        todo: list[tuple[Unit, int]] = []
        for unit in units:
            first = start_page(unit, progress.get((unit.source, unit.key)), self.restart)
            if first is None:
                self.inc("backfill/skipped_done")
            else:
                if first > 1:
                    self.inc("backfill/resumed")
                todo.append((unit, first))
        self.crawler.stats.set_value("backfill/walks", len(units))  # type: ignore[union-attr]
        self._units = iter(todo)
        # What earlier runs listed but never got to fetch comes first.
        pending = self.archive.pending_listed(name, self.since.isoformat(), self.until.isoformat(),
                                              include_fetched=self.restart)
        if not todo and not pending:
            self.crawler.stats.set_value("backfill/nothing_to_do", 1)  # type: ignore[union-attr]
            logger.info("backfill %s: the range was walked before (--restart walks it again)", name)
        for row in pending:
            req = self.article(row["listed_url"], row["source"], self.site.base_url)
            if req is not None:
                self.inc("backfill/pending_requeued")
                yield req
        for req in self.next_walks():
            yield req

    def closed(self, reason: str) -> None:
        left = sum(1 for _ in self._units)
        if left:
            self.crawler.stats.set_value("backfill/walks_not_started", left)  # type: ignore[union-attr]
        if self.archive is not None:
            self.archive.close()

    def inc(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(key, n)  # type: ignore[union-attr]

    # -- budget --------------------------------------------------------------
    def take(self) -> bool:
        """One page of the per-site budget; False (logged once) when it is spent."""
        if self.budget and self.issued >= self.budget:
            if not self.budget_hit:
                self.budget_hit = True
                self.inc("backfill/stop/budget")
                logger.warning("backfill %s: page budget of %d spent; the next run continues from here",
                               self.site.name, self.budget)
            return False
        self.issued += 1
        return True

    # -- walks ---------------------------------------------------------------
    def next_walks(self) -> Iterator[Request]:
        """Start walks until enough run side by side: issuing them lazily lets a budget
        reach the articles of the first pages instead of only first pages."""
        limit = max(2, self.site.concurrency)
        while self._active < limit and not self.budget_hit:
            nxt = next(self._units, None)
            if nxt is None:
                if self._active == 0:
                    self.inc("backfill/stop/range_exhausted")
                    logger.info("backfill %s: every walk of the range is done", self.site.name)
                return
            unit, first = nxt
            req = self.listing(Walk(unit, first), first)
            if req is None:
                self._units = iter([nxt, *self._units])  # not started: counted as left
                return
            self._active += 1
            yield req

    def listing(self, walk: Walk, page: int, url: str | None = None, depth: int = 0) -> Request | None:
        if not self.take():
            return None
        target = url or walk.unit.url(self.site.base_url, page)
        return Request(target, callback=self.parse_backfill, errback=self.listing_failed, dont_filter=True,
                       meta={"warta_walk": walk, "warta_page": page, "sitemap_depth": depth,
                             "handle_httpstatus_list": [404, 410], "warta_via": f"backfill:{walk.unit.source}"})

    def article(self, url: str, source: str, referer: str) -> Request | None:
        canon = canonicalize(url, self._host)
        if url in self._requested or canon in self._requested:
            return None
        if url in self._known or url in self._archived or canon in self._archived:
            self.inc("backfill/skipped_known")
            return None
        if not self.take():
            return None
        self._requested.update((url, canon))
        self.inc("backfill/articles_requested")
        return Request(url, callback=self.parse_article, priority=ARTICLE_PRIORITY,
                       meta={"warta_via": f"backfill:{source}", "warta_expect": "article",
                             "handle_httpstatus_list": [404, 410]},
                       headers={"Referer": referer})

    def parse_article(self, response: Response) -> Iterator[Any]:
        # A 404/410 settles the listed URL now. A 200 is settled only when the pipelines
        # have stored the article (it is then archived) or dropped it (item_dropped):
        # marking it here would lose it for good if the crawl were killed in between.
        if response.status in (404, 410):
            assert self.archive is not None
            redirected = response.request.meta.get("redirect_urls") if response.request else None
            self.archive.mark_listed_fetched(self.site.name, redirected[0] if redirected else response.url,
                                             response.status)
        yield from super().parse_article(response)

    def item_dropped(self, item: Any, response: Any = None, exception: Any = None, spider: Any = None) -> None:
        """A fetched page the pipelines dropped (not an article, extraction failed): answered,
        so an interrupted backfill does not ask for it again (``--restart`` does)."""
        if self.archive is None:
            return
        if isinstance(item, FetchedPage):
            self.archive.mark_listed_fetched(self.site.name, item.requested_url, item.status)
        elif isinstance(item, Article):
            self.archive.mark_listed_fetched(self.site.name, item.url, item.http_status)

    def listing_failed(self, failure: Any) -> Iterator[Request]:
        walk: Walk = failure.request.meta["warta_walk"]
        if failure.check(IgnoreRequest) and walk.unit.source != "sitemap":
            # robots.txt or the offsite rule refuses it: asking again next run changes nothing.
            logger.warning("backfill %s %s %r: %s not allowed (%s)", self.site.name, walk.unit.source,
                           walk.unit.key, failure.request.url, failure.getErrorMessage())
            yield from self.finish(walk, int(failure.request.meta.get("warta_page", 1)), [], "not_allowed")
            return
        self.inc("backfill/listing_failed")
        logger.warning("backfill %s %s %r: %s failed (%s); the next run retries it", self.site.name,
                       walk.unit.source, walk.unit.key, failure.request.url, failure.getErrorMessage())
        yield from self.end_document(walk, None)

    def parse_backfill(self, response: Response) -> Iterator[Request]:
        walk: Walk = response.meta["warta_walk"]
        page: int = response.meta["warta_page"]
        self.inc("backfill/listing_pages")
        if walk.unit.source == "sitemap":
            yield from self.parse_archive_sitemap(response, walk)
            return
        unit = walk.unit
        if response.status in (404, 410):
            yield from self.finish(walk, page, [], "not_found")
            return
        links = listed_links(response.body, response.url, lambda u: self.classify(u) == "article", self.site.tz)
        new = [u for u, _ in links if u not in walk.seen]
        walk.seen.update(u for u, _ in links)
        since, until = unit.since, unit.until
        if unit.source == "date_index":
            # The index names the day; an item's own date counts only when it shows one.
            links = [(u, d or unit.since) for u, d in links]
        elif any(d is not None for _, d in links):
            # Results that show their dates: undated links beside them are boxes ("Terbaru",
            # "Terpopuler") of any age, not results.
            undated = sum(1 for _, d in links if d is None)
            if undated:
                self.inc("backfill/undated_skipped", undated)
                links = [(u, d) for u, d in links if d is not None]
        listed = [(u, d) for u, d in links if in_range(d, since, until)]
        fresh = set(new)
        listed_new = [(u, d) for u, d in listed if u in fresh]
        # Judged on the links new to this walk, by majority: a box beside the results
        # ("Terpopuler", "Terbaru") is repeated on every page and smaller than the results,
        # so neither a box of old news on page 1 nor one of recent news stops or drags the walk.
        new_days = [d for u, d in links if u in fresh]
        old_days = sum(1 for d in new_days if d is not None and d < since)
        older = 2 * old_days > len(new_days) and not any(in_range(d, since, until) for d in new_days)
        self.inc("backfill/listed", len(listed_new))
        if len(listed) < len(links):
            self.inc("backfill/listed_out_of_range", len(links) - len(listed))
        for u, _ in listed:
            req = self.article(u, unit.source, response.url)
            if req is not None:
                yield req
        stop: str | None = None
        if not links:
            stop = "empty"
        elif unit.source == "date_index" and not listed:
            # Every item shows another day: the index ignores the date asked for (a wrong
            # archive_date_format, or the outlet changed it). Paging on would walk today's news.
            stop = "not_this_day"
        elif not unit.paged:
            stop = "single_page"
        elif older and unit.source != "date_index":
            stop = "older_than_since"
        elif not new:
            walk.stale += 1
            if walk.stale >= self.stale_pages:
                stop = "stale"
        else:
            walk.stale = 0
        if stop is None and page >= self.max_result_pages:
            stop = "page_cap"
        if stop is not None:
            yield from self.finish(walk, page, listed_new, stop)
            return
        self.save(walk, page + 1, listed_new, "running", None, pages=1)
        req = self.listing(walk, page + 1)
        if req is None:
            self._active -= 1
            return
        yield req

    def parse_archive_sitemap(self, response: Response, walk: Walk) -> Iterator[Request]:
        unit = walk.unit
        listed: list[tuple[str, date | None]] = []
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=50 * 1024 * 1024)
            except Exception:  # noqa: BLE001 - a corrupt sitemap is one stop, not a crash
                body = b""
        if response.status == 200 and sniff_kind(body, "application/xml") == "sitemap":
            sm = Sitemap(body)
            depth = int(response.meta.get("sitemap_depth", 0))
            for entry in sm:
                loc = urljoin(response.url, entry.get("loc", ""))
                if sm.type == "sitemapindex":
                    stamp = parse_date(entry.get("lastmod", ""), self.site.tz) if entry.get("lastmod") else None
                    if stamp is not None and stamp.value.astimezone(self.site.tz).date() < unit.since:
                        self.inc("backfill/sitemaps_older_than_since")
                        continue  # last changed before the range: lists nothing in it
                    if depth + 1 >= MAX_SITEMAP_DEPTH or not host_allowed(loc, self.allowed_hosts):
                        continue
                    req = self.listing(walk, 1, loc, depth + 1)
                    if req is not None:
                        walk.pending += 1
                        yield req
                    continue
                if self.classify(loc) != "article":
                    continue
                raw = _news_date(entry) or entry.get("lastmod") or ""
                stamp = parse_date(raw, self.site.tz) if raw else None
                day = stamp.value.astimezone(self.site.tz).date() if stamp else None
                if in_range(day, unit.since, unit.until):
                    listed.append((loc, day))
                else:
                    self.inc("backfill/listed_out_of_range")
        self.inc("backfill/listed", len(listed))
        for u, _ in listed:
            req = self.article(u, "sitemap", response.url)
            if req is not None:
                yield req
        self.save(walk, 1, listed, "running", None, pages=1)
        yield from self.end_document(walk, "not_found" if response.status != 200 else "single_page")

    def end_document(self, walk: Walk, reason: str | None) -> Iterator[Request]:
        """A sitemap document (or a failed listing page) is through."""
        if reason is None:
            walk.failed = True
        if walk.unit.source == "sitemap" and walk.pending > 0:
            walk.pending -= 1
            return
        if walk.failed or reason is None:  # stays unfinished: the next run walks it again
            self._active -= 1
            yield from self.next_walks()
            return
        yield from self.finish(walk, 1, [], reason)

    def finish(self, walk: Walk, page: int, listed: list[tuple[str, date | None]], reason: str) -> Iterator[Request]:
        self.inc(f"backfill/stop/{reason}")
        self.inc("backfill/walks_done")
        logger.info("backfill %s %s %r: stopped after page %d (%s)", self.site.name, walk.unit.source,
                    walk.unit.key, page, reason)
        pages = 0 if walk.unit.source == "sitemap" else 1  # sitemap documents were counted as parsed
        self.save(walk, page + 1, listed, "done", reason, pages=pages)
        self._active -= 1
        yield from self.next_walks()

    def save(self, walk: Walk, next_page: int, listed: list[tuple[str, date | None]], status: str,
             reason: str | None, *, pages: int) -> None:
        assert self.archive is not None
        unit = walk.unit
        self.archive.save_backfill_page(
            {"site": self.site.name, "source": unit.source, "key": unit.key, "since": unit.since.isoformat(),
             "until": unit.until.isoformat(), "status": status, "next_page": next_page, "pages": pages,
             "listed": len(listed), "stop_reason": reason, "fresh": walk.fresh and walk.first_page == 1},
            [(canonicalize(u, self._host), u, d.isoformat() if d else None) for u, d in listed])
        walk.fresh = False
