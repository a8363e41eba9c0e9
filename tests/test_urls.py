"""URL identity: every alias of an article maps to one canonical URL."""

from __future__ import annotations

import pytest

from crawler.urls import canonicalize

BASE = "https://sumeks.co/read/318870/bawaslu-sumsel"


@pytest.mark.parametrize("alias", [
    BASE,
    BASE + "/",
    BASE + "?utm_source=wa&utm_medium=share",
    BASE + "?fbclid=IwAR0abc",
    BASE + "?gclid=x&utm_campaign=y#komentar",
    BASE + "/amp",
    BASE + "/amp/",
    BASE + "?amp=1",
    BASE + "?page=1",
    "HTTPS://SUMEKS.CO/read/318870/bawaslu-sumsel",
    "https://m.sumeks.co/read/318870/bawaslu-sumsel",
    "https://amp.sumeks.co/read/318870/bawaslu-sumsel",
    "https://www.sumeks.co/read/318870/bawaslu-sumsel",
    "https://sumeks.co:443/read/318870/bawaslu-sumsel",
])
def test_aliases_fold(alias: str) -> None:
    assert canonicalize(alias, "sumeks.co") == BASE


def test_distinct_things_stay_distinct() -> None:
    assert canonicalize(BASE + "?page=2", "sumeks.co") == BASE + "?page=2"
    assert canonicalize("https://sumeks.co/read/318871/lain", "sumeks.co") != BASE
    assert canonicalize("https://notsumeks.co/read/318870/bawaslu-sumsel", "sumeks.co").startswith(
        "https://notsumeks.co/")
    assert canonicalize("http://127.0.0.1:8000/x?id=5&b=2", None) == "http://127.0.0.1:8000/x?b=2&id=5"


def test_www_primary_host() -> None:
    assert canonicalize("https://m.detik.com/sumbagsel/berita/d-7441201/x?single=1", "www.detik.com") == \
        "https://www.detik.com/sumbagsel/berita/d-7441201/x"


def test_amp_inside_path() -> None:
    assert canonicalize("https://x.id/amp/2024/07/19/slug/", "x.id") == "https://x.id/2024/07/19/slug"
