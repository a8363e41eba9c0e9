"""Backfill planning: which pages of an outlet's own search, tags, date index and
archive sitemaps to walk for a date range, and the dates listing pages show.

Pure functions (no Scrapy, no SQL) so they can be tested without a crawl; the walk
itself is ``spiders/backfill.py``, its bookkeeping ``archive/``.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urljoin, urlsplit
from zoneinfo import ZoneInfo

from scrapy.selector import Selector

from crawler.dates import parse_date
from crawler.relevance import TopicProfileError
from crawler.sites import SiteConfig

logger = logging.getLogger(__name__)

# Where a walk ended; each is also a stats key ``backfill/stop/<reason>``.
STOP_REASONS = ("older_than_since", "stale", "empty", "not_found", "page_cap", "range_exhausted", "budget",
                "single_page", "not_this_day", "not_allowed")

_URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/")
_DATE_CLASS = ("date", "time", "tanggal", "waktu", "tgl", "publish")
# A listing item is a small box: larger ancestors hold several items.
_MAX_CLIMB = 4


@dataclass(frozen=True)
class Unit:
    """One walk: a search query, a tag, one day of the date index or one archive sitemap.

    ``since``/``until`` is the part of the requested range the unit can list; progress
    is kept per (site, source, key)."""

    source: str  # search | tag | date_index | sitemap
    key: str  # the query, the tag template, YYYY-MM-DD, YYYY-MM or YYYY
    template: str
    since: date
    until: date
    paged: bool  # the template has {page}
    values: tuple[tuple[str, str], ...] = ()  # fixed placeholder values (query, date, year, month)

    def url(self, base_url: str, page: int = 1) -> str:
        fields = dict(self.values)
        return urljoin(base_url, self.template.format(page=page, **fields))


def topic_queries(topic: str) -> list[str]:
    """The search queries of a topic profile: its ``queries`` list."""
    if topic.endswith(".toml"):
        texts = [_read(Path(topic))]
    else:
        texts = [_read_res(resources.files("crawler") / "topics" / f"{topic}.toml")]
    for source, text in texts:
        if text is None:
            continue
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise TopicProfileError(f"{source}: not valid TOML ({e})") from None
        if "queries" not in data:
            continue
        queries = data["queries"]
        if not isinstance(queries, list) or not all(isinstance(q, str) and q.strip() for q in queries):
            raise TopicProfileError(f"{source}: queries: must be a list of non-empty strings")
        return list(dict.fromkeys(q.strip() for q in queries))
    return []


def _read(path: Path) -> tuple[str, str | None]:
    try:
        return str(path), path.read_text("utf-8")
    except FileNotFoundError:
        return str(path), None
    except (OSError, UnicodeDecodeError) as e:
        raise TopicProfileError(f"{path}: cannot read ({e})") from None


def _read_res(res: Any) -> tuple[str, str | None]:
    return f"topics/{res.name}", res.read_text("utf-8") if res.is_file() else None


def quote_query(template: str, query: str) -> str:
    """A query as the template's position needs it: ``+`` for spaces in a query string,
    ``%20`` in a path."""
    in_query = "?" in template and template.index("?") < template.index("{query}")
    return quote_plus(query) if in_query else quote(query, safe="")


def days(since: date, until: date) -> Iterator[date]:
    """Newest first, like search results: the days themselves, never an index's own
    "previous day" links, bound the walk."""
    d = until
    while d >= since:
        yield d
        d -= timedelta(days=1)


def months(since: date, until: date) -> Iterator[tuple[int, int]]:
    y, m = until.year, until.month
    while (y, m) >= (since.year, since.month):
        yield y, m
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)


def _key(template: str) -> str:
    # Without scheme and host: a config pointed at a mirror keeps its progress keys.
    parts = urlsplit(template)
    return parts.path + ("?" + parts.query if parts.query else "")


def plan_units(site: SiteConfig, since: date, until: date, queries: list[str]) -> list[Unit]:
    """Every walk the site's config declares for the range, in walking order."""
    units: list[Unit] = []
    if site.search_url:
        for q in queries:
            units.append(Unit("search", q, site.search_url, since, until, True,
                              (("query", quote_query(site.search_url, q)),)))
    for t in site.tag_urls:
        units.append(Unit("tag", _key(t), t, since, until, True))
    if site.archive_url:
        paged = "{page}" in site.archive_url
        for d in days(since, until):
            units.append(Unit("date_index", d.isoformat(), site.archive_url, d, d, paged,
                              (("date", d.strftime(site.archive_date_format)),)))
    for t in site.archive_sitemaps:
        if "{month}" in t:
            for y, m in months(since, until):
                first = date(y, m, 1)
                last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
                units.append(Unit("sitemap", f"{_key(t)}@{y}-{m:02d}", t, max(first, since), min(last, until), False,
                                  (("year", str(y)), ("month", f"{m:02d}"))))
        else:
            for y in range(until.year, since.year - 1, -1):
                first, last = max(date(y, 1, 1), since), min(date(y, 12, 31), until)
                units.append(Unit("sitemap", f"{_key(t)}@{y}", t, first, last, False, (("year", str(y)),)))
    return units


def start_page(unit: Unit, row: dict[str, Any] | None, restart: bool) -> int | None:
    """Where to (re)start a unit given its stored progress; None when it is done.

    A finished walk is skipped when its range covers the unit's; an interrupted one
    continues at the page after the last one it finished, if its range is the same."""
    if restart or row is None:
        return 1
    since, until = unit.since.isoformat(), unit.until.isoformat()
    covers = (row.get("since") or "9999") <= since and (row.get("until") or "") >= until
    same = row.get("since") == since and row.get("until") == until
    if row.get("status") == "done":
        return None if covers else 1
    return int(row.get("next_page") or 1) if same else 1


def listed_links(html: str | bytes, page_url: str, is_article: Callable[[str], bool], tz: ZoneInfo
                 ) -> list[tuple[str, date | None]]:
    """Article links of a listing page, in page order, each with the day the page shows
    for it (from the URL, a ``<time>`` or a date-like element of its item), in the
    outlet's zone; None when the item shows no date."""
    sel = Selector(text=html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    anchors = []
    for a in sel.xpath("//a[@href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(page_url, href).split("#")[0]
        if is_article(url):
            anchors.append((url, a))
    out: dict[str, date | None] = {}
    for url, a in anchors:
        day = out.get(url) or _url_day(url) or _item_day(a, url, is_article, page_url, tz)
        out[url] = day
    return list(out.items())


def _url_day(url: str) -> date | None:
    m = _URL_DATE_RE.search(url)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _item_day(a: Selector, url: str, is_article: Callable[[str], bool], page_url: str, tz: ZoneInfo
              ) -> date | None:
    item = a
    for _ in range(_MAX_CLIMB):
        parents = item.xpath("..")
        if not parents:
            break
        parent = parents[0]
        others = {urljoin(page_url, h).split("#")[0] for h in parent.xpath(".//a/@href").getall()}
        if any(o != url and is_article(o) for o in others):
            break  # the parent holds other items: their dates are not this one's
        item = parent
    texts = item.xpath(".//time/@datetime").getall() + item.xpath(".//time//text()").getall()
    cls = " or ".join(f"contains(translate(@class,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz'),"
                      f"'{c}')" for c in _DATE_CLASS)
    texts += [" ".join(e.xpath(".//text()").getall()) for e in item.xpath(f".//*[{cls}]")]
    texts += [t for t in item.xpath(".//text()").getall() if re.search(r"\d{4}", t)]
    for text in texts:
        parsed = parse_date(text.strip(), tz)
        if parsed is not None:
            return parsed.value.astimezone(tz).date()
    return None


def in_range(day: date | None, since: date, until: date) -> bool:
    """Undated items count as in range: the page cannot tell, the article will."""
    return day is None or since <= day <= until
