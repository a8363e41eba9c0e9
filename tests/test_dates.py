"""Indonesian dates in the outlet's zone: every shape seen in real pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.dates import find_dateline_dates, parse_date, resolve_dates
from crawler.items import DateCandidate

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
FETCHED = datetime(2024, 11, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB


@pytest.mark.parametrize("text,tz,expected", [
    ("Jumat, 19 Jul 2024 07:00 WIB", WIB, "2024-07-19T07:00:00+07:00"),
    ("Jum'at, 17 Februari 2017 - 13:30 wib", WIB, "2017-02-17T13:30:00+07:00"),
    ("Jum\u2019at, 19 Juni 2015 | 12:58 WIB", WIB, "2015-06-19T12:58:00+07:00"),
    ("Selasa, 6 Pebruari 2024 | 10:15 WITA", WIB, "2024-02-06T10:15:00+08:00"),
    ("Senin, 3 Nop 2023 08:00 WIT", WIB, "2023-11-03T08:00:00+09:00"),
    ("02/11/2023, 21:34 WIB", WIB, "2023-11-02T21:34:00+07:00"),
    ("Senin 04-12-2023,14:30 WIB", WIB, "2023-12-04T14:30:00+07:00"),
    ("2022/12/10 13:19:56", WIB, "2022-12-10T13:19:56+07:00"),
    ("Sabtu, 10 Des 2022 20:55 WIB", WIB, "2022-12-10T20:55:00+07:00"),
    ("Rabu, 6 Desember 2023 | 10:15 WITA", WITA, "2023-12-06T10:15:00+08:00"),
    ("6 Desember 2023 10:15", WITA, "2023-12-06T10:15:00+08:00"),
    ("Kamis, 14 Agt 2024 pukul 09.30 WIB", WIB, "2024-08-14T09:30:00+07:00"),
    ("2024-07-19T07:00:00+07:00", WIB, "2024-07-19T07:00:00+07:00"),
    ("Fri, 19 Jul 2024 07:00:00 +0700", WIB, "2024-07-19T07:00:00+07:00"),
])
def test_shapes_with_time(text: str, tz: ZoneInfo, expected: str) -> None:
    p = parse_date(text, tz, fetched_at=FETCHED)
    assert p is not None and p.has_time
    assert p.value.isoformat() == expected


def test_utc_meta_is_converted_to_the_outlet_zone() -> None:
    r = resolve_dates([DateCandidate("2024-01-16T06:45:00Z", "meta:article:published_time")], WITA, FETCHED)
    assert r.published_at == "2024-01-16T14:45:00+08:00"


def test_detik_pubdate_is_local_despite_the_z() -> None:
    p = parse_date("2023-11-02T20-59-53Z", WIB)
    assert p is not None and p.value.isoformat() == "2023-11-02T20:59:53+07:00"


def test_day_first_numerics() -> None:
    p = parse_date("02/11/2023", WIB)
    assert p is not None and (p.value.month, p.value.day) == (11, 2) and not p.has_time


def test_relative_dates_need_the_fetch_time() -> None:
    p = parse_date("2 jam yang lalu", WIB, fetched_at=FETCHED)
    assert p is not None and p.value.isoformat() == "2024-11-01T08:00:00+07:00"
    assert parse_date("30 menit lalu", WIB, fetched_at=FETCHED) is not None
    assert parse_date("2 jam yang lalu", WIB) is None


def test_yearless_dateline_takes_the_year_from_the_anchor() -> None:
    p = parse_date("Selasa (6/12) siang", WIB, anchor=date(2022, 12, 10))
    assert p is not None and p.value.date() == date(2022, 12, 6)
    # Early January article talking about late December: the year before.
    p = parse_date("(28/12)", WIB, anchor=date(2024, 1, 3))
    assert p is not None and p.value.date() == date(2023, 12, 28)
    assert parse_date("Selasa (6/12) siang", WIB) is None


def test_yearless_without_article_date_stays_null() -> None:
    r = resolve_dates([DateCandidate("Rabu (4/11)", "text")], WIB, FETCHED)
    assert r.published_at is None and r.note and "year-less" in r.note


def test_future_and_ancient_dates_rejected() -> None:
    assert parse_date("1 Januari 2030", WIB, fetched_at=FETCHED) is None
    assert parse_date("1 Januari 1890", WIB, fetched_at=FETCHED) is None


@pytest.mark.parametrize("junk", ["", "kemarin sore", "besok", "31/02/2024", "99 Foo 2024", "Politik", "12:30"])
def test_garbage_is_none_not_today(junk: str) -> None:
    p = parse_date(junk, WIB)
    assert p is None


def test_priority_and_day_time_merge() -> None:
    cands = [DateCandidate("Selasa, 16 Januari 2024 14:45 WIB", "byline"),
             DateCandidate("2024-01-16", "jsonld")]
    r = resolve_dates(cands, WIB, FETCHED)
    assert r.published_at == "2024-01-16T14:45:00+07:00" and r.date_source == "jsonld+byline"
    cands = [DateCandidate("2024-01-15T08:00:00+07:00", "meta:article:published_time"),
             DateCandidate("2024-01-16T09:00:00+07:00", "jsonld")]
    assert resolve_dates(cands, WIB, FETCHED).published_at == "2024-01-16T09:00:00+07:00"


def test_url_date_vetoes_sidebar_dates() -> None:
    cands = [DateCandidate("Rabu, 7 Oktober 2015", "byline"), DateCandidate("2015-11-04", "url")]
    r = resolve_dates(cands, WIB, FETCHED)
    assert r.published_at == "2015-11-04" and r.date_source == "url"


def test_zone_marked_byline_wins_over_other_bylines() -> None:
    cands = [DateCandidate("Wednesday, 04 November 2015 | 19:14", "byline"),
             DateCandidate("Wednesday, 04 November, 2015 | 07:28 WIB", "byline")]
    assert resolve_dates(cands, WIB, FETCHED).published_at == "2015-11-04T07:28:00+07:00"


def test_modified_kept_apart() -> None:
    cands = [DateCandidate("2024-10-07T15:20:00+07:00", "jsonld"),
             DateCandidate("2024-10-07T16:02:00+07:00", "jsonld", "modified")]
    r = resolve_dates(cands, WIB, FETCHED)
    assert r.published_at == "2024-10-07T15:20:00+07:00" and r.modified_at == "2024-10-07T16:02:00+07:00"


def test_no_candidates() -> None:
    r = resolve_dates([], WIB, FETCHED)
    assert r.published_at is None and r.note == "no date found"


def test_find_dateline_dates() -> None:
    text = ("Apel digelar Rabu (17/7/2024). \u201cJaga netralitas,\u201d ujar Hani, kamis (19/10/2023). "
            "Selasa (6/12) siang")
    assert find_dateline_dates(text) == ["Rabu (17/7/2024)", "kamis (19/10/2023)", "Selasa (6/12)"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_parse_never_raises(text: str) -> None:
    parse_date(text, WIB, fetched_at=FETCHED, anchor=date(2024, 1, 1))


def test_parse_timestamp_machine_formats() -> None:
    from crawler.dates import parse_timestamp

    a = parse_timestamp("2024-07-19T07:00:00+07:00")
    b = parse_timestamp("Fri, 19 Jul 2024 00:00:00 GMT")
    assert a is not None and b is not None and a == b
    z = parse_timestamp("2024-07-19T00:00:00Z")
    assert z is not None and z == b
    naive = parse_timestamp("2024-07-19T00:00:00")
    assert naive is not None and naive == b
    assert parse_timestamp("Selasa (6/12)") is None and parse_timestamp("") is None


def test_retry_after_forms() -> None:
    from datetime import timedelta

    from crawler.retry import retry_after_seconds

    now = datetime(2024, 7, 19, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Fri, 19 Jul 2024 00:00:30 GMT", now) == 30
    assert retry_after_seconds((now - timedelta(hours=1)).strftime("%a, %d %b %Y %H:%M:%S GMT"), now) == 0
    assert retry_after_seconds("soon", now) is None
