"""A full disk or a read-only archive: a clear one-line error, a distinct exit code,
and nothing already archived is lost; the next healthy run fetches what was missed."""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.gen_mirror import generate
from crawler.mirror_server import MirrorServer
from tests.conftest import ROOT, run_warta

EXIT_ARCHIVE_WRITE = 7


@pytest.fixture(scope="module")
def benchsite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MirrorServer]:
    root = tmp_path_factory.mktemp("mirror")
    generate(root, 60)
    with MirrorServer(root) as srv:
        yield srv


def crawl_args(db: Path, srv: MirrorServer, *extra: str) -> list[str]:
    return ["crawl", "--db", str(db), "--sites-dir", str(ROOT / "bench" / "sites"), "--site", "benchsite",
            "--base-url", f"benchsite={srv.origins['benchsite']}", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "WARTA_DOWNLOAD_DELAY=0", *extra]


def snapshot(db: Path) -> dict[str, tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        return {url: (h, t) for url, h, t in con.execute("select canonical_url, content_hash, title from articles")}
    finally:
        con.close()


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert "File \"" not in stderr


def test_disk_full_mid_crawl(benchsite: MirrorServer, tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    assert run_warta(*crawl_args(reference, benchsite)).code == 0
    everything = snapshot(reference)

    db = tmp_path / "a.db"
    first = run_warta(*crawl_args(db, benchsite, "--max-pages", "15"))
    assert first.code == 0, first.stderr
    before = snapshot(db)
    assert 0 < len(before) < len(everything)

    # The archive's files may grow by 8 KiB and no more: SQLite's next page writes fail
    # as they do on a full disk. (Python ignores SIGXFSZ, so the write returns an error.)
    limit = db.stat().st_size + 8192

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run([sys.executable, "-m", "crawler.cli", *crawl_args(db, benchsite)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=300, preexec_fn=cap)
    assert proc.returncode == EXIT_ARCHIVE_WRITE, proc.stderr
    no_traceback(proc.stderr)
    summary = [line for line in proc.stderr.splitlines() if line.startswith("warta:")]
    assert len(summary) == 1, proc.stderr  # one line, not one per site or per article
    assert "cannot write to archive" in summary[0] and "nothing archived before was lost" in summary[0]

    after = snapshot(db)
    assert {u: after[u] for u in before} == before  # nothing archived before changed or went missing
    assert len(after) < len(everything)

    healed = run_warta(*crawl_args(db, benchsite))
    assert healed.code == 0, healed.stderr
    final = snapshot(db)
    assert final == everything  # every article the failed run missed is fetched, none twice


def make_read_only(path: Path) -> Callable[[], None]:
    """Root ignores permission bits, so as root use the immutable attribute."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return lambda: path.chmod(0o644)
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.fail("running as root without chattr: cannot make a read-only file for this test")
    subprocess.run([chattr, "+i", str(path)], check=True)
    return lambda: subprocess.run([chattr, "-i", str(path)], check=True) and None


def test_read_only_archive(benchsite: MirrorServer, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run_warta(*crawl_args(db, benchsite, "--max-pages", "10")).code == 0
    before = snapshot(db)
    undo = make_read_only(db)
    try:
        with pytest.raises(PermissionError):
            open(db, "r+b").close()  # the test really made it read-only
        res = run_warta(*crawl_args(db, benchsite))
        assert res.code == EXIT_ARCHIVE_WRITE, res.stderr
        no_traceback(res.stderr)
        errors = [line for line in res.stderr.splitlines() if line.strip()]
        assert len(errors) == 1 and "read-only" in errors[0], res.stderr
        # Researchers can still read a read-only archive.
        export = run_warta("export", "--db", str(db), "--format", "jsonl")
        assert export.code == 0, export.stderr
        assert len(export.stdout.splitlines()) == len(before)
    finally:
        undo()
    assert snapshot(db) == before
