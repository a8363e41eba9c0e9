"""Indonesian dates in the outlet's zone: every shape seen in real pages, and how the
candidates of one page are weighed against each other."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.dates import ParsedDate, find_dateline_dates, parse_date, resolve_dates
from crawler.items import DateCandidate

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
FETCHED = datetime(2024, 11, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB, a Friday


def shown(p: ParsedDate | None, tz: ZoneInfo = WIB) -> str | None:
    """The parse as the archive shows it: to the minute in the site zone, or the day."""
    if p is None:
        return None
    if not p.has_time:
        return p.value.date().isoformat()
    return p.value.astimezone(tz).isoformat(timespec="minutes")


# One list per shape group of shared/corpus/indonesian/date_strings_observed.json, with
# strings written for these tests (not copied from the pages). Expected: the minute in
# WIB, or the day alone when the string gives no time.
SHAPES: dict[str, list[tuple[str, str]]] = {
    "day_dd_mon_yyyy_hhmm_tz": [
        ("Jumat, 19 Jul 2024 07:00 WIB", "2024-07-19T07:00+07:00"),
        ("Jum'at, 17 Februari 2017 - 13:30 wib", "2017-02-17T13:30+07:00"),
        ("Jum\u2019at, 19 Juni 2015 | 12:58 WIB", "2015-06-19T12:58+07:00"),
        ("Jum'at, 3 Mei 2019", "2019-05-03"),
        ("Kamis 18 Jun 2015, 00:06 WIB", "2015-06-18T00:06+07:00"),
        ("Selasa, 23 Februari 2016, 17:15 WIB", "2016-02-23T17:15+07:00"),
        ("Senin, 15 Juni 2015 16:59:45", "2015-06-15T16:59+07:00"),
        ("Minggu, 14 Februari 2016 09:15", "2016-02-14T09:15+07:00"),
        ("Sabtu, 10 Des 2022 13:19 WIB", "2022-12-10T13:19+07:00"),
        ("Rabu, 4 November 2015", "2015-11-04"),
        ("kamis, 05 november 2015", "2015-11-05"),
        ("Kamis, 14 Agt 2024 pukul 09.30 WIB", "2024-08-14T09:30+07:00"),
        ("Wednesday, 04 November, 2015 | 07:28 WIB", "2015-11-04T07:28+07:00"),
    ],
    "dd_mon_yyyy_hhmm_tz": [
        ("04 November 2015 | 18:58", "2015-11-04T18:58+07:00"),
        ("16 Feb 2016 - 11:00 WIB", "2016-02-16T11:00+07:00"),
        ("22 DESEMBER 2015", "2015-12-22"),
        ("25 Pebruari 2017", "2017-02-25"),
        ("6 Peb 2017", "2017-02-06"),
        ("3 Nop 2023 08:00", "2023-11-03T08:00+07:00"),
        ("3 Nopember 2023", "2023-11-03"),
        ("14 Agu 2024", "2024-08-14"),
        ("14 Agustus 2024", "2024-08-14"),
        ("4 Okt 2024 18:12 WIB", "2024-10-04T18:12+07:00"),
        ("29 Mei 2015 12:20:19", "2015-05-29T12:20+07:00"),
        ("1 Juni 2020", "2020-06-01"),
        ("3 Sept 2015", "2015-09-03"),
        ("November 4, 2015 7:28 PM", "2015-11-04T19:28+07:00"),
        ("Fri, 19 Jul 2024 07:00:00 +0700", "2024-07-19T07:00+07:00"),
        ("19 Jul 2024 00:00 GMT", "2024-07-19T07:00+07:00"),
    ],
    "dateline (d/m/yyyy)": [
        ("kamis (19/10/2023)", "2023-10-19"),
        ("Rabu(10/2/2016)", "2016-02-10"),
        ("Selasa (23/02/2016) malam", "2016-02-23"),
    ],
    "iso-like with odd parts": [
        ("2024-07-19T07:00:00+07:00", "2024-07-19T07:00+07:00"),
        ("2016-02-16T13:01:52+0700", "2016-02-16T13:01+07:00"),
        ("2024-07-19T00:00:00Z", "2024-07-19T07:00+07:00"),  # kompas: UTC
        ("2015-06-19T00:23:23+00:00", "2015-06-19T07:23+07:00"),
        ("2014-07-13T20:07:27.8200000", "2014-07-13T20:07+07:00"),  # no zone: local
        ("2023-11-02T20-59-53Z", "2023-11-02T20:59+07:00"),  # detik: WIB despite the Z
        ("2015-11-05 T10:08:58Z", "2015-11-05T10:08+07:00"),  # detik in 2015, same lie
        ("2015-06-19T03:40:00+07:00Z", "2015-06-19T03:40+07:00"),  # merdeka: stray Z
        ("2024-07-19", "2024-07-19"),
    ],
    "relative": [
        ("2 jam yang lalu", "2024-11-01T08:00+07:00"),
        ("30 menit yang lalu", "2024-11-01T09:30+07:00"),
        ("45 menit lalu", "2024-11-01T09:15+07:00"),
        ("sejam lalu", "2024-11-01T09:00+07:00"),
        ("3 hari lalu", "2024-10-29"),
        ("2 minggu lalu", "2024-10-18"),
        ("kemarin", "2024-10-31"),
        ("kemarin sore", "2024-10-31"),
        ("Hari ini, 08:15", "2024-11-01T08:15+07:00"),
        ("Kemarin, 14:30 WIB", "2024-10-31T14:30+07:00"),
    ],
    "dd/mm/yyyy, hh:mm WIB": [
        ("02/11/2023, 21:34 WIB", "2023-11-02T21:34+07:00"),  # 2 November, never 11 February
        ("04-12-2023,14:30 WIB", "2023-12-04T14:30+07:00"),  # disway
        ("Kamis, 05/11/2015 10:08 WIB", "2015-11-05T10:08+07:00"),
        ("19/10/2023", "2023-10-19"),
        ("05.11.2015 09.07", "2015-11-05T09:07+07:00"),
        ("02/11/23 09:18 WIB", "2023-11-02T09:18+07:00"),
    ],
    "meta yyyy/mm/dd hh:mm:ss": [
        ("2022/12/10 13:16:34", "2022-12-10T13:16+07:00"),
        ("2022/12/10", "2022-12-10"),
    ],
}
_CASES = [(group, text, want) for group, cases in SHAPES.items() for text, want in cases]


@pytest.mark.parametrize("group,text,want", _CASES, ids=[f"{g}|{t}" for g, t, _ in _CASES])
def test_observed_shapes(group: str, text: str, want: str) -> None:
    p = parse_date(text, WIB, fetched_at=FETCHED)
    assert shown(p) == want
    assert p is not None and p.has_time == ("T" in want)
    assert p.value.tzinfo is not None


def test_every_observed_shape_group_has_cases() -> None:
    # The shared corpus sits beside checkouts but not on users' machines.
    observed = Path(__file__).resolve().parents[2] / "shared/corpus/indonesian/date_strings_observed.json"
    if not observed.exists():
        pytest.skip("shared corpus not present")
    groups = set(json.loads(observed.read_text()))
    assert groups <= set(SHAPES), f"shape groups without test cases: {sorted(groups - set(SHAPES))}"


@pytest.mark.parametrize("text,offset_hours", [
    ("Rabu, 6 Desember 2023 | 10:15 WITA", 8),
    ("Senin, 6 Nop 2023 08:00 wit", 9),
    ("6 Desember 2023 10:15WIB", 7),
])
def test_zone_words_override_the_site_zone(text: str, offset_hours: int) -> None:
    p = parse_date(text, WIB, fetched_at=FETCHED)
    assert p is not None and p.value.utcoffset() == timedelta(hours=offset_hours)
    assert (p.value.hour, p.value.minute) in ((10, 15), (8, 0))


def test_time_without_zone_is_the_site_local_time() -> None:
    p = parse_date("6 Desember 2023 10:15", WITA)
    assert p is not None and p.value.isoformat() == "2023-12-06T10:15:00+08:00"
    p = parse_date("6 Desember 2023 10:15", WIT)
    assert p is not None and p.value.utcoffset() == timedelta(hours=9)


def test_resolve_converts_to_the_site_zone() -> None:
    r = resolve_dates([DateCandidate("2024-07-19T00:00:00Z", "meta:article:published_time")], WIB, FETCHED)
    assert r.published_at == "2024-07-19T07:00:00+07:00" and r.date_source == "meta:article:published_time"
    r = resolve_dates([DateCandidate("2024-01-16T06:45:00Z", "meta:article:published_time")], WITA, FETCHED)
    assert r.published_at == "2024-01-16T14:45:00+08:00"
    # A WITA byline on a WIB outlet: the same instant, shown in the outlet's zone.
    r = resolve_dates([DateCandidate("Rabu, 6 Desember 2023 | 10:15 WITA", "byline")], WIB, FETCHED)
    assert r.published_at == "2023-12-06T09:15:00+07:00"


def test_detik_pubdate_is_wib_despite_the_z() -> None:
    r = resolve_dates([DateCandidate("2023-11-02T20-59-53Z", "meta:pubdate")], WIB, FETCHED)
    assert r.published_at == "2023-11-02T20:59:53+07:00"


@pytest.mark.parametrize("text,anchor,want", [
    ("Selasa (6/12) siang", date(2022, 12, 10), "2022-12-06"),
    ("Jum'at (12/2)", date(2016, 2, 20), "2016-02-12"),
    ("Kamis (20/01)", date(2016, 2, 20), "2016-01-20"),
    ("(8/1)", date(2016, 1, 8), "2016-01-08"),  # the anchor day itself
    ("(28/12)", date(2024, 1, 3), "2023-12-28"),  # early January, late December: the year before
    ("(29/2)", date(2023, 6, 1), "2020-02-29"),  # back to the last leap year
])
def test_yearless_dateline_takes_the_year_from_the_anchor(text: str, anchor: date, want: str) -> None:
    assert shown(parse_date(text, WIB, anchor=anchor)) == want


def test_yearless_and_relative_need_their_reference() -> None:
    assert parse_date("Selasa (6/12) siang", WIB) is None
    assert parse_date("Selasa (6/12) siang", WIB, fetched_at=FETCHED) is None
    assert parse_date("2 jam yang lalu", WIB) is None
    assert parse_date("kemarin", WIB) is None
    assert parse_date("kemarin sore", WIB) is None
    assert parse_date("(31/2)", WIB, anchor=date(2024, 5, 1)) is None


def test_relative_years_and_months_are_too_coarse() -> None:
    assert parse_date("5 tahun yang lalu", WIB, fetched_at=FETCHED) is None
    assert parse_date("2 bulan lalu", WIB, fetched_at=FETCHED) is None


def test_future_dates_rejected_with_a_day_of_slack() -> None:
    assert parse_date("1 Januari 2030", WIB, fetched_at=FETCHED) is None
    assert parse_date("3 November 2024", WIB, fetched_at=FETCHED) is None
    # A clock or zone slip of hours is not a future article.
    assert shown(parse_date("1 November 2024 23:00 WIB", WIB, fetched_at=FETCHED)) == "2024-11-01T23:00+07:00"
    r = resolve_dates([DateCandidate("1 Januari 2030", "jsonld")], WIB, FETCHED)
    assert r.published_at is None and r.note is not None and "later than the fetch" in r.note


def test_dates_before_1990_rejected() -> None:
    assert parse_date("1 Januari 1970", WIB) is None  # epoch-zero placeholders
    assert parse_date("01 Jan 1970 07:00:00", WIB) is None
    assert parse_date("Sabtu, 15 November 1930", WIB) is None
    assert shown(parse_date("2 Januari 1990", WIB)) == "1990-01-02"


@pytest.mark.parametrize("junk", [
    "", "   ", "besok", "kemarin dulu", "sejak kemarin", "12:30", "Senin 10:00 WIB", "Politik", "Juli 2024", "19 Juli",
    "31/02/2024", "02/13/2023", "99 Foo 2024", "19 juta 2024", "Rabu (4/11/205)", "Rp 1.500.000",
    "SCROLL TO CONTINUE WITH CONTENT", "2024", "x" * 5000, "19 Juli 2024 " * 40,
])
def test_garbage_is_none_never_today(junk: str) -> None:
    assert parse_date(junk, WIB) is None
    # Not even with a fetch time or an anchor to borrow a day or a year from.
    assert parse_date(junk, WIB, fetched_at=FETCHED, anchor=date(2024, 10, 1)) is None


# -- resolve_dates ------------------------------------------------------------------
_BY_TRUST = [
    DateCandidate("2024-01-10T08:00:00+07:00", "selector"),
    DateCandidate("2024-01-11T08:00:00+07:00", "jsonld"),
    DateCandidate("2024-01-12T08:00:00+07:00", "meta:article:published_time"),
    DateCandidate("Sabtu, 13 Januari 2024 08:00 WIB", "byline"),
    DateCandidate("2024-01-14", "url"),
    DateCandidate("Senin (15/1/2024)", "text"),
]


@pytest.mark.parametrize("top", range(len(_BY_TRUST)))
def test_most_trusted_source_wins_whatever_the_order(top: int) -> None:
    cands = _BY_TRUST[top:]
    if cands[0].source == "url":
        cands = [cands[0], DateCandidate("Minggu (14/1/2024)", "text")]  # the URL vetoes far-off text
    for seed in range(3):
        shuffled = list(cands)
        random.Random(seed).shuffle(shuffled)
        r = resolve_dates(shuffled, WIB, FETCHED)
        assert r.date_source == cands[0].source
        assert r.published_at is not None and r.published_at[:10] == f"2024-01-{10 + top}"


def test_unparseable_trusted_candidate_falls_through_with_a_note() -> None:
    cands = [DateCandidate("kemarin dulu", "jsonld"), DateCandidate("Selasa, 16 Januari 2024 14:45 WIB", "byline")]
    r = resolve_dates(cands, WIB, FETCHED)
    assert r.published_at == "2024-01-16T14:45:00+07:00" and r.date_source == "byline"
    assert r.note == "unparseable: 'kemarin dulu'"


def test_day_only_trusted_date_takes_the_time_of_the_same_day() -> None:
    cands = [DateCandidate("Selasa, 16 Januari 2024 14:45 WIB", "byline"), DateCandidate("2024-01-16", "jsonld")]
    r = resolve_dates(cands, WIB, FETCHED)
    assert r.published_at == "2024-01-16T14:45:00+07:00" and r.date_source == "jsonld+byline"
    cands = [DateCandidate("16/01/2024 14:45 WIB", "byline"), DateCandidate("2024-01-16", "meta:pubdate")]
    assert resolve_dates(cands, WIB, FETCHED).date_source == "meta:pubdate+byline"


def test_time_from_another_day_is_not_merged() -> None:
    cands = [DateCandidate("2024-01-16", "jsonld"), DateCandidate("Senin, 15 Januari 2024 14:45 WIB", "byline")]
    r = resolve_dates(cands, WIB, FETCHED)
    assert r.published_at == "2024-01-16" and r.date_source == "jsonld"


def test_placeholder_midnight_takes_the_bylines_time() -> None:
    cands = [DateCandidate("2024-01-16T00:00:00+07:00", "jsonld"),
             DateCandidate("Selasa, 16 Januari 2024 14:45 WIB", "byline")]
    r = resolve_dates(cands, WIB, FETCHED)
    assert r.published_at == "2024-01-16T14:45:00+07:00" and r.date_source == "jsonld+byline"
    assert r.note is not None and "00:00" in r.note
    # A real time stays, even when a byline disagrees about it.
    cands[0] = DateCandidate("2024-01-16T09:00:00+07:00", "jsonld")
    assert resolve_dates(cands, WIB, FETCHED).published_at == "2024-01-16T09:00:00+07:00"


def test_url_date_vetoes_sidebar_dates() -> None:
    cands = [DateCandidate("Rabu, 7 Oktober 2015", "byline"), DateCandidate("2015-11-04", "url")]
    r = resolve_dates(cands, WIB, FETCHED)
    assert r.published_at == "2015-11-04" and r.date_source == "url"
    # Structured metadata is this page's own: the URL does not overrule it.
    cands = [DateCandidate("2015-11-06T10:00:00+07:00", "jsonld"), DateCandidate("2015-11-04", "url")]
    assert resolve_dates(cands, WIB, FETCHED).published_at == "2015-11-06T10:00:00+07:00"


def test_zone_marked_byline_wins_over_other_bylines() -> None:
    cands = [DateCandidate("Wednesday, 04 November 2015 | 19:14", "byline"),
             DateCandidate("Wednesday, 04 November, 2015 | 07:28 WIB", "byline")]
    assert resolve_dates(cands, WIB, FETCHED).published_at == "2015-11-04T07:28:00+07:00"


def test_modified_resolved_apart() -> None:
    cands = [DateCandidate("2024-10-07T15:20:00+07:00", "jsonld"),
             DateCandidate("2024-10-07", "meta:article:modified_time", "modified"),
             DateCandidate("Senin, 7 Oktober 2024 16:02 WIB", "byline", "modified")]
    r = resolve_dates(cands, WIB, FETCHED)
    assert r.published_at == "2024-10-07T15:20:00+07:00" and r.date_source == "jsonld"
    assert r.modified_at == "2024-10-07T16:02:00+07:00"


def test_yearless_dateline_in_resolve() -> None:
    text = DateCandidate("Selasa (6/12) siang", "text")
    # The modified date is the article's other date.
    r = resolve_dates([text, DateCandidate("2022-12-10T13:00:00+07:00", "jsonld", "modified")], WIB, FETCHED)
    assert r.published_at == "2022-12-06" and r.date_source == "text"
    # Alone on a page fetched years later: no year to trust.
    r = resolve_dates([text], WIB, FETCHED)
    assert r.published_at is None and r.note is not None and "year-less" in r.note
    # Fetched that week, and 6 December 2022 was a Tuesday: the fetch date gives the year.
    r = resolve_dates([text], WIB, datetime(2022, 12, 8, 3, 0, tzinfo=UTC))
    assert r.published_at == "2022-12-06" and r.note is not None and "fetch date" in r.note
    # The same week, but the weekday written is wrong for that year.
    r = resolve_dates([DateCandidate("Rabu (6/12)", "text")], WIB, datetime(2022, 12, 8, 3, 0, tzinfo=UTC))
    assert r.published_at is None


def test_nothing_usable() -> None:
    assert resolve_dates([], WIB, FETCHED).note == "no date found"
    r = resolve_dates([DateCandidate("Politik", "byline")], WIB, FETCHED)
    assert r.published_at is None and r.date_source is None and r.note == "unparseable: 'Politik'"


def test_find_dateline_dates() -> None:
    text = ("PALEMBANG - Apel digelar Rabu (17/7/2024). \u201cJaga netralitas,\u201d ujar Hani, kamis (19/10/2023). "
            "Rapat Selasa (6/12) siang, lalu Jum\u2019at(8/12), dan Senin 4 Desember 2023. Skor (3/1) bukan tanggal.")
    assert find_dateline_dates(text) == [
        "Rabu (17/7/2024)", "kamis (19/10/2023)", "Selasa (6/12)", "Jum\u2019at(8/12)", "Senin 4 Desember 2023"]
    assert find_dateline_dates("Tidak ada tanggal di sini.") == []


# -- properties ------------------------------------------------------------------------
_MONTH_SPELLINGS = [
    ["Januari", "Jan"], ["Februari", "Pebruari", "Feb", "Peb"], ["Maret", "Mar"], ["April", "Apr"], ["Mei"],
    ["Juni", "Jun"], ["Juli", "Jul"], ["Agustus", "Agt", "Agu", "Agus"], ["September", "Sep"],
    ["Oktober", "Okt"], ["November", "Nopember", "Nov", "Nop"], ["Desember", "Des"],
]
_DAY_NAMES = [["Senin"], ["Selasa"], ["Rabu"], ["Kamis"], ["Jumat", "Jum'at", "Jum\u2019at"], ["Sabtu"], ["Minggu"]]
_ZONE_WORDS = {"WIB": 7, "WITA": 8, "WIT": 9, "wib": 7, "Wita": 8}


@settings(max_examples=300, deadline=None)
@given(
    when=st.datetimes(min_value=datetime(1990, 1, 2), max_value=datetime(2039, 12, 31)),
    data=st.data(),
)
def test_written_dates_round_trip(when: datetime, data: st.DataObject) -> None:
    month = data.draw(st.sampled_from(_MONTH_SPELLINGS[when.month - 1]))
    day_name = data.draw(st.sampled_from([""] + [n + sep for n in _DAY_NAMES[when.weekday()] for sep in (", ", " ")]))
    numeric = data.draw(st.booleans())
    core = f"{when.day:02d}/{when.month:02d}/{when.year}" if numeric else f"{when.day} {month} {when.year}"
    sep = data.draw(st.sampled_from([" ", " | ", " - ", ", ", ","]))
    clock = data.draw(st.sampled_from([f"{when:%H:%M}", f"{when:%H.%M}", f"pukul {when:%H.%M}"]))
    zone = data.draw(st.sampled_from(["", *_ZONE_WORDS]))
    text = f"{day_name}{core}{sep}{clock} {zone}".strip()
    p = parse_date(text, WIB)
    assert p is not None, text
    assert p.has_time and p.value.replace(tzinfo=None) == when.replace(second=0, microsecond=0), text
    assert p.value.utcoffset() == timedelta(hours=_ZONE_WORDS.get(zone, 7)), text


_FRAGMENTS = ["Jum'at", "Senin", ",", "|", " - ", "(", ")", "/", "19", "6/12", "2024", "1930", "Pebruari", "Nop",
              "Des", "07:00", "9.30", "WIB", "WITA", "wit", "Z", "T", "+07:00", "-", "jam", "menit", "yang", "lalu",
              "kemarin", "hari ini", "pukul", "GMT+7", "2023-11-02T20-59-53Z", "PM", "31", "00", "99999999999"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=120), st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map(" ".join)))
def test_parse_never_raises(text: str) -> None:
    p = parse_date(text, WIB, fetched_at=FETCHED, anchor=date(2024, 1, 1))
    if p is not None:
        assert p.value.tzinfo is not None
        assert datetime(1990, 1, 1, tzinfo=UTC) <= p.value <= FETCHED + timedelta(days=1)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=40), st.sampled_from(["selector", "jsonld", "meta:x", "byline", "url",
                                                                  "text", "other"]),
                          st.sampled_from(["published", "modified"])), max_size=6))
def test_resolve_never_raises(cands: list[tuple[str, str, str]]) -> None:
    r = resolve_dates([DateCandidate(v, s, k) for v, s, k in cands], WIB, FETCHED)
    assert (r.published_at is None) == (r.date_source is None)
    if r.published_at is None:
        assert r.note


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
