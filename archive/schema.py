"""Schema migrations (sqlite-utils ``Migrations``). Every schema change is a new
function here; applied migrations are recorded in ``_sqlite_migrations``.
docs/schema.md describes every table and column."""

from __future__ import annotations

import logging

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 5
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
def m005_near_duplicates(db: Database) -> None:
    """Near-duplicate clusters: a MinHash signature and its LSH band hashes per article,
    and on each article the cluster it belongs to. Existing articles are fingerprinted
    and clustered here, in id order, with the default threshold."""
    from archive.clusters import backfill

    db["articles"].add_column("cluster_id", int)  # type: ignore[union-attr]
    db["articles"].add_column("similarity", float)  # type: ignore[union-attr]
    db["articles"].create_index(["cluster_id"])  # type: ignore[union-attr]
    db.execute("CREATE TABLE near_signatures (article_id INTEGER PRIMARY KEY, "
               "minhash BLOB NOT NULL, shingles INTEGER NOT NULL)")
    # WITHOUT ROWID: the (band, article_id) key is the whole row, so one b-tree serves
    # both the insert and the lookup by band, and no rowid index doubles the size.
    db.execute("CREATE TABLE near_bands (band INTEGER NOT NULL, article_id INTEGER NOT NULL, "
               "PRIMARY KEY (band, article_id)) WITHOUT ROWID")
    n = backfill(db.conn)
    if n:
        logger.info("m005: fingerprinted and clustered %d existing articles", n)
    db["warta_meta"].upsert({"key": "schema_version", "value": "5"}, pk="key")  # type: ignore[union-attr]
