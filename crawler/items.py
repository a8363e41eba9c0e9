"""Item kinds, one typed dataclass each.

Scrapy handles dataclass items natively (itemadapter), so pipelines pass these
objects along without dict juggling.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Capture:
    """One HTTP response as received (after Scrapy undid any Content-Encoding), kept
    in the archive's ``captures`` table so extraction can be re-run later."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes = field(default=b"", repr=False)
    fetched_at: str = ""
    requested_url: str = ""

    def to_record(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class FetchedPage:
    """A page the spider judged to be an article, as fetched. Raw bytes are kept so the
    extractor can decode them itself (HTTP header, meta charset, sniffing)."""

    site: str
    url: str  # final URL after redirects
    requested_url: str
    status: int
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)  # kept out of log lines: a page can be megabytes
    fetched_at: str  # ISO 8601, UTC
    discovered_via: str = ""  # sitemap | feed | listing | start
    referer: str = ""
    run_id: int | None = None
    # Later pages of a multi-page article ("Halaman selanjutnya", ?page=2), in order;
    # their responses whole in ``continuation_captures``.
    continuation: list[bytes] = field(default_factory=list, repr=False)
    continuation_captures: list[Capture] = field(default_factory=list, repr=False)

    def captures(self) -> list[Capture]:
        first = Capture(self.url, self.status, self.headers, self.body, self.fetched_at, self.requested_url)
        return [first, *self.continuation_captures]


@dataclass
class NotModified:
    """A conditional re-fetch of a known article answered 304."""

    site: str
    url: str
    fetched_at: str
    capture: Capture | None = field(default=None, repr=False)


@dataclass
class Gone:
    """A known article URL answered 404 or 410: the outlet removed it."""

    site: str
    url: str
    status: int
    fetched_at: str
    capture: Capture | None = field(default=None, repr=False)


@dataclass
class DateCandidate:
    """A date string found on the page, with where it came from."""

    value: str
    source: str  # selector | jsonld | meta:<name> | byline | url
    kind: str = "published"  # published | modified


_NOT_STORED = frozenset({"date_candidates", "http_validators", "fetched_urls", "captures", "minhash"})


@dataclass
class Article:
    """One extracted article. Field names are the archive's and the export's."""

    url: str
    site: str = ""
    canonical_url: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    editor_initials: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    date_source: str | None = None
    date_note: str | None = None  # why a date is null or doubtful
    fetched_at: str = ""
    text: str = field(default="", repr=False)
    word_count: int = 0
    language: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    image: str = ""
    dateline: str = ""
    captions: list[str] = field(default_factory=list)
    is_article: bool = True
    not_article_reason: str = ""
    # filled by later pipelines
    relevance_score: float = 0.0
    relevance_label: str = ""
    matched_terms: list[dict[str, Any]] = field(default_factory=list)
    relevance_why: dict[str, Any] = field(default_factory=dict)  # evidence per concept, proximity, rule
    # the dateline's (else the most mentioned) province and regency/city, Kemendagri codes
    province_code: str | None = None
    province: str | None = None
    regency_code: str | None = None
    regency: str | None = None
    regions: list[dict[str, Any]] = field(default_factory=list)  # every place, via dateline or mention
    officials: list[dict[str, str]] = field(default_factory=list)  # {role, name}
    content_hash: str = ""
    duplicate_of: str | None = None  # canonical_url of the first copy
    # provenance
    http_status: int = 0
    discovered_via: str = ""
    run_id: int | None = None
    # not exported: the raw date strings, resolved by the dates pipeline, and the HTTP
    # validators and URLs of this fetch, kept for conditional re-crawls
    date_candidates: list[DateCandidate] = field(default_factory=list, repr=False)
    http_validators: dict[str, str] = field(default_factory=dict, repr=False)
    fetched_urls: list[str] = field(default_factory=list, repr=False)
    # the raw responses this version was extracted from (page 1 first)
    captures: list[Capture] = field(default_factory=list, repr=False)
    # (MinHash signature, shingle count) of the text, set by the dedup pipeline for
    # the archive's near-duplicate clustering (crawler.neardup)
    minhash: Any = field(default=None, repr=False, compare=False)

    def to_record(self) -> dict[str, Any]:
        # A shallow copy: asdict() deep-copies every nested list and showed up in profiles.
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_STORED}
