"""Re-run the current extractor over the archive's stored captures.

The same chain as a crawl (``crawler.process.process_html``: extraction, dates in the
outlet's zone, relevance), on every core; an article whose output changed gets a new
version, the others are not written to.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from archive import Archive
from crawler.lock import ArchiveLock
from crawler.process import process_html
from crawler.sites import SiteConfig, load_registry
from crawler.workers import process_pool

logger = logging.getLogger(__name__)


@dataclass
class ReextractResult:
    run_id: int = 0
    seen: int = 0
    changed: int = 0
    unchanged: int = 0
    not_article: int = 0
    failed: int = 0
    unknown_site: int = 0
    errors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if isinstance(v, int) and k != "run_id"}


@lru_cache(maxsize=4)
def _registry(sites_dir: str | None) -> dict[str, SiteConfig]:
    return load_registry(Path(sites_dir) if sites_dir else None)


def reextract_job(job: dict[str, Any], sites_dir: str | None, topic: str) -> dict[str, Any]:
    """One article's newest capture through the current chain (runs in a worker)."""
    site = _registry(sites_dir).get(job["site"])
    if site is None:
        return {"outcome": "unknown_site"}
    headers = {k.lower(): v for k, v in job["headers"].items()}
    first, *more = job["bodies"]
    try:
        record = process_html(first, job["url"], site, topic=topic,
                              fetched_at=datetime.fromisoformat(job["fetched_at"]),
                              content_type=headers.get("content-type"), continuation=more)
    except Exception as e:  # noqa: BLE001 - one bad capture must not stop the others
        return {"outcome": "failed", "error": f"{job['url']}: {type(e).__name__}: {e}"}
    if not record.get("is_article", True):
        return {"outcome": "not_article", "error": f"{job['url']}: {record.get('not_article_reason')}"}
    return {"outcome": "ok", "record": record}


def run_reextract(db: str, *, site: str | None, workers: int, sites_dir: Path | None, topic: str,
                  progress: Callable[[int], None] | None = None) -> ReextractResult:
    """``progress(n)`` is called as articles are done."""
    with ArchiveLock(db), Archive(db).open() as archive:
        result = ReextractResult()
        result.run_id = archive.start_run(sites=[site] if site else archive.sites(),
                                          args={"command": "reextract", "site": site, "topic": topic,
                                                "sites_dir": str(sites_dir) if sites_dir else None})
        jobs = archive.reextract_sources(site)
        sdir = str(sites_dir) if sites_dir else None
        for job, out in _map(jobs, workers, sdir, topic):
            _save(archive, result, job, out)
            if progress:
                progress(1)
        archive.finish_run(result.run_id, stats={"reextract": result.counts(), "errors": result.errors[:100]},
                           status="ok" if not result.failed else "partial")
    return result


def _map(jobs: Iterator[dict[str, Any]], workers: int, sites_dir: str | None, topic: str
         ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    if workers <= 1:
        for job in jobs:
            yield job, reextract_job(job, sites_dir, topic)
        return
    # A bounded window of jobs in flight: captures are read as the workers need them,
    # so memory stays flat on a large archive.
    with process_pool(workers) as pool:
        pending: dict[Future[dict[str, Any]], dict[str, Any]] = {}
        for job in jobs:
            pending[pool.submit(reextract_job, job, sites_dir, topic)] = job
            if len(pending) >= workers * 4:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield pending.pop(f), f.result()
        for f in list(pending):
            yield pending.pop(f), f.result()


def _save(archive: Archive, result: ReextractResult, job: dict[str, Any], out: dict[str, Any]) -> None:
    result.seen += 1
    outcome = out["outcome"]
    if outcome != "ok":
        setattr(result, outcome, getattr(result, outcome) + 1)
        if out.get("error"):
            result.errors.append(out["error"])
        return
    changed = archive.save_reextracted(job["article_id"], out["record"], capture_id=job["capture_id"],
                                       run_id=result.run_id, fetched_at=job["fetched_at"], status=job["status"])
    if changed:
        result.changed += 1
    else:
        result.unchanged += 1


def default_workers() -> int:
    return os.cpu_count() or 1
