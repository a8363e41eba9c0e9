"""The article processing chain outside a crawl (``warta extract``, evaluation): the
same functions the pipelines call, in the same order."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.extract import extract_article
from crawler.relevance import score_with
from crawler.sites import SiteConfig

logger = logging.getLogger(__name__)


def process_html(html: bytes | str, url: str, site: SiteConfig | None = None, *,
                 topic: str = "netralitas-asn", fetched_at: datetime | None = None,
                 content_type: str | None = None, continuation: list[bytes] | None = None) -> dict[str, Any]:
    art = extract_article(html, url, site, fetched_at=fetched_at or datetime.now(UTC), content_type=content_type,
                          continuation=continuation)
    rel = score_with(topic, art.title, art.text)
    art.relevance_score = rel.score
    art.relevance_label = rel.label
    art.matched_terms = rel.matched_terms()
    if site is not None:
        art.site = site.name
    if not art.canonical_url:
        art.canonical_url = url
    return art.to_record()


def extract_file(path: Path, *, url: str | None = None, site: SiteConfig | None = None,
                 topic: str = "netralitas-asn") -> dict[str, Any]:
    body = path.read_bytes()
    fetched = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    record = process_html(body, url or path.resolve().as_uri(), site, topic=topic, fetched_at=fetched)
    record["path"] = str(path)
    return record
