"""Typed, read-only article records for the Python API (``Archive.articles()``).

Dates are decoded, not guessed: ``published_at`` and ``modified_at`` are aware
``datetime`` values in the outlet's own offset (WIB +07:00, WITA +08:00, WIT +09:00)
when the page gave a time, a plain ``date`` when it gave only the day, and ``None``
when it gave nothing trustworthy. ``datetime`` is a subclass of ``date``, so test
``isinstance(x, datetime)`` to tell them apart; ``published_day`` is always a ``date``
(or ``None``). Warta's own timestamps (``fetched_at``, ``first_seen_at``,
``last_fetched_at``, ``gone_at``) are aware ``datetime`` values in UTC. JSON list
columns become tuples, so a record is immutable and hashable all the way down."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class MatchedTerm:
    """One topic-profile term found in the article: why its relevance score is what it is."""

    term: str
    concept: str
    where: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Region:
    """A province or regency/city the article is about (Kemendagri code), and how it was found."""

    code: str
    name: str
    type: str  # provinsi | kabupaten | kota
    province_code: str
    province: str
    via: str  # dateline | mention
    count: int


@dataclass(frozen=True, slots=True)
class Official:
    """An official named in the article, as role + name ("Pj Bupati Banyuasin", "Hani Syopiar Rustam")."""

    role: str
    name: str


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One archived article (the newest stored version). Columns: docs/schema.md."""

    id: int
    url: str
    canonical_url: str
    site: str
    title: str | None
    authors: tuple[str, ...]
    editors: tuple[str, ...]
    editor_initials: tuple[str, ...]
    published_at: datetime | date | None
    published_day: date | None
    modified_at: datetime | date | None
    date_source: str | None
    date_note: str | None
    fetched_at: datetime | None
    first_seen_at: datetime | None
    last_fetched_at: datetime | None
    text: str | None
    word_count: int | None
    language: str | None
    section: str | None
    tags: tuple[str, ...]
    image: str | None
    dateline: str | None
    captions: tuple[str, ...]
    relevance_score: float | None
    relevance_label: str | None
    matched_terms: tuple[MatchedTerm, ...]
    relevance_why: str  # JSON text (evidence per concept, proximity, the deciding rule): see ``why``
    province_code: str | None
    province: str | None
    regency_code: str | None
    regency: str | None
    regions: tuple[Region, ...]
    officials: tuple[Official, ...]
    content_hash: str | None
    duplicate_of: str | None
    http_status: int | None
    discovered_via: str | None
    run_id: int | None
    gone_at: datetime | None
    cluster_id: int | None  # id of the duplicate cluster's original (itself for an original)
    similarity: float | None  # estimated Jaccard similarity to the original (1.0 for exact copies)

    @property
    def is_relevant(self) -> bool:
        return self.relevance_label == "relevant"

    @property
    def why(self) -> dict[str, Any]:
        """The relevance judgement's reasons as a dict (kept as text so a record stays hashable)."""
        try:
            value = json.loads(self.relevance_why or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def to_dict(self) -> dict[str, Any]:
        """Plain Python values (lists, dicts, datetimes), e.g. for a DataFrame row."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "matched_terms":
                v = [{"term": m.term, "concept": m.concept, "where": m.where, "sentence": m.sentence} for m in v]
            elif f.name == "regions":
                v = [{k: getattr(r, k) for k in Region.__slots__} for r in v]  # type: ignore[attr-defined]
            elif f.name == "officials":
                v = [{"role": o.role, "name": o.name} for o in v]
            elif f.name == "relevance_why":
                v = self.why
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        return out

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ArticleRecord:
        """From an ``articles`` row whose JSON list columns are already decoded."""
        published = _page_date(row.get("published_at"))
        return cls(
            id=int(row["id"]),
            url=row["url"],
            canonical_url=row["canonical_url"],
            site=row["site"],
            title=row.get("title"),
            authors=_strings(row.get("authors")),
            editors=_strings(row.get("editors")),
            editor_initials=_strings(row.get("editor_initials")),
            published_at=published,
            published_day=published.date() if isinstance(published, datetime) else published,
            modified_at=_page_date(row.get("modified_at")),
            date_source=row.get("date_source"),
            date_note=row.get("date_note"),
            fetched_at=_utc(row.get("fetched_at")),
            first_seen_at=_utc(row.get("first_seen_at")),
            last_fetched_at=_utc(row.get("last_fetched_at")),
            text=row.get("text"),
            word_count=row.get("word_count"),
            language=row.get("language"),
            section=row.get("section"),
            tags=_strings(row.get("tags")),
            image=row.get("image"),
            dateline=row.get("dateline"),
            captions=_strings(row.get("captions")),
            relevance_score=row.get("relevance_score"),
            relevance_label=row.get("relevance_label"),
            matched_terms=tuple(
                MatchedTerm(str(m.get("term", "")), str(m.get("concept", "")), str(m.get("where", "")),
                            str(m.get("sentence", "")))
                for m in _list(row.get("matched_terms")) if isinstance(m, dict)),
            relevance_why=_json_text(row.get("relevance_why")),
            province_code=row.get("province_code"),
            province=row.get("province"),
            regency_code=row.get("regency_code"),
            regency=row.get("regency"),
            regions=tuple(
                Region(str(r.get("code", "")), str(r.get("name", "")), str(r.get("type", "")),
                       str(r.get("province_code", "")), str(r.get("province", "")), str(r.get("via", "")),
                       int(r.get("count") or 0))
                for r in _list(row.get("regions")) if isinstance(r, dict)),
            officials=tuple(Official(str(o.get("role", "")), str(o.get("name", "")))
                            for o in _list(row.get("officials")) if isinstance(o, dict)),
            content_hash=row.get("content_hash"),
            duplicate_of=row.get("duplicate_of"),
            http_status=row.get("http_status"),
            discovered_via=row.get("discovered_via"),
            run_id=row.get("run_id"),
            gone_at=_utc(row.get("gone_at")),
            cluster_id=row.get("cluster_id"),
            similarity=row.get("similarity"),
        )


def _json_text(value: Any) -> str:
    if value is None:
        return "{}"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _list(value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return value if isinstance(value, list) else []


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in _list(value))


def _page_date(value: str | None) -> datetime | date | None:
    """An outlet's date as the archive stores it: ISO 8601 with offset, or a bare day."""
    if not value:
        return None
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value)


def _utc(value: str | None) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value)
    # Warta writes its own timestamps in UTC; an offset-less one comes from an older tool.
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
