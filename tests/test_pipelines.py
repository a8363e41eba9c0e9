"""Each pipeline on its own, built from settings the way Scrapy builds it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from archive import Archive
from crawler.items import Article, DateCandidate, FetchedPage
from crawler.sites import parse_site
from pipelines.dates import ResolveDates
from pipelines.dedup import Deduplicate
from pipelines.extract import ExtractArticle
from pipelines.relevance import ScoreRelevance
from pipelines.store import StoreArticle
from spiders.news import NewsSpider
from tests.conftest import DATA

SITE = parse_site({"name": "tribun-sumsel", "title": "Tribunsumsel.com", "base_url": "https://sumsel.tribunnews.com/",
                   "start_urls": ["/"], "timezone": "Asia/Jakarta"}, "t.toml")


def crawler_for(tmp_path: Path, **settings: object):
    crawler = get_crawler(NewsSpider, {"WARTA_DB": str(tmp_path / "a.db"), "WARTA_TOPIC": "netralitas-asn", **settings})
    crawler.spider = NewsSpider(site_config=SITE)
    crawler.stats.open_spider()
    return crawler


def page(name: str, url: str) -> FetchedPage:
    return FetchedPage(site="tribun-sumsel", url=url, requested_url=url + "?utm_source=wa", status=200,
                       headers={"Content-Type": "text/html; charset=utf-8"}, body=(DATA / "pages" / name).read_bytes(),
                       fetched_at="2024-11-01T03:00:00+00:00", discovered_via="feed")


def test_extract_article(tmp_path: Path) -> None:
    c = crawler_for(tmp_path)
    p = ExtractArticle.from_crawler(c)
    art = asyncio.run(p.process_item(page("tribun-like.html", "https://sumsel.tribunnews.com/2024/10/07/camat")))
    assert isinstance(art, Article)
    assert art.title.startswith("Camat di Ogan Ilir") and art.url.endswith("?utm_source=wa")
    assert art.discovered_via == "feed" and art.http_status == 200 and art.content_hash
    assert c.stats.get_value("extract/ok") == 1


def test_extract_drops_non_articles(tmp_path: Path) -> None:
    c = crawler_for(tmp_path)
    with pytest.raises(DropItem):
        asyncio.run(ExtractArticle.from_crawler(c).process_item(page("not-article.html", "https://x.id/indeks")))
    assert c.stats.get_value("extract/not_article") == 1


def test_resolve_dates_in_site_zone(tmp_path: Path) -> None:
    c = crawler_for(tmp_path)
    art = Article(url="u", fetched_at="2024-11-01T03:00:00+00:00",
                  date_candidates=[DateCandidate("Senin, 7 Oktober 2024 15:20 WIB", "byline")])
    out = ResolveDates.from_crawler(c).process_item(art)
    assert out.published_at == "2024-10-07T15:20:00+07:00" and out.date_source == "byline"
    missing = ResolveDates.from_crawler(c).process_item(Article(url="v", fetched_at="2024-11-01T03:00:00+00:00"))
    assert missing.published_at is None and c.stats.get_value("dates/missing") == 1


def test_score_relevance(tmp_path: Path) -> None:
    c = crawler_for(tmp_path)
    art = Article(url="u", title="Camat Dipanggil Bawaslu", text="Camat itu diduga ikut kampanye paslon Pilkada.")
    out = asyncio.run(ScoreRelevance.from_crawler(c).process_item(art))
    assert out.relevance_label == "relevant" and {m["term"] for m in out.matched_terms} >= {"camat", "kampanye"}


def test_relevance_off_when_no_topic(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        ScoreRelevance.from_crawler(crawler_for(tmp_path, WARTA_TOPIC=""))


def test_dedup_and_store(tmp_path: Path) -> None:
    c = crawler_for(tmp_path)
    dedup, store = Deduplicate.from_crawler(c), StoreArticle.from_crawler(c)
    store.open_spider()
    try:
        a = Article(url="https://x/a?utm=1", canonical_url="https://x/a", site="s", title="A", text="Sama persis.",
                    published_at="2024-01-02T08:00:00+07:00")
        b = Article(url="https://y/b", canonical_url="https://y/b", site="s", title="B", text="Sama  persis!",
                    published_at="2024-01-01T08:00:00+07:00")
        for art in (a, b, a):
            asyncio.run(store.process_item(asyncio.run(dedup.process_item(art))))
        assert c.stats.get_value("archive/new") == 2 and c.stats.get_value("archive/unchanged") == 1
        assert c.stats.get_value("dedup/url") == 1 and c.stats.get_value("dedup/content") >= 1
    finally:
        store.close_spider()
    with Archive(tmp_path / "a.db", readonly=True) as arch:
        rows = {r["canonical_url"]: r for r in arch.rows()}
        # b was published first: it is the original even though it was stored second.
        assert rows["https://x/a"]["duplicate_of"] == "https://y/b" and rows["https://y/b"]["duplicate_of"] is None
        assert arch.aliases(rows["https://x/a"]["id"]) == ["https://x/a?utm=1"]
        (run,) = arch.runs()
        assert run["status"] == "ok" and "scrapy crawl" in run["args"]
