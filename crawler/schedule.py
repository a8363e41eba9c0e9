"""Cron and systemd lines for unattended runs (`warta schedule`)."""

from __future__ import annotations

import logging
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

MARK = "# warta:"


class ScheduleError(ValueError):
    """A bad --every value or a crontab that cannot be read or written."""


def parse_every(every: str) -> tuple[int, str]:
    m = re.fullmatch(r"\s*(\d+)\s*([mhd])\s*", every)
    if not m or int(m.group(1)) == 0:
        raise ScheduleError(f"--every {every!r}: expected a duration like 30m, 6h or 1d")
    n, unit = int(m.group(1)), m.group(2)
    if (unit == "m" and n > 59) or (unit == "h" and n > 23) or (unit == "d" and n > 1):
        raise ScheduleError(f"--every {every!r}: use minutes below 60, hours below 24, or 1d")
    return n, unit


def cron_expr(every: str) -> str:
    n, unit = parse_every(every)
    if unit == "m":
        return f"*/{n} * * * *"
    if unit == "h":
        return f"7 */{n} * * *" if n > 1 else "7 * * * *"
    return "7 3 * * *"


def warta_command(db: Path, extra: list[str]) -> str:
    exe = shutil.which("warta") or str(Path(sys.executable).with_name("warta"))
    log = db.with_suffix(".log")
    return " ".join(shlex.quote(p) for p in [exe, "crawl", "--db", str(db), "--quiet", "--log-file", str(log),
                                             *extra])


def crontab_line(every: str, db: Path, extra: list[str]) -> str:
    # --quiet: cron mails only what goes wrong (a failed site, a run still holding the lock).
    return f"{cron_expr(every)} {warta_command(db, extra)}  {MARK}{db}"


def systemd_units(every: str, db: Path, extra: list[str]) -> tuple[str, str]:
    n, unit = parse_every(every)
    span = {"m": "min", "h": "h", "d": "d"}[unit]
    service = ("[Unit]\nDescription=Warta crawl into " + str(db) + "\n\n[Service]\nType=oneshot\n"
               f"ExecStart={warta_command(db, extra)}\nSuccessExitStatus=3 5\n")
    timer = ("[Unit]\nDescription=Run the Warta crawl every " + every + "\n\n[Timer]\nOnBootSec=5min\n"
             f"OnUnitActiveSec={n}{span}\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n")
    return service, timer


def merge_crontab(existing: str, line: str, db: Path) -> str:
    """Replace this archive's Warta line, or add it; other lines stay as they are."""
    kept = [x for x in existing.splitlines() if not x.rstrip().endswith(f"{MARK}{db}")]
    return "\n".join([*kept, line]) + "\n"


def install(line: str, db: Path) -> None:
    if shutil.which("crontab") is None:
        raise ScheduleError("crontab is not installed here; add the line above by hand")
    cur = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    existing = cur.stdout if cur.returncode == 0 else ""
    new = merge_crontab(existing, line, db)
    res = subprocess.run(["crontab", "-"], input=new, capture_output=True, text=True)
    if res.returncode != 0:
        raise ScheduleError(f"crontab refused the new table: {res.stderr.strip()}")
