"""`make eval` (relevance section): the topic profile, region tagging and officials
against the labelled set written for them (tests/data/relevance_set.jsonl: invented
articles, relevant, borderline and off-topic with hard negatives, each with its label,
expected province and regency/city, and the officials it names).

Targets (issue 7): precision and recall of "relevant" >= 0.95 each; every relevant
article scores above every off-topic one; region accuracy (province and regency/city
both right) >= 0.95. Officials and the three-way confusion are reported, not targeted.

When ../shared/corpus is present its real article pages are run through the same chain
and only counts are printed (there is no gold for them, and their text stays out of the
repo).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.relevance import annotate

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "data" / "relevance_set.jsonl"
# Written after the rules were frozen; reported, not a gate (16 articles).
HELDOUT = ROOT / "tests" / "data" / "relevance_heldout.jsonl"
SHARED = ROOT.parent / "shared" / "corpus" / "indonesian"
TARGET = 0.95
LABELS = ("relevant", "borderline", "not_relevant")


@dataclass
class Report:
    n: int = 0
    precision: float = 0.0
    recall: float = 0.0
    min_relevant: float = 0.0
    max_off_topic: float = 0.0
    region_accuracy: float = 0.0
    province_accuracy: float = 0.0
    officials_precision: float = 0.0
    officials_recall: float = 0.0
    ms_per_article: float = 0.0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def separated(self) -> bool:
        return self.min_relevant > self.max_off_topic

    @property
    def ok(self) -> bool:
        return (self.precision >= TARGET and self.recall >= TARGET and self.separated
                and self.region_accuracy >= TARGET)


def load_set(path: Path = SET) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def evaluate(rows: list[dict[str, Any]], topic: str = "netralitas-asn") -> Report:
    rep = Report(n=len(rows), confusion={g: {p: 0 for p in LABELS} for g in LABELS})
    tp = fp = fn = 0
    rel_scores: list[float] = []
    off_scores: list[float] = []
    region_ok = province_ok = 0
    off_tp = off_found = off_gold = 0
    started = time.perf_counter()
    results = [annotate(topic, r["title"], r["text"], r.get("dateline", "")) for r in rows]
    rep.ms_per_article = round((time.perf_counter() - started) * 1000 / max(1, len(rows)), 2)
    for r, got in zip(rows, results, strict=True):
        gold, pred = r["label"], got["relevance_label"]
        rep.confusion[gold][pred] += 1
        tp += gold == "relevant" and pred == "relevant"
        fp += gold != "relevant" and pred == "relevant"
        fn += gold == "relevant" and pred != "relevant"
        if gold == "relevant":
            rel_scores.append(got["relevance_score"])
        elif gold == "not_relevant":
            off_scores.append(got["relevance_score"])
        if (gold == "relevant") != (pred == "relevant"):
            rep.errors.append(f"{r['id']}: label {gold}, got {pred} ({got['relevance_score']}): "
                              f"{got['relevance_why'].get('rule')}")
        if got["province_code"] == r["province_code"]:
            province_ok += 1
            if got["regency_code"] == r["regency_code"]:
                region_ok += 1
        if got["province_code"] != r["province_code"] or got["regency_code"] != r["regency_code"]:
            rep.errors.append(f"{r['id']}: region {r['province_code']}/{r['regency_code']}, "
                              f"got {got['province_code']}/{got['regency_code']}")
        gold_off = {(o["role"], o["name"]) for o in r.get("officials", [])}
        got_off = {(o["role"], o["name"]) for o in got["officials"]}
        off_tp += len(gold_off & got_off)
        off_found += len(got_off)
        off_gold += len(gold_off)
        for o in sorted(got_off - gold_off):
            rep.errors.append(f"{r['id']}: official not in gold: {o[0]}: {o[1]}")
        for o in sorted(gold_off - got_off):
            rep.errors.append(f"{r['id']}: official missed: {o[0]}: {o[1]}")
    rep.precision = round(tp / (tp + fp), 3) if tp + fp else 0.0
    rep.recall = round(tp / (tp + fn), 3) if tp + fn else 0.0
    rep.min_relevant = min(rel_scores, default=0.0)
    rep.max_off_topic = max(off_scores, default=0.0)
    rep.region_accuracy = round(region_ok / max(1, len(rows)), 3)
    rep.province_accuracy = round(province_ok / max(1, len(rows)), 3)
    rep.officials_precision = round(off_tp / off_found, 3) if off_found else 1.0
    rep.officials_recall = round(off_tp / off_gold, 3) if off_gold else 1.0
    return rep


def shared_counts(topic: str) -> dict[str, Any] | None:
    """Counts only, on the real pages of ../shared/corpus (no gold; nothing copied)."""
    if not SHARED.is_dir():
        return None
    from crawler.extract import extract_article

    labels: Counter[str] = Counter()
    with_region = officials = pages = 0
    for path in sorted(SHARED.rglob("*.html")):
        art = extract_article(path.read_bytes(), "https://example.invalid/" + path.name, None)
        if not art.is_article or not art.text:
            continue
        got = annotate(topic, art.title, art.text, art.dateline)
        pages += 1
        labels[got["relevance_label"]] += 1
        with_region += bool(got["province_code"])
        officials += len(got["officials"])
    return {"articles": pages, "labels": dict(labels), "with_region": with_region, "officials": officials}


def _print(title: str, rows: list[dict[str, Any]], rep: Report, verbose: bool) -> None:
    counts = Counter(r["label"] for r in rows)
    print(f"{title}: {rep.n} articles ({', '.join(f'{k} {counts[k]}' for k in LABELS)})")
    print(f"  relevant: precision {rep.precision:.3f}  recall {rep.recall:.3f}  (target >= {TARGET})")
    print(f"  lowest relevant score {rep.min_relevant:.3f} > highest off-topic {rep.max_off_topic:.3f}: "
          f"{'yes' if rep.separated else 'NO'}")
    print(f"  region (province and regency/city) accuracy {rep.region_accuracy:.3f}  "
          f"(province alone {rep.province_accuracy:.3f}; target >= {TARGET})")
    print(f"  officials: precision {rep.officials_precision:.3f}  recall {rep.officials_recall:.3f}")
    print("  confusion (gold -> predicted): " + "; ".join(
        f"{g}: " + " ".join(f"{p[:4]}={rep.confusion[g][p]}" for p in LABELS) for g in LABELS))
    print(f"  {rep.ms_per_article} ms per article (score + regions + officials)")
    for e in rep.errors if verbose else rep.errors[:10]:
        print("   - " + e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--set", default=str(SET), help="labelled JSON Lines (the gate)")
    ap.add_argument("--heldout", default=str(HELDOUT), help="labelled JSON Lines reported beside it")
    ap.add_argument("--topic", default="netralitas-asn")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "eval_relevance.json"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = ap.parse_args()
    rows = load_set(Path(args.set))
    rep = evaluate(rows, args.topic)
    _print("relevance set", rows, rep, args.verbose)
    held: Report | None = None
    if args.heldout and Path(args.heldout).is_file():
        held_rows = load_set(Path(args.heldout))
        held = evaluate(held_rows, args.topic)
        _print("held-out set (written after the rules were frozen; not a gate)", held_rows, held, args.verbose)
    shared = shared_counts(args.topic)
    if shared is None:
        print("../shared/corpus not present: real-page counts skipped")
    else:
        print(f"real pages (../shared/corpus, no gold): {shared}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = dict(rep.__dict__)
    result.update(separated=rep.separated, ok=rep.ok, shared_corpus=shared,
                  heldout={**held.__dict__, "separated": held.separated} if held else None)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    if not rep.ok:
        sys.exit("eval_relevance: below target")


if __name__ == "__main__":
    main()
