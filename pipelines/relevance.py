"""ScoreRelevance: judge each article against the topic profile."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.items import Article
from crawler.relevance import Relevance, TopicProfile, load_topic, score_with
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
        rel: Relevance = await run_cpu(self.crawler, score_with, self.topic, item.title, item.text)
        item.relevance_score = rel.score
        item.relevance_label = rel.label
        item.matched_terms = rel.matched_terms()
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"relevance/{rel.label}")
        return item
