"""Shared fixtures: loopback servers and a runner for the real `warta` CLI.

Crawls run in a subprocess because Twisted's reactor cannot be restarted inside
one pytest process; that is also how an operator runs Warta.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.mirror_server import MirrorServer

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_warta(*args: str, cwd: Path | None = None, timeout: float = 300, env: dict[str, str] | None = None
              ) -> CliResult:
    env = {**os.environ, **(env or {})}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=cwd or ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def mirror_crawl_args(db: Path, mirror: MirrorServer) -> list[str]:
    """`warta crawl` of every site of the bundled mirror into ``db``, without delays."""
    args = ["crawl", "--db", str(db), "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "WARTA_DOWNLOAD_DELAY=0"]
    for name, origin in mirror.origins.items():
        args += ["--site", name, "--base-url", f"{name}={origin}"]
    return args


@pytest.fixture(scope="session")
def mirror() -> Iterator[MirrorServer]:
    with MirrorServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def mirror_expected() -> dict:
    return json.loads((DATA / "mirror_expected.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def crawled_mirror(mirror: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CliResult]:
    """One real crawl of the whole mirror, shared by the end-to-end assertions."""
    db = tmp_path_factory.mktemp("e2e") / "archive.db"
    res = run_warta(*mirror_crawl_args(db, mirror))
    return db, res


def rows(db: Path, sql: str, params: tuple = ()) -> list[dict]:
    # Tests read the archive directly to check what the archive layer wrote.
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()
