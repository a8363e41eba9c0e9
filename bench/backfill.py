"""Backfill figures on the loopback outlet of tests/backfillsite.py (two and a half
years of invented history, with its traps): what one `warta backfill` of a range
finds and asks for, what a re-run and a --restart cost, and what resuming under a
page budget costs compared with one uninterrupted run.

    python -m bench.backfill [--budget 100]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from tests.backfillsite import SITE_TOML, SOURCES, BackfillSite, expected

ROOT = Path(__file__).resolve().parent.parent
SINCE, UNTIL = date(2023, 6, 1), date(2024, 12, 31)


def kind(path: str) -> str:
    p = urlsplit(path).path
    return {"/cari": "search", "/indeks": "date_index"}.get(p) or (
        "article" if p.startswith("/read/") else "tag" if p.startswith("/tag/") else
        "sitemap" if p.startswith("/sitemap/") else "other")


def run(srv: BackfillSite, sites: Path, db: Path, *extra: str) -> tuple[float, list[str]]:
    start = len(srv.log)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "backfill", "--db", str(db), "--since", SINCE.isoformat(),
         "--until", UNTIL.isoformat(), "--sites-dir", str(sites), "--site", "rantau-all",
         "--base-url", f"rantau-all={srv.origin}", "-s", "WARTA_DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
         "--quiet", *extra], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench: backfill failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return time.perf_counter() - t0, [p for p in srv.log[start:] if p != "/robots.txt"]


def article_ids(paths: list[str]) -> list[int]:
    return [int(p.split("/")[2]) for p in paths if p.startswith("/read/")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=int, default=100, help="--max-pages for the resumed series")
    args = ap.parse_args()
    want = expected(SINCE, UNTIL)
    out: dict[str, object] = {"range": [SINCE.isoformat(), UNTIL.isoformat()], "articles_in_range": len(want)}
    with tempfile.TemporaryDirectory() as tmp:
        sites = Path(tmp)
        (sites / "rantau-all.toml").write_text(
            SITE_TOML.format(name="rantau-all", extra="\n".join(SOURCES.values())), "utf-8")
        with BackfillSite() as srv:
            db = sites / "full.db"
            secs, log = run(srv, sites, db)
            ids = article_ids(log)
            out["full"] = {"seconds": round(secs, 1), "requests": len(log), "by_kind": dict(Counter(map(kind, log))),
                           "found": len(set(ids) & want), "fetched_outside_range": len(set(ids) - want),
                           "articles_fetched_twice": len(ids) - len(set(ids))}
            secs, log = run(srv, sites, db)
            out["rerun"] = {"seconds": round(secs, 1), "requests": len(log)}
            secs, log = run(srv, sites, db, "--restart")
            out["restart"] = {"seconds": round(secs, 1), "requests": len(log), "articles": len(article_ids(log))}
        with BackfillSite() as srv:
            db = sites / "budget.db"
            runs, total, secs_total = 0, Counter[str](), 0.0
            while True:
                secs, log = run(srv, sites, db, "--max-pages", str(args.budget))
                runs += 1
                secs_total += secs
                total.update(log)
                if not log or runs > 100:
                    break
            out["resumed"] = {"budget": args.budget, "runs": runs, "seconds": round(secs_total, 1),
                              "requests": sum(total.values()),
                              "urls_fetched_twice": sum(1 for n in total.values() if n > 1),
                              "found": len(set(article_ids(list(total))) & want)}
    text = json.dumps(out, indent=2)
    print(text)
    (ROOT / "bench" / "results" / "backfill.json").write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
