"""`warta demo`: the main job, end to end, on the bundled offline mirror."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import click

from archive import Archive
from crawler.mirror_server import MirrorServer
from crawler.run import run_crawl
from crawler.sites import SiteConfig, load_registry

logger = logging.getLogger(__name__)


def demo_sites(origins: dict[str, str]) -> list[SiteConfig]:
    """The bundled configs of the mirrored outlets, pointed at the mirror. The delay
    goes to zero because the only server here is our own."""
    registry = load_registry()
    missing = [name for name in origins if name not in registry]
    if missing:
        raise click.ClickException(f"mirror site(s) without a bundled config: {', '.join(missing)}")
    return [replace(registry[name].rebased(origin), download_delay=0.0, concurrency=4)
            for name, origin in sorted(origins.items())]


def run_demo(db: str, *, workers: int = 0, verbose: bool = False) -> int:
    with MirrorServer() as mirror:
        sites = demo_sites(mirror.origins)
        for s in sites:
            click.echo(f"mirror: {s.name:<16} {s.base_url}")
        started = time.monotonic()
        result = run_crawl(
            sites,
            db=db,
            overrides={"LOG_LEVEL": "INFO" if verbose else "WARNING", "AUTOTHROTTLE_ENABLED": False,
                       "WARTA_EXTRACT_WORKERS": workers},
            args={"demo": True},
        )
        elapsed = time.monotonic() - started
    with Archive(db, readonly=True).open() as archive:
        rows = {r["site"]: r for r in archive.stats()}
    click.echo(f"\nDemo crawl finished in {elapsed:.1f}s -> {db} (run {result.run_id}, {result.status})")
    click.echo(f"{'site':<18} {'pages':>6} {'articles':>8} {'relevant':>8} {'dupes':>6} {'errors':>6}")
    for o in result.outcomes:
        r = rows.get(o.site, {})
        errors = sum(int(v) for k, v in o.stats.items()
                     if k.startswith("downloader/response_status_count/4")
                     or k.startswith("downloader/response_status_count/5")
                     or k.startswith("downloader/exception_count"))
        click.echo(f"{o.site:<18} {o.stats.get('downloader/response_count', 0):>6} "
                   f"{r.get('articles', 0):>8} {r.get('relevant', 0):>8} {r.get('duplicates', 0):>6} {errors:>6}")
    click.echo(f"\nNext: warta stats --db {db} | warta export --db {db} --relevant-only")
    return result.exit_code


def serve_forever() -> None:
    with MirrorServer() as mirror:
        for name, origin in mirror.origins.items():
            click.echo(f"{name:<16} {origin}")
        click.echo("serving on 127.0.0.1; Ctrl-C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
