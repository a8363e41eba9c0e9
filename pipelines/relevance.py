"""ScoreRelevance: judge each article against the topic profile, say why, and tag its
regions and the officials it names."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.items import Article
from crawler.relevance import TopicProfile, annotate, load_topic
from crawler.workers import run_cpu

logger = logging.getLogger(__name__)


class ScoreRelevance:
    def __init__(self, crawler: Crawler, topic: str, profile: TopicProfile) -> None:
        self.crawler = crawler
        self.topic = topic
        self.profile = profile

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScoreRelevance:
        topic = crawler.settings.get("WARTA_TOPIC")
        if not topic:
            raise NotConfigured("WARTA_TOPIC is empty: relevance scoring is off")
        # Loading here makes a bad profile fail before the first request.
        return cls(crawler, topic, load_topic(topic))

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        found = await run_cpu(self.crawler, annotate, self.topic, item.title, item.text, item.dateline)
        for k, v in found.items():
            setattr(item, k, v)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"relevance/{item.relevance_label}")
        if item.regency_code:
            stats.inc_value("regions/tagged")
        if item.officials:
            stats.inc_value("officials/found", len(item.officials))
        return item
