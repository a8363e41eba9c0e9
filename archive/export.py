"""Exporters: stream articles as JSON Lines or CSV in constant memory."""

from __future__ import annotations

import csv
import json
import logging
from typing import IO, Any

from archive.core import Archive
from archive.schema import JSON_LIST_COLUMNS

logger = logging.getLogger(__name__)

EXPORT_FIELDS = (
    "id", "url", "canonical_url", "site", "title", "authors", "editors", "editor_initials", "published_at",
    "modified_at", "date_source", "date_note", "fetched_at", "first_seen_at", "text", "word_count", "language",
    "section", "tags", "image", "dateline", "captions", "relevance_score", "relevance_label", "matched_terms",
    "content_hash", "duplicate_of", "http_status", "discovered_via", "run_id", "gone_at", "cluster_id", "similarity",
)


def export_jsonl(archive: Archive, out: IO[str], **filters: Any) -> int:
    n = 0
    for row in archive.articles(**filters):
        out.write(json.dumps({k: row.get(k) for k in EXPORT_FIELDS}, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_csv(archive: Archive, out: IO[str], **filters: Any) -> int:
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in archive.articles(**filters):
        rec = {k: row.get(k) for k in EXPORT_FIELDS}
        for col in JSON_LIST_COLUMNS:
            rec[col] = json.dumps(rec[col] or [], ensure_ascii=False)
        writer.writerow(rec)
        n += 1
    return n
