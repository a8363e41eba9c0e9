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
        from archive import ArchiveError
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
        except ArchiveError as e:
            raise click.ClickException(str(e)) from None
        except LockHeld as e:
            raise LockedError(f"{e}; not starting a second one") from None
        except OSError as e:
            raise click.ClickException(f"{e.filename or ''}: {e.strerror or e}".lstrip(": ")) from None

    return wrapper  # type: ignore[return-value]


class ConfigError(click.ClickException):
    exit_code = 2


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
    1 any other error (e.g. the archive is unusable).
    """
    from crawler.run import run_crawl

    registry = _registry(sites_dir)
    sites = _pick_sites(registry, site_names)
    for spec in base_urls:
        name, sep, url = spec.partition("=")
        if not sep or name not in registry:
            raise ConfigError(f"--base-url {spec!r}: expected SITE=URL with a known SITE")
        sites = [s.rebased(url) if s.name == name else s for s in sites]
    overrides = _setup_logging(quiet, verbose, log_file)
    overrides["WARTA_TOPIC"] = topic
    overrides["WARTA_EXTRACT_WORKERS"] = workers
    if max_pages:
        overrides["CLOSESPIDER_PAGECOUNT"] = max_pages
    if time_budget:
        overrides["CLOSESPIDER_TIMEOUT"] = time_budget
    for spec in settings:
        k, sep, v = spec.partition("=")
        if not sep:
            raise ConfigError(f"-s {spec!r}: expected NAME=VALUE")
        overrides[k] = v
    _check_topic(topic)
    _check_threshold(overrides.get("WARTA_NEAR_DUP_THRESHOLD"))
    result = run_crawl(sites, db=db, overrides=overrides,
                       args={"sites": [s.name for s in sites], "topic": topic})
    _print_outcomes(result, quiet)
    sys.exit(result.exit_code)


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
    for o in result.outcomes:
        if o.failed:
            click.echo(f"warta: site {o.site}: {o.reason}", err=True)
        elif not quiet:
            s = o.stats
            click.echo(
                f"{o.site}: {s.get('downloader/response_count', 0)} pages, "
                f"{s.get('archive/new', 0)} new, {s.get('archive/updated', 0)} updated, "
                f"{s.get('archive/unchanged', 0) + s.get('archive/not_modified', 0)} unchanged "
                f"({s.get('conditional/not_modified', 0)} answered 304), {s.get('dedup/content', 0)} duplicates, "
                f"{s.get('dedup/near', 0)} near duplicates, "
                f"{s.get('extract/not_article', 0)} not articles"
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
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@click.option("--site", help="Only this site.")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date (YYYY-MM-DD).")
@click.option("--relevant-only", is_flag=True, help="Only articles labelled relevant.")
@click.option("--run", "run_id", type=int, help="Only articles stored by this crawl run.")
@click.option("--one-per-cluster", is_flag=True,
              help="Only each duplicate cluster's original (earliest-published copy), so a story syndicated "
                   "to many outlets counts once.")
@friendly_errors
def export(db: str, fmt: str, out: Path | None, site: str | None, since: str | None, until: str | None,
           relevant_only: bool, run_id: int | None, one_per_cluster: bool) -> None:
    """Stream articles out of the archive as JSON Lines or CSV.

    Every copy is exported by default, with cluster_id, duplicate_of and similarity;
    --one-per-cluster keeps originals only (filters apply to the originals).

    Example: warta export --db archive.db --format csv --relevant-only --one-per-cluster --out asn.csv
    """
    from archive import Archive
    from archive.export import export_csv, export_jsonl

    _check_dates(since, until)
    _must_exist(db)
    with Archive(db, readonly=True).open() as archive:
        writer = export_jsonl if fmt == "jsonl" else export_csv
        filters = {"site": site, "since": since, "until": until, "relevant_only": relevant_only,
                   "run_id": run_id, "one_per_cluster": one_per_cluster}
        if out:
            with open(out, "w", encoding="utf-8", newline="") as fh:
                n = writer(archive, fh, **filters)
            click.echo(f"{n} articles written to {out}", err=True)
        else:
            writer(archive, sys.stdout, **filters)


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
@friendly_errors
def search(query: str, db: str, site: str | None, since: str | None, until: str | None, relevant_only: bool,
           limit: int, as_json: bool) -> None:
    """Full-text search over titles and texts, best matches first.

    QUERY uses SQLite FTS5 syntax: words, "exact phrases", OR, NOT, prefix*.

    Example: warta search '"netralitas ASN" camat' --since 2024-01-01 --relevant-only
    """
    from archive import Archive

    _check_dates(since, until)
    _must_exist(db)
    with Archive(db, readonly=True).open() as archive:
        hits = archive.search(query, site=site, since=since, until=until, relevant_only=relevant_only, limit=limit)
    for h in hits:
        if as_json:
            click.echo(json.dumps(h, ensure_ascii=False))
        else:
            click.echo(f"{h['published_at'] or '-':<26} {h['site']:<16} {h['title']}\n    {h['url']}\n"
                       f"    {h['snippet']}")
    if not as_json:
        click.echo(f"{len(hits)} hit(s)", err=True)


@main.command()
@click.option("--db", default="archive.db", show_default=True, help="Archive to read.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--health", is_flag=True,
              help="Per site: articles per day (last 7 vs previous 30 days), undated share, last good run; "
                   "exit 6 when a site is flagged.")
@friendly_errors
def stats(db: str, as_json: bool, health: bool) -> None:
    """Summarise the archive per site: articles, relevant, duplicates, dates.

    With --health, flag outlets that stopped yielding or whose dates went missing
    (a layout change), with a non-zero exit so cron mail or a monitor notices.

    Example: warta stats --db archive.db --health
    """
    from archive import Archive

    _must_exist(db)
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


if __name__ == "__main__":
    main()
