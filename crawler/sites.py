"""Site registry: one declarative TOML file per outlet.

Adding an outlet is a config file, not code. Bundled configs live in
``crawler/sites/``; ``--sites-dir`` adds a user folder whose configs override
bundled ones of the same ``name``.
"""

from __future__ import annotations

import logging
import re
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)

DEFAULT_DOWNLOAD_DELAY = 1.0  # seconds; polite for small regional outlets
DEFAULT_CONCURRENCY = 2
DEFAULT_MAX_LISTING_PAGES = 20
DEFAULT_ARCHIVE_DATE_FORMAT = "%Y-%m-%d"

# Placeholders each backfill template must / may contain.
BACKFILL_TEMPLATES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "search_url": (frozenset({"query", "page"}), frozenset()),
    "tag_urls": (frozenset({"page"}), frozenset()),
    "archive_url": (frozenset({"date"}), frozenset({"page"})),
    "archive_sitemaps": (frozenset({"year"}), frozenset({"month"})),
}

SELECTOR_KEYS = frozenset({"title", "author", "date", "modified", "body", "section", "tags"})
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class SiteConfigError(ValueError):
    """A site config is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class SiteConfig:
    """One outlet. Patterns are matched against the URL path (plus query), never the
    host, so a config can be pointed at a mirror on another host unchanged."""

    name: str
    base_url: str
    start_urls: tuple[str, ...]
    timezone: str
    title: str = ""
    allowed_domains: tuple[str, ...] = ()
    download_delay: float = DEFAULT_DOWNLOAD_DELAY
    concurrency: int = DEFAULT_CONCURRENCY
    article_url_pattern: str | None = None
    listing_url_pattern: str | None = None
    max_listing_pages: int = DEFAULT_MAX_LISTING_PAGES
    selectors: Mapping[str, str] = field(default_factory=dict)
    drop_selectors: tuple[str, ...] = ()
    language: str = "id"
    checked_against_saved_pages: bool = False
    notes: str = ""
    source_path: str = ""
    # Backfill sources (warta backfill): templates relative to base_url, see docs/backfill.md.
    search_url: str | None = None  # {query} and {page}
    tag_urls: tuple[str, ...] = ()  # each with {page}
    archive_url: str | None = None  # index by date: {date}, optionally {page}
    archive_date_format: str = DEFAULT_ARCHIVE_DATE_FORMAT  # strftime for {date}
    archive_sitemaps: tuple[str, ...] = ()  # each with {year}, optionally {month}

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def domains(self) -> tuple[str, ...]:
        """Hosts the crawl may visit (without port); defaults to base_url's host."""
        if self.allowed_domains:
            return self.allowed_domains
        host = urlsplit(self.base_url).hostname or ""
        return (host,)

    def resolved_start_urls(self) -> list[str]:
        return [urljoin(self.base_url, u) for u in self.start_urls]

    @property
    def backfill_sources(self) -> tuple[str, ...]:
        """The backfill source kinds this config declares, in walking order."""
        kinds = (("search", bool(self.search_url)), ("tag", bool(self.tag_urls)),
                 ("date_index", bool(self.archive_url)), ("sitemap", bool(self.archive_sitemaps)))
        return tuple(k for k, on in kinds if on)

    def article_re(self) -> re.Pattern[str] | None:
        return re.compile(self.article_url_pattern) if self.article_url_pattern else None

    def listing_re(self) -> re.Pattern[str] | None:
        return re.compile(self.listing_url_pattern) if self.listing_url_pattern else None

    def rebased(self, base_url: str) -> SiteConfig:
        """The same config pointed at another origin (the offline mirror, a test server).

        Absolute start URLs on the outlet's own hosts move to the new origin too, so a
        rebased config can never reach the real outlet."""
        new = urlsplit(base_url)
        own_hosts = set(self.domains) | {urlsplit(self.base_url).hostname or ""}

        def move(url: str) -> str:
            absolute = urljoin(self.base_url, url)
            parts = urlsplit(absolute)
            host = parts.hostname or ""
            if host in own_hosts or any(host.endswith("." + d) for d in own_hosts if d):
                return urlunsplit((new.scheme, new.netloc, parts.path, parts.query, ""))
            raise SiteConfigError(
                f"{self.source_path or self.name}: start_urls: {url!r} is on a foreign host "
                "and cannot be rebased"
            )

        def move_template(url: str | None) -> str | None:
            # Braces survive urljoin/urlsplit untouched, so templates move like URLs.
            return move(url) if url else url

        return replace(
            self,
            base_url=base_url,
            start_urls=tuple(move(u) for u in self.start_urls),
            allowed_domains=(new.hostname or "",),
            search_url=move_template(self.search_url),
            tag_urls=tuple(move(u) for u in self.tag_urls),
            archive_url=move_template(self.archive_url),
            archive_sitemaps=tuple(move(u) for u in self.archive_sitemaps),
        )


_TYPES: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "title": (str,),
    "base_url": (str,),
    "start_urls": (list,),
    "allowed_domains": (list,),
    "timezone": (str,),
    "download_delay": (int, float),
    "concurrency": (int,),
    "article_url_pattern": (str,),
    "listing_url_pattern": (str,),
    "max_listing_pages": (int,),
    "selectors": (dict,),
    "drop_selectors": (list,),
    "language": (str,),
    "checked_against_saved_pages": (bool,),
    "notes": (str,),
    "search_url": (str,),
    "tag_urls": (list,),
    "archive_url": (str,),
    "archive_date_format": (str,),
    "archive_sitemaps": (list,),
}
REQUIRED_KEYS = ("name", "base_url", "start_urls", "timezone")


def parse_site(data: Mapping[str, Any], source: str) -> SiteConfig:
    """Validate a decoded TOML mapping; every error names ``source`` and the key."""

    def err(key: str, msg: str) -> SiteConfigError:
        return SiteConfigError(f"{source}: {key}: {msg}")

    for key in data:
        if key not in _TYPES:
            known = ", ".join(sorted(_TYPES))
            raise err(key, f"unknown key (known keys: {known})")
    for key in REQUIRED_KEYS:
        if key not in data:
            raise err(key, "missing required key")
    for key, value in data.items():
        types = _TYPES[key]
        if isinstance(value, bool) and bool not in types:
            raise err(key, f"expected {types[0].__name__}, got a boolean")
        if not isinstance(value, types):
            raise err(key, f"expected {types[0].__name__}, got {type(value).__name__}")

    name = data["name"]
    if not _NAME_RE.match(name):
        raise err("name", f"{name!r} must be lower-case letters, digits, '-' or '_'")
    base = urlsplit(data["base_url"])
    if base.scheme not in ("http", "https") or not base.hostname:
        raise err("base_url", f"{data['base_url']!r} is not an absolute http(s) URL")
    start_urls = data["start_urls"]
    if not start_urls:
        raise err("start_urls", "must list at least one URL")
    for u in start_urls:
        if not isinstance(u, str) or not u.strip():
            raise err("start_urls", f"{u!r} is not a URL")
        scheme = urlsplit(urljoin(data["base_url"], u)).scheme
        if scheme not in ("http", "https"):
            raise err("start_urls", f"{u!r} is not an http(s) URL")
    for key in ("allowed_domains", "drop_selectors"):
        for v in data.get(key, []):
            if not isinstance(v, str) or not v:
                raise err(key, f"{v!r} must be a non-empty string")
    try:
        ZoneInfo(data["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise err(
            "timezone",
            f"{data['timezone']!r} is not an IANA zone "
            "(WIB: Asia/Jakarta, WITA: Asia/Makassar, WIT: Asia/Jayapura)",
        ) from None
    if data.get("download_delay", DEFAULT_DOWNLOAD_DELAY) < 0:
        raise err("download_delay", "must be >= 0 seconds")
    if not 1 <= data.get("concurrency", DEFAULT_CONCURRENCY) <= 64:
        raise err("concurrency", "must be between 1 and 64")
    if not 0 <= data.get("max_listing_pages", DEFAULT_MAX_LISTING_PAGES) <= 10_000:
        raise err("max_listing_pages", "must be between 0 and 10000")
    for key in ("article_url_pattern", "listing_url_pattern"):
        if key in data:
            try:
                re.compile(data[key])
            except re.error as e:
                raise err(key, f"invalid regular expression: {e}") from None
    selectors = data.get("selectors", {})
    for skey, sval in selectors.items():
        if skey not in SELECTOR_KEYS:
            raise err(f"selectors.{skey}", f"unknown selector (known: {', '.join(sorted(SELECTOR_KEYS))})")
        if not isinstance(sval, str) or not sval.strip():
            raise err(f"selectors.{skey}", "must be a non-empty CSS selector string")
    _check_css(source, "selectors", selectors.values())
    _check_css(source, "drop_selectors", data.get("drop_selectors", []))
    _check_backfill(source, data)

    return SiteConfig(
        name=name,
        title=data.get("title", name),
        base_url=data["base_url"],
        start_urls=tuple(start_urls),
        allowed_domains=tuple(data.get("allowed_domains", ())),
        timezone=data["timezone"],
        download_delay=float(data.get("download_delay", DEFAULT_DOWNLOAD_DELAY)),
        concurrency=int(data.get("concurrency", DEFAULT_CONCURRENCY)),
        article_url_pattern=data.get("article_url_pattern"),
        listing_url_pattern=data.get("listing_url_pattern"),
        max_listing_pages=int(data.get("max_listing_pages", DEFAULT_MAX_LISTING_PAGES)),
        selectors=dict(selectors),
        drop_selectors=tuple(data.get("drop_selectors", ())),
        language=data.get("language", "id"),
        checked_against_saved_pages=data.get("checked_against_saved_pages", False),
        notes=data.get("notes", ""),
        source_path=source,
        search_url=data.get("search_url"),
        tag_urls=tuple(data.get("tag_urls", ())),
        archive_url=data.get("archive_url"),
        archive_date_format=data.get("archive_date_format", DEFAULT_ARCHIVE_DATE_FORMAT),
        archive_sitemaps=tuple(data.get("archive_sitemaps", ())),
    )


def _check_backfill(source: str, data: Mapping[str, Any]) -> None:
    """Backfill templates: the right placeholders, nothing else, an http(s) URL."""

    def err(key: str, msg: str) -> SiteConfigError:
        return SiteConfigError(f"{source}: {key}: {msg}")

    for key, (required, optional) in BACKFILL_TEMPLATES.items():
        if key not in data:
            continue
        value = data[key]
        templates = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not value:
            raise err(key, "must list at least one URL template (or leave the key out)")
        for t in templates:
            if not isinstance(t, str) or not t.strip():
                raise err(key, f"{t!r} is not a URL template")
            try:
                names = {f for _, f, _, _ in string.Formatter().parse(t) if f is not None}
            except ValueError as e:
                raise err(key, f"{t!r}: bad template ({e}); write a literal brace as {{{{ or }}}}") from None
            allowed = ", ".join("{" + n + "}" for n in sorted(required | optional))
            unknown = sorted(names - required - optional)
            if unknown:
                raise err(key, f"{t!r}: unknown placeholder {{{unknown[0]}}} (allowed: {allowed})")
            missing = sorted(required - names)
            if missing:
                raise err(key, f"{t!r}: missing placeholder {{{missing[0]}}}")
            sample = t.format(query="x", page=1, date="2024-01-01", year=2024, month="01")
            if urlsplit(urljoin(data.get("base_url", "http://x/"), sample)).scheme not in ("http", "https"):
                raise err(key, f"{t!r} is not an http(s) URL")
    fmt = data.get("archive_date_format")
    if fmt is not None:
        if "archive_url" not in data:
            raise err("archive_date_format", "set without archive_url")
        days = (date(2024, 1, 1), date(2024, 1, 2), date(2024, 2, 1), date(2025, 1, 1))
        try:
            shown = {d.strftime(fmt) for d in days}
        except ValueError as e:
            raise err("archive_date_format", f"{fmt!r}: {e}") from None
        if len(shown) != len(days):
            raise err("archive_date_format",
                      f"{fmt!r} does not tell days apart (needs day, month and year, e.g. %Y-%m-%d or %m/%d/%Y)")


def _check_css(source: str, key: str, selectors: Iterable[str]) -> None:
    from cssselect import GenericTranslator, SelectorError

    for sel in selectors:
        try:
            GenericTranslator().css_to_xpath(sel)
        except SelectorError as e:
            raise SiteConfigError(f"{source}: {key}: invalid CSS selector {sel!r} ({e})") from None


def load_site_file(path: Path) -> SiteConfig:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SiteConfigError(f"{path}: cannot read ({e.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SiteConfigError(f"{path}: not valid TOML ({e})") from None
    return parse_site(data, str(path))


def bundled_site_files() -> list[Path]:
    folder = resources.files("crawler") / "sites"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml"))


def load_registry(sites_dir: Path | None = None, *, include_bundled: bool = True) -> dict[str, SiteConfig]:
    """All known sites by name; a user config overrides the bundled one of that name."""
    registry: dict[str, SiteConfig] = {}
    files: list[Path] = bundled_site_files() if include_bundled else []
    if sites_dir is not None:
        if not sites_dir.is_dir():
            raise SiteConfigError(f"{sites_dir}: sites directory does not exist")
        files += sorted(sites_dir.glob("*.toml"))
    seen_in: dict[str, Path] = {}
    for path in files:
        site = load_site_file(path)
        if site.name in seen_in and seen_in[site.name].parent == path.parent:
            raise SiteConfigError(f"{path}: name: {site.name!r} is also defined in {seen_in[site.name]}")
        seen_in[site.name] = path
        registry[site.name] = site
    return registry
