"""Schema migrations (sqlite-utils ``Migrations``). Every schema change is a new
function here; applied migrations are recorded in ``_sqlite_migrations``.
docs/schema.md describes every table and column."""

from __future__ import annotations

import logging

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 8
migrations = Migrations("warta")

JSON_LIST_COLUMNS = ("authors", "editors", "editor_initials", "tags", "captions", "matched_terms")


@migrations()
def m001_initial(db: Database) -> None:
    db["crawl_runs"].create(  # type: ignore[union-attr]
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "sites": str,
            "args": str,
            "stats": str,
            "status": str,
            "pid": int,
            "warta_version": str,
        },
        pk="id",
    )
    db["articles"].create(  # type: ignore[union-attr]
        {
            "id": int,
            "url": str,
            "canonical_url": str,
            "site": str,
            "title": str,
            "authors": str,
            "editors": str,
            "editor_initials": str,
            "published_at": str,
            "modified_at": str,
            "date_source": str,
            "date_note": str,
            "fetched_at": str,
            "first_seen_at": str,
            "last_fetched_at": str,
            "text": str,
            "word_count": int,
            "language": str,
            "section": str,
            "tags": str,
            "image": str,
            "dateline": str,
            "captions": str,
            "relevance_score": float,
            "relevance_label": str,
            "matched_terms": str,
            "content_hash": str,
            "duplicate_of": str,
            "http_status": int,
            "discovered_via": str,
            "run_id": int,
        },
        pk="id",
        not_null={"url", "canonical_url", "site"},
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    articles = db["articles"]
    articles.create_index(["canonical_url"], unique=True)  # type: ignore[union-attr]
    for col in ("site", "published_at", "content_hash", "relevance_label", "run_id"):
        articles.create_index([col])  # type: ignore[union-attr]
    db["article_urls"].create(  # type: ignore[union-attr]
        {"url": str, "article_id": int, "first_seen_at": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["article_urls"].create_index(["article_id"])  # type: ignore[union-attr]
    # unicode61 rather than porter: Porter stems English and would mangle Indonesian
    # affixes ("pemilihan" -> "pemilihan" is fine, but "kampanye" -> "kampany").
    # remove_diacritics keeps "café" and "cafe" together.
    articles.enable_fts(  # type: ignore[union-attr]
        ["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )
    db["warta_meta"].create({"key": str, "value": str}, pk="key")  # type: ignore[union-attr]
    db["warta_meta"].insert({"key": "schema_version", "value": "1"})  # type: ignore[union-attr]


@migrations()
def m002_url_state(db: Database) -> None:
    """HTTP validators per fetched URL, so re-crawls send conditional requests."""
    db["url_state"].create(  # type: ignore[union-attr]
        {"url": str, "site": str, "etag": str, "last_modified": str, "last_status": int, "last_fetched_at": str},
        pk="url",
    )
    db["url_state"].create_index(["site"])  # type: ignore[union-attr]
    db["warta_meta"].upsert({"key": "schema_version", "value": "2"}, pk="key")  # type: ignore[union-attr]


@migrations()
def m003_gone_at(db: Database) -> None:
    """When a known article started answering 404/410. Articles are never deleted."""
    db["articles"].add_column("gone_at", str)  # type: ignore[union-attr]
    db["warta_meta"].upsert({"key": "schema_version", "value": "3"}, pk="key")  # type: ignore[union-attr]


@migrations()
def m008_published_day(db: Database) -> None:
    """The outlet's local publication day as its own indexed column: date filters
    (``--since``/``--until``) use the index instead of scanning every row, and
    Datasette facets by day without converting the outlet's offset to UTC (SQLite's
    ``date()`` would move a 05:00 WIB article to the previous day).

    A VIRTUAL generated column: it costs no space in the row and can never disagree
    with ``published_at``."""
    db.execute("ALTER TABLE articles ADD COLUMN published_day TEXT "
               "GENERATED ALWAYS AS (substr(published_at, 1, 10)) VIRTUAL")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_published_day ON articles (published_day)")
    db["warta_meta"].upsert({"key": "schema_version", "value": "8"}, pk="key")  # type: ignore[union-attr]
