"""ScoreRelevance: judge each article against the topic profile."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from crawler.relevance import TopicProfile
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.items import Article

logger = logging.getLogger(__name__)


class ScoreRelevance:
    def __init__(self, crawler: Crawler, profile: TopicProfile) -> None:
        self.crawler = crawler
        self.profile = profile

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScoreRelevance:
        topic = crawler.settings.get("WARTA_TOPIC")
        if not topic:
            raise NotConfigured("WARTA_TOPIC is empty: relevance scoring is off")
        path = Path(topic)
        profile = TopicProfile.load(path) if path.suffix == ".toml" else TopicProfile.bundled(topic)
        return cls(crawler, profile)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        rel = self.profile.score(item.title, item.text)
        item.relevance_score = rel.score
        item.relevance_label = rel.label
        item.matched_terms = rel.matched_terms()
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"relevance/{rel.label}")
        return item
