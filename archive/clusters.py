"""Duplicate clusters in SQL: MinHash signatures, LSH band hashes, cluster links.

Every article belongs to one cluster; ``articles.cluster_id`` is the id of the
cluster's original, the earliest-published member (instants compared in UTC,
undated members last, ties to the lowest id), so an original has ``cluster_id = id``
and ``duplicate_of IS NULL``, and every other member has ``duplicate_of`` = the
original's canonical_url and ``similarity`` = its estimated Jaccard similarity to the
original (1.0 for the same normalised text).

A new or changed article joins the cluster of an article with the same
``content_hash`` (exact copy), else of the most similar article among those sharing
at least one LSH band whose estimated similarity reaches the threshold (near copy).
When it reaches the threshold with members of several clusters, they are merged:
two rewrites of one press release stored before the release itself may not resemble
each other enough, and the release is what shows they are one story.

Only the band rows of an article's own bands are read: the work per article is a
few index lookups whatever the archive's size, and nothing is held in memory
between articles. The functions take a connection inside the caller's transaction;
``Archive`` holds the write lock (BEGIN IMMEDIATE) around them, so two crawlers
storing two copies side by side cannot both become originals.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence

from crawler.neardup import (
    MIN_SHINGLES,
    Signature,
    band_hashes,
    from_blob,
    signature,
    similarity,
    to_blob,
)

logger = logging.getLogger(__name__)

# Candidates read per article at most. A band shared by thousands of articles means a
# degenerate text (a template, a one-line teaser); the cap keeps the cost bounded.
MAX_CANDIDATES = 200

ORIGINAL_FIRST = "ORDER BY julianday(published_at) IS NULL, julianday(published_at), id"


def assign(conn: sqlite3.Connection, art_id: int, sig: Signature, shingles: int, content_hash: str | None,
           threshold: float | None) -> str | None:
    """Fingerprint article ``art_id`` and put it in its cluster. Returns "exact" or
    "near" when it joined an existing cluster, None when it starts its own.
    ``threshold`` None turns near matching off (exact copies still join)."""
    previous = conn.execute("SELECT minhash, shingles FROM near_signatures WHERE article_id = ?",
                            (art_id,)).fetchone()
    if previous is not None:
        # A changed article (updated in place): take it out of its cluster first and
        # let the rest of the cluster pick its original without it.
        if previous[1] >= MIN_SHINGLES:
            conn.executemany("DELETE FROM near_bands WHERE band = ? AND article_id = ?",
                             [(b, art_id) for b in band_hashes(from_blob(previous[0]))])
        stayed_with = _detach(conn, art_id)
    else:
        stayed_with = None
    conn.execute("INSERT OR REPLACE INTO near_signatures (article_id, minhash, shingles) VALUES (?, ?, ?)",
                 (art_id, to_blob(sig), shingles))
    conn.execute("UPDATE articles SET cluster_id = id, duplicate_of = NULL, similarity = NULL WHERE id = ?",
                 (art_id,))
    link: str | None = None
    joined: list[int] = []  # clusters this article belongs with, best first
    if content_hash:
        joined = [int(r[0]) for r in conn.execute(
            "SELECT DISTINCT COALESCE(cluster_id, id) FROM articles WHERE content_hash = ? AND id != ?",
            (content_hash, art_id))]
        if joined:
            link = "exact"
    bands = band_hashes(sig) if shingles >= MIN_SHINGLES else []
    if threshold is not None and bands:
        near = [c for c, sim in _matches(conn, art_id, sig, bands) if sim >= threshold and c not in joined]
        if near and not joined:
            link = "near"
        joined += near
    if bands:
        conn.executemany("INSERT OR IGNORE INTO near_bands (band, article_id) VALUES (?, ?)",
                         [(b, art_id) for b in bands])
    if not joined:
        return None
    target = joined[0]
    conn.execute("UPDATE articles SET cluster_id = ? WHERE id = ?", (target, art_id))
    # Copies of one story stored before their common source can sit in separate
    # clusters (two rewrites may not resemble each other enough); an article close
    # enough to both is the evidence that they are one story.
    for other in joined[1:]:
        conn.execute("UPDATE articles SET cluster_id = ? WHERE cluster_id = ?", (target, other))
    relink(conn, members(conn, target))
    if target == stayed_with and len(joined) == 1:
        # An update that is still a copy of the same story: nothing new was linked.
        return None
    return link


def _matches(conn: sqlite3.Connection, art_id: int, sig: Signature, bands: Sequence[int]) -> list[tuple[int, float]]:
    """(cluster id, best similarity to one of its members) for every cluster with an
    LSH candidate, most similar first."""
    cands = candidates(conn, bands, art_id)
    if not cands:
        return []
    best: dict[int, float] = {}
    marks = ",".join("?" * len(cands))
    for cluster_id, blob in conn.execute(
            f"SELECT COALESCE(a.cluster_id, a.id), s.minhash FROM near_signatures s "
            f"JOIN articles a ON a.id = s.article_id WHERE s.article_id IN ({marks})", cands):
        sim = similarity(sig, from_blob(blob))
        if sim > best.get(int(cluster_id), -1.0):
            best[int(cluster_id)] = sim
    return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))


def _detach(conn: sqlite3.Connection, art_id: int) -> int | None:
    """Take the article out of its cluster; returns the cluster id the other members
    now share, if any."""
    row = conn.execute("SELECT cluster_id FROM articles WHERE id = ?", (art_id,)).fetchone()
    if row is None or row[0] is None:
        return None
    others = [i for i in members(conn, int(row[0])) if i != art_id]
    conn.execute("UPDATE articles SET cluster_id = id, duplicate_of = NULL, similarity = NULL WHERE id = ?",
                 (art_id,))
    if not others:
        return None
    return relink(conn, others)


def members(conn: sqlite3.Connection, cluster_id: int) -> list[int]:
    return [int(r[0]) for r in conn.execute("SELECT id FROM articles WHERE cluster_id = ?", (cluster_id,))]


def relink(conn: sqlite3.Connection, ids: Iterable[int]) -> int | None:
    """Make the earliest-published of ``ids`` the original of them all; returns its id."""
    ids = list(ids)
    if not ids:
        return None
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT a.id, a.canonical_url, a.content_hash, s.minhash FROM articles a "
        f"LEFT JOIN near_signatures s ON s.article_id = a.id WHERE a.id IN ({marks}) "
        f"ORDER BY julianday(a.published_at) IS NULL, julianday(a.published_at), a.id", ids).fetchall()
    orig_id, orig_url, orig_hash, orig_blob = rows[0]
    orig_sig = from_blob(orig_blob) if orig_blob is not None else None
    updates: list[tuple[int, str | None, float | None, int]] = [(orig_id, None, None, orig_id)]
    for art_id, _url, chash, blob in rows[1:]:
        if chash and chash == orig_hash:
            sim: float | None = 1.0
        elif blob is not None and orig_sig is not None:
            sim = similarity(from_blob(blob), orig_sig)
        else:
            sim = None
        updates.append((orig_id, orig_url, sim, art_id))
    conn.executemany("UPDATE articles SET cluster_id = ?, duplicate_of = ?, similarity = ? WHERE id = ?", updates)
    return int(orig_id)


def relink_by_content_hash(conn: sqlite3.Connection, content_hash: str) -> None:
    """Relink every cluster holding a copy of this text."""
    clusters = {int(r[0]) for r in conn.execute(
        "SELECT COALESCE(cluster_id, id) FROM articles WHERE content_hash = ?", (content_hash,))}
    for cluster_id in sorted(clusters):
        relink(conn, members(conn, cluster_id) or [cluster_id])


def backfill(conn: sqlite3.Connection, threshold: float | None = None, batch: int = 500) -> int:
    """Fingerprint and cluster every article that has no signature yet, in id order
    (the migration that adds clusters runs this over an existing archive)."""
    from crawler.neardup import DEFAULT_THRESHOLD

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    done = 0
    last = 0
    while True:
        # Keyset pages: constant memory however large the archive.
        rows = conn.execute(
            "SELECT id, text, content_hash FROM articles WHERE id > ? AND id NOT IN "
            "(SELECT article_id FROM near_signatures) ORDER BY id LIMIT ?", (last, batch)).fetchall()
        if not rows:
            return done
        for art_id, text, chash in rows:
            sig, n = signature(text or "")
            assign(conn, int(art_id), sig, n, chash, threshold)
            last = int(art_id)
            done += 1


def candidates(conn: sqlite3.Connection, bands: Sequence[int], exclude: int = 0) -> list[int]:
    """Ids of articles sharing at least one band (at most MAX_CANDIDATES)."""
    marks = ",".join("?" * len(bands))
    return [int(r[0]) for r in conn.execute(
        f"SELECT DISTINCT article_id FROM near_bands WHERE band IN ({marks}) AND article_id != ? "
        f"LIMIT {MAX_CANDIDATES}", (*bands, exclude))]


def bulk_fill(conn: sqlite3.Connection, articles: Iterable[tuple[int, bytes, int]],
              bands: Iterable[tuple[int, int]]) -> int:
    """Insert filler articles (id, minhash blob, shingles) and band rows (band,
    article_id) as they are, without matching: bench/near_dup.py grows an archive to
    1M fingerprints with this. Filler rows have site "filler" and no text. Band rows
    given in key order are appended instead of inserted at random places."""
    arts = list(articles)
    conn.executemany("INSERT INTO articles (id, url, canonical_url, site, title, text, content_hash, published_at, "
                     "cluster_id) VALUES (?1, 'filler:' || ?1, 'filler:' || ?1, 'filler', '', '', printf('%064x', ?1), "
                     "'2023-01-01', ?1)", [(a[0],) for a in arts])
    conn.executemany("INSERT INTO near_signatures (article_id, minhash, shingles) VALUES (?, ?, ?)", arts)
    conn.executemany("INSERT OR IGNORE INTO near_bands (band, article_id) VALUES (?, ?)", bands)
    return len(arts)
