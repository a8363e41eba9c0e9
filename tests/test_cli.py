"""The real CLI: help, sites, bad input, extract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.cli import main as cli_main
from tests.conftest import DATA, run_warta

COMMANDS = sorted(cli_main.commands)  # type: ignore[attr-defined]


def test_help_lists_commands() -> None:
    res = run_warta("--help")
    assert res.code == 0
    assert {"crawl", "demo", "sites", "extract", "export", "stats", "search", "schedule", "runs", "explain",
            "relevance", "rescore", "serve", "datasette-metadata"} <= set(COMMANDS)
    for cmd in COMMANDS:
        assert cmd in res.stdout


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_command_has_an_example(cmd: str) -> None:
    res = run_warta(cmd, "--help")
    assert res.code == 0 and "Example:" in res.stdout


def test_sites_lists_bundled_configs() -> None:
    res = run_warta("sites", "--check")
    assert res.code == 0, res.stderr
    for name in ("detik-sumbagsel", "sumeks", "jejakrekam"):
        assert name in res.stdout
    assert "site configs OK" in res.stdout


def test_user_config_overrides_bundled(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text(
        'name = "sumeks"\ntitle = "Sumeks mirror"\nbase_url = "http://127.0.0.1:9/"\n'
        'start_urls = ["/rss"]\ntimezone = "Asia/Jakarta"\n')
    res = run_warta("sites", "--json", "--sites-dir", str(tmp_path))
    sites = {s["name"]: s for s in json.loads(res.stdout)}
    assert sites["sumeks"]["title"] == "Sumeks mirror"
    assert sites["detik-sumbagsel"]["base_url"].startswith("https://www.detik.com")


@pytest.mark.parametrize("body,key", [
    ('name = "x"\nbase_url = "http://127.0.0.1:9/"\nstart_urls = ["/"]\ntimezone = "Asia/Jakarta"\ncolour = 1\n',
     "colour"),
    ('name = "x"\nbase_url = "http://127.0.0.1:9/"\nstart_urls = ["/"]\ntimezone = "WITA"\n', "timezone"),
    ('name = "x"\nbase_url = "http://127.0.0.1:9/"\ntimezone = "Asia/Jakarta"\n', "start_urls"),
    ('name = "x"\nbase_url = "http://127.0.0.1:9/"\nstart_urls = ["/"]\ntimezone = "Asia/Jakarta"\n'
     'article_url_pattern = "(unclosed"\n', "article_url_pattern"),
    ("name = [\n", "not valid TOML"),
])
def test_bad_config_one_line_error(tmp_path: Path, body: str, key: str) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(body)
    for args in (("sites", "--check", "--sites-dir", str(tmp_path)),
                 ("crawl", "--db", str(tmp_path / "a.db"), "--sites-dir", str(tmp_path), "--site", "x")):
        res = run_warta(*args)
        assert res.code == 2, res.stderr
        err = res.stderr.strip()
        assert "Traceback" not in err
        assert len(err.splitlines()) == 1
        assert str(cfg) in err and key in err
    assert not (tmp_path / "a.db").exists()


def test_unknown_site(tmp_path: Path) -> None:
    res = run_warta("crawl", "--db", str(tmp_path / "a.db"), "--site", "nope")
    assert res.code == 2 and "unknown site 'nope'" in res.stderr


def test_missing_sites_dir(tmp_path: Path) -> None:
    res = run_warta("sites", "--sites-dir", str(tmp_path / "nowhere"))
    assert res.code == 2 and "does not exist" in res.stderr


def test_export_missing_archive(tmp_path: Path) -> None:
    res = run_warta("export", "--db", str(tmp_path / "none.db"))
    assert res.code == 1 and "does not exist" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "none.db").exists()


def test_stats_on_garbage_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 50)
    before = bad.read_bytes()
    res = run_warta("stats", "--db", str(bad))
    assert res.code == 1 and "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert bad.read_bytes() == before


def test_crawl_into_garbage_file_refuses(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 50)
    before = bad.read_bytes()
    res = run_warta("crawl", "--db", str(bad), "--site", "sumeks", "--base-url", "sumeks=http://127.0.0.1:9")
    assert res.code == 1 and "Traceback" not in res.stderr
    assert bad.read_bytes() == before


def test_export_bad_date(tmp_path: Path) -> None:
    res = run_warta("export", "--db", str(tmp_path / "x.db"), "--since", "14/02/2024")
    assert res.code == 2 and "not a date" in res.stderr


def test_extract_prints_json_lines() -> None:
    page = DATA / "pages" / "tribun-like.html"
    res = run_warta("extract", str(page), str(DATA / "pages" / "antara-like.html"),
                    "--url", "https://sumsel.tribunnews.com/2024/10/07/camat-dipanggil-bawaslu")
    assert res.code == 0, res.stderr
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(lines) == 2
    rec = lines[0]
    assert rec["path"] == str(page)
    assert rec["title"] == "Camat di Ogan Ilir Dipanggil Bawaslu Usai Foto Bersama Paslon"
    assert rec["authors"] == ["Sri Hidayatun"]
    assert rec["published_at"].startswith("2024-10-07T15:20")
    for field in ("url", "canonical_url", "site", "published_at", "modified_at", "fetched_at", "text",
                  "word_count", "language", "tags", "section", "relevance_score", "matched_terms",
                  "content_hash"):
        assert field in rec


def test_extract_missing_file(tmp_path: Path) -> None:
    res = run_warta("extract", str(DATA / "pages" / "tribun-like.html"), str(tmp_path / "missing.html"))
    assert res.code == 1
    assert len(res.stdout.splitlines()) == 1
    assert "missing.html" in res.stderr and "Traceback" not in res.stderr


def test_second_crawl_on_same_archive_is_refused(tmp_path: Path) -> None:
    import fcntl
    import os
    import signal
    import subprocess
    import sys

    db = tmp_path / "a.db"
    fd = os.open(f"{db}.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, b"pid 4242 since test\n")
    try:
        res = run_warta("crawl", "--db", str(db), "--site", "sumeks", "--base-url", "sumeks=http://127.0.0.1:9")
        assert res.code == 5
        assert "locked by a running crawl (pid 4242" in res.stderr and "Traceback" not in res.stderr
        assert not db.exists()
    finally:
        os.close(fd)
    # A lock whose holder was killed -9 is recovered: flock dies with its process.
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl,os,time,sys; fd=os.open(sys.argv[1], os.O_RDWR|os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)"), f"{db}.lock"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    res = run_warta("crawl", "--db", str(db), "--site", "sumeks", "--base-url", "sumeks=http://127.0.0.1:9",
                    "-s", "RETRY_TIMES=0", "-s", "WARTA_DOWNLOAD_DELAY=0")
    assert res.code == 4, res.stderr  # it ran (and found nothing listening), it was not refused
