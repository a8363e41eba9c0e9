"""`warta schedule`: cron and systemd lines; --install is idempotent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crawler.schedule import ScheduleError, cron_expr, merge_crontab
from tests.conftest import run_warta


@pytest.mark.parametrize("every,expr", [("30m", "*/30 * * * *"), ("6h", "7 */6 * * *"), ("1h", "7 * * * *"),
                                        ("1d", "7 3 * * *")])
def test_cron_expr(every: str, expr: str) -> None:
    assert cron_expr(every) == expr


@pytest.mark.parametrize("bad", ["", "6", "0h", "90m", "48h", "2w"])
def test_bad_every(bad: str) -> None:
    with pytest.raises(ScheduleError):
        cron_expr(bad)


def test_merge_is_idempotent() -> None:
    db = Path("/srv/a.db")
    line = "7 */6 * * * warta crawl  # warta:/srv/a.db"
    other = "0 1 * * * backup.sh"
    once = merge_crontab(other + "\n", line, db)
    assert merge_crontab(once, line.replace("*/6", "*/3"), db).splitlines() == [other, line.replace("*/6", "*/3")]


def test_schedule_prints_and_installs(tmp_path: Path) -> None:
    # A stand-in `crontab` on PATH that keeps its table in a file.
    table = tmp_path / "table"
    fake = tmp_path / "bin" / "crontab"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then cat {table} 2>/dev/null || exit 1; else cat > {table}; fi\n')
    fake.chmod(0o755)
    env_path = f"{fake.parent}:{os.environ['PATH']}"
    db = tmp_path / "archive.db"
    for _ in range(2):
        res = run_warta("schedule", "--every", "6h", "--db", str(db), "--install", "--", "--site", "sumeks",
                        env={"PATH": env_path})
        assert res.code == 0, res.stderr
    assert "OnUnitActiveSec=6h" in res.stdout and "--site sumeks" in res.stdout
    lines = table.read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("7 */6 * * * ") and f"--db {db}" in lines[0]


def test_schedule_bad_every() -> None:
    res = run_warta("schedule", "--every", "sometimes")
    assert res.code == 2 and "30m, 6h or 1d" in res.stderr
