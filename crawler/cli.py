"""The ``warta`` command line. One short function per command; errors are one line."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from crawler import __version__

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(fn: F) -> F:
    """Known failures (bad config, unusable archive, unreadable file) become one line
    and a non-zero exit instead of a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from archive import ArchiveError, ArchiveWriteError
        from crawler.lock import LockHeld
        from crawler.relevance import TopicProfileError
        from crawler.sites import SiteConfigError

        try:
            return fn(*args, **kwargs)
        except BrokenPipeError:
            # `warta export | head`: the reader left; stop quietly like other Unix tools.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except (SiteConfigError, TopicProfileError) as e:
            raise ConfigError(str(e)) from None
        except ArchiveWriteError as e:
            raise ArchiveWriteFailed(f"{e}; nothing archived before was lost") from None
        except ArchiveError as e:
            raise click.ClickException(str(e)) from None
        except LockHeld as e:
            raise LockedError(f"{e}; not starting a second one") from None
        except OSError as e:
            raise click.ClickException(f"{e.filename or ''}: {e.strerror or e}".lstrip(": ")) from None

    return wrapper  # type: ignore[return-value]


class ConfigError(click.ClickException):
    exit_code = 2


class ArchiveWriteFailed(click.ClickException):
    exit_code = 7


class LockedError(click.ClickException):
    exit_code = 5


def _registry(sites_dir: Path | None) -> dict[str, Any]:
    from crawler.sites import load_registry

    return load_registry(sites_dir)


def _pick_sites(registry: dict[str, Any], names: tuple[str, ...]) -> list[Any]:
    if not names:
        return list(registry.values())
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise ConfigError(f"unknown site {unknown[0]!r} (see `warta sites`; known: {', '.join(sorted(registry))})")
    return [registry[n] for n in names]


def _rebase(registry: dict[str, Any], sites: list[Any], base_urls: tuple[str, ...]) -> list[Any]:
    """--base-url SITE=URL: point a site at another origin (a local mirror)."""
    for spec in base_urls:
        name, sep, url = spec.partition("=")
        if not sep or name not in registry:
            raise ConfigError(f"--base-url {spec!r}: expected SITE=URL with a known SITE")
        sites = [s.rebased(url) if s.name == name else s for s in sites]
    return sites


def _scrapy_settings(settings: tuple[str, ...]) -> dict[str, str]:
    """-s NAME=VALUE overrides."""
    out: dict[str, str] = {}
    for spec in settings:
        k, sep, v = spec.partition("=")
        if not sep:
            raise ConfigError(f"-s {spec!r}: expected NAME=VALUE")
        out[k] = v
    return out


def _setup_logging(quiet: bool, verbose: bool, log_file: str | None) -> dict[str, Any]:
    level = "ERROR" if quiet else "INFO" if verbose else "WARNING"
    out: dict[str, Any] = {"LOG_LEVEL": level, "WARTA_FULL_TRACEBACKS": verbose}
    if log_file:
        out["LOG_FILE"] = log_file
        out["LOG_LEVEL"] = "INFO"
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="warta")
def main() -> None:
    """Warta: an archival crawler for Indonesian regional news.

    It finds articles on the outlets you configure, extracts clean text and exact
    dates, scores them against a topic (netralitas ASN by default), links
    duplicates, and keeps everything in a SQLite archive you can search and export.

    Start with `warta demo` to see it work offline, then `warta sites`.
    """


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="SQLite archive to write.")
@click.option("--site", "site_names", multiple=True, metavar="NAME", help="Crawl only this site (repeatable).")
@click.option("--sites-dir", type=click.Path(path_type=Path), help="Folder of extra site configs (*.toml).")
@click.option("--base-url", "base_urls", multiple=True, metavar="SITE=URL",
              help="Point SITE at another origin, e.g. a local mirror (repeatable).")
@click.option("--topic", default="netralitas-asn", show_default=True, help="Topic profile name or .toml path.")
@click.option("--max-pages", type=int, default=None, help="Page budget per site for this run.")
@click.option("--time-budget", type=int, default=None, metavar="SECONDS",
              help="Stop each site's crawl after this long; what is stored stays stored.")
@click.option("--workers", type=int, default=0, show_default=True,
              help="Extraction worker processes (0 = extract in the crawl process).")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("--quiet", is_flag=True, help="Only errors (for cron).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's progress log.")
@click.option("--log-file", type=click.Path(), help="Write the full log here.")
@friendly_errors
def crawl(db: str, site_names: tuple[str, ...], sites_dir: Path | None, base_urls: tuple[str, ...],
          topic: str, max_pages: int | None, time_budget: int | None, workers: int, settings: tuple[str, ...],
          quiet: bool,
          verbose: bool, log_file: str | None) -> None:
    """Crawl configured outlets into the archive.

    Example: warta crawl --db archive.db --site detik-sumbagsel --site sumeks

    Exit status: 0 all sites ok, 2 configuration error, 3 some sites failed,
    4 every site failed, 5 another crawl holds this archive's lock,
    7 the archive could not be written (disk full, read-only; what was
    archived before is kept), 1 any other error (e.g. the archive is unusable).
    """
    from crawler.run import run_crawl

    registry = _registry(sites_dir)
    sites = _rebase(registry, _pick_sites(registry, site_names), base_urls)
    overrides = _setup_logging(quiet, verbose, log_file)
    overrides["WARTA_TOPIC"] = topic
    overrides["WARTA_EXTRACT_WORKERS"] = workers
    if max_pages:
        overrides["CLOSESPIDER_PAGECOUNT"] = max_pages
    if time_budget:
        overrides["CLOSESPIDER_TIMEOUT"] = time_budget
    overrides.update(_scrapy_settings(settings))
    _check_topic(topic)
    _check_threshold(overrides.get("WARTA_NEAR_DUP_THRESHOLD"))
    result = run_crawl(sites, db=db, overrides=overrides,
                       args={"sites": [s.name for s in sites], "topic": topic})
    _print_outcomes(result, quiet)
    sys.exit(result.exit_code)


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="SQLite archive to write.")
@click.option("--since", required=True, help="First day of the range (YYYY-MM-DD, the outlet's local date).")
@click.option("--until", required=True, help="Last day of the range (YYYY-MM-DD).")
@click.option("--site", "site_names", multiple=True, metavar="NAME", help="Only this site (repeatable).")
@click.option("--sites-dir", type=click.Path(path_type=Path), help="Folder of extra site configs (*.toml).")
@click.option("--base-url", "base_urls", multiple=True, metavar="SITE=URL",
              help="Point SITE at another origin, e.g. a local mirror (repeatable).")
@click.option("--topic", default="netralitas-asn", show_default=True,
              help="Topic profile (name or .toml): relevance and the search queries.")
@click.option("--query", "queries", multiple=True, help="Search this instead of the topic's queries (repeatable).")
@click.option("--max-pages", type=click.IntRange(1), default=None,
              help="Page budget per site for this run (listing pages and articles); the next run continues.")
@click.option("--restart", is_flag=True, help="Walk finished ranges again (archived articles are not refetched).")
@click.option("--workers", type=int, default=0, show_default=True, help="Extraction worker processes.")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("--quiet", is_flag=True, help="Only errors (for cron).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's progress log.")
@click.option("--log-file", type=click.Path(), help="Write the full log here.")
@friendly_errors
def backfill(db: str, since: str, until: str, site_names: tuple[str, ...], sites_dir: Path | None,
             base_urls: tuple[str, ...], topic: str, queries: tuple[str, ...], max_pages: int | None, restart: bool,
             workers: int, settings: tuple[str, ...], quiet: bool, verbose: bool, log_file: str | None) -> None:
    """Reach back through each outlet's search, tags, date index and archive sitemaps.

    Uses what each site config declares (search_url, tag_urls, archive_url,
    archive_sitemaps); the topic's queries feed the search. Interrupted walks
    continue where they stopped; finished ones are skipped unless --restart.
    Exit status as for `warta crawl`.

    Example: warta backfill --db archive.db --since 2023-06-01 --until 2024-12-31 --site detik-sumbagsel
    """
    from datetime import date

    from crawler.backfill import topic_queries
    from crawler.run import run_backfill

    _check_dates(since, until)
    if date.fromisoformat(until) < date.fromisoformat(since):
        raise click.BadParameter(f"--until {until} is before --since {since}")
    registry = _registry(sites_dir)
    sites = _rebase(registry, _pick_sites(registry, site_names), base_urls)
    _check_topic(topic)
    query_list = list(queries) or topic_queries(topic)
    usable = []
    for s in sites:
        if not s.backfill_sources:
            if site_names and not quiet:
                click.echo(f"warta: site {s.name}: declares no backfill source "
                           "(search_url, tag_urls, archive_url, archive_sitemaps); skipped", err=True)
        elif s.backfill_sources == ("search",) and not query_list:
            click.echo(f"warta: site {s.name}: only search_url and topic {topic!r} has no queries; skipped", err=True)
        else:
            usable.append(s)
    if not usable:
        raise ConfigError("no selected site declares a usable backfill source (see docs/backfill.md)")
    overrides = _setup_logging(quiet, verbose, log_file)
    overrides["WARTA_TOPIC"] = topic
    overrides["WARTA_EXTRACT_WORKERS"] = workers
    overrides.update(_scrapy_settings(settings))
    spider_args = {"since": since, "until": until, "queries": query_list, "max_pages": max_pages,
                   "restart": restart}
    result = run_backfill(usable, db=db, spider_args=spider_args, overrides=overrides,
                          args={"command": "backfill", "sites": [s.name for s in usable], "topic": topic,
                                "since": since, "until": until, "queries": query_list, "max_pages": max_pages,
                                "restart": restart})
    for o in result.outcomes:
        if o.failed:
            click.echo(f"warta: site {o.site}: {o.reason}", err=True)
        elif not quiet:
            click.echo(_backfill_line(o.site, o.stats))
    if not quiet:
        click.echo(f"run {result.run_id}: {result.status}")
    sys.exit(result.exit_code)


def _backfill_line(site: str, s: dict[str, Any]) -> str:
    stops = " ".join(f"{k.rsplit('/', 1)[1]}={v}" for k, v in sorted(s.items()) if k.startswith("backfill/stop/"))
    return (f"{site}: {s.get('backfill/listing_pages', 0)} listing pages, "
            f"{s.get('backfill/listed', 0)} listed in range, "
            f"{s.get('backfill/articles_requested', 0)} fetched, {s.get('archive/new', 0)} new; "
            f"walks {s.get('backfill/walks_done', 0)} done, {s.get('backfill/skipped_done', 0)} done before, "
            f"{s.get('backfill/walks_not_started', 0)} not started; stops: {stops or '-'}")


def _check_threshold(value: str | None) -> None:
    from crawler.neardup import parse_threshold

    try:
        parse_threshold(value)
    except ValueError as e:
        raise ConfigError(str(e)) from None


def _check_topic(topic: str) -> None:
    from crawler.relevance import TopicProfile

    if topic.endswith(".toml"):
        TopicProfile.load(Path(topic))
    else:
        TopicProfile.bundled(topic)


def _print_outcomes(result: Any, quiet: bool) -> None:
    from crawler.run import summarize

    if result.archive_error:
        # One line, not one per site: every site hit the same full or read-only archive.
        click.echo(f"warta: {result.archive_error}; {result.not_stored} fetched articles were not stored and the "
                   "next run fetches them; nothing archived before was lost", err=True)
    for o in result.outcomes:
        if o.failed and o.stats.get("archive/write_error"):
            continue
        if o.failed:
            click.echo(f"warta: site {o.site}: {o.reason}", err=True)
        elif not quiet:
            s = summarize(o.stats)
            click.echo(
                f"{o.site}: {s['pages']} pages, {s['new']} new, {s['updated']} updated, {s['unchanged']} unchanged "
                f"({s['not_modified']} answered 304), {s['duplicates']} duplicates, "
                f"{s['near_duplicates']} near duplicates, {s['not_articles']} not articles"
            )
    if not quiet:
        click.echo(f"run {result.run_id}: {result.status}")


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="SQLite archive to write.")
@click.option("--serve", is_flag=True, help="Only serve the mirror (Ctrl-C to stop); print its origins.")
@click.option("--workers", type=int, default=0, show_default=True, help="Extraction worker processes.")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's progress log.")
@friendly_errors
def demo(db: str, serve: bool, workers: int, verbose: bool) -> None:
    """Crawl the bundled offline mirror (three outlets, on 127.0.0.1) into an archive.

    Nothing leaves this machine: the mirror is served on loopback and the bundled
    site configs are pointed at it.

    Example: warta demo --db archive.db && warta stats --db archive.db
    """
    from crawler.demo import run_demo, serve_forever

    if serve:
        serve_forever()
        return
    code = run_demo(db, workers=workers, verbose=verbose)
    sys.exit(code)


@main.command()
@click.option("--sites-dir", type=click.Path(path_type=Path), help="Folder of extra site configs (*.toml).")
@click.option("--check", is_flag=True, help="Validate every config; non-zero exit on the first error.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@friendly_errors
def sites(sites_dir: Path | None, check: bool, as_json: bool) -> None:
    """List the configured outlets (bundled plus --sites-dir).

    Example: warta sites --check --sites-dir ./my-sites
    """
    registry = _registry(sites_dir)
    if as_json:
        click.echo(json.dumps([{"name": s.name, "title": s.title, "base_url": s.base_url,
                                "timezone": s.timezone, "checked": s.checked_against_saved_pages,
                                "source": s.source_path} for s in registry.values()], indent=2))
        return
    for s in sorted(registry.values(), key=lambda s: s.name):
        mark = "checked" if s.checked_against_saved_pages else "unchecked"
        click.echo(f"{s.name:<20} {s.timezone:<15} {mark:<9} {s.base_url}")
    if check:
        click.echo(f"{len(registry)} site configs OK")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--url", help="The page's URL (for relative links and URL dates).")
@click.option("--site", "site_name", help="Use this site's config (selectors, time zone).")
@click.option("--sites-dir", type=click.Path(path_type=Path), help="Folder of extra site configs.")
@click.option("--topic", default="netralitas-asn", show_default=True, help="Topic profile for relevance.")
@friendly_errors
def extract(paths: tuple[Path, ...], url: str | None, site_name: str | None, sites_dir: Path | None,
            topic: str) -> None:
    """Extract saved HTML files; print one JSON object per file (JSON Lines).

    Same extraction as the crawler. A file that cannot be read gives a one-line
    error on stderr and exit status 1 after the others are printed.

    Example: warta extract page.html --url https://sumeks.co/read/123/x --site sumeks
    """
    from crawler.process import extract_file

    site = None
    if site_name:
        site = _pick_sites(_registry(sites_dir), (site_name,))[0]
    failed = 0
    for path in paths:
        try:
            record = extract_file(path, url=url, site=site, topic=topic)
        except OSError as e:
            click.echo(f"warta: {path}: {e.strerror or e}", err=True)
            failed += 1
            continue
        click.echo(json.dumps(record, ensure_ascii=False))
    if failed:
        sys.exit(1)


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="Archive to read.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl",
              show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here (and OUT.manifest.json beside it) instead of stdout.")
@click.option("--site", help="Only this site.")
@click.option("--since", help="Published on or after this day (YYYY-MM-DD, the outlet's local day).")
@click.option("--until", help="Published on or before this day (YYYY-MM-DD).")
@click.option("--relevant-only", is_flag=True, help="Only articles labelled relevant.")
@click.option("--run", "run_id", type=int, help="Only articles whose current version this crawl run stored.")
@click.option("--since-run", type=click.IntRange(min=0), metavar="N",
              help="Incremental: only articles new or changed after run N (stored by a later run).")
@click.option("--parquet-compression", type=click.Choice(["snappy", "zstd", "lz4", "none"]), default="snappy",
              show_default=True, help="zstd: about a third smaller, slower to write.")
@click.option("--one-per-cluster", is_flag=True,
              help="Only each duplicate cluster's original (earliest-published copy), so a story syndicated "
                   "to many outlets counts once.")
@click.option("--region", help="Only this province or regency/city (name or Kemendagri code, e.g. Banyuasin, 16.07).")
@friendly_errors
def export(db: str, fmt: str, out: Path | None, site: str | None, since: str | None, until: str | None,
           relevant_only: bool, run_id: int | None, since_run: int | None, parquet_compression: str,
           region: str | None, one_per_cluster: bool) -> None:
    """Stream articles out of the archive as JSON Lines, CSV or Parquet.

    Memory stays flat however large the archive. With --out, a manifest
    OUT.manifest.json is written next to the file (row count, sha256, filters,
    schema and Warta version, the archive's last run id) so the snapshot can be
    cited; the file appears only once complete. Without --out the rows go to
    stdout and no manifest is written.

    Every copy is exported by default, with cluster_id, duplicate_of and similarity;
    --one-per-cluster keeps originals only (filters apply to the originals).

    Example: warta export --db archive.db --format parquet --relevant-only --since 2024-01-01 --out asn.parquet
    """
    from archive import Archive
    from archive.export import export_csv, export_jsonl, export_parquet, export_to_file, manifest_path

    _check_dates(since, until)
    _must_exist(db)
    filters: dict[str, Any] = {"site": site, "since": since, "until": until, "relevant_only": relevant_only,
                               "run_id": run_id, "since_run": since_run, "region": region,
                               "one_per_cluster": one_per_cluster}
    with Archive(db, readonly=True).open() as archive:
        if since_run:
            last = archive.snapshot()["last_run_id"]
            if last is None or since_run > last:
                raise click.ClickException(f"--since-run {since_run}: {db} has no such run "
                                           f"(last run: {last if last is not None else 'none'})")
        if out:
            if out.exists() and out.is_dir():
                raise click.ClickException(f"--out {out} is a folder")
            if sys.stderr.isatty():
                total = archive.count_articles(**filters)
                with click.progressbar(length=total, label=f"exporting to {out}", file=sys.stderr) as bar:
                    manifest = export_to_file(archive, out, fmt, filters, progress=bar.update,
                                              compression=parquet_compression)
            else:
                manifest = export_to_file(archive, out, fmt, filters, compression=parquet_compression)
            click.echo(f"{manifest['rows']} articles written to {out} (manifest: {manifest_path(out)})", err=True)
        elif fmt == "parquet":
            if sys.stdout.isatty():
                raise click.ClickException("Parquet is binary: use --out FILE or redirect stdout")
            export_parquet(archive, sys.stdout.buffer, compression=parquet_compression, **filters)
        else:
            (export_jsonl if fmt == "jsonl" else export_csv)(archive, sys.stdout, **filters)


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="Archive to read.")
@click.option("--site", help="Only clusters with a copy on this site.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one cluster per line.")
@friendly_errors
def duplicates(db: str, site: str | None, as_json: bool) -> None:
    """List duplicate clusters: the original, then every copy with its site, date and
    similarity to the original (estimated Jaccard of word shingles; 1.00 exact).

    Example: warta duplicates --db archive.db --site jejakrekam
    """
    from archive import Archive

    _must_exist(db)
    n = 0
    with Archive(db, readonly=True).open() as archive:
        for c in archive.duplicate_clusters(site=site):
            n += 1
            if as_json:
                click.echo(json.dumps(c, ensure_ascii=False))
                continue
            click.echo(f"cluster {c['cluster_id']}: {c['size']} articles on {len(c['sites'])} site(s), "
                       f"{c['first_published_at'] or '?'} .. {c['last_published_at'] or '?'}")
            for m in c["members"]:
                sim = "original" if m["kind"] == "original" else f"{m['similarity'] or 0:.2f} {m['kind']}"
                click.echo(f"  {sim:<14} {m['published_at'] or '-':<26} {m['site']:<18} {m['canonical_url']}")
                if m["kind"] == "original":
                    click.echo(f"  {'':<14} {m['title']}")
    click.echo(f"{n} cluster(s)", err=True)


def _health(db: str, as_json: bool) -> None:
    from dataclasses import asdict
    from datetime import UTC, datetime

    from archive import Archive
    from crawler.health import RECENT_DAYS, WINDOW_DAYS, judge

    with Archive(db, readonly=True).open() as archive:
        rows = archive.health(datetime.now(UTC).isoformat(), days_recent=RECENT_DAYS, days_window=WINDOW_DAYS)
    report = [judge(r) for r in rows]
    if as_json:
        click.echo(json.dumps([asdict(h) for h in report], indent=2))
    else:
        click.echo(f"{'site':<20} {'/day 7d':>8} {'/day 30d':>9} {'undated 7d':>11} {'undated 30d':>12}  last ok run")
        for h in report:
            click.echo(f"{h.site:<20} {h.per_day_recent:>8.1f} {h.per_day_window:>9.1f} {h.missing_date_recent:>11.0%} "
                       f"{h.missing_date_window:>12.0%}  {h.last_ok_run or '-'}")
            for f in h.flags:
                click.echo(f"  ! {h.site}: {f}")
    if any(h.flags for h in report):
        sys.exit(6)


def _coverage(db: str, site: str | None, since: str | None, until: str | None, as_json: bool) -> None:
    from archive import Archive

    with Archive(db, readonly=True).open() as archive:
        if not archive.db["backfill_listed"].exists():
            raise click.ClickException(f"{db} has no backfill records yet (run `warta backfill` first)")
        rows = archive.coverage(site=site, since=since, until=until)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    gaps = [r for r in rows if r["listed"] > r["archived"]]
    if gaps:
        click.echo(f"{'site':<20} {'day':<10} {'listed':>6} {'archived':>8} {'missing':>7} {'any source':>10}")
    for r in gaps:
        click.echo(f"{r['site']:<20} {r['day'] or 'undated':<10} {r['listed']:>6} {r['archived']:>8} "
                   f"{r['listed'] - r['archived']:>7} {r['archived_any_source']:>10}")
    per_site: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        per_site.setdefault(r["site"], []).append(r)
    for name, rs in per_site.items():
        listed = sum(r["listed"] for r in rs)
        archived = sum(r["archived"] for r in rs)
        gap_days = sum(1 for r in rs if r["listed"] > r["archived"])
        click.echo(f"{name}: {listed} listed on {len(rs)} days, {archived} archived, "
                   f"{listed - archived} missing; {gap_days} days with gaps")
    if not rows:
        click.echo("no listed URLs in this range")


def _find_article(archive: Any, url: str, db: str) -> dict[str, Any]:
    """An archived article by its canonical URL or any URL it was fetched at."""
    from crawler.urls import canonicalize

    row: dict[str, Any] | None = archive.find_by_url(url) or archive.find_by_url(canonicalize(url))
    if row is None:
        raise click.ClickException(f"no article with URL {url} in {db} (see `warta search` or `warta export`)")
    return row


def _must_exist(db: str) -> None:
    if not Path(db).exists():
        raise click.ClickException(f"archive {db} does not exist (run `warta crawl --db {db}` first)")


def _check_dates(*values: str | None) -> None:
    from datetime import date

    for v in values:
        if v is None:
            continue
        try:
            date.fromisoformat(v)
        except ValueError:
            raise click.BadParameter(f"{v!r} is not a date like 2024-02-14") from None


@main.command()
@click.option("--every", required=True, help="How often: 30m, 6h, 1d.")
@click.option("--db", default="archive.db", show_default=True, help="Archive the scheduled crawl writes to.")
@click.option("--install", "do_install", is_flag=True, help="Add (or replace) the line in your crontab.")
@click.argument("crawl_args", nargs=-1, type=click.UNPROCESSED)
@friendly_errors
def schedule(every: str, db: str, do_install: bool, crawl_args: tuple[str, ...]) -> None:
    """Print a crontab line and a systemd timer pair for unattended crawls.

    Anything after -- is passed to `warta crawl` (e.g. -- --site sumeks --workers 2).
    --install is idempotent: it replaces this archive's line instead of adding another.

    Example: warta schedule --every 6h --db /srv/warta/archive.db -- --workers 2
    """
    from crawler.schedule import ScheduleError, crontab_line, install, systemd_units

    path = Path(db).resolve()
    try:
        line = crontab_line(every, path, list(crawl_args))
        service, timer = systemd_units(every, path, list(crawl_args))
        click.echo("# crontab (crontab -e):")
        click.echo(line)
        click.echo("\n# or systemd: ~/.config/systemd/user/warta-crawl.service")
        click.echo(service)
        click.echo("# ~/.config/systemd/user/warta-crawl.timer (then: systemctl --user enable --now warta-crawl.timer)")
        click.echo(timer)
        if do_install:
            install(line, path)
            click.echo(f"installed in your crontab (one line for {path})", err=True)
    except ScheduleError as e:
        raise ConfigError(str(e)) from None


@main.command()
@click.argument("query")
@click.option("--db", default="archive.db", show_default=True, help="Archive to read.")
@click.option("--site", help="Only this site.")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date (YYYY-MM-DD).")
@click.option("--relevant-only", is_flag=True, help="Only articles labelled relevant.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines instead of text.")
@click.option("--region", help="Only this province or regency/city (name or Kemendagri code).")
@friendly_errors
def search(query: str, db: str, site: str | None, since: str | None, until: str | None, relevant_only: bool,
           limit: int, as_json: bool, region: str | None) -> None:
    """Full-text search over titles, texts and the officials named, best matches first.

    QUERY uses SQLite FTS5 syntax: words, "exact phrases", OR, NOT, prefix*;
    `officials:Syopiar` searches only the officials (role and name).

    Example: warta search '"netralitas ASN" camat' --since 2024-01-01 --relevant-only --region Banyuasin
    """
    from archive import Archive

    _check_dates(since, until)
    _must_exist(db)
    with Archive(db, readonly=True).open() as archive:
        hits = archive.search(query, site=site, since=since, until=until, relevant_only=relevant_only, limit=limit,
                              region=region)
    for h in hits:
        if as_json:
            click.echo(json.dumps(h, ensure_ascii=False))
        else:
            click.echo(f"{h['published_at'] or '-':<26} {h['site']:<16} {h['title']}\n    {h['url']}\n"
                       f"    {h['snippet']}")
    if not as_json:
        click.echo(f"{len(hits)} hit(s)", err=True)


@main.command()
@click.argument("url")
@click.option("--db", default="archive.db", show_default=True, help="Archive to read.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--topic", default="netralitas-asn", show_default=True,
              help="Profile to judge articles archived before reasons were stored.")
@friendly_errors
def explain(url: str, db: str, as_json: bool, topic: str) -> None:
    """Why an archived article got its relevance label, its regions and officials.

    Prints the score, the rule that decided the label, each matched term with its
    concept and the sentence it came from, the province and regency/city (dateline
    and mentions) and the officials named. Also available as `warta relevance`.

    Example: warta explain https://sumeks.co/read/123/asn-banyuasin --db archive.db
    """
    from archive import Archive
    from crawler.explain import explanation, render

    _must_exist(db)
    with Archive(db, readonly=True).open() as archive:
        row = _find_article(archive, url, db)
    info = explanation(row, topic)
    click.echo(json.dumps(info, ensure_ascii=False, indent=2) if as_json else render(info))


main.add_command(explain, name="relevance")


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="Archive to update.")
@click.option("--topic", default="netralitas-asn", show_default=True, help="Topic profile name or .toml path.")
@click.option("--site", help="Only this site's articles.")
@friendly_errors
def rescore(db: str, topic: str, site: str | None) -> None:
    """Judge archived articles again: relevance with reasons, regions, officials.

    For archives made before reasons were stored, or after editing the topic
    profile. Text, dates and provenance are not touched. Safe to interrupt: what is
    done is saved in batches, and running it again redoes everything.

    Example: warta rescore --db archive.db --topic my-topic.toml
    """
    from collections import Counter

    from archive import Archive
    from crawler.relevance import annotate

    _must_exist(db)
    _check_topic(topic)
    changed: Counter[str] = Counter()
    with Archive(db).open() as archive:
        ids = archive.article_ids(site=site)
        batch: list[tuple[int, dict[str, Any]]] = []
        with click.progressbar(ids, label="rescoring", file=sys.stderr) as bar:
            for art_id in bar:
                title, text, dateline = archive.annotation_input(art_id)
                batch.append((art_id, annotate(topic, title, text, dateline)))
                changed[batch[-1][1]["relevance_label"]] += 1
                if len(batch) >= 200:
                    archive.set_annotations(batch)
                    batch = []
            archive.set_annotations(batch)
    click.echo(f"{len(ids)} articles rescored: " + ", ".join(f"{k} {v}" for k, v in sorted(changed.items())))


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="Archive to browse.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port (0 picks a free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open a browser on the archive.")
@friendly_errors
def serve(db: str, host: str, port: int, open_browser: bool) -> None:
    """Browse and search the archive in Datasette (read-only), with Warta's table and
    column descriptions, full-text search and facets (site, published day, relevance).

    Needs datasette: pip install 'warta[datasette]'. The same UI comes from plain
    `datasette archive.db` (Warta registers a Datasette plugin), or from
    `datasette archive.db -m metadata.json` after `warta datasette-metadata`.
    Safe during a crawl: Datasette only reads.

    Example: warta serve --db archive.db --port 8001
    """
    import tempfile

    from archive import Archive
    from archive.datasette import metadata_for

    _must_exist(db)
    Archive(db, readonly=True).open().close()  # a clear one-line error for a file that is not an archive
    try:
        from datasette.cli import cli as datasette_cli
    except ImportError:
        raise click.ClickException("warta serve needs datasette: pip install 'warta[datasette]'") from None
    with tempfile.TemporaryDirectory(prefix="warta-serve-") as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata_for(db), ensure_ascii=False), encoding="utf-8")
        args = ["serve", db, "-m", str(meta), "--host", host, "--port", str(port),
                # Facets and searches over a million articles need more than the 200 ms/1 s defaults.
                "--setting", "facet_time_limit_ms", "3000", "--setting", "sql_time_limit_ms", "10000"]
        if open_browser:
            args.append("--open")
        datasette_cli.main(args, prog_name="warta serve", standalone_mode=True)


@main.command("datasette-metadata")
@click.option("--db", default="archive.db", show_default=True, help="Archive the metadata is for.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write here instead of stdout.")
@friendly_errors
def datasette_metadata(db: str, out: Path | None) -> None:
    """Print Datasette metadata for the archive: descriptions, FTS, facets, a search query.

    For running Datasette yourself without Warta's plugin installed
    (datasette archive.db -m metadata.json).

    Example: warta datasette-metadata --db archive.db --out metadata.json
    """
    from archive.datasette import metadata_for

    text = json.dumps(metadata_for(db), indent=2, ensure_ascii=False) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"written {out}; run: datasette {db} -m {out}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="Archive to read.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--health", is_flag=True,
              help="Per site: articles per day (last 7 vs previous 30 days), undated share, last good run; "
                   "exit 6 when a site is flagged.")
@click.option("--coverage", is_flag=True,
              help="Per site and day: URLs the backfill sources listed vs archived; shows the days with gaps.")
@click.option("--site", help="With --coverage: only this site.")
@click.option("--since", help="With --coverage: from this day (YYYY-MM-DD).")
@click.option("--until", help="With --coverage: up to this day (YYYY-MM-DD).")
@friendly_errors
def stats(db: str, as_json: bool, health: bool, coverage: bool, site: str | None, since: str | None,
          until: str | None) -> None:
    """Summarise the archive per site: articles, relevant, duplicates, dates.

    With --health, flag outlets that stopped yielding or whose dates went missing
    (a layout change), with a non-zero exit so cron mail or a monitor notices.

    With --coverage, compare what backfill sources listed per day with what is
    archived; the days where listed > archived are the gaps.

    Example: warta stats --db archive.db --health
    Example: warta stats --coverage --db archive.db --since 2024-01-01 --until 2024-03-31
    """
    from archive import Archive

    _must_exist(db)
    if (site or since or until) and not coverage:
        raise click.UsageError("--site, --since and --until go with --coverage")
    if coverage:
        _check_dates(since, until)
        _coverage(db, site, since, until, as_json)
        return
    if health:
        _health(db, as_json)
        return
    with Archive(db, readonly=True).open() as archive:
        rows = archive.stats()
        totals = archive.counts()
    if as_json:
        click.echo(json.dumps({"sites": rows, "totals": totals}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'site':<20} {'articles':>8} {'relevant':>8} {'dupes':>6} {'dated':>6}  latest")
    for r in rows:
        click.echo(f"{r['site']:<20} {r['articles']:>8} {r['relevant']:>8} {r['duplicates']:>6} "
                   f"{r['with_date']:>6}  {r.get('last_published_at') or '-'}")
    click.echo(" ".join(f"{k}={v}" for k, v in totals.items()))


@main.command()
@click.argument("url")
@click.option("--db", default="archive.db", show_default=True, help="Archive to read.")
@click.option("--context", type=click.IntRange(0, 100), default=2, show_default=True, help="Diff context lines.")
@friendly_errors
def history(url: str, db: str, context: int) -> None:
    """Show every version of an article, each as a text diff against the one before.

    URL is the article's canonical URL or any URL it was fetched at.

    Example: warta history https://sumeks.co/read/312004/harga-beras --db archive.db
    """
    from archive import Archive
    from crawler.history import history_lines

    _must_exist(db)
    with Archive(db, readonly=True).open() as archive:
        art = _find_article(archive, url, db)
        captures = archive.captures_of(art["id"]) if archive.db["captures"].exists() else []
        for line in history_lines(art, archive.versions(art["id"]), archive.run_command, context, captures):
            click.echo(line)


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="Archive to re-extract.")
@click.option("--site", help="Only this site.")
@click.option("--sites-dir", type=click.Path(path_type=Path), help="Folder of extra site configs (*.toml).")
@click.option("--topic", help="Topic profile for relevance [default: the one the last run used].")
@click.option("--workers", type=click.IntRange(0, 256), default=None, help="Worker processes [default: all cores].")
@friendly_errors
def reextract(db: str, site: str | None, sites_dir: Path | None, topic: str | None, workers: int | None) -> None:
    """Run the current extractor over the stored captures again.

    Each article's newest capture goes through extraction, dates and relevance as in a
    crawl; an article whose output changed gets a new version (see `warta history`),
    the others are left as they are. Recorded as a run of its own. Exit status 3 when
    some captures could not be re-extracted (the others are saved).

    Example: warta reextract --db archive.db --site sumeks --workers 2
    """
    from archive import Archive
    from crawler.reextract import default_workers, run_reextract

    _must_exist(db)
    if sites_dir is not None:
        _registry(sites_dir)  # a bad config stops here, before the lock is taken
    with Archive(db, readonly=True).open() as archive:
        total = archive.reextract_count(site)
        topic = topic or archive.last_topic() or "netralitas-asn"
    _check_topic(topic)
    with click.progressbar(length=total, label="re-extracting", file=sys.stderr) as bar:
        result = run_reextract(db, site=site, workers=default_workers() if workers is None else workers,
                               sites_dir=sites_dir, topic=topic, progress=bar.update)
    for err in result.errors[:20]:
        click.echo(f"warta: {err}", err=True)
    if result.unknown_site:
        click.echo(f"warta: {result.unknown_site} articles belong to sites with no config here "
                   "(pass the crawl's --sites-dir); left as they are", err=True)
    click.echo(f"run {result.run_id}: {result.seen} articles re-extracted, {result.changed} changed (new version), "
               f"{result.unchanged} unchanged, {result.not_article} no longer an article (kept), "
               f"{result.failed} failed, {result.unknown_site} of unknown sites")
    if result.failed:
        sys.exit(3)


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="Archive to check.")
@click.option("--deep", is_flag=True, help="Also decompress every capture and verify its sha256.")
@friendly_errors
def check(db: str, deep: bool) -> None:
    """Check the archive: SQLite integrity, full-text index, captures, versions, aliases.

    Prints one line per problem and exits 1 when there is any; prints the counts.

    Example: warta check --db archive.db --deep
    """
    from archive import Archive

    _must_exist(db)
    with Archive(db, readonly=True).open() as archive:
        problems = archive.check(deep=deep)
        counts = archive.table_counts()
        sizes = archive.capture_sizes() if "captures" in counts else None
    for p in problems:
        click.echo(f"problem: {p}")
    line = " ".join(f"{k}={v}" for k, v in counts.items())
    if sizes and sizes["raw_bytes"]:
        line += f" capture_bytes={sizes['raw_bytes']} stored={sizes['stored_bytes']} " \
                f"({sizes['stored_bytes'] / sizes['raw_bytes']:.1%})"
    click.echo(line)
    if problems:
        sys.exit(1)


@main.command("export-warc")
@click.option("--db", default="archive.db", show_default=True, help="Archive to read.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="WARC file to write (.warc.gz).")
@click.option("--site", help="Only this site.")
@click.option("--run", "run_id", type=int, help="Only captures fetched by this crawl run.")
@friendly_errors
def export_warc(db: str, out: Path, site: str | None, run_id: int | None) -> None:
    """Write the stored raw responses as a WARC file (one response record each).

    Example: warta export-warc --db archive.db --site sumeks --out sumeks.warc.gz
    """
    from archive import Archive
    from archive.warc import export_warc as write_warc

    _must_exist(db)
    with Archive(db, readonly=True).open() as archive:
        if not archive.db["captures"].exists():
            raise click.ClickException(f"{db} has no captures (archive from before schema 4)")
        total = archive.capture_sizes()["captures"]
        with open(out, "wb") as fh, click.progressbar(length=total, label="writing WARC", file=sys.stderr) as bar:
            n = write_warc(archive, fh, site=site, run_id=run_id, filename=out.name, progress=bar.update)
    click.echo(f"{n} records written to {out}", err=True)


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="SQLite archive to read.")
@click.option("--last", type=int, default=10, show_default=True, help="How many recent runs to show.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@friendly_errors
def runs(db: str, last: int, as_json: bool) -> None:
    """Show recent crawl runs per site: pages, 304s, new/updated/unchanged/duplicate/gone
    articles, errors by kind and duration.

    Example: warta runs --db archive.db --last 5
    """
    from archive import Archive
    from crawler.run import summarize

    _must_exist(db)
    with Archive(db, readonly=True).open() as archive:
        recent = archive.runs()[-last:] if last > 0 else []
    out = []
    for run in recent:
        stats = json.loads(run["stats"] or "{}")
        sites = {name: summarize(st) for name, st in (stats.get("sites") or {}).items()}
        out.append({"id": run["id"], "started_at": run["started_at"], "finished_at": run["finished_at"],
                    "status": run["status"], "sites": sites, "failed": stats.get("failed", {})})
    if as_json:
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'run':>4} {'status':<11} {'site':<18} {'pages':>5} {'304':>4} {'new':>4} {'upd':>4} "
               f"{'same':>4} {'dup':>4} {'gone':>4} {'secs':>6}  errors")
    for run in out:
        for name, s in run["sites"].items() or {"-": None}.items():
            if s is None:
                click.echo(f"{run['id']:>4} {run['status']:<11} (no site finished)")
                continue
            errs = " ".join(f"{k}={v}" for k, v in s["errors"].items()) or "-"
            click.echo(f"{run['id']:>4} {run['status']:<11} {name:<18} {s['pages']:>5} {s['not_modified']:>4} "
                       f"{s['new']:>4} {s['updated']:>4} {s['unchanged']:>4} {s['duplicates']:>4} {s['gone']:>4} "
                       f"{s['duration_s']:>6}  {errs}")


if __name__ == "__main__":
    main()
