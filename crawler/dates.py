"""Indonesian news dates, resolved in the outlet's time zone.

dateparser knows the Indonesian month names, but left alone it gets this corpus
wrong in ways an archive cannot afford, so each string is prepared first:

* it returns None for "Jum'at", so day names are dropped (they add nothing);
* it drops WIB/WITA/WIT and "+0700" and hands back a naive wall time, so zones
  are read here and a time without one is the outlet's local time;
* it swaps day and month when a day-first number cannot be a month
  ("02/13/2023" becomes 13 February), so its answer is checked against the digits;
* asked about "besok" or "12:30" it fills in today, so it only ever sees a located
  day-month-year core and must find all three parts.

Relative ("2 jam yang lalu") and year-less ("Selasa (6/12)") strings are worked out
here from the fetch time or an anchor date; without those they stay unknown.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import dateparser

from crawler.items import DateCandidate

logger = logging.getLogger(__name__)

_DP_LANGUAGES = ["id", "en"]
_DP_SETTINGS: dict[str, Any] = {
    "DATE_ORDER": "DMY",
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
    # Without these dateparser completes "19 Juli" or "besok" from today's date.
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["absolute-time"],
}
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# A byline string is short; a long one is body text that no single date describes.
MAX_LEN = 300
# How far back from the fetch a year-less dateline may land when the fetch date is its
# only anchor: a fresh article's dateline names a day of the last week.
FETCH_ANCHOR_DAYS = 7

ZONES: dict[str, tzinfo] = {
    "wib": timezone(timedelta(hours=7), "WIB"),
    "wita": timezone(timedelta(hours=8), "WITA"),
    "wit": timezone(timedelta(hours=9), "WIT"),
}
_ZONE_RE = re.compile(r"(?<![^\W\d_])(WIB|WITA|WIT)(?![^\W\d_])", re.I)

# Spellings dateparser may not know (or a later version may drop), mapped to English.
_MONTHS = {
    "januari": "January", "jan": "January", "january": "January",
    "februari": "February", "pebruari": "February", "feb": "February", "peb": "February", "february": "February",
    "maret": "March", "mar": "March", "march": "March",
    "april": "April", "apr": "April",
    "mei": "May", "may": "May",
    "juni": "June", "jun": "June", "june": "June",
    "juli": "July", "jul": "July", "july": "July",
    "agustus": "August", "agu": "August", "agt": "August", "agus": "August", "aug": "August", "august": "August",
    "september": "September", "sep": "September", "sept": "September",
    "oktober": "October", "okt": "October", "oct": "October", "october": "October",
    "november": "November", "nopember": "November", "nov": "November", "nop": "November",
    "desember": "December", "des": "December", "dec": "December", "december": "December",
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

_DAY_ALT = r"senin|selasa|rabu|kamis|jum['\u2019]?at|sabtu|minggu|ahad"
_DAY_RE = re.compile(
    r"\b(?:" + _DAY_ALT + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?",
    re.I,
)
_WEEKDAY = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5, "minggu": 6, "ahad": 6}

_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:( ?T| )(\d{2})([:-])(\d{2})(?:\6(\d{2})(?:[.,]\d+)?)?)?"
    # merdeka writes "+07:00Z": the offset counts, the Z after it does not
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?Z?$",
    re.I,
)
# Date cores, found anywhere in the string; the month word is checked by dateparser.
_NAMED_RE = re.compile(
    r"(?<![\d/.:-])(\d{1,2})(?:st|nd|rd|th)?[\s.,/-]*([^\W\d_]{3,10})\.?[\s,/-]*(\d{4})(?!\d)", re.I
)
_MONTH_FIRST_RE = re.compile(r"\b([^\W\d_]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)", re.I)
_DMY_RE = re.compile(r"(?<![\d/.:-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.:-]*\d)")
_YMD_RE = re.compile(r"(?<![\d/.:-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\d/.-]*\d)")
_TIME_RE = re.compile(
    r"(?<![\d:.])([01]?\d|2[0-3])[:.]([0-5]\d)(?:[:.]([0-5]\d))?(?![\d:.]*\d)(?:\s*([ap])\.?m\.?\b)?", re.I
)
# After a time: "+0700", "+07:00", "GMT+7", "UTC", "Z". A bare sign needs four digits,
# or " - 11:58" and "- Kompas" separators would read as offsets.
_OFFSET_RE = re.compile(
    r"^\s*(?:(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?|([+-])(\d{2}):?(\d{2})|(GMT|UTC|Z))(?![\w:])", re.I
)
_YEARLESS_RE = re.compile(r"\(\s*(\d{1,2})\s*/\s*(\d{1,2})\s*\)")
_RELATIVE_RE = re.compile(
    r"(?:\b(\d{1,3})\s*|\bse|\bsatu\s+)(detik|menit|jam|hari|minggu|pekan|bulan|tahun)\s+"
    r"(?:yang\s+|yg\s+)?(?:lalu|silam)\b",
    re.I,
)
# Only with nothing else than a time or a part of the day: "kemarin dulu" is vague.
_TODAYISH_RE = re.compile(
    r"^[\s,|-]*(kemarin|hari ini)(?:[\s,|-]+(?:pagi|siang|sore|malam))?[\s,|-]*"
    r"(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?[\s,|-]*$",
    re.I,
)
_DATELINE_RE = re.compile(
    r"\b(?:" + _DAY_ALT + r")\s*,?\s*"
    r"(?:\(\s*\d{1,2}/\d{1,2}(?:/\d{2,4})?\s*\)|\d{1,2}\s+(?:" + _MONTH_ALT + r")\.?\s+\d{4}\b)",
    re.I,
)


@dataclass(frozen=True)
class ParsedDate:
    value: datetime  # timezone-aware: the zone the string named, else the outlet's
    has_time: bool  # False when the string gave only a day


@dataclass(frozen=True)
class DateResult:
    published_at: str | None  # ISO 8601 with offset in the outlet's zone, or "YYYY-MM-DD" when day-only
    modified_at: str | None
    date_source: str | None  # the winning DateCandidate.source; "jsonld+byline" when a time came from another
    note: str | None  # why published_at is null, or a doubt about it


def parse_date(
    text: str, tz: ZoneInfo, *, fetched_at: datetime | None = None, anchor: date | None = None
) -> ParsedDate | None:
    """One date string, or None when it names no date that can be trusted.

    ``fetched_at`` resolves relative strings and bounds the future; ``anchor`` (the
    article's other date) gives a year to year-less datelines.
    """
    return _parse_checked(text, tz, fetched_at, anchor)[0]


def _parse_checked(
    text: str, tz: ZoneInfo, fetched_at: datetime | None, anchor: date | None
) -> tuple[ParsedDate | None, str]:
    """The parse and, when it is None, why."""
    if fetched_at is not None and fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)  # the items store fetch times in UTC
    if not text or not text.strip():
        return None, "empty"
    if len(text) > MAX_LEN:
        return None, "too long to be a date"
    try:
        parsed, why = _parse(text, tz, fetched_at, anchor)
    except (ValueError, OverflowError) as e:
        logger.debug("cannot parse date %r: %s", text, e)
        return None, "unparseable"
    if parsed is None:
        return None, why
    if parsed.value < EARLIEST:
        return None, "before 1990"
    if fetched_at is not None and parsed.value > fetched_at + timedelta(days=1):
        return None, "later than the fetch time"
    return parsed, ""


def _parse(
    text: str, tz: ZoneInfo, fetched_at: datetime | None, anchor: date | None
) -> tuple[ParsedDate | None, str]:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip()
    iso = _parse_iso(text, tz)
    if iso is not None:
        return iso, ""
    rel = _RELATIVE_RE.search(text)
    if rel:
        return _relative(rel, fetched_at, tz)
    zone_m = _ZONE_RE.search(text)
    zone: tzinfo = ZONES[zone_m.group(1).lower()] if zone_m else tz
    body = _ZONE_RE.sub(" ", text)
    body = _DAY_RE.sub(" ", body)
    body = re.sub(r"\bpukul\b", " ", body, flags=re.I)
    today = _TODAYISH_RE.match(body)
    if today:
        return _todayish(today.group(1).lower(), body, fetched_at, tz)
    absolute = _absolute(body, zone, explicit_zone=zone_m is not None)
    if absolute is not None:
        return absolute, ""
    yl = _YEARLESS_RE.search(body)
    if yl and not re.search(r"\d{4}", body):
        if anchor is None:
            return None, "year-less dateline and no other date to take the year from"
        return _yearless(int(yl.group(1)), int(yl.group(2)), anchor, zone)
    return None, "unparseable"


def _parse_iso(text: str, tz: ZoneInfo) -> ParsedDate | None:
    m = _ISO_RE.match(text)
    if not m:
        return None
    y, mo, d, t_sep, h, sep, mi, s, off = m.groups()
    zone: tzinfo
    if h is not None and (sep == "-" or t_sep == " T") and (off is None or off.upper() == "Z"):
        # detik's pubdate, "2023-11-02T20-59-53Z" and in 2015 "2015-11-05 T10:08:58Z":
        # the time is WIB, the Z is decoration.
        zone = tz
    elif off is None:
        zone = tz
    elif off.upper() in ("Z", "UTC", "GMT"):
        zone = UTC
    else:
        sign = 1 if off[0] == "+" else -1
        digits = off[1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))
    if h is None:
        return ParsedDate(datetime(int(y), int(mo), int(d), tzinfo=zone), False)
    return ParsedDate(datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=zone), True)


def _relative(m: re.Match[str], fetched_at: datetime | None, tz: ZoneInfo) -> tuple[ParsedDate | None, str]:
    if fetched_at is None:
        return None, "relative date and no fetch time"
    n = int(m.group(1)) if m.group(1) else 1
    unit = m.group(2).lower()
    if unit in ("bulan", "tahun"):
        return None, "relative date too coarse"
    local = fetched_at.astimezone(tz)
    if unit in ("detik", "menit", "jam"):
        step = {"detik": timedelta(seconds=n), "menit": timedelta(minutes=n), "jam": timedelta(hours=n)}[unit]
        return ParsedDate((fetched_at - step).astimezone(tz), True), ""
    days = n * (7 if unit in ("minggu", "pekan") else 1)
    return ParsedDate(_midnight(local.date() - timedelta(days=days), tz), False), ""


def _todayish(word: str, body: str, fetched_at: datetime | None, tz: ZoneInfo) -> tuple[ParsedDate | None, str]:
    if fetched_at is None:
        return None, "relative date and no fetch time"
    day = fetched_at.astimezone(tz).date() - timedelta(days=1 if word == "kemarin" else 0)
    t = _TIME_RE.search(body)
    if t is None:
        return ParsedDate(_midnight(day, tz), False), ""
    h, mi, s = _hms(t)
    return ParsedDate(datetime(day.year, day.month, day.day, h, mi, s, tzinfo=tz), True), ""


class _Core(NamedTuple):
    start: int
    end: int
    text: str  # what dateparser is asked: "19 July 2024" or "2/11/2023"
    day: int
    month: int | None  # None when a month word is left to dateparser
    year: int


def _cores(body: str) -> list[_Core]:
    """Every day-month-year written in the string, leftmost first."""
    found: list[_Core] = []
    for m in _NAMED_RE.finditer(body):
        d, word, y = int(m.group(1)), _MONTHS.get(m.group(2).lower(), m.group(2)), int(m.group(3))
        found.append(_Core(m.start(), m.end(), f"{d} {word} {y}", d, None, y))
    for m in _MONTH_FIRST_RE.finditer(body):
        d, word, y = int(m.group(2)), _MONTHS.get(m.group(1).lower(), m.group(1)), int(m.group(3))
        found.append(_Core(m.start(), m.end(), f"{d} {word} {y}", d, None, y))
    for m in _DMY_RE.finditer(body):
        d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        found.append(_Core(m.start(), m.end(), f"{d}/{mo}/{m.group(4)}", d, mo, y))
    for m in _YMD_RE.finditer(body):
        y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
        found.append(_Core(m.start(), m.end(), f"{d}/{mo}/{y}", d, mo, y))
    return sorted(found, key=lambda c: c.start)


def _absolute(body: str, zone: tzinfo, *, explicit_zone: bool) -> ParsedDate | None:
    for core in _cores(body):
        day = _dateparser_day(core.text)
        # dateparser's answer must keep the written digits: it turns "02/13/2023"
        # into 13 February rather than give up.
        if (day is None or day.day != core.day or (core.month is not None and day.month != core.month)
                or day.year % (100 if core.year < 100 else 10000) != core.year):
            continue
        # The time usually follows the date ("19 Juli 2024 07:00"), sometimes leads it.
        after = _TIME_RE.search(body, core.end)
        t = after or _TIME_RE.search(body, 0, core.start)
        if t is None:
            return ParsedDate(datetime(day.year, day.month, day.day, tzinfo=zone), False)
        h, mi, s = _hms(t)
        if after is not None and not explicit_zone:
            zone = _explicit_offset(body[after.end():]) or zone
        return ParsedDate(datetime(day.year, day.month, day.day, h, mi, s, tzinfo=zone), True)
    return None


@lru_cache(maxsize=4096)
def _dateparser_day(core: str) -> date | None:
    # Listing pages repeat the same few dates; the cache spares dateparser the work.
    parsed = dateparser.parse(core, languages=_DP_LANGUAGES, settings=_DP_SETTINGS)
    return parsed.date() if parsed is not None else None


def _explicit_offset(after_time: str) -> tzinfo | None:
    m = _OFFSET_RE.match(after_time)
    if not m:
        return None
    if m.group(7):
        return UTC
    sign, hh, mm = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    offset = timedelta(hours=int(hh), minutes=int(mm or 0))
    if offset >= timedelta(hours=24):
        return None
    return timezone(offset if sign == "+" else -offset)


def _hms(t: re.Match[str]) -> tuple[int, int, int]:
    h, mi, s = int(t.group(1)), int(t.group(2)), int(t.group(3) or 0)
    ampm = (t.group(4) or "").lower()
    if ampm == "p" and h < 12:
        h += 12
    elif ampm == "a" and h == 12:
        h = 0
    return h, mi, s


def _yearless(d: int, mo: int, anchor: date, zone: tzinfo) -> tuple[ParsedDate | None, str]:
    # The closest year that keeps the day on or before the anchor; a 29 February
    # may need to go back to the last leap year.
    for y in range(anchor.year, anchor.year - 9, -1):
        try:
            cand = date(y, mo, d)
        except ValueError:
            if not (1 <= mo <= 12 and 1 <= d <= 31):
                return None, "unparseable"
            continue
        if cand <= anchor:
            return ParsedDate(datetime(cand.year, cand.month, cand.day, tzinfo=zone), False), ""
    return None, "unparseable"


def _midnight(d: date, tz: tzinfo) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=tz)


def find_dateline_dates(text: str) -> list[str]:
    """Date strings in body text ("Kamis (19/10/2023)", "Selasa (6/12) siang" gives
    "Selasa (6/12)", "Senin 4 Desember 2023"), in order, for low-priority candidates."""
    return [m.group(0) for m in _DATELINE_RE.finditer(text)]


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


# -- choosing among candidates --------------------------------------------------
_TRUST = ("selector", "jsonld", "meta", "byline", "url", "text")
# Visible strings can be a sidebar's or a related article's; structured ones are this page's.
_VISIBLE = ("byline", "text")


def _rank(source: str) -> int:
    head = source.split(":", 1)[0]
    return _TRUST.index(head) if head in _TRUST else len(_TRUST)


def _is_yearless(value: str) -> bool:
    return _YEARLESS_RE.search(value) is not None and re.search(r"\d{4}", value) is None


def _local_day(p: ParsedDate, tz: ZoneInfo) -> date:
    # A day-only date is the day as written; a time is placed on the outlet's calendar.
    return p.value.astimezone(tz).date() if p.has_time else p.value.date()


def _is_midnight(dt: datetime) -> bool:
    return dt.hour == dt.minute == dt.second == 0


def _fmt(p: ParsedDate, tz: ZoneInfo) -> str:
    if not p.has_time:
        return p.value.date().isoformat()
    return p.value.astimezone(tz).isoformat(timespec="seconds")


@dataclass
class _Pick:
    date: ParsedDate | None
    source: str | None
    note: str | None


def _pick(cands: Sequence[DateCandidate], tz: ZoneInfo, fetched_at: datetime, anchor: date | None) -> _Pick:
    # Trust order by source; among bylines, one naming its zone ("... 07:28 WIB") is the
    # article's own dateline more often than a bare one from a sidebar.
    ranked = sorted(cands, key=lambda c: (_rank(c.source), 0 if _ZONE_RE.search(c.value) else 1))
    parsed: list[tuple[DateCandidate, ParsedDate]] = []
    rejected: list[tuple[DateCandidate, str]] = []
    yearless: list[DateCandidate] = []
    for c in ranked:
        if _is_yearless(c.value):
            yearless.append(c)
            continue
        p, why = _parse_checked(c.value, tz, fetched_at, None)
        if p is not None:
            parsed.append((c, p))
        else:
            rejected.append((c, why))

    # A date in the URL is written by the CMS: visible dates on other days are
    # sidebar or related-article dates, not this article's.
    url_days = {_local_day(p, tz) for c, p in parsed if c.source == "url"}
    if url_days:
        parsed = [(c, p) for c, p in parsed
                  if c.source not in _VISIBLE or any(abs((_local_day(p, tz) - u).days) <= 1 for u in url_days)]

    notes: list[str] = []
    if not parsed and yearless:
        hit = _pick_yearless(yearless, tz, fetched_at, anchor)
        if hit is not None:
            c, p, note = hit
            parsed.append((c, p))
            if note:
                notes.append(note)
        else:
            rejected.append((yearless[0], "year-less dateline and no other date to take the year from"))

    if not parsed:
        if not rejected:
            return _Pick(None, None, "no date found")
        return _Pick(None, None, "; ".join(_why(c, why) for c, why in rejected[:3]))

    best_c, best = parsed[0]
    source = best_c.source
    doubted = [(c, why) for c, why in rejected if _rank(c.source) < _rank(best_c.source)]
    notes += [_why(c, why) for c, why in doubted[:2]]
    # A trusted day without a time (or with a CMS placeholder midnight) takes the time
    # from a less trusted string of the same day.
    placeholder = best.has_time and _is_midnight(best.value.astimezone(tz))
    if not best.has_time or placeholder:
        day = _local_day(best, tz)
        for c, p in parsed[1:]:
            if p.has_time and _local_day(p, tz) == day and not _is_midnight(p.value.astimezone(tz)):
                if placeholder:
                    notes.append(f"{best_c.source} gave 00:00, read as a day without a time")
                best, source = p, f"{best_c.source}+{c.source}"
                break
    return _Pick(best, source, "; ".join(notes) or None)


def _pick_yearless(
    yearless: list[DateCandidate], tz: ZoneInfo, fetched_at: datetime, anchor: date | None
) -> tuple[DateCandidate, ParsedDate, str] | None:
    if anchor is not None:
        for c in yearless:
            p, _ = _parse_checked(c.value, tz, fetched_at, anchor)
            if p is not None:
                return c, p, ""
        return None
    # The fetch date alone would put an old story re-crawled today into this year, so
    # it is trusted only for a day of the last week whose written weekday agrees.
    fetched_day = fetched_at.astimezone(tz).date()
    for c in yearless:
        p, _ = _parse_checked(c.value, tz, fetched_at, fetched_day)
        if p is None:
            continue
        named = re.search(r"\b(" + _DAY_ALT + r")\b", c.value, re.I)
        weekday = _WEEKDAY.get(re.sub(r"['\u2019]", "", named.group(1).lower())) if named else None
        if weekday == p.value.weekday() and (fetched_day - p.value.date()).days <= FETCH_ANCHOR_DAYS:
            return c, p, f"year of {c.value!r} taken from the fetch date (weekday agrees)"
    return None


def _why(c: DateCandidate, why: str) -> str:
    return f"{why}: {c.value[:80]!r}" if why else f"unparseable: {c.value[:80]!r}"


def resolve_dates(candidates: Sequence[DateCandidate], tz: ZoneInfo, fetched_at: datetime) -> DateResult:
    """Published and modified dates from the page's candidates, most trusted source first
    (selector, jsonld, meta:*, byline, url, text)."""
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    pub_c = [c for c in candidates if c.kind == "published" and c.value]
    mod_c = [c for c in candidates if c.kind == "modified" and c.value]
    mod = _pick(mod_c, tz, fetched_at, None)
    # A year-less dateline may take its year from the modified date, the article's other date.
    pub = _pick(pub_c, tz, fetched_at, _local_day(mod.date, tz) if mod.date else None)
    return DateResult(
        published_at=_fmt(pub.date, tz) if pub.date else None,
        modified_at=_fmt(mod.date, tz) if mod.date else None,
        date_source=pub.source,
        note=pub.note,
    )
