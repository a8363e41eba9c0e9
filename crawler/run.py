"""Run one crawl over several sites: one Scrapy crawler per site in one process, so
each outlet gets its own delay and concurrency, all writing to one archive run."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from archive import Archive, ArchiveWriteError
from crawler.lock import ArchiveLock
from crawler.sites import SiteConfig

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CONFIG = 2
EXIT_PARTIAL = 3
EXIT_ALL_FAILED = 4
EXIT_LOCKED = 5
EXIT_ARCHIVE_WRITE = 7  # 6 is `warta stats --health` flagging a site


@dataclass
class SiteOutcome:
    site: str
    stats: dict[str, Any]
    failed: bool
    reason: str = ""

    @property
    def stored(self) -> int:
        return int(self.stats.get("archive/new", 0)) + int(self.stats.get("archive/updated", 0))


@dataclass
class RunResult:
    run_id: int
    outcomes: list[SiteOutcome] = field(default_factory=list)
    finish_error: str | None = None

    @property
    def archive_error(self) -> str | None:
        """Why the archive could not be written (disk full, read-only), if it could not."""
        for o in self.outcomes:
            if o.stats.get("archive/write_error"):
                return str(o.stats["archive/write_error"])
        return self.finish_error

    @property
    def not_stored(self) -> int:
        return sum(int(o.stats.get("archive/not_stored", 0)) for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        if self.archive_error:
            return EXIT_ARCHIVE_WRITE
        failed = [o for o in self.outcomes if o.failed]
        if not failed:
            return EXIT_OK
        return EXIT_ALL_FAILED if len(failed) == len(self.outcomes) else EXIT_PARTIAL

    @property
    def status(self) -> str:
        return {EXIT_OK: "ok", EXIT_PARTIAL: "partial"}.get(self.exit_code, "failed")


class OneLineErrors(logging.Filter):
    """Network failures are normal weather: log them as one line, not a traceback.
    ``--verbose`` keeps full tracebacks for debugging."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            record.msg = f"{record.getMessage()} [{type(exc).__name__}: {exc}]"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def build_settings(db: str, overrides: dict[str, Any] | None = None) -> Settings:
    # The project settings module is ours whatever the working directory.
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("WARTA_DB", db, priority="cmdline")
    for k, v in (overrides or {}).items():
        settings.set(k, v, priority="cmdline")
    return settings


def summarize(stats: dict[str, Any]) -> dict[str, Any]:
    """What an operator reads about one site's crawl, from its Scrapy stats: also
    works on the stats of runs stored before this summary existed."""
    errors: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("downloader/exception_type_count/"):
            kind = key.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
        elif key.startswith("downloader/response_status_count/") and key.rsplit("/", 1)[-1][:1] in "45":
            kind = "http_" + key.rsplit("/", 1)[-1]
        elif key.startswith("spider_exceptions/"):
            kind = "spider_" + key.rsplit("/", 1)[-1]
        elif key in ("retry/max_reached", "retry/retry_after_too_long", "breaker/open", "archive/write_error"):
            kind = key.replace("/", "_")
            value = 1 if not isinstance(value, int) else value
        else:
            continue
        errors[kind] = errors.get(kind, 0) + int(value)
    count = lambda k: int(stats.get(k, 0) or 0)  # noqa: E731
    return {
        "pages": count("downloader/response_count"),
        "not_modified": count("conditional/not_modified"),
        "new": count("archive/new"),
        "updated": count("archive/updated"),
        "unchanged": count("archive/unchanged") + count("archive/not_modified"),
        "duplicates": count("dedup/content"),
        "near_duplicates": count("dedup/near"),
        "gone": count("archive/gone"),
        "not_articles": count("extract/not_article"),
        "errors": dict(sorted(errors.items())),
        "duration_s": round(float(stats.get("elapsed_time_seconds", 0) or 0), 1),
        "finish_reason": stats.get("finish_reason", ""),
    }


def _judge(site: str, stats: dict[str, Any]) -> SiteOutcome:
    responses = int(stats.get("downloader/response_count", 0))
    ok_responses = sum(int(v) for k, v in stats.items()
                       if k.startswith("downloader/response_status_count/2"))
    reason = stats.get("finish_reason", "")
    if stats.get("archive/write_error"):
        return SiteOutcome(site, stats, True, f"stopped: {stats['archive/write_error']}")
    if reason == "circuit_open":
        return SiteOutcome(site, stats, True, f"set aside for this run: {stats.get('breaker/open', 'failing')}")
    if responses == 0 and stats.get("backfill/nothing_to_do"):
        return SiteOutcome(site, stats, False)  # every walk of the range was done before
    if ok_responses == 0:
        exc = [k.split("/", 2)[-1] for k in stats if k.startswith("downloader/exception_type_count/")]
        why = ", ".join(e.rsplit(".", 1)[-1] for e in exc) or (
            f"{responses} responses, none successful" if responses else "nothing fetched")
        return SiteOutcome(site, stats, True, f"no page could be fetched ({why})")
    if reason not in ("finished", "closespider_pagecount", "closespider_timeout"):
        return SiteOutcome(site, stats, True, f"crawl ended early ({reason})")
    return SiteOutcome(site, stats, False)


def run_crawl(
    sites: list[SiteConfig],
    *,
    db: str,
    overrides: dict[str, Any] | None = None,
    args: dict[str, Any] | None = None,
) -> RunResult:
    from spiders.news import NewsSpider

    with ArchiveLock(db):
        return _run_locked(NewsSpider, sites, db=db, overrides=overrides, args=args)


def run_backfill(
    sites: list[SiteConfig],
    *,
    db: str,
    spider_args: dict[str, Any],
    overrides: dict[str, Any] | None = None,
    args: dict[str, Any] | None = None,
) -> RunResult:
    """The same run machinery with the BackfillSpider (``spider_args``: since, until,
    queries, max_pages, restart)."""
    from spiders.backfill import BackfillSpider

    with ArchiveLock(db):
        return _run_locked(BackfillSpider, sites, db=db, overrides=overrides, args=args, spider_args=spider_args)


def _run_locked(spidercls: type, sites: list[SiteConfig], *, db: str, overrides: dict[str, Any] | None,
                args: dict[str, Any] | None, spider_args: dict[str, Any] | None = None) -> RunResult:
    with Archive(db).open() as archive:
        if archive.mark_interrupted_runs():
            logger.warning("an earlier run on %s was interrupted; its stored articles are kept", db)
        run_id = archive.start_run(sites=[s.name for s in sites], args=args or {})
    settings = build_settings(db, {**(overrides or {}), "WARTA_RUN_ID": run_id})
    process = CrawlerProcess(settings)
    crawlers: list[tuple[str, Crawler]] = []
    for site in sites:
        crawler = process.create_crawler(spidercls)
        crawlers.append((site.name, crawler))
        process.crawl(crawler, site_config=site, **(spider_args or {}))
    if not settings.getbool("WARTA_FULL_TRACEBACKS"):
        # Scrapy installs its root handler when a crawler is set up, hence here.
        for handler in logging.getLogger().handlers:
            handler.addFilter(OneLineErrors())
    process.start()
    result = RunResult(run_id)
    all_stats: dict[str, Any] = {}
    for name, crawler in crawlers:
        stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                 for k, v in (crawler.stats.get_stats() if crawler.stats else {}).items()}
        all_stats[name] = stats
        result.outcomes.append(_judge(name, stats))
    try:
        with Archive(db).open() as archive:
            archive.finish_run(run_id, stats={"sites": all_stats,
                                              "summary": {n: summarize(st) for n, st in all_stats.items()},
                                              "failed": {o.site: o.reason for o in result.outcomes if o.failed}},
                               status=result.status)
    except ArchiveWriteError as e:
        # The run row stays 'running'; the next run marks it interrupted.
        result.finish_error = str(e)
    return result
