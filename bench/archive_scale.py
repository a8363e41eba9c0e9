"""The archive at scale: a synthetic archive of N articles (default 1,000,000) with
realistic lengths, built through the archive layer, then measured.

Reports insert rate (``Archive.insert_articles``, FTS triggers included), DB bytes
per article, FTS query latency (p50/p95, LIMIT 20 ranked, through
``Archive.search``), export rate to JSON Lines and Parquet through the real
``warta export`` CLI, and the export's peak RSS at N/10 and N articles (flat memory
means the two are close). Targets: FTS p95 < 100 ms and Parquet >= 50,000
articles/s at 1M.

The text is generated here from an invented Indonesian-like vocabulary (syllables
and affixes, Zipf-distributed), with election terms at plausible rates.

    python -m bench.archive_scale --n 20000          # while developing
    python -m bench.archive_scale                    # 1M (several GB under /tmp)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from archive import Archive

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "archive_scale.json"

ONSETS = ["b", "c", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "w", "y", "ng", "ny", "kh", "sy"]
VOWELS = ["a", "a", "a", "i", "i", "u", "u", "e", "o"]
CODAS = ["", "", "", "n", "ng", "r", "t", "k", "s", "l", "h", "m"]
PREFIXES = ["", "", "", "me", "mem", "men", "meng", "ber", "di", "ter", "pe", "pen", "peng", "ke", "se"]
SUFFIXES = ["", "", "", "", "an", "kan", "nya", "i", "lah"]
FUNCTION_WORDS = ["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "pada", "ini", "itu", "dalam", "tidak",
                  "akan", "juga", "oleh", "karena", "sudah", "bahwa", "para", "agar", "atau", "saat", "kata"]
# Election vocabulary: a topical article draws some of its sentences from these.
TOPIC_SENTENCES = [
    "Bawaslu kabupaten meminta seluruh aparatur sipil negara menjaga netralitas ASN selama tahapan Pilkada",
    "Ketua Bawaslu menyebut dugaan pelanggaran netralitas ASN masih dikaji bersama Gakkumdu",
    "camat dan kepala desa dilarang hadir dalam kegiatan kampanye pasangan calon",
    "Pj Bupati mengingatkan ASN agar tidak mengunggah dukungan kepada calon di media sosial",
    "laporan warga tentang keterlibatan pegawai dalam kampanye diteruskan ke KASN",
    "Panwaslu kecamatan menemukan spanduk calon terpasang di kantor pemerintahan",
    "sanksi disiplin menanti pegawai yang terbukti berpolitik praktis menjelang pemungutan suara",
    "KPU daerah menetapkan daftar pemilih tetap untuk Pemilu dan Pilkada serentak",
]
SITES = [("detik-sumbagsel", 7), ("sumeks", 7), ("jejakrekam", 8), ("tribun-kaltim", 8), ("antara-papua", 9),
         ("kompas-regional", 7), ("radar-banjarmasin", 8), ("palpres", 7), ("lampost", 7), ("kaltimpost", 8),
         ("cenderawasih-pos", 9), ("bangkapos", 7)]


class Corpus:
    """Sentences from a Zipf-distributed invented vocabulary, made once; articles are
    drawn from them (fast enough to generate a million articles)."""

    def __init__(self, seed: int = 7, vocab_size: int = 40_000, sentences: int = 60_000) -> None:
        rnd = random.Random(seed)
        words: set[str] = set()
        while len(words) < vocab_size:
            stem = "".join(rnd.choice(ONSETS) + rnd.choice(VOWELS) + rnd.choice(CODAS)
                           for _ in range(rnd.choice((1, 2, 2, 2, 3))))
            words.add(rnd.choice(PREFIXES) + stem + rnd.choice(SUFFIXES))
        vocab = FUNCTION_WORDS + sorted(words)
        weights = [1 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
        cum: list[float] = []
        total = 0.0
        for w in weights:
            total += w
            cum.append(total)
        self.vocab = vocab
        self.rnd = rnd
        self.sentences = []
        for _ in range(sentences):
            n = rnd.randint(7, 20)
            s = " ".join(rnd.choices(vocab, cum_weights=cum, k=n))
            self.sentences.append(s[0].upper() + s[1:] + ".")
        self.topic = [s + "." for s in TOPIC_SENTENCES]
        self.names = [w.capitalize() for w in rnd.sample(sorted(words), 400)]

    def article(self, i: int, start: datetime, run_id: int) -> dict[str, Any]:
        rnd = self.rnd
        topical = rnd.random() < 0.04
        target = rnd.randint(300, 600)
        paras: list[str] = []
        words = 0
        while words < target:
            para = []
            for _ in range(rnd.randint(2, 5)):
                s = rnd.choice(self.topic) if topical and rnd.random() < 0.15 else rnd.choice(self.sentences)
                para.append(s)
                words += s.count(" ") + 1
            paras.append(" ".join(para))
        text = "\n".join(paras)
        site, offset = SITES[i % len(SITES)]
        when = start + timedelta(seconds=rnd.randint(0, 540 * 86400))
        tz = f"+{offset:02d}:00"
        local = when + timedelta(hours=offset)
        roll = rnd.random()
        published = (None if roll < 0.02 else local.date().isoformat() if roll < 0.05
                     else local.strftime("%Y-%m-%dT%H:%M:%S") + tz)
        title = " ".join(rnd.choice(self.sentences).split()[:rnd.randint(6, 12)]).rstrip(".")
        if topical:
            title = rnd.choice(["Bawaslu", "Netralitas ASN:", "Pilkada:"]) + " " + title
        url = f"https://{site}.example/berita/{i}/{'-'.join(title.lower().split()[:6])}"
        return {
            "url": url, "canonical_url": url, "site": site, "title": title,
            "authors": [rnd.choice(self.names) + " " + rnd.choice(self.names)],
            "editors": [rnd.choice(self.names)] if rnd.random() < 0.5 else [],
            "editor_initials": [], "published_at": published, "modified_at": None,
            "date_source": "jsonld" if published else None, "date_note": None if published else "no date found",
            "fetched_at": (when + timedelta(hours=2)).astimezone(UTC).isoformat(timespec="seconds"),
            "text": text, "word_count": words, "language": "id", "section": rnd.choice(["Politik", "Daerah", "Hukum"]),
            "tags": rnd.sample(["pemilu", "pilkada", "asn", "bawaslu", "daerah", "ekonomi"], 2),
            "image": None, "dateline": rnd.choice(self.names).upper(), "captions": [],
            "relevance_score": 0.8 if topical else round(rnd.random() * 0.3, 3),
            "relevance_label": "relevant" if topical else "not_relevant",
            "matched_terms": [{"term": "netralitas", "concept": "neutrality", "where": "text",
                               "sentence": TOPIC_SENTENCES[0]}] if topical else [],
            "content_hash": hashlib.sha256(text.encode()).hexdigest(), "duplicate_of": None,
            "http_status": 200, "discovered_via": "sitemap", "run_id": run_id,
        }


QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("netralitas ASN", {}),
    ('"netralitas ASN"', {}),
    ("Bawaslu", {}),
    ("Bawaslu AND kampanye", {}),
    ("camat kampanye", {}),
    ("pemilu OR pilkada", {}),
    ("netralitas", {"site": "sumeks", "since": "2024-01-01"}),
    ("Bawaslu", {"relevant_only": True}),
]


def build(db: Path, n: int, batch: int) -> dict[str, Any]:
    corpus = Corpus()
    runs = 10
    per_run = max(1, n // runs)
    start = datetime(2023, 7, 1, tzinfo=UTC)
    insert_seconds = 0.0
    made = 0
    with Archive(db) as archive:
        run_ids = [archive.start_run(sites=[s for s, _ in SITES], args={"bench": "archive_scale"})
                   for _ in range(runs)]
        while made < n:
            size = min(batch, n - made)
            rows = [corpus.article(made + k, start, run_ids[min((made + k) // per_run, runs - 1)])
                    for k in range(size)]
            t = time.perf_counter()
            inserted = archive.insert_articles(rows)
            insert_seconds += time.perf_counter() - t
            assert inserted == size, (inserted, size)
            made += size
            if made % (batch * 20) == 0 or made == n:
                print(f"  inserted {made:,} ({made / insert_seconds:,.0f}/s in the archive layer)", flush=True)
        for rid in run_ids:
            archive.finish_run(rid, stats={}, status="ok")
        archive.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size_bytes = db.stat().st_size
    return {"insert_seconds": round(insert_seconds, 1), "insert_rate_per_s": round(n / insert_seconds),
            "db_bytes": size_bytes, "db_bytes_per_article": round(size_bytes / n), "runs": runs,
            "articles_per_run": per_run}


def fts(db: Path, repeat: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    every: list[float] = []
    with Archive(db, readonly=True) as archive:
        for q, filters in QUERIES:
            times = []
            hits = 0
            for _ in range(repeat):
                t = time.perf_counter()
                hits = len(archive.search(q, limit=20, **filters))
                times.append((time.perf_counter() - t) * 1000)
            matches = archive.db.conn.execute(
                "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", (q,)).fetchone()[0]
            key = q + (" " + json.dumps(filters) if filters else "")
            out[key] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(_p95(times), 1),
                        "hits_returned": hits, "matching_articles": matches}
            every += times
            print(f"  {key!r}: p50 {out[key]['p50_ms']} ms, p95 {out[key]['p95_ms']} ms, {matches:,} matching")
    return {"queries": out, "all_p50_ms": round(statistics.median(every), 1), "all_p95_ms": round(_p95(every), 1)}


def _p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def export(db: Path, fmt: str, out: Path, extra: list[str]) -> dict[str, Any]:
    """The real CLI in a child process: wall time and that process's peak RSS."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c",
           "import resource, sys\n"
           "from crawler.cli import main\n"
           "try:\n    main(sys.argv[1:], standalone_mode=False)\n"
           "finally:\n"
           "    print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n",
           "export", "--db", str(db), "--format", fmt, "--out", str(out), *extra]
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"export failed: {proc.stderr[-2000:]}")
    rss_kib = int(proc.stderr.rsplit("MAXRSS", 1)[1].split()[0])
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text())
    res = {"rows": manifest["rows"], "seconds": round(wall, 2), "rate_per_s": round(manifest["rows"] / wall),
           "bytes": manifest["bytes"], "peak_rss_mib": round(rss_kib / 1024, 1)}
    out.unlink()
    out.with_name(out.name + ".manifest.json").unlink()
    print(f"  {fmt} {' '.join(extra) or 'all'}: {res}", flush=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000, help="articles to generate")
    ap.add_argument("--db", type=Path, help="where to build it (default /tmp/warta-scale-N.db, deleted after)")
    ap.add_argument("--keep", action="store_true", help="keep the archive afterwards")
    ap.add_argument("--reuse", action="store_true", help="measure an existing --db without rebuilding")
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=40, help="runs of each FTS query")
    args = ap.parse_args()
    db: Path = args.db or Path(f"/tmp/warta-scale-{args.n}.db")
    result: dict[str, Any] = {"n": args.n, "date": datetime.now(UTC).isoformat(timespec="seconds"),
                              "machine": f"{platform.machine()} {os.cpu_count()} cpu, "
                                         f"python {platform.python_version()}"}
    try:
        if not args.reuse:
            for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                p.unlink(missing_ok=True)
            print(f"building {args.n:,} articles in {db}", flush=True)
            result["insert"] = build(db, args.n, args.batch)
            result["insert"]["loadavg_after"] = os.getloadavg()
        else:
            # Measuring an archive built by an earlier run: keep that run's build figures.
            earlier = json.loads(RESULTS.read_text()).get(str(args.n), {}) if RESULTS.exists() else {}
            if "insert" in earlier:
                result["insert"] = {**earlier["insert"], "measured_at": earlier.get("date")}
        # The machine is shared: the load says how much the figures below are inflated.
        result["loadavg_before_queries"] = os.getloadavg()
        print("FTS queries (LIMIT 20, ranked)", flush=True)
        result["fts"] = fts(db, args.repeat)
        result["loadavg_before_exports"] = os.getloadavg()
        print("exports", flush=True)
        tmp = db.with_name(db.stem + "-export")
        result["export"] = {
            "jsonl_all": export(db, "jsonl", tmp.with_suffix(".jsonl"), []),
            "parquet_all": export(db, "parquet", tmp.with_suffix(".parquet"), []),
            # one run of ten: N/10 articles, to compare peak memory against N
            "jsonl_tenth": export(db, "jsonl", tmp.with_suffix(".jsonl"), ["--run", "1"]),
            "parquet_tenth": export(db, "parquet", tmp.with_suffix(".parquet"), ["--run", "1"]),
        }
        result["loadavg_after_exports"] = os.getloadavg()
        e = result["export"]
        result["summary"] = {
            "insert_rate_per_s": result.get("insert", {}).get("insert_rate_per_s"),
            "db_bytes_per_article": result.get("insert", {}).get("db_bytes_per_article"),
            "fts_p95_ms_worst_query": max(q["p95_ms"] for q in result["fts"]["queries"].values()),
            "fts_p95_ms_all": result["fts"]["all_p95_ms"],
            "jsonl_rate_per_s": e["jsonl_all"]["rate_per_s"],
            "parquet_rate_per_s": e["parquet_all"]["rate_per_s"],
            "peak_rss_mib_tenth_vs_all": {"jsonl": [e["jsonl_tenth"]["peak_rss_mib"], e["jsonl_all"]["peak_rss_mib"]],
                                          "parquet": [e["parquet_tenth"]["peak_rss_mib"],
                                                      e["parquet_all"]["peak_rss_mib"]]},
            "targets": {"fts_p95_under_100ms": result["fts"]["all_p95_ms"] < 100,
                        "parquet_at_least_50k_per_s": e["parquet_all"]["rate_per_s"] >= 50_000},
        }
        print(json.dumps(result["summary"], indent=2))
    finally:
        if not args.keep:
            for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                p.unlink(missing_ok=True)
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    saved[str(args.n)] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
    print(f"-> {RESULTS}")


if __name__ == "__main__":
    main()
