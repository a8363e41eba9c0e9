"""The archive: one SQLite file (WAL) that only this package writes SQL for."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from archive import clusters
from archive.schema import JSON_LIST_COLUMNS, migrations
from crawler.neardup import DEFAULT_THRESHOLD, Signature, band_hashes, signature

logger = logging.getLogger(__name__)

# Fields an article row takes from the extractor's record.
ARTICLE_FIELDS = (
    "url", "canonical_url", "site", "title", "authors", "editors", "editor_initials", "published_at",
    "modified_at", "date_source", "date_note", "fetched_at", "text", "word_count", "language", "section",
    "tags", "image", "dateline", "captions", "relevance_score", "relevance_label", "matched_terms",
    "content_hash", "duplicate_of", "http_status", "discovered_via", "run_id",
)


@dataclass(frozen=True)
class Stored:
    """What ``Archive.store_article`` did: the article's id, "new" / "updated" /
    "unchanged", and "exact" or "near" when it joined an existing duplicate cluster."""

    id: int
    outcome: str
    link: str | None = None


class ArchiveError(Exception):
    """The archive cannot be used; the message is one line for the operator."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Archive:
    def __init__(self, path: str | Path, *, readonly: bool = False, busy_timeout_ms: int = 10_000) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.busy_timeout_ms = busy_timeout_ms
        self._db: Database | None = None

    # -- lifecycle -------------------------------------------------------------
    def open(self) -> Archive:
        if self.readonly and not self.path.exists():
            raise ArchiveError(f"archive {self.path} does not exist")
        if not self.readonly and self.path.exists() and self.path.stat().st_size > 0:
            # Checked before SQLite sees the file: a writable connection would run the
            # migrations and could write into whatever the user pointed us at.
            try:
                with open(self.path, "rb") as fh:
                    header = fh.read(16)
            except OSError as e:
                raise ArchiveError(f"cannot open archive {self.path}: {e.strerror or e}") from None
            if header != b"SQLite format 3\x00":
                raise ArchiveError(f"cannot open archive {self.path}: file is not a database")
        conn: sqlite3.Connection | None = None
        try:
            if self.readonly:
                # as_uri() percent-escapes the path: a raw "#" or "?" would end the file name.
                uri = self.path.resolve().as_uri() + "?mode=ro"
                conn = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout_ms / 1000)
            else:
                if not self.path.parent.exists():
                    raise ArchiveError(f"cannot create archive {self.path}: folder does not exist")
                conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout_ms / 1000)
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if not self.readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # 32 MiB page cache (default 2 MiB): holds the interior pages of the
                # near-duplicate band index of a million-article archive, so storing an
                # article costs leaf reads only. A bound, not a growth with the archive.
                conn.execute("PRAGMA cache_size = -32768")
                # Each stored article dirties ~70 scattered pages (its 64 LSH band rows);
                # checkpointing every 1,000 WAL pages (the default) would copy and fsync
                # every dozen articles. 10,000 pages (40 MiB of WAL) cut the store's wall
                # time by about half in bench/near_dup.py.
                conn.execute("PRAGMA wal_autocheckpoint = 10000")
            db = Database(conn)
            if self.readonly:
                if not db["articles"].exists():
                    raise ArchiveError(f"{self.path} is not a Warta archive (no articles table)")
            else:
                migrations.apply(db)
        except (sqlite3.DatabaseError, ArchiveError) as e:
            # A half-opened connection would keep the file open (and locked on Windows).
            if conn is not None:
                conn.close()
            if isinstance(e, ArchiveError):
                raise
            raise ArchiveError(f"cannot open archive {self.path}: {e}") from None
        self._db = db
        return self

    def close(self) -> None:
        if self._db is not None:
            self._db.conn.close()
            self._db = None

    def __enter__(self) -> Archive:
        if self._db is None:
            self.open()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def db(self) -> Database:
        if self._db is None:
            raise ArchiveError("archive is not open")
        return self._db

    # -- runs ------------------------------------------------------------------
    def start_run(self, *, sites: list[str], args: dict[str, Any]) -> int:
        from crawler import __version__

        with self.db.conn:
            cur = self.db.conn.execute(
                "INSERT INTO crawl_runs (started_at, sites, args, stats, status, pid, warta_version) "
                "VALUES (?, ?, ?, '{}', 'running', ?, ?)",
                (_now(), json.dumps(sites), json.dumps(args, default=str), os.getpid(), __version__),
            )
        return int(cur.lastrowid or 0)

    def mark_interrupted_runs(self) -> int:
        """Runs still 'running' when a new run holds the lock died mid-way (kill -9,
        power loss); say so instead of leaving them looking alive."""
        with self.db.conn:
            cur = self.db.conn.execute(
                "UPDATE crawl_runs SET status = 'interrupted' WHERE status = 'running' AND finished_at IS NULL")
        return cur.rowcount

    def finish_run(self, run_id: int, *, stats: dict[str, Any], status: str) -> None:
        with self.db.conn:
            self.db.conn.execute(
                "UPDATE crawl_runs SET finished_at = ?, stats = ?, status = ? WHERE id = ?",
                (_now(), json.dumps(stats, default=str, sort_keys=True), status, run_id),
            )

    def runs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query("SELECT * FROM crawl_runs ORDER BY id")]

    # -- articles --------------------------------------------------------------
    def find_by_url(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT * FROM articles WHERE canonical_url = :u OR id = "
            "(SELECT article_id FROM article_urls WHERE url = :u) LIMIT 1", {"u": url}))
        return _decode(rows[0]) if rows else None

    def find_by_content_hash(self, content_hash: str) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT * FROM articles WHERE content_hash = ? "
            "ORDER BY julianday(published_at) IS NULL, julianday(published_at), id LIMIT 1", [content_hash]))
        return _decode(rows[0]) if rows else None

    def upsert_article(self, record: dict[str, Any], *, alias_url: str | None = None,
                       fetched_urls: list[str] | None = None, etag: str | None = None,
                       last_modified: str | None = None) -> tuple[int, str]:
        """Insert or update by canonical_url in one transaction; returns (id, outcome)
        with outcome "new", "updated" or "unchanged". ``fetched_urls`` with their HTTP
        validators are remembered in the same transaction for conditional re-crawls.
        Clusters the article with the default threshold; ``store_article`` says more."""
        stored = self.store_article(record, alias_url=alias_url, fetched_urls=fetched_urls, etag=etag,
                                    last_modified=last_modified)
        return stored.id, stored.outcome

    def store_article(self, record: dict[str, Any], *, alias_url: str | None = None,
                      fetched_urls: list[str] | None = None, etag: str | None = None,
                      last_modified: str | None = None, minhash: tuple[Signature, int] | None = None,
                      near_threshold: float | None = DEFAULT_THRESHOLD) -> Stored:
        """``upsert_article`` that also says whether the article joined a duplicate
        cluster ("exact" or "near"). The cluster is decided in the same transaction as
        the write, under the write lock, so copies stored by crawlers running side by
        side always end up in one cluster with the earliest-published as original.
        ``minhash`` is (signature, shingle count) of the text when the caller already
        has it; ``near_threshold`` None links exact copies only."""
        row = {k: record.get(k) for k in ARTICLE_FIELDS}
        for col in JSON_LIST_COLUMNS:
            row[col] = json.dumps(row[col] or [], ensure_ascii=False)
        now = _now()
        conn = self.db.conn
        link: str | None = None
        with conn:
            # IMMEDIATE: the duplicate check below must see every copy committed before
            # this write and none committed after it.
            conn.execute("BEGIN IMMEDIATE")
            existing = conn.execute(
                "SELECT id, title, text, cluster_id FROM articles WHERE canonical_url = ?", (row["canonical_url"],)
            ).fetchone()
            if existing is None:
                row.pop("gone_at", None)
                row["first_seen_at"] = now
                row["last_fetched_at"] = row.get("fetched_at") or now
                cols = ", ".join(row)
                marks = ", ".join(f":{k}" for k in row)
                cur = conn.execute(f"INSERT INTO articles ({cols}) VALUES ({marks})", row)
                art_id, outcome = int(cur.lastrowid or 0), "new"
            else:
                art_id = int(existing[0])
                if existing[1] == row["title"] and existing[2] == row["text"]:
                    conn.execute("UPDATE articles SET last_fetched_at = ?, gone_at = NULL WHERE id = ?",
                                 (row.get("fetched_at") or now, art_id))
                    outcome = "unchanged"
                else:
                    row.pop("url", None)  # the first URL seen stays the article's URL
                    # The archive decides duplicate links (cluster below), not the caller.
                    row.pop("duplicate_of", None)
                    row["last_fetched_at"] = row.get("fetched_at") or now
                    row["gone_at"] = None
                    sets = ", ".join(f"{k} = :{k}" for k in row if k != "canonical_url")
                    conn.execute(f"UPDATE articles SET {sets} WHERE id = :id", {**row, "id": art_id})
                    outcome = "updated"
            if outcome != "unchanged" or existing[3] is None:
                sig, n = minhash if minhash is not None else signature(str(row.get("text") or ""))
                link = clusters.assign(conn, art_id, sig, n, row.get("content_hash"), near_threshold)
            if alias_url and alias_url != row["canonical_url"]:
                conn.execute("INSERT OR IGNORE INTO article_urls (url, article_id, first_seen_at) VALUES (?, ?, ?)",
                             (alias_url, art_id, now))
            for url in fetched_urls or ():
                self._record_fetch(url, str(row["site"]), int(row.get("http_status") or 0), etag, last_modified, now)
        return Stored(art_id, outcome, link)

    # -- HTTP validators (conditional re-crawls) -------------------------------
    def validators(self, site: str) -> dict[str, tuple[str, str]]:
        """url -> (etag, last_modified) for every URL of the site fetched before."""
        cur = self.db.conn.execute(
            "SELECT url, COALESCE(etag, ''), COALESCE(last_modified, '') FROM url_state "
            "WHERE site = ? AND (etag IS NOT NULL OR last_modified IS NOT NULL)", (site,))
        return {u: (e, lm) for u, e, lm in cur}

    def record_fetch(self, urls: list[str], *, site: str, status: int, etag: str | None,
                     last_modified: str | None) -> None:
        with self.db.conn:
            for url in urls:
                self._record_fetch(url, site, status, etag, last_modified, _now())

    def _record_fetch(self, url: str, site: str, status: int, etag: str | None, last_modified: str | None,
                      now: str) -> None:
        self.db.conn.execute(
            "INSERT INTO url_state (url, site, etag, last_modified, last_status, last_fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "etag = COALESCE(excluded.etag, url_state.etag), "
            "last_modified = COALESCE(excluded.last_modified, url_state.last_modified), "
            "last_status = excluded.last_status, last_fetched_at = excluded.last_fetched_at",
            (url, site, etag, last_modified, status, now))

    def mark_gone(self, url: str, when: str) -> bool:
        """The outlet removed the article (404/410): note when, keep everything."""
        art = self.find_by_url(url)
        if art is None:
            return False
        with self.db.conn:
            self.db.conn.execute("UPDATE articles SET gone_at = COALESCE(gone_at, ?) WHERE id = ?", (when, art["id"]))
        return True

    def known_urls(self, site: str) -> dict[str, tuple[str, str | None]]:
        """url -> (last_fetched_at, published_at of its article) for every article URL of
        the site fetched before: what incremental discovery may skip."""
        cur = self.db.conn.execute(
            "SELECT u.url, u.last_fetched_at, "
            "COALESCE(a1.published_at, a2.published_at, a3.published_at) "
            "FROM url_state u "
            "LEFT JOIN articles a1 ON a1.canonical_url = u.url "
            "LEFT JOIN articles a2 ON a2.url = u.url "
            "LEFT JOIN article_urls au ON au.url = u.url LEFT JOIN articles a3 ON a3.id = au.article_id "
            "WHERE u.site = ?", (site,))
        return {url: (fetched, published) for url, fetched, published in cur}

    def touch(self, url: str, fetched_at: str) -> bool:
        """A conditional re-fetch said 304: the article is unchanged; note that we looked."""
        art = self.find_by_url(url)
        if art is None:
            return False
        with self.db.conn:
            self.db.conn.execute("UPDATE articles SET last_fetched_at = ? WHERE id = ?", (fetched_at, art["id"]))
        return True

    def add_alias(self, article_id: int, url: str) -> None:
        with self.db.conn:
            self.db.conn.execute("INSERT OR IGNORE INTO article_urls (url, article_id, first_seen_at) VALUES (?,?,?)",
                                 (url, article_id, _now()))

    def aliases(self, article_id: int) -> list[str]:
        return [r["url"] for r in self.db.query(
            "SELECT url FROM article_urls WHERE article_id = ? ORDER BY url", [article_id])]

    def count_by_content_hash(self, content_hash: str) -> int:
        row = self.db.conn.execute("SELECT COUNT(*) FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
        return int(row[0])

    def relink_duplicates(self, content_hash: str) -> None:
        """Point every copy in the clusters holding this text at its cluster's
        earliest-published member (ties: first stored). ``store_article`` already does
        this on every write; this repairs links by hand."""
        conn = self.db.conn
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            clusters.relink_by_content_hash(conn, content_hash)

    def articles(self, *, site: str | None = None, since: str | None = None, until: str | None = None,
                 relevant_only: bool = False, run_id: int | None = None,
                 one_per_cluster: bool = False) -> Iterator[dict[str, Any]]:
        """Articles in id order, streamed. ``one_per_cluster``: only originals (an article
        that is no copy of an earlier one), so each story is counted once."""
        where, params = _filters(site, since, until, relevant_only, run_id)
        if one_per_cluster:
            where = (where + " AND " if where else "WHERE ") + "duplicate_of IS NULL"
        sql = f"SELECT * FROM articles {where} ORDER BY id"
        # A plain cursor iterates without loading the result set: constant memory.
        cur = self.db.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        for values in cur:
            yield _decode(dict(zip(names, values, strict=True)))

    def near_candidates(self, sig: Signature, *, exclude: int = 0) -> list[int]:
        """Ids of stored articles sharing an LSH band with this signature (what a new
        article with it would be compared with)."""
        return clusters.candidates(self.db.conn, band_hashes(sig), exclude)

    def bulk_fill_fingerprints(self, articles: Iterable[tuple[int, bytes, int]],
                               bands: Iterable[tuple[int, int]]) -> int:
        """Benchmark helper: insert filler articles with ready-made fingerprints in one
        transaction, no matching (see archive.clusters.bulk_fill)."""
        with self.db.conn:
            return clusters.bulk_fill(self.db.conn, articles, bands)

    def duplicate_clusters(self, *, site: str | None = None) -> Iterator[dict[str, Any]]:
        """Clusters with more than one member, streamed one at a time: the original
        first, then its copies by publication date, each with site, dates and
        similarity to the original. ``site``: clusters with a member on that site."""
        if "cluster_id" not in self.db["articles"].columns_dict:
            # A read-only open does not migrate: an archive from before clusters.
            raise ArchiveError(f"{self.path} has no duplicate clusters yet (older schema); any `warta crawl` "
                               f"on it adds them")
        where = "WHERE cluster_id IN (SELECT cluster_id FROM articles WHERE duplicate_of IS NOT NULL)"
        params: dict[str, Any] = {}
        if site:
            where += " AND cluster_id IN (SELECT cluster_id FROM articles WHERE site = :site)"
            params["site"] = site
        cur = self.db.conn.execute(
            "SELECT cluster_id, id, site, title, canonical_url, published_at, first_seen_at, similarity, "
            "duplicate_of, content_hash FROM articles " + where + " ORDER BY cluster_id, duplicate_of IS NOT NULL, "
            "julianday(published_at) IS NULL, julianday(published_at), id", params)
        names = [d[0] for d in cur.description]
        group: list[dict[str, Any]] = []
        for values in cur:
            r = dict(zip(names, values, strict=True))
            if group and group[0]["cluster_id"] != r["cluster_id"]:
                yield _cluster(group)
                group = []
            group.append(r)
        if group:
            yield _cluster(group)

    def search(self, query: str, *, site: str | None = None, since: str | None = None, until: str | None = None,
               relevant_only: bool = False, limit: int = 20) -> list[dict[str, Any]]:
        where, params = _filters(site, since, until, relevant_only, None, prefix="a.")
        extra = where.replace("WHERE", "AND", 1)
        sql = (
            "SELECT a.id, a.site, a.title, a.url, a.published_at, a.relevance_label, "
            "snippet(articles_fts, -1, '[', ']', '…', 16) AS snippet, bm25(articles_fts) AS rank "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            f"WHERE articles_fts MATCH :q {extra} ORDER BY rank LIMIT :limit"
        )
        try:
            return [dict(r) for r in self.db.query(sql, {**params, "q": query, "limit": limit})]
        except sqlite3.OperationalError as e:
            raise ArchiveError(f"bad search query {query!r}: {e}") from None

    def stats(self) -> list[dict[str, Any]]:
        sql = (
            "SELECT site, COUNT(*) AS articles, "
            "SUM(relevance_label = 'relevant') AS relevant, "
            "SUM(duplicate_of IS NOT NULL) AS duplicates, "
            "SUM(published_at IS NOT NULL) AS with_date, "
            "MIN(published_at) AS first_published_at, MAX(published_at) AS last_published_at, "
            "MAX(last_fetched_at) AS last_fetched_at "
            "FROM articles GROUP BY site ORDER BY site"
        )
        return [dict(r) for r in self.db.query(sql)]

    def health(self, now: str, *, days_recent: int = 7, days_window: int = 30) -> list[dict[str, Any]]:
        """Per site: yield and quality in the last ``days_recent`` days against the
        ``days_window`` days before, by when Warta first stored each article."""
        sql = """
        WITH w AS (
          SELECT site,
                 julianday(:now) - julianday(first_seen_at) AS age,
                 published_at IS NULL AS no_date,
                 COALESCE(word_count, 0) < 40 AS thin
          FROM articles
        )
        SELECT site,
               SUM(age <= :recent) AS recent,
               SUM(age > :recent AND age <= :recent + :window) AS before,
               SUM(CASE WHEN age <= :recent THEN no_date END) AS recent_no_date,
               SUM(CASE WHEN age > :recent AND age <= :recent + :window THEN no_date END) AS before_no_date,
               SUM(CASE WHEN age <= :recent THEN thin END) AS recent_thin,
               COUNT(*) AS total
        FROM w GROUP BY site ORDER BY site
        """
        rows = [dict(r) for r in self.db.query(sql, {"now": now, "recent": days_recent, "window": days_window})]
        last_ok: dict[str, str] = {}
        for run in self.db.query("SELECT finished_at, sites, stats FROM crawl_runs WHERE finished_at IS NOT NULL "
                                 "ORDER BY id"):
            try:
                failed = json.loads(run["stats"] or "{}").get("failed", {})
                sites = json.loads(run["sites"] or "[]")
            except ValueError:
                continue
            for site in sites:
                if site not in failed:
                    last_ok[site] = run["finished_at"]
        for r in rows:
            for k in ("recent", "before", "recent_no_date", "before_no_date", "recent_thin"):
                r[k] = int(r[k] or 0)
            r["last_ok_run"] = last_ok.get(r["site"])
        return rows

    def counts(self) -> dict[str, int]:
        row = next(self.db.query(
            "SELECT COUNT(*) AS articles, COALESCE(SUM(relevance_label = 'relevant'), 0) AS relevant, "
            "COALESCE(SUM(duplicate_of IS NOT NULL), 0) AS duplicates, "
            "(SELECT COUNT(*) FROM article_urls) AS aliases, (SELECT COUNT(*) FROM crawl_runs) AS runs "
            "FROM articles"))
        return {k: int(v or 0) for k, v in row.items()}


def _filters(site: str | None, since: str | None, until: str | None, relevant_only: bool, run_id: int | None,
             prefix: str = "") -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if site:
        clauses.append(f"{prefix}site = :site")
        params["site"] = site
    if since:
        clauses.append(f"substr({prefix}published_at, 1, 10) >= :since")
        params["since"] = since[:10]
    if until:
        clauses.append(f"substr({prefix}published_at, 1, 10) <= :until")
        params["until"] = until[:10]
    if relevant_only:
        clauses.append(f"{prefix}relevance_label = 'relevant'")
    if run_id is not None:
        clauses.append(f"{prefix}run_id = :run_id")
        params["run_id"] = run_id
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _cluster(rows: list[dict[str, Any]]) -> dict[str, Any]:
    original = rows[0]
    members = []
    for r in rows:
        kind = ("original" if r["duplicate_of"] is None
                else "exact" if r["content_hash"] and r["content_hash"] == original["content_hash"] else "near")
        members.append({k: r[k] for k in ("id", "site", "published_at", "canonical_url", "title", "similarity")}
                       | {"kind": kind})
    sims = [m["similarity"] for m in members[1:] if m["similarity"] is not None]
    dates = [r["published_at"] for r in rows if r["published_at"]]
    return {
        "cluster_id": original["cluster_id"], "size": len(rows), "sites": sorted({r["site"] for r in rows}),
        # Rows come original first, then copies by instant (julianday), undated last.
        "first_published_at": dates[0] if dates else None, "last_published_at": dates[-1] if dates else None,
        "min_similarity": min(sims) if sims else None, "members": members,
    }


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for col in JSON_LIST_COLUMNS:
        if isinstance(row.get(col), str):
            try:
                row[col] = json.loads(row[col])
            except ValueError:
                row[col] = []
    return row
