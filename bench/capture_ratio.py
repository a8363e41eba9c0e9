"""Raw captures: stored bytes against raw bytes (issue 4 target: <= 35 %), and the
speed of `warta reextract` and `warta check --deep`, measured in this run.

Three sources: the demo mirror and the generated bench outlet, each crawled for real
into a fresh archive through the CLI; and, when ../shared/corpus is present, its
real Indonesian pages, stored through the archive layer (grouped by outlet folder)
without being copied anywhere. Plain zlib of the same bodies is reported beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from archive import Archive
from bench.gen_mirror import generate
from crawler.mirror_server import MirrorServer

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def warta(*args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        sys.exit(f"bench: warta {args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc.stdout


def sizes(db: Path) -> dict[str, Any]:
    with Archive(db, readonly=True) as archive:
        s = archive.capture_sizes()
        plain = 0
        for row in archive.db.conn.execute("SELECT id FROM captures WHERE first_page_id IS NULL"):
            for page in archive.capture_pages(int(row[0])):
                plain += len(zlib.compress(page["body"], 6))
    raw = s["raw_bytes"] or 1
    return {**s, "ratio": round(s["stored_bytes"] / raw, 4), "plain_zlib_ratio": round(plain / raw, 4),
            "avg_raw_bytes": round(s["raw_bytes"] / max(s["captures"], 1))}


def demo(tmp: Path) -> dict[str, Any]:
    db = tmp / "demo.db"
    warta("demo", "--db", str(db))
    return sizes(db)


def bench_pages(tmp: Path, pages: int, workers: int) -> dict[str, Any]:
    generate(tmp / "mirror", pages)
    db = tmp / "bench.db"
    with MirrorServer(tmp / "mirror") as srv:
        warta("crawl", "--db", str(db), "--sites-dir", str(ROOT / "bench" / "sites"), "--site", "benchsite",
              "--base-url", f"benchsite={srv.origins['benchsite']}", "-s", "AUTOTHROTTLE_ENABLED=False",
              "-s", "WARTA_DOWNLOAD_DELAY=0", "--workers", str(workers), "--quiet")
    out = sizes(db)
    with Archive(db, readonly=True) as archive:
        articles = archive.reextract_count()
    started = time.perf_counter()
    line = warta("reextract", "--db", str(db), "--sites-dir", str(ROOT / "bench" / "sites"),
                 "--workers", str(workers)).strip().splitlines()[-1]
    wall = time.perf_counter() - started
    started = time.perf_counter()
    warta("check", "--db", str(db), "--deep")
    out["check_deep_seconds"] = round(time.perf_counter() - started, 2)
    out["reextract"] = {"workers": workers, "seconds": round(wall, 2), "articles": articles,
                        "articles_per_s": round(articles / wall, 1),
                        "summary": line}
    return out


def corpus(tmp: Path) -> dict[str, Any] | None:
    files = sorted(p for p in CORPUS.rglob("*.html") if p.is_file()) if CORPUS.is_dir() else []
    if not files:
        return None
    db = tmp / "corpus.db"
    with Archive(db) as archive:
        for i, path in enumerate(files):
            body = path.read_bytes()
            url = f"https://corpus.invalid/{i}"
            archive.upsert_article({"url": url, "canonical_url": url, "site": path.parent.name, "title": path.name,
                                    "text": str(i)},
                                   captures=[{"url": url, "status": 200, "headers": {}, "body": body}])
    return {**sizes(db), "pages": len(files)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=500, help="generated bench pages")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "captures.json"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="warta-captures-") as t:
        tmp = Path(t)
        result: dict[str, Any] = {"demo_mirror": demo(tmp),
                                  "bench_pages": bench_pages(tmp, args.pages, args.workers),
                                  "shared_corpus": corpus(tmp), "target_ratio": 0.35}
    for name in ("demo_mirror", "bench_pages", "shared_corpus"):
        r = result[name]
        if r:
            print(f"{name:<14} {r['captures']:>5} captures, {r['raw_bytes']:>10} raw bytes -> {r['stored_bytes']:>9} "
                  f"stored: {r['ratio']:.1%} (plain zlib {r['plain_zlib_ratio']:.1%})")
    rx = result["bench_pages"]["reextract"]
    print(f"warta check --deep on the bench archive: {result['bench_pages']['check_deep_seconds']} s")
    print(f"reextract: {rx['articles']} articles in {rx['seconds']} s with {rx['workers']} workers "
          f"({rx['articles_per_s']}/s): {rx['summary']}")
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
