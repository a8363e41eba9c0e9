"""`make bench-dup` (issue 5): near-duplicate clustering, quality and cost.

Quality: a generated corpus (bench/gen_syndication.py, >= 5,000 articles) with
planted syndication at six edit levels and hard negatives (another outlet's own
report of the same event; the same official at another event) is stored, in
shuffled crawl order, through ``Archive.store_article`` (the crawler's own write
path) once per threshold. Pairwise precision and recall over "same cluster" pairs
against the planted stories; target >= 0.97 both at the default threshold.

Cost: for 10k, 100k and 1M archived articles, a fresh archive is grown with filler
articles whose fingerprints are random (inserted through the archive layer in bulk,
band rows in key order, no text: generating and hashing 1M texts would take longer
than the rest of the bench), then 1,000 generated articles are stored one by one
through ``store_article`` and timed (CPU and wall). Each size runs in its own process, so its peak RSS is
its own. Random fillers never share a band with a real article; the false
candidates real text does produce are measured on the quality corpus and
extrapolated (printed as "false candidates per insert at 1M").
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from archive import Archive
from bench.gen_syndication import LEVELS, Doc, generate
from crawler.extract import content_hash
from crawler.neardup import BANDS, DEFAULT_THRESHOLD, NUM_PERM, Signature, signature, similarity

ROOT = Path(__file__).resolve().parent.parent
NEGATIVES = ("same_event", "same_official", "follow_up")
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)


def record(d: Doc, i: int) -> dict[str, Any]:
    return {"url": f"https://{d.site}.example/{d.key}", "canonical_url": f"https://{d.site}.example/{d.key}",
            "site": d.site, "title": f"Berita {d.key}", "text": d.text, "published_at": d.published_at,
            "content_hash": content_hash(d.text), "fetched_at": "2024-12-01T00:00:00+00:00"}


def pairs(labels: dict[str, str], truth: dict[str, str]) -> tuple[int, int, int]:
    """(pairs predicted together, pairs truly together, pairs both) for cluster labels."""
    def c2(n: int) -> int:
        return n * (n - 1) // 2

    cells = Counter((labels[k], truth[k]) for k in labels)
    pred = sum(c2(n) for n in Counter(labels.values()).values())
    true = sum(c2(n) for n in Counter(truth.values()).values())
    both = sum(c2(n) for n in cells.values())
    return pred, true, both


def quality(docs: list[Doc], sigs: dict[str, tuple[Signature, int]], threshold: float, tmp: Path,
            order: list[int]) -> dict[str, Any]:
    db = tmp / f"q{threshold}.db"
    started = time.perf_counter()
    ids: dict[str, int] = {}
    with Archive(db) as a:
        for i in order:
            d = docs[i]
            ids[d.key] = a.store_article(record(d, i), minhash=sigs[d.key], near_threshold=threshold).id
        cluster_of = {r.id: r.cluster_id for r in a.articles()}
        candidates = None
        if threshold == DEFAULT_THRESHOLD:
            candidates = false_candidates(a, docs, sigs, ids)
    seconds = time.perf_counter() - started
    labels = {d.key: str(cluster_of[ids[d.key]]) for d in docs}
    truth = {d.key: d.story for d in docs}
    pred, true, both = pairs(labels, truth)
    out: dict[str, Any] = {"threshold": threshold, "precision": both / pred if pred else 1.0,
                           "recall": both / true if true else 1.0, "pairs_predicted": pred, "pairs_true": true,
                           "pairs_correct": both, "seconds": round(seconds, 2)}
    # Recall per edit level: is each copy in its original's cluster?
    by_key = {d.key: d for d in docs}
    per_level: dict[str, list[bool]] = defaultdict(list)
    wrong: Counter[str] = Counter()
    for d in docs:
        if d.kind.startswith("copy:"):
            per_level[d.kind[5:]].append(labels[d.key] == labels[d.story])
        elif d.kind in NEGATIVES:
            if labels[d.key] == labels[by_key[d.key[:-1]].key]:
                wrong[d.kind] += 1
    out["recall_by_level"] = {lv: round(sum(v) / len(v), 4) for lv, v in sorted(per_level.items())}
    out["hard_negatives_joined"] = {k: wrong.get(k, 0) for k in NEGATIVES}
    if candidates is not None:
        out["candidates"] = candidates
    return out


def false_candidates(a: Archive, docs: list[Doc], sigs: dict[str, tuple[Signature, int]],
                     ids: dict[str, int]) -> dict[str, Any]:
    """LSH candidates that are not copies of the same story, per stored article, on
    the full quality corpus: the work that grows with the archive."""
    story_of = {ids[d.key]: d.story for d in docs}
    sample = docs[::5]
    false = 0
    for d in sample:
        cands = a.near_candidates(sigs[d.key][0], exclude=ids[d.key])
        false += sum(1 for c in cands if story_of.get(c) != d.story)
    per_insert = false / len(sample)
    per_archived = per_insert / len(docs)
    return {"archive_size": len(docs), "false_per_insert": round(per_insert, 4),
            "false_per_insert_at_1m": round(per_archived * 1_000_000, 1)}


def scale_run(size: int, inserts: int, tmp: Path) -> dict[str, Any]:
    """In a process of its own: grow an archive to ``size`` with filler fingerprints,
    then time ``inserts`` real articles through store_article."""
    db = tmp / f"scale{size}.db"
    rng = np.random.default_rng(size)
    started = time.perf_counter()
    with Archive(db) as a:
        chunk = 5_000
        for start in range(1, size + 1, chunk):
            n = min(chunk, size + 1 - start)
            blobs = rng.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint32)
            a.bulk_fill_fingerprints(((start + j, blobs[j].astype("<u4").tobytes(), 300) for j in range(n)), ())
        # Random band hashes of random filler articles, generated in key order slice by
        # slice of the int64 range so the b-tree is appended to, not shuffled: filling
        # 1M articles' 64M rows at random places would take half an hour.
        total = size * BANDS
        slices = max(1, total // 200_000)
        step = (2**64) // slices
        for k in range(slices):
            lo = -(2**63) + k * step
            m = total // slices + (1 if k < total % slices else 0)
            vals = np.sort(rng.integers(0, step, size=m, dtype=np.uint64)).astype(object) + lo
            ids = rng.integers(1, size + 1, size=m)
            a.bulk_fill_fingerprints((), zip(vals.tolist(), ids.tolist(), strict=True))
        fill_s = time.perf_counter() - started
        gc.collect()
        rss_after_fill = _rss_mib("VmRSS")
        _reset_peak_rss()
        docs = generate(n_stories=inserts // 3, n_background=inserts, seed=size)[:inserts]
        random.Random(size).shuffle(docs)
        recs = [(record(d, i), signature(d.text)) for i, d in enumerate(docs)]
        times = []
        cpu = []
        links: Counter[str] = Counter()
        for r, sig in recs:
            t0, c0 = time.perf_counter(), time.process_time()
            s = a.store_article(r, minhash=sig)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            links[s.link or "none"] += 1
    insert_peak = _rss_mib("VmHWM")
    db_mib = sum(p.stat().st_size for p in tmp.glob(f"scale{size}.db*")) / 2**20
    for p in tmp.glob(f"scale{size}.db*"):
        p.unlink()
    return {"archived": size, "inserted": len(times), "fill_seconds": round(fill_s, 1),
            # CPU time (user + system, page-cache reads included) is the comparable
            # figure on a shared machine; wall time moves with the neighbours' load.
            "cpu_ms_per_insert_mean": round(1000 * statistics.fmean(cpu), 3),
            "cpu_ms_per_insert_median": round(1000 * statistics.median(cpu), 3),
            "ms_per_insert_mean": round(1000 * statistics.fmean(times), 3),
            "ms_per_insert_median": round(1000 * statistics.median(times), 3),
            "ms_per_insert_p95": round(1000 * sorted(times)[int(len(times) * 0.95)], 3),
            "links": dict(links), "db_mib": round(db_mib, 1), "rss_after_fill_mib": rss_after_fill,
            "peak_rss_inserting_mib": insert_peak,
            "peak_rss_whole_process_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _rss_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _reset_peak_rss() -> None:
    # Linux: "5" resets VmHWM, so the peak after this is the insert phase's own.
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stories", type=int, default=1000, help="planted stories in the quality corpus")
    ap.add_argument("--background", type=int, default=2000, help="unrelated articles in the quality corpus")
    ap.add_argument("--sizes", default="10000,100000,1000000", help="archive sizes for the cost runs")
    ap.add_argument("--inserts", type=int, default=1000, help="articles timed at each size")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "near_dup.json"))
    ap.add_argument("--part", choices=("all", "quality", "real", "scale"), default="all",
                    help="run one part and update its keys in --out")
    ap.add_argument("--scale-one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.scale_one:
        with tempfile.TemporaryDirectory(prefix="warta-dup-") as tmp:
            print(json.dumps(scale_run(args.scale_one, args.inserts, Path(tmp))))
        return

    out = Path(args.out)
    result: dict[str, Any] = json.loads(out.read_text()) if out.exists() and args.part != "all" else {}
    result["default_threshold"] = DEFAULT_THRESHOLD
    if args.part in ("all", "quality"):
        result.update(run_quality(args.stories, args.background))
        out.write_text(json.dumps(result, indent=2) + "\n")
    if args.part in ("all", "real"):
        result["real_text"] = real_text()
        out.write_text(json.dumps(result, indent=2) + "\n")
    if args.part in ("all", "scale"):
        result.update(run_scale([int(x) for x in args.sizes.split(",") if x], args.inserts))
        out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {out}")


def run_quality(stories: int, background: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    docs = generate(stories, background)
    kinds = Counter(d.kind.split(":")[0] for d in docs)
    print(f"quality corpus: {len(docs)} articles ({dict(kinds)}), edit levels {', '.join(LEVELS)}")
    sigs = {d.key: signature(d.text) for d in docs}
    sig_ms = (time.perf_counter() - t0) / len(docs) * 1000
    order = list(range(len(docs)))
    random.Random(7).shuffle(order)
    curve = []
    with tempfile.TemporaryDirectory(prefix="warta-dup-") as tmp:
        print(f"{'threshold':>9} {'precision':>9} {'recall':>7}  recall by edit level")
        for t in THRESHOLDS:
            q = quality(docs, sigs, t, Path(tmp), order)
            curve.append(q)
            mark = "  <- default" if t == DEFAULT_THRESHOLD else ""
            lv = " ".join(f"{k}={v:.2f}" for k, v in q["recall_by_level"].items())
            print(f"{t:>9.2f} {q['precision']:>9.4f} {q['recall']:>7.4f}  {lv}  "
                  f"hard negatives joined: {sum(q['hard_negatives_joined'].values())}{mark}", flush=True)
    default = next(q for q in curve if q["threshold"] == DEFAULT_THRESHOLD)
    cands = default["candidates"]
    print(f"default threshold {DEFAULT_THRESHOLD}: precision {default['precision']:.4f}, "
          f"recall {default['recall']:.4f} (target >= 0.97 both); false LSH candidates per insert "
          f"{cands['false_per_insert']} at {cands['archive_size']} articles, ~{cands['false_per_insert_at_1m']} "
          f"extrapolated to 1M")
    return {
        "corpus": {"articles": len(docs), "kinds": dict(kinds), "levels": list(LEVELS),
                   "signature_ms_per_article": round(sig_ms, 3)},
        "at_default": {k: default[k] for k in ("precision", "recall", "recall_by_level", "hard_negatives_joined",
                                               "candidates")},
        "curve": curve,
        "quality_seconds": round(time.perf_counter() - t0, 1),
    }


def real_text() -> dict[str, Any]:
    """Estimated similarity between the real seed articles (../shared/seeds, when
    present): different articles, seeds 000 and 001 the same official at two events."""
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    if not seeds:
        print("real text: ../shared/seeds not found, skipped")
        return {"seeds": None}
    sigs = [signature(p.read_text("utf-8"))[0] for p in seeds]
    pairs_ = {f"{a.name[:3]}-{b.name[:3]}": similarity(sigs[i], sigs[j])
              for i, a in enumerate(seeds) for j, b in enumerate(seeds) if i < j}
    top = max(pairs_.values())
    print(f"real text: {len(seeds)} seed articles, highest pairwise similarity {top:.3f}; "
          f"seeds 000/001 {pairs_.get('000-001', float('nan')):.3f} (threshold {DEFAULT_THRESHOLD})")
    return {"seeds": len(seeds), "max_pairwise_similarity": top, "pairs": pairs_}


def run_scale(sizes: list[int], inserts: int) -> dict[str, Any]:
    scale = []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for size in sizes:
        proc = subprocess.run([sys.executable, "-m", "bench.near_dup", "--scale-one", str(size),
                               "--inserts", str(inserts)], capture_output=True, text=True, env=env, cwd=ROOT)
        if proc.returncode != 0:
            sys.exit(f"bench: scale run {size} failed: {proc.stderr[-2000:]}")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        scale.append(r)
        print(f"archived {size:>9,}: CPU {r['cpu_ms_per_insert_mean']:.3f} ms/insert mean "
              f"(median {r['cpu_ms_per_insert_median']:.3f}); wall {r['ms_per_insert_mean']:.3f} mean, "
              f"{r['ms_per_insert_median']:.3f} median, {r['ms_per_insert_p95']:.3f} p95; "
              f"peak RSS while inserting {r['peak_rss_inserting_mib']} MiB (whole process "
              f"{r['peak_rss_whole_process_mib']}), archive {r['db_mib']} MiB, fill {r['fill_seconds']} s", flush=True)
    out: dict[str, Any] = {"scale": scale}
    if len(scale) > 1:
        first, last = scale[0], scale[-1]
        out["cost_ratio_cpu_mean"] = round(last["cpu_ms_per_insert_mean"] / first["cpu_ms_per_insert_mean"], 3)
        out["cost_ratio_cpu_median"] = round(last["cpu_ms_per_insert_median"] / first["cpu_ms_per_insert_median"], 3)
        out["cost_ratio_wall_mean"] = round(last["ms_per_insert_mean"] / first["ms_per_insert_mean"], 3)
        print(f"cost per insert, {last['archived']:,} vs {first['archived']:,} archived: CPU "
              f"{out['cost_ratio_cpu_mean']:.2f}x mean, {out['cost_ratio_cpu_median']:.2f}x median, wall "
              f"{out['cost_ratio_wall_mean']:.2f}x mean (target <= 2x); peak RSS while inserting "
              f"{', '.join(str(r['peak_rss_inserting_mib']) for r in scale)} MiB")
    return out

if __name__ == "__main__":
    main()
