"""Indonesian dates in the outlet's time zone.

dateparser does the month and day names, but three things it gets wrong for this
corpus are handled here first: spellings it does not know ("Jum'at", "Pebruari",
"Nop"), the zone (a time without a zone is the outlet's local time, and WIB/WITA/WIT
name offsets), and day-first numerics ("02/11/2023" is 2 November).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import dateparser

from crawler.items import DateCandidate

logger = logging.getLogger(__name__)

ZONE_OFFSETS = {"wib": 7, "wita": 8, "wit": 9}
_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
}
_LANGS = ["id", "en"]

_DAY_RE = re.compile(r"\b(senin|selasa|rabu|kamis|jum'?at|jum’at|jumat|sabtu|minggu|ahad)\b,?", re.I)
_EN_DAY_RE = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b,?", re.I)
_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "agus": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10, "november": 11, "nopember": 11, "nov": 11,
    "nop": 11, "desember": 12, "des": 12, "dec": 12, "december": 12, "january": 1, "february": 2,
    "march": 3, "june": 6, "july": 7,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ZONE_RE = re.compile(r"\b(WIB|WITA|WIT)\b", re.I)
_ISO_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})[:\-](\d{2})(?:[:\-](\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
_SLASH_ISO_RE = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
_NUMERIC_RE = re.compile(
    r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)"
    r"(?:\s*[,|-]?\s*(?:pukul\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?",
    re.I,
)
_NAMED_RE = re.compile(
    r"(?<!\d)(\d{1,2})\s*[-/ ]?\s*(" + _MONTH_ALT + r")\.?\s*[-/ ]?\s*(\d{4})"
    r"(?:\s*[,|-]?\s*(?:pukul\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?",
    re.I,
)
_YEARLESS_RE = re.compile(r"\((\d{1,2})/(\d{1,2})\)")
_RELATIVE_RE = re.compile(r"(\d+)\s*(detik|menit|jam|hari|minggu|pekan|bulan)\s*(yang\s*)?(lalu|silam)", re.I)
_DATELINE_RE = re.compile(
    r"\b(senin|selasa|rabu|kamis|jum'?at|jum’at|jumat|sabtu|minggu)\s*,?\s*"
    r"(\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)|\d{1,2}\s+(?:" + _MONTH_ALT + r")\s+\d{4})",
    re.I,
)


@dataclass(frozen=True)
class ParsedDate:
    value: datetime  # timezone-aware
    has_time: bool


@dataclass(frozen=True)
class DateResult:
    published_at: str | None
    modified_at: str | None
    date_source: str | None
    note: str | None


def _zone_for(text: str, tz: ZoneInfo) -> timezone | ZoneInfo:
    m = _ZONE_RE.search(text)
    if m:
        return timezone(timedelta(hours=ZONE_OFFSETS[m.group(1).lower()]))
    return tz


def _mk(y: int, mo: int, d: int, h: int | None, mi: int | None, s: int | None,
        zone: timezone | ZoneInfo) -> ParsedDate | None:
    if y < 100:
        y += 2000
    try:
        dt = datetime(y, mo, d, h or 0, mi or 0, s or 0, tzinfo=zone)
    except ValueError:
        return None
    return ParsedDate(dt, h is not None)


def _parse_iso(text: str, tz: ZoneInfo) -> ParsedDate | None:
    m = _ISO_RE.match(text)
    if not m:
        return None
    y, mo, d, h, mi, s, off = m.groups()
    hyphen_time = h is not None and re.search(r"[T ]\d{2}-\d{2}", text) is not None
    zone: timezone | ZoneInfo
    if hyphen_time:
        # detik's pubdate "2023-11-02T20-59-53Z": the Z is a lie, the time is WIB.
        zone = tz
    elif off in ("Z", "z"):
        zone = UTC
    elif off:
        sign = 1 if off[0] == "+" else -1
        hh, mm = int(off[1:3]), int(off[-2:])
        zone = timezone(sign * timedelta(hours=hh, minutes=mm))
    else:
        zone = tz
    return _mk(int(y), int(mo), int(d), int(h) if h else None, int(mi) if mi else None,
               int(s) if s else None, zone)


def _normalise(text: str) -> str:
    t = text.replace("’", "'").replace("\u00a0", " ")
    t = _DAY_RE.sub(" ", t)
    t = re.sub(r"\s+", " ", t)
    return t.strip(" ,|-")


def parse_date(text: str, tz: ZoneInfo, *, fetched_at: datetime | None = None,
               anchor: date | None = None) -> ParsedDate | None:
    """One date string in the outlet's zone, or None when it cannot be trusted."""
    if not text or len(text) > 200:
        return None
    try:
        parsed = _parse(text, tz, fetched_at, anchor)
    except (ValueError, OverflowError, re.error) as e:
        logger.debug("cannot parse date %r: %s", text, e)
        return None
    if parsed is None:
        return None
    if parsed.value.year < 1990:
        return None
    if fetched_at is not None and parsed.value > fetched_at + timedelta(days=1):
        return None
    return parsed


def _parse(text: str, tz: ZoneInfo, fetched_at: datetime | None, anchor: date | None) -> ParsedDate | None:
    iso = _parse_iso(text, tz)
    if iso is not None:
        return iso
    zone = _zone_for(text, tz)
    m = _SLASH_ISO_RE.match(text)
    if m:
        y, mo, d, h, mi, s = m.groups()
        return _mk(int(y), int(mo), int(d), int(h) if h else None, int(mi) if mi else None,
                   int(s) if s else None, zone)
    norm = _normalise(text)
    rel = _RELATIVE_RE.search(norm)
    if rel:
        if fetched_at is None:
            return None
        n, unit = int(rel.group(1)), rel.group(2).lower()
        delta = {"detik": timedelta(seconds=n), "menit": timedelta(minutes=n), "jam": timedelta(hours=n),
                 "hari": timedelta(days=n), "minggu": timedelta(weeks=n), "pekan": timedelta(weeks=n),
                 "bulan": timedelta(days=30 * n)}[unit]
        when = (fetched_at - delta).astimezone(tz)
        return ParsedDate(when, unit in ("detik", "menit", "jam"))
    if re.search(r"\bkemarin\b", norm, re.I):
        if fetched_at is None:
            return None
        return ParsedDate((fetched_at.astimezone(tz) - timedelta(days=1)).replace(hour=0, minute=0, second=0,
                                                                                    microsecond=0), False)
    m = _NAMED_RE.search(norm)
    if m:
        d, mon, y, h, mi, s = m.groups()
        return _mk(int(y), _MONTHS[mon.lower()], int(d), int(h) if h else None, int(mi) if mi else None,
                   int(s) if s else None, zone)
    m = _NUMERIC_RE.search(norm)
    if m:
        d, mo, y, h, mi, s = m.groups()
        return _mk(int(y), int(mo), int(d), int(h) if h else None, int(mi) if mi else None,
                   int(s) if s else None, zone)
    m = _YEARLESS_RE.search(norm)
    if m:
        if anchor is None:
            return None
        d, mo = int(m.group(1)), int(m.group(2))
        for y in (anchor.year, anchor.year - 1):
            try:
                cand = date(y, mo, d)
            except ValueError:
                return None
            if cand <= anchor:
                return ParsedDate(datetime(cand.year, cand.month, cand.day, tzinfo=zone), False)
        return None
    # Whatever shape is left goes to dateparser, but only with a year written out:
    # dateparser reads "besok" or a bare weekday relative to *now*, never wanted here.
    if not re.search(r"\b\d{4}\b", norm):
        return None
    dt = dateparser.parse(norm, languages=_LANGS, settings=dict(_SETTINGS))  # type: ignore[arg-type]
    if dt is None:
        return None
    has_time = bool(re.search(r"\d{1,2}[:.]\d{2}", norm))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    return ParsedDate(dt, has_time)


def find_dateline_dates(text: str) -> list[str]:
    """Date strings in body text ("Kamis (19/10/2023)", "Selasa (6/12) siang")."""
    return [m.group(0) for m in _DATELINE_RE.finditer(text)]


_TRUST = ("selector", "jsonld", "meta", "byline", "url", "text")


def _rank(source: str) -> int:
    head = source.split(":", 1)[0]
    return _TRUST.index(head) if head in _TRUST else len(_TRUST)


def _fmt(p: ParsedDate, tz: ZoneInfo) -> str:
    if not p.has_time:
        return p.value.date().isoformat()
    return p.value.astimezone(tz).isoformat(timespec="seconds")


def _pick(cands: list[DateCandidate], tz: ZoneInfo, fetched_at: datetime) -> tuple[ParsedDate | None, str | None,
                                                                                   str | None]:
    # Trust order by source; within visible bylines, a string naming its zone
    # ("... 07:28 WIB") is the article's own dateline more often than a sidebar date.
    ranked = sorted(cands, key=lambda c: (_rank(c.source), 0 if _ZONE_RE.search(c.value) else 1))
    parsed: list[tuple[DateCandidate, ParsedDate]] = []
    rejected: list[str] = []
    for c in ranked:
        if _YEARLESS_RE.search(c.value) and not re.search(r"\d{4}", c.value):
            continue
        p = parse_date(c.value, tz, fetched_at=fetched_at)
        if p is not None:
            parsed.append((c, p))
        else:
            rejected.append(c.value)
    # Year-less datelines ("Selasa (6/12)") take their year from another date of the
    # article; the fetch date is no anchor, it would put old stories in this year.
    anchor = parsed[0][1].value.astimezone(tz).date() if parsed else None
    if anchor is not None:
        for c in ranked:
            if _YEARLESS_RE.search(c.value) and not re.search(r"\d{4}", c.value):
                p = parse_date(c.value, tz, fetched_at=fetched_at, anchor=anchor)
                if p is not None:
                    parsed.append((c, p))
    elif any(_YEARLESS_RE.search(c.value) for c in ranked):
        rejected.insert(0, "year-less dateline and no other date to take the year from")
    # A date in the URL is written by the CMS: visible dates on other days are
    # sidebar or related-article dates, not this article's.
    url_days = {p.value.date() for c, p in parsed if c.source == "url"}
    if url_days:
        def near(p: ParsedDate) -> bool:
            d = p.value.astimezone(tz).date() if p.has_time else p.value.date()
            return any(abs((d - u).days) <= 1 for u in url_days)

        consistent = [(c, p) for c, p in parsed if near(p)]
        if len(consistent) < len(parsed):
            parsed = consistent
    if not parsed:
        if rejected and rejected[0].startswith("year-less"):
            return None, None, rejected[0]
        note = f"unparseable: {rejected[0]!r}" if rejected else "no date found"
        return None, None, note
    best_c, best = parsed[0]
    source = best_c.source
    if not best.has_time:
        # A day-only trusted date plus a lower-ranked string with the time on that day.
        for c, p in parsed[1:]:
            if p.has_time and p.value.astimezone(tz).date() == best.value.date():
                best, source = p, f"{best_c.source}+{c.source}"
                break
    return best, source, None


def resolve_dates(candidates: Sequence[DateCandidate], tz: ZoneInfo, fetched_at: datetime) -> DateResult:
    pub = [c for c in candidates if c.kind == "published" and c.value]
    mod = [c for c in candidates if c.kind == "modified" and c.value]
    p, source, note = _pick(pub, tz, fetched_at)
    m, _, _ = _pick(mod, tz, fetched_at)
    return DateResult(
        published_at=_fmt(p, tz) if p else None,
        modified_at=_fmt(m, tz) if m else None,
        date_source=source,
        note=note,
    )


def parse_timestamp(value: str | None) -> datetime | None:
    """A machine timestamp (ISO 8601, or RFC 822 as in HTTP headers, sitemaps and RSS)
    as an aware datetime; UTC when it names no zone. Not for visible Indonesian dates."""
    if not value:
        return None
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt
