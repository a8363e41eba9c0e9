"""`make eval`: Warta's extraction against bare trafilatura, side by side.

Sources: (1) the project's own mirror pages with the gold written with them,
(2) ../shared/corpus/indonesian/ and (3) the scrapinghub article-extraction
benchmark, when ../shared is present (it is not on a user's machine; say so).

Text metric, as in the scrapinghub benchmark: per document, precision and recall
over 4-word shingles of \\w+ tokens counted as multisets, averaged over documents;
F1 from the two averages. Also: boilerplate-marker leaks, dates (to the minute with
offset, and to the day) and authors, where the gold or bench/corpus_labels.json has them.

The corpus gold is other scrapers' expected output. bench/gold_problems.json lists,
one line each, where it is wrong ("error": a "Baca juga" block, a caption repeated five
times) or follows another convention than Warta's documented one ("convention": the
dateline or editor initials left in the text). F1 is printed raw, with the errors
corrected, and with both corrected; the cases are printed with their reasons.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import trafilatura
from lxml import html as lxml_html

from crawler.extract import extract_article
from crawler.sites import load_registry

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MARKERS = ["baca juga", "scroll to continue", "advertisement", "hide ads", "cek berita dan artikel",
           "simak video", "lihat juga", "[gambas", "artikel ini telah tayang", "dapatkan update",
           "dilarang keras mengambil"]
JAKARTA = ZoneInfo("Asia/Jakarta")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = re.findall(r"\w+", text.lower())
    return Counter(tuple(toks[i : i + n]) for i in range(max(0, len(toks) - n + 1)))


def prf(pred: str, gold: str) -> tuple[float, float]:
    p, g = shingles(pred), shingles(gold)
    if not g:
        return (1.0 if not p else 0.0, 1.0)
    if not p:
        return (0.0, 0.0)
    tp = sum((p & g).values())
    return tp / sum(p.values()), tp / sum(g.values())


@dataclass
class Doc:
    name: str
    html: bytes
    url: str
    gold_text: str
    gold_date: str | None = None  # ISO with offset, minute precision
    gold_authors: list[str] | None = None
    site: Any = None
    date_has_time: bool = True
    notes: list[str] = field(default_factory=list)
    gold_authors_hash: str | None = None  # sha256 prefix of "; ".join(sorted(lower-case names))
    # gold text with the listed problems corrected: kind -> text ("error", "all")
    corrected: dict[str, str] = field(default_factory=dict)


@dataclass
class Score:
    n: int = 0
    p: float = 0.0
    r: float = 0.0
    leaks: int = 0
    dates_minute: int = 0
    dates_day: int = 0
    dates_n: int = 0
    authors_ok: int = 0
    authors_n: int = 0
    seconds: float = 0.0
    # per-document (precision, recall) against the corrected golds
    fixed: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    pages: list[tuple[str, float, float]] = field(default_factory=list)

    def f1(self) -> float:
        return _f1(self.p / max(self.n, 1), self.r / max(self.n, 1))

    def f1_fixed(self, kind: str) -> float:
        rows = self.fixed.get(kind, [])
        if not rows:
            return self.f1()
        return _f1(sum(p for p, _ in rows) / len(rows), sum(r for _, r in rows) / len(rows))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def authors_hash(names: list[str]) -> str:
    return hashlib.sha256("; ".join(sorted(n.lower() for n in names)).encode()).hexdigest()[:16]


def leaks(text: str) -> int:
    low = text.lower()
    return sum(1 for m in MARKERS if m in low)


Extractor = Callable[[Doc], tuple[str, str | None, list[str] | None]]


def run(docs: list[Doc], fns: list[Extractor]) -> list[Score]:
    """Score each extractor; page by page in turn, so a busy minute on a shared machine
    falls on all of them alike. Times are CPU time, not wall time, for the same reason."""
    scores = [Score() for _ in fns]
    for fn in fns if docs else []:
        fn(docs[0])  # imports and first-call set-up are not per-page cost
    for d in docs:
        for fn, s in zip(fns, scores, strict=True):
            t0 = time.process_time()
            text, date, authors = fn(d)
            s.seconds += time.process_time() - t0
            _score(s, d, text, date, authors)
    return scores


def _score(s: Score, d: Doc, text: str, date: str | None, authors: list[str] | None) -> None:
    p, r = prf(text, d.gold_text)
    s.n += 1
    s.p += p
    s.r += r
    s.pages.append((d.name, p, r))
    for kind in ("error", "all"):
        s.fixed.setdefault(kind, []).append(prf(text, d.corrected.get(kind, d.gold_text)))
    s.leaks += leaks(text)
    if d.gold_date:
        s.dates_n += 1
        if date and date[:10] == d.gold_date[:10]:
            s.dates_day += 1
        if date and d.date_has_time and _same_minute(date, d.gold_date):
            s.dates_minute += 1
    if d.gold_authors is not None:
        s.authors_n += 1
        if authors is not None and {a.lower() for a in authors} == {a.lower() for a in d.gold_authors}:
            s.authors_ok += 1
    elif d.gold_authors_hash is not None:
        s.authors_n += 1
        if authors is not None and authors_hash(authors) == d.gold_authors_hash:
            s.authors_ok += 1


def _same_minute(a: str, b: str) -> bool:
    try:
        da, db = datetime.fromisoformat(a), datetime.fromisoformat(b)
    except ValueError:
        return False
    return da.utcoffset() == db.utcoffset() and da.replace(second=0) == db.replace(second=0)


def warta(d: Doc) -> tuple[str, str | None, list[str] | None]:
    a = extract_article(d.html, d.url, d.site, fetched_at=datetime(2026, 1, 1, tzinfo=UTC))
    return a.text, a.published_at, a.authors


def bare(d: Doc) -> tuple[str, str | None, list[str] | None]:
    doc: Any = trafilatura.bare_extraction(d.html.decode("utf-8", "replace"), url=d.url, with_metadata=True)
    if doc is None:
        return "", None, None
    author = getattr(doc, "author", None)
    return getattr(doc, "text", "") or "", getattr(doc, "date", None), (
        [a.strip() for a in author.split(";")] if author else [])


# -- sources ---------------------------------------------------------------
def mirror_docs() -> list[Doc]:
    from crawler.mirror._articles import DETIK, JEJAK, SUMEKS
    from crawler.mirror._build import HERE, detik_path, jejak_path, sumeks_path

    reg = load_registry()
    docs: list[Doc] = []
    for site, arts, path_fn in (("detik-sumbagsel", DETIK, detik_path), ("sumeks", SUMEKS, sumeks_path),
                                ("jejakrekam", JEJAK, jejak_path)):
        for a in arts:
            path = path_fn(a)
            rel = path.strip("/")
            f = HERE / site / (rel + "/index.html" if path.endswith("/") else rel + ".html")
            html = f.read_text("utf-8").replace("{{BASE}}", "http://mirror.invalid")
            gold = "\n".join(a["paras"] + [f"\u2012 {x}" for x in a.get("list", [])])
            author = str(a.get("author") or a.get("reporter") or "")
            authors = [] if author.startswith("Tim ") else [author]
            docs.append(Doc(f"{site}{path}", html.encode(a.get("encoding", "utf-8"), "xmlcharrefreplace"),
                            "http://mirror.invalid" + path, gold, a["published_at"], authors, reg[site]))
    return docs


LABELS = ROOT / "bench" / "corpus_labels.json"
GOLD_PROBLEMS = ROOT / "bench" / "gold_problems.json"


def _corpus_raw(root: Path) -> Iterator[Doc]:
    gold = json.loads((root / "anpandu_2015-2017" / "gold_from_tests.json").read_text())
    for name, g in gold.items():
        if "content" not in g:
            continue
        f = root / "anpandu_2015-2017" / name
        date = datetime.fromtimestamp(int(g["date"]) / 1000, UTC).astimezone(JAKARTA).isoformat()
        yield Doc(f"anpandu/{name}", f.read_bytes(), g["url"], g["content"], date, None)
    for exp in sorted((root / "slasherrb_2015").glob("*_expectation.txt")):
        html = exp.with_name(exp.name.replace("_expectation.txt", ".html"))
        text = exp.read_text("utf-8", "replace")
        yield Doc(f"slasherrb/{html.name}", html.read_bytes(), f"https://{html.stem}.example/read/1/x", text)
    dg = json.loads((root / "detik" / "gold_tisorlawan_1.json").read_text())
    for name, g in dg.items():
        pub = datetime.strptime(g["published"], "%Y/%m/%d %H:%M:%S %z").isoformat()
        yield Doc(f"detik/{name}", (root / "detik" / name).read_bytes(), g["url"], "\n".join(g["paragraphs"]), pub,
                  [g["author"]] if g.get("author") else None)


def corpus_docs(root: Path) -> Iterator[Doc]:
    """The corpus pages with their gold, the hand labels (authors, and dates where the old
    gold has none: read off the visible byline) and the gold corrections."""
    labels: dict[str, dict[str, Any]] = json.loads(LABELS.read_text()) if LABELS.exists() else {}
    problems: list[dict[str, Any]] = json.loads(GOLD_PROBLEMS.read_text()) if GOLD_PROBLEMS.exists() else []
    for doc in _corpus_raw(root):
        lab = labels.get(doc.name, {})
        if doc.gold_date is None and lab.get("published"):
            doc.gold_date = lab["published"]
        if doc.gold_authors is None and "authors_sha256" in lab:
            doc.gold_authors_hash = lab["authors_sha256"]
        mine = [p for p in problems if p["doc"] == doc.name]
        for p in mine:
            doc.notes.append(f"[{p['kind']}] {p['reason']}")
        if mine:
            doc.corrected = {"error": correct_gold(doc, [p for p in mine if p["kind"] == "error"]),
                             "all": correct_gold(doc, mine)}
        yield doc


def correct_gold(doc: Doc, problems: list[dict[str, Any]]) -> str:
    """The gold with the listed spans dropped (word indices over its \\w+ tokens, the
    shingles' own tokens) or replaced by the page's own elements (an XPath)."""
    toks = re.findall(r"\w+", doc.gold_text.lower())
    extra: list[str] = []
    drop: set[int] = set()
    for p in problems:
        if p.get("gold_words") != len(toks):
            raise SystemExit(f"gold_problems.json: {doc.name} gold has {len(toks)} words, listed for "
                             f"{p.get('gold_words')}: the corpus changed, check the list")
        if "drop_gold_words" in p:
            a, b = p["drop_gold_words"]
            drop.update(range(a, b))
        for key in ("gold_from_xpath", "add_from_xpath"):
            if key in p:
                tree = lxml_html.document_fromstring(doc.html)
                texts = [re.sub(r"\s+", " ", e.text_content()).strip() for e in tree.xpath(p[key])]
                if key == "gold_from_xpath":
                    drop.update(range(len(toks)))
                extra += [t for t in texts if t]
    return "\n".join([" ".join(t for i, t in enumerate(toks) if i not in drop), *extra])


def scrapinghub_docs(root: Path) -> Iterator[Doc]:
    gt = json.loads((root / "ground-truth.json").read_text())
    for key, g in sorted(gt.items()):
        f = root / "html" / f"{key}.html.gz"
        if f.exists():
            yield Doc(f"scrapinghub/{key}", gzip.decompress(f.read_bytes()), g.get("url", "https://example.com/"),
                      g.get("articleBody", ""))


def report(title: str, docs: list[Doc], *, pages: bool = False) -> dict[str, Any]:
    w, b = run(docs, [warta, bare])
    print(f"\n## {title} ({len(docs)} pages)")
    print(f"{'':24}{'precision':>10}{'recall':>8}{'F1':>7}{'leaks':>7}{'date min':>10}{'date day':>10}"
          f"{'authors':>9}{'cpu ms/page':>12}")
    out: dict[str, Any] = {}
    for label, s in (("warta", w), ("bare trafilatura", b)):
        dm = f"{s.dates_minute}/{s.dates_n}" if s.dates_n else "-"
        dd = f"{s.dates_day}/{s.dates_n}" if s.dates_n else "-"
        au = f"{s.authors_ok}/{s.authors_n}" if s.authors_n else "-"
        print(f"{label:24}{s.p / max(s.n, 1):>10.3f}{s.r / max(s.n, 1):>8.3f}{s.f1():>7.3f}{s.leaks:>7}"
              f"{dm:>10}{dd:>10}{au:>9}{1000 * s.seconds / max(s.n, 1):>12.1f}")
        out[label] = {"precision": round(s.p / max(s.n, 1), 4), "recall": round(s.r / max(s.n, 1), 4),
                      "f1": round(s.f1(), 4), "leaks": s.leaks, "dates_minute": s.dates_minute,
                      "dates_day": s.dates_day, "dates_n": s.dates_n, "authors_ok": s.authors_ok,
                      "authors_n": s.authors_n, "ms_per_page": round(1000 * s.seconds / max(s.n, 1), 2)}
    if b.seconds:
        print(f"extraction time, warta / bare trafilatura: {w.seconds / b.seconds:.2f} (target <= 1.2)")
        out["time_ratio"] = round(w.seconds / b.seconds, 3)
    notes = [(d.name, n) for d in docs for n in d.notes]
    if notes:
        print(f"F1 with the gold corrected ({GOLD_PROBLEMS.relative_to(ROOT)}):")
        print(f"{'':24}{'raw':>7}{'errors':>8}{'errors+conventions':>20}")
        for label, s in (("warta", w), ("bare trafilatura", b)):
            print(f"{label:24}{s.f1():>7.3f}{s.f1_fixed('error'):>8.3f}{s.f1_fixed('all'):>20.3f}")
            out[label] |= {"f1_gold_errors_corrected": round(s.f1_fixed("error"), 4),
                           "f1_gold_all_corrected": round(s.f1_fixed("all"), 4)}
        print(f"gold problems ({len(notes)}):")
        for name, n in notes:
            print(f"  {name}: {n}")
    if pages:
        print("per page (warta P/R, bare P/R):")
        for (name, p, r), (_, bp, br) in zip(w.pages, b.pages, strict=True):
            print(f"  {name:60}{p:>7.3f}{r:>7.3f}   {bp:>7.3f}{br:>7.3f}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "eval_extraction.json")
    ap.add_argument("--pages", action="store_true", help="print precision and recall per page")
    args = ap.parse_args()
    results: dict[str, Any] = {
        "mirror": report("Warta mirror fixtures (gold written with the pages)", mirror_docs(), pages=args.pages)
    }
    corpus = args.shared / "corpus" / "indonesian"
    if corpus.is_dir():
        results["indonesian"] = report("shared/corpus/indonesian (other scrapers' gold)", list(corpus_docs(corpus)),
                                       pages=args.pages)
    else:
        print(f"\n{corpus} not found: Indonesian corpus skipped (it is only beside the repo in development)")
    sh = args.shared / "bench" / "scrapinghub-article-extraction-benchmark"
    if sh.is_dir():
        results["scrapinghub"] = report("scrapinghub article-extraction benchmark (English)",
                                        list(scrapinghub_docs(sh)), pages=args.pages)
        print("published: trafilatura 2.0.0 F1 0.958 (P 0.938, R 0.978)")
    else:
        print(f"\n{sh} not found: scrapinghub benchmark skipped")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nresults -> {args.out}")


if __name__ == "__main__":
    main()
