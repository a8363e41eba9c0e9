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

JSON_LIST_COLUMNS = ("authors", "editors", "editor_initials", "tags", "captions", "matched_terms", "regions",
                     "officials")
JSON_OBJECT_COLUMNS = ("relevance_why",)

# What an article version keeps: everything the extractor and the later pipeline steps
# produced, and where it came from. The identity (id, url, canonical_url, site) stays
# in ``articles``.
VERSION_COLUMNS: dict[str, type] = {
    "title": str, "authors": str, "editors": str, "editor_initials": str, "published_at": str, "modified_at": str,
    "date_source": str, "date_note": str, "fetched_at": str, "text": str, "word_count": int, "language": str,
    "section": str, "tags": str, "image": str, "dateline": str, "captions": str, "relevance_score": float,
    "relevance_label": str, "matched_terms": str, "content_hash": str, "http_status": int,
    "discovered_via": str, "run_id": int, "capture_id": int,
}
# What m006 added to articles and article_versions: the judgement's reasons, the regions
# and the officials (kept apart from VERSION_COLUMNS, which m004 created its table from).
ANNOTATION_COLUMNS: dict[str, type] = {
    "relevance_why": str, "province_code": str, "province": str, "regency_code": str, "regency": str,
    "regions": str, "officials": str,
}


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
def m004_captures_versions(db: Database) -> None:
    """Raw responses (zlib-compressed) behind every article fetch, and the versions an
    article had before a re-crawl or a re-extraction changed it."""
    from datetime import UTC, datetime

    db["captures"].create(  # type: ignore[union-attr]
        {
            "id": int,
            "article_id": int,
            "run_id": int,
            "page": int,
            "first_page_id": int,
            "url": str,
            "requested_url": str,
            "fetched_at": str,
            "status": int,
            "headers": str,
            "body": bytes,
            "body_encoding": str,
            "dict_id": int,
            "body_size": int,
            "body_sha256": str,
        },
        pk="id",
        not_null={"article_id", "url", "status"},
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "crawl_runs", "id"),
                      ("first_page_id", "captures", "id"), ("dict_id", "captures", "id")],
    )
    for col in ("article_id", "first_page_id", "run_id"):
        db["captures"].create_index([col])  # type: ignore[union-attr]
    articles = db["articles"]
    # Plain columns, not foreign keys: adding a foreign key would rebuild the table
    # (and its FTS triggers); `warta check` verifies the link instead.
    articles.add_column("capture_id", int)  # type: ignore[union-attr]
    articles.add_column("version", int, not_null_default=1)  # type: ignore[union-attr]
    db["article_versions"].create(  # type: ignore[union-attr]
        {"id": int, "article_id": int, "version": int, **{c: t for c, t in VERSION_COLUMNS.items()},
         "superseded_at": str},
        pk="id",
        not_null={"article_id", "version"},
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "crawl_runs", "id"),
                      ("capture_id", "captures", "id")],
    )
    db["article_versions"].create_index(["article_id", "version"], unique=True)  # type: ignore[union-attr]
    # Articles stored before this migration have no capture; `warta check` only asks
    # for one from articles fetched after this moment.
    now = datetime.now(UTC).isoformat(timespec="seconds")
    db["warta_meta"].upsert({"key": "captures_since", "value": now}, pk="key")  # type: ignore[union-attr]
    db["warta_meta"].upsert({"key": "schema_version", "value": "4"}, pk="key")  # type: ignore[union-attr]


@migrations()
def m006_relevance_explained(db: Database) -> None:
    """Why each relevance label, the article's regions (Kemendagri codes) and the officials
    it names, on articles and their versions; officials become searchable (full-text
    index rebuilt over title, text, officials)."""
    articles = db["articles"]
    for col, kind in ANNOTATION_COLUMNS.items():
        articles.add_column(col, kind)  # type: ignore[union-attr]
        db["article_versions"].add_column(col, kind)  # type: ignore[union-attr]
    articles.create_index(["province_code"])  # type: ignore[union-attr]
    articles.create_index(["regency_code"])  # type: ignore[union-attr]
    articles.disable_fts()  # type: ignore[union-attr]
    articles.enable_fts(  # type: ignore[union-attr]
        ["title", "text", "officials"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )
    db["warta_meta"].upsert({"key": "schema_version", "value": "6"}, pk="key")  # type: ignore[union-attr]


@migrations()
def m007_backfill(db: Database) -> None:
    """Backfill: where each walk of a discovery source stopped, and what the sources
    listed (for completeness accounting against what is archived)."""
    db["backfill_progress"].create(  # type: ignore[union-attr]
        {"site": str, "source": str, "key": str, "since": str, "until": str, "status": str, "next_page": int,
         "pages": int, "listed": int, "stop_reason": str, "started_at": str, "updated_at": str,
         "finished_at": str},
        pk=("site", "source", "key"),
        not_null={"site", "source", "key", "status"},
    )
    db["backfill_listed"].create(  # type: ignore[union-attr]
        {"site": str, "url": str, "listed_url": str, "listed_date": str, "source": str, "key": str,
         "first_listed_at": str, "fetch_status": int, "fetched_at": str},
        pk=("site", "url"),
        not_null={"site", "url", "listed_url", "source"},
    )
    db["backfill_listed"].create_index(["site", "listed_date"])  # type: ignore[union-attr]
    db["backfill_listed"].create_index(["listed_url"])  # type: ignore[union-attr]
    db["warta_meta"].upsert({"key": "schema_version", "value": "7"}, pk="key")  # type: ignore[union-attr]


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
    # Defined after m008 (merged later); it must not lower the recorded version.
    current = int(db["warta_meta"].get("schema_version")["value"])  # type: ignore[union-attr]
    db["warta_meta"].upsert({"key": "schema_version", "value": str(max(current, 5))}, pk="key")  # type: ignore[union-attr]
