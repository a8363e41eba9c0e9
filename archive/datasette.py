"""Datasette metadata for a Warta archive: table and column descriptions, full-text
search on ``articles``, default facets (site, published day, relevance label) and a
canned search query with snippets.

Three ways it reaches Datasette: the ``warta`` package registers a Datasette plugin
(``archive.datasette_plugin``) so plain ``datasette archive.db`` picks it up for any
Warta archive; ``warta serve`` passes it with ``-m``; ``warta datasette-metadata``
writes it to a file for ``datasette archive.db -m metadata.json``. No SQL here beyond
the canned query's text: Datasette runs it read-only."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

ARTICLE_COLUMNS = {
    "id": "Row id (stable; also the FTS rowid).",
    "url": "The first URL the article was fetched at (may be an alias with tracking parameters).",
    "canonical_url": "The article's identity: rel=canonical/og:url on the same outlet, normalised; unique.",
    "site": "Site config name of the outlet.",
    "title": "Headline without the outlet suffix.",
    "authors": "JSON list of person names.",
    "editors": "JSON list of editor names (from 'Editor:' / 'Redaktur:' lines).",
    "editor_initials": "JSON list of initials such as csb/csb.",
    "published_at": "Publication time in ISO 8601 with the outlet's own offset (WIB/WITA/WIT), a bare day "
                    "YYYY-MM-DD when the page gives no time, or empty when no trustworthy date was found.",
    "published_day": "The outlet's local publication day (YYYY-MM-DD), derived from published_at; facet on it.",
    "modified_at": "Last-modified time the page states, same format as published_at.",
    "date_source": "Where published_at came from: selector, jsonld, meta:<name>, byline, url, text.",
    "date_note": "Why published_at is empty.",
    "fetched_at": "When this version was fetched (UTC).",
    "first_seen_at": "When the archive first stored the article (UTC; never changes).",
    "last_fetched_at": "Last time a crawl fetched the article (UTC).",
    "text": "Clean main text, one paragraph per line.",
    "word_count": "Number of words in text.",
    "language": "Language code (html lang or the site config).",
    "section": "Rubric/section.",
    "tags": "JSON list of tags.",
    "image": "Lead image URL.",
    "dateline": "Place named at the start of the lead (e.g. BANYUASIN).",
    "captions": "JSON list of photo captions and credits moved out of the text.",
    "relevance_score": "0..1 against the topic profile (netralitas ASN by default).",
    "relevance_label": "relevant, borderline or not_relevant.",
    "matched_terms": "JSON list of {term, concept, where, sentence}: why the score is what it is.",
    "content_hash": "sha256 of the normalised text (same text = same hash).",
    "duplicate_of": "canonical_url of the earliest-published copy of the same text; empty for originals.",
    "http_status": "HTTP status of the fetch that produced this version.",
    "discovered_via": "sitemap, feed, listing or start.",
    "run_id": "crawl_runs.id of the run that stored this version.",
    "gone_at": "When a re-crawl found the article removed (404/410); rows are never deleted.",
    "capture_id": "captures.id of the raw response (page 1) this version was extracted from.",
    "version": "Version number: 1 when first stored, +1 each time the text or title changed "
               "(earlier versions are in article_versions).",
    "relevance_why": "JSON {evidence per concept, proximity, rule}: how the relevance label was decided.",
    "province_code": "Kemendagri code of the article's province (dateline first, else most mentioned).",
    "province": "Name of that province.",
    "regency_code": "Kemendagri code of the article's regency/city.",
    "regency": "Name of that regency/city (Kabupaten X / Kota Y).",
    "regions": "JSON list of every province/regency/city found, with how (dateline or mention) and how often.",
    "officials": "JSON list of {role, name} of officials named in the text (searchable).",
    "cluster_id": "Duplicate cluster: the id of the cluster's original (earliest-published copy).",
    "similarity": "Estimated similarity (MinHash Jaccard) to the cluster's original; 1.0 for exact copies.",
}

TABLES: dict[str, dict[str, Any]] = {
    "articles": {
        "description": "One row per article (newest stored version). Search box: SQLite FTS5 syntax "
                       "(words, \"exact phrase\", OR, NOT, prefix*).",
        "columns": ARTICLE_COLUMNS,
        "fts_table": "articles_fts",
        "fts_pk": "id",
        # raw: researchers need "exact phrases", OR and NOT; _searchmode=escaped turns it off.
        "searchmode": "raw",
        "facets": ["site", "published_day", "relevance_label"],
        "sort_desc": "published_at",
        "label_column": "title",
    },
    "crawl_runs": {
        "description": "One row per crawl run: when, which sites, options, per-site stats, outcome.",
        "columns": {
            "id": "Run id (articles.run_id).",
            "started_at": "UTC.", "finished_at": "UTC; empty while running or when interrupted.",
            "sites": "JSON list of site names.", "args": "JSON of the command's options.",
            "stats": "JSON per-site Scrapy and Warta stats, and failures.",
            "status": "running, ok, partial, failed or interrupted.",
            "pid": "Process id of the crawl.", "warta_version": "Warta version that ran it.",
        },
        "sort_desc": "id",
        "facets": ["status"],
    },
    "article_urls": {
        "description": "Other URLs (aliases: tracking parameters, redirects) that served an article.",
        "columns": {"url": "The alias URL.", "article_id": "articles.id.",
                    "first_seen_at": "When the alias was first seen (UTC)."},
    },
    "url_state": {
        "description": "HTTP validators per fetched article URL, for conditional re-crawls.",
        "columns": {"url": "Fetched URL.", "site": "Site config name.", "etag": "ETag header.",
                    "last_modified": "Last-Modified header.", "last_status": "HTTP status of the last full fetch.",
                    "last_fetched_at": "When (UTC)."},
    },
    "warta_meta": {"description": "Key/value facts about the archive (schema_version)."},
}

SEARCH_QUERY = (
    "select a.id, a.site, a.published_at, a.title, a.url, a.relevance_label,\n"
    "  snippet(articles_fts, -1, '[', ']', '…', 16) as snippet\n"
    "from articles_fts join articles a on a.id = articles_fts.rowid\n"
    "where articles_fts match :q\n"
    "order by articles_fts.rank limit 100"
)


def database_metadata() -> dict[str, Any]:
    return {
        "description": "A Warta archive of Indonesian regional news. Start with the articles table; "
                       "each table and column is described on its page.",
        "tables": TABLES,
        "queries": {
            "search": {
                "title": "Search articles, best matches first, with snippets",
                "description": "q uses SQLite FTS5 syntax, e.g. \"netralitas ASN\" camat, or bawaslu OR panwaslu.",
                "sql": SEARCH_QUERY,
            },
        },
    }


def metadata_for(db_path: str | Path, name: str | None = None) -> dict[str, Any]:
    """Datasette metadata.json content for one archive (Datasette names a database by
    its file name without the extension)."""
    return {
        "title": "Warta archive",
        "description": "Indonesian regional news archived by Warta (netralitas ASN, Pemilu/Pilkada 2024).",
        "databases": {name or Path(db_path).stem: database_metadata()},
    }
