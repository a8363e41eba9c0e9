"""`warta stats --health`: flags an outlet that went quiet or lost its dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archive import Archive
from tests.conftest import run_warta


def _seed(db: Path) -> None:
    now = datetime.now(UTC)
    rows = ([("quiet", 10 + i, True) for i in range(12)]
            + [("broken", 10 + i, True) for i in range(10)] + [("broken", 1, False) for _ in range(5)]
            + [("fine", 10 + i, True) for i in range(10)] + [("fine", 2, True) for _ in range(4)])
    with Archive(db) as a:
        run = a.start_run(sites=["quiet", "broken", "fine"], args={})
        a.finish_run(run, stats={"failed": {}}, status="ok")
        for n, (site, _age, dated) in enumerate(rows, start=1):
            a.upsert_article({"url": f"u{n}", "canonical_url": f"u{n}", "site": site, "title": "t", "text": "x " * 60,
                              "word_count": 60, "published_at": "2024-11-01T10:00:00+07:00" if dated else None,
                              "fetched_at": now.isoformat()})
        # first_seen_at is set by the archive at insert time; age the rows for the test.
        with a.db.conn:
            for n, (_site, age, _dated) in enumerate(rows, start=1):
                a.db.conn.execute("UPDATE articles SET first_seen_at = ? WHERE canonical_url = ?",
                                  ((now - timedelta(days=age)).isoformat(), f"u{n}"))


def test_health_flags(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    _seed(db)
    res = run_warta("stats", "--db", str(db), "--health", "--json")
    assert res.code == 6, res.stderr
    report = {h["site"]: h for h in json.loads(res.stdout)}
    assert report["quiet"]["flags"] and "no new articles" in report["quiet"]["flags"][0]
    assert any("undated" in f for f in report["broken"]["flags"])
    assert report["fine"]["flags"] == []
    assert abs(report["fine"]["per_day_recent"] - 4 / 7) < 1e-9


def test_health_ok_exits_zero(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as a:
        run = a.start_run(sites=["fine"], args={})
        a.finish_run(run, stats={"failed": {}}, status="ok")
        a.upsert_article({"url": "u", "canonical_url": "u", "site": "fine", "title": "t", "text": "x",
                          "published_at": "2024-11-01", "fetched_at": "2024-11-01T00:00:00+00:00"})
    res = run_warta("stats", "--db", str(db), "--health")
    assert res.code == 0, res.stdout + res.stderr
    assert "fine" in res.stdout and "!" not in res.stdout
