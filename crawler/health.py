"""Site health for operators: flag an outlet whose yield fell to zero or whose
share of undated articles jumped (usually a layout change that broke extraction)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

RECENT_DAYS = 7
WINDOW_DAYS = 30
# A jump of this many percentage points in undated articles means something changed.
MISSING_DATE_JUMP = 0.25


@dataclass
class SiteHealth:
    site: str
    per_day_recent: float
    per_day_window: float
    missing_date_recent: float
    missing_date_window: float
    thin_recent: float
    last_ok_run: str | None
    flags: list[str] = field(default_factory=list)


def judge(row: dict[str, Any]) -> SiteHealth:
    recent, before = row["recent"], row["before"]
    h = SiteHealth(
        site=row["site"],
        per_day_recent=recent / RECENT_DAYS,
        per_day_window=before / WINDOW_DAYS,
        missing_date_recent=row["recent_no_date"] / recent if recent else 0.0,
        missing_date_window=row["before_no_date"] / before if before else 0.0,
        thin_recent=row["recent_thin"] / recent if recent else 0.0,
        last_ok_run=row.get("last_ok_run"),
    )
    if recent == 0 and before > 0:
        h.flags.append(f"no new articles in {RECENT_DAYS} days (had {before} in the {WINDOW_DAYS} before)")
    if recent >= 3 and h.missing_date_recent - h.missing_date_window >= MISSING_DATE_JUMP:
        h.flags.append(f"undated articles rose from {h.missing_date_window:.0%} to {h.missing_date_recent:.0%}")
    if h.last_ok_run is None:
        h.flags.append("no successful run on record")
    return h
