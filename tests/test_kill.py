"""kill -9 in the middle of a crawl: the archive stays consistent and the next run
fetches what the killed one had not stored."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.gen_mirror import generate
from crawler.mirror_server import MirrorServer
from tests.conftest import ROOT, run_warta

N = 120


def test_kill_9_mid_crawl_then_resume(tmp_path: Path) -> None:
    generate(tmp_path / "mirror", N)
    db = tmp_path / "a.db"
    with MirrorServer(tmp_path / "mirror") as srv:
        args = ["crawl", "--db", str(db), "--sites-dir", str(ROOT / "bench" / "sites"), "--site", "benchsite",
                "--base-url", f"benchsite={srv.origins['benchsite']}", "-s", "AUTOTHROTTLE_ENABLED=False",
                "-s", "WARTA_DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
        proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stored = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and stored < 15:
            time.sleep(0.2)
            if db.exists():
                try:
                    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                    stored = con.execute("select count(*) from articles").fetchone()[0]
                    con.close()
                except sqlite3.Error:
                    pass
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        con = sqlite3.connect(db)
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        killed_count = con.execute("select count(*) from articles").fetchone()[0]
        assert 15 <= killed_count < N
        # Every stored article is whole: text, title and hash together.
        assert con.execute("select count(*) from articles where text = '' or title = '' or content_hash = ''"
                           ).fetchone()[0] == 0
        # ... and has the capture it was extracted from, written in the same transaction.
        assert con.execute("select count(*) from articles a join captures c on c.id = a.capture_id "
                           "and c.article_id = a.id and c.status = 200").fetchone()[0] == killed_count
        con.close()
        check = run_warta("check", "--db", str(db))
        assert check.code == 0, check.stdout
        res = run_warta(*args[:-4], "-s", "WARTA_DOWNLOAD_DELAY=0")
        assert res.code == 0, res.stderr
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("select count(*), count(distinct canonical_url) from articles").fetchone() == (N, N)
    runs = con.execute("select status from crawl_runs order by id").fetchall()
    assert [r[0] for r in runs] == ["interrupted", "ok"]  # the killed run says so
