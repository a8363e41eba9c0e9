"""Topic relevance that explains itself: concept groups from a TOML profile, matched
affix- and hyphen-aware, scored by which concepts co-occur, how close and where.

An article is "relevant" only when actors (civil servants), conduct (neutrality,
campaigning) and the election context all appear, with an actor and a conduct term
in the same or adjacent sentences. Election logistics without civil servants, or
civil-servant pay without an election, stay "borderline" at most.
"""

from __future__ import annotations

import logging
import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Indonesian affixes that may wrap a term: "berkampanye", "kenetralan", "netralitasnya",
# "dikampanyekan"; hyphens split tokens, so "ke-netral-an", "non-ASN" and "ASN-nya" work too.
_PREFIXES = ("memper", "meng", "meny", "mem", "men", "ber", "ter", "per", "peng", "peny", "pem", "pen",
             "me", "be", "di", "ke", "se", "pe")
_SUFFIXES = ("nya", "kan", "lah", "pun", "an", "i", "ku", "mu")
_TOKEN_RE = re.compile(r"\w+")
_SENT_RE = re.compile(r"(?<=[.!?])\s+|\n+")
# "queries" and "backfill" belong to the backfill (search queries per topic); relevance ignores them.
_KNOWN_KEYS = {"name", "title", "description", "thresholds", "weights", "concepts", "queries", "backfill"}
REQUIRED_CONCEPTS = ("actors", "conduct", "election")


class TopicProfileError(ValueError):
    """A topic profile is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class TermMatch:
    term: str
    concept: str
    where: str  # title | lead | body
    sentence: str


@dataclass(frozen=True)
class Relevance:
    score: float
    label: str  # relevant | borderline | not_relevant
    matches: tuple[TermMatch, ...] = ()
    why: dict[str, Any] = field(default_factory=dict)  # evidence per concept, proximity, the rule applied

    def matched_terms(self) -> list[dict[str, str]]:
        seen: set[tuple[str, str]] = set()
        out: list[dict[str, str]] = []
        for m in self.matches:
            if (m.term, m.concept) in seen:
                continue
            seen.add((m.term, m.concept))
            out.append({"term": m.term, "concept": m.concept, "where": m.where, "sentence": m.sentence})
        return out


# Words whose affixes make another word: "kecamatan" is a district, not a camat.
_NO_STEM = frozenset({"kecamatan", "kelurahan", "pedesaan", "perdesaan", "pemilih", "pemerintahan"})


@lru_cache(maxsize=65536)
def _forms(token: str) -> frozenset[str]:
    """The token and what is left after stripping Indonesian affixes (min. 3 letters)."""
    stems = {token}
    if token in _NO_STEM:
        return frozenset(stems)
    for _ in range(2):  # "dikampanyekannya": two suffixes
        for st in list(stems):
            for suf in _SUFFIXES:
                if st.endswith(suf) and len(st) - len(suf) >= 3:
                    stems.add(st[: -len(suf)])
    for st in list(stems):
        for pre in _PREFIXES:
            if st.startswith(pre) and len(st) - len(pre) >= 3:
                stems.add(st[len(pre) :])
    return frozenset(stems)


@dataclass
class _Concept:
    name: str
    weight: float
    terms: list[str]
    single: dict[str, str] = field(init=False)
    multi: dict[str, list[tuple[tuple[str, ...], str]]] = field(init=False)

    def __post_init__(self) -> None:
        self.single = {}
        self.multi = {}
        for t in self.terms:
            words = tuple(_TOKEN_RE.findall(t.lower()))
            if len(words) == 1:
                self.single.setdefault(words[0], t)
            elif words:
                self.multi.setdefault(words[0], []).append((words, t))



class TopicProfile:
    def __init__(self, name: str, title: str, concepts: list[_Concept], thresholds: dict[str, float],
                 weights: dict[str, float], description: str = "") -> None:
        self.name = name
        self.title = title
        self.description = description
        self.concepts = concepts
        # One index over all concepts: a single pass over the tokens finds everything.
        self._single: dict[str, list[tuple[str, str]]] = {}
        self._multi: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for c in concepts:
            for word, term in c.single.items():
                self._single.setdefault(word, []).append((c.name, term))
            for first, entries in c.multi.items():
                for words, term in entries:
                    self._multi.setdefault(first, []).append((words, c.name, term))
        self._cache: dict[str, tuple[list[tuple[str, str]], list[tuple[tuple[str, ...], str, str]]]] = {}
        self.thresholds = thresholds
        self.weights = weights

    @classmethod
    def load(cls, path: Path) -> TopicProfile:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except OSError as e:
            raise TopicProfileError(f"{path}: cannot read ({e.strerror})") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise TopicProfileError(f"{path}: not valid TOML ({e})") from None
        return cls.from_dict(data, str(path))

    @classmethod
    def bundled(cls, name: str = "netralitas-asn") -> TopicProfile:
        res = resources.files("crawler") / "topics" / f"{name}.toml"
        if not res.is_file():
            raise TopicProfileError(f"unknown topic profile {name!r} (bundled: netralitas-asn)")
        return cls.from_dict(tomllib.loads(res.read_text("utf-8")), f"topics/{name}.toml")

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str) -> TopicProfile:
        for key in data:
            if key not in _KNOWN_KEYS:
                raise TopicProfileError(f"{source}: {key}: unknown key")
        if not isinstance(data.get("name"), str):
            raise TopicProfileError(f"{source}: name: missing or not a string")
        concepts_raw = data.get("concepts")
        if not isinstance(concepts_raw, dict):
            raise TopicProfileError(f"{source}: concepts: missing concept tables")
        concepts: list[_Concept] = []
        for cname, c in concepts_raw.items():
            if not isinstance(c, dict) or not isinstance(c.get("terms"), list) or not c["terms"]:
                raise TopicProfileError(f"{source}: concepts.{cname}.terms: must be a non-empty list")
            extra = set(c) - {"weight", "terms"}
            if extra:
                raise TopicProfileError(f"{source}: concepts.{cname}.{sorted(extra)[0]}: unknown key")
            if not all(isinstance(t, str) and t.strip() for t in c["terms"]):
                raise TopicProfileError(f"{source}: concepts.{cname}.terms: every term must be a non-empty string")
            w = c.get("weight", 1.0)
            if not isinstance(w, (int, float)) or w < 0:
                raise TopicProfileError(f"{source}: concepts.{cname}.weight: must be a number >= 0")
            concepts.append(_Concept(cname, float(w), list(c["terms"])))
        for req in REQUIRED_CONCEPTS:
            if req not in concepts_raw:
                raise TopicProfileError(f"{source}: concepts.{req}: required concept missing")
        th = {"relevant": 0.55, "borderline": 0.25, **data.get("thresholds", {})}
        wt = {"title": 2.0, "lead": 1.5, "body": 1.0, **data.get("weights", {})}
        for k, v in {**th, **wt}.items():
            if not isinstance(v, (int, float)):
                raise TopicProfileError(f"{source}: {k}: must be a number")
        return cls(data["name"], data.get("title", data["name"]), concepts, th, wt, data.get("description", ""))

    # -- scoring -------------------------------------------------------------
    def _token_index(self, token: str) -> tuple[list[tuple[str, str]], list[tuple[tuple[str, ...], str, str]]]:
        """Single-word hits and multi-word candidates for one token, cached: news text
        repeats its vocabulary, so most tokens are looked up once per process."""
        got = self._cache.get(token)
        if got is None:
            singles: list[tuple[str, str]] = []
            multis: list[tuple[tuple[str, ...], str, str]] = []
            for f in _forms(token):
                singles.extend(self._single.get(f, ()))
                multis.extend(self._multi.get(f, ()))
            got = (singles, multis)
            if len(self._cache) < 200_000:
                self._cache[token] = got
        return got

    def _find(self, tokens: list[str]) -> list[tuple[str, str]]:
        """(concept, term) for each match, longest first: "pegawai negeri sipil" is one
        match, not also "pegawai negeri"; "tidak netral" is not also "netral"."""
        found: list[tuple[str, str]] = []
        covered: dict[str, int] = {}  # concept -> first token index not inside a match
        n = len(tokens)
        for i, tok in enumerate(tokens):
            singles, multis = self._token_index(tok)
            if not singles and not multis:
                continue
            hits: list[tuple[int, str, str]] = [(1, cname, term) for cname, term in singles]
            for words, cname, term in multis:
                k = len(words)
                if i + k <= n and all(words[j] in _forms(tokens[i + j]) for j in range(1, k)):
                    hits.append((k, cname, term))
            for k, cname, term in sorted(hits, key=lambda h: -h[0]):
                if i >= covered.get(cname, 0):
                    found.append((cname, term))
                    covered[cname] = i + k
        return found

    def score(self, title: str, text: str) -> Relevance:
        paras = [p for p in text.split("\n") if p.strip()]
        parts = [("title", title)] + [("lead" if i < 2 else "body", p) for i, p in enumerate(paras)]
        matches: list[TermMatch] = []
        # (sentence index, paragraph index) per concept, for proximity
        positions: dict[str, list[tuple[int, int]]] = {c.name: [] for c in self.concepts}
        weight_sum: dict[str, float] = {c.name: 0.0 for c in self.concepts}
        sent_idx = 0
        cweight = {c.name: c.weight for c in self.concepts}
        for para_idx, (where, chunk) in enumerate(parts):
            for sent in _SENT_RE.split(chunk):
                if not sent.strip():
                    continue
                sent_idx += 1
                tokens = _TOKEN_RE.findall(sent.lower())
                for cname, term in self._find(tokens):
                    matches.append(TermMatch(term, cname, where, sent.strip()[:300]))
                    positions[cname].append((sent_idx, para_idx))
                    weight_sum[cname] += self.weights.get(where, 1.0) * cweight[cname]
            sent_idx += 1  # paragraphs are not adjacent sentences across a gap
        ev = {k: 1 - math.exp(-v / 2.5) for k, v in weight_sum.items()}
        a, c, e = ev.get("actors", 0.0), ev.get("conduct", 0.0), ev.get("election", 0.0)
        s = ev.get("sanctions", 0.0)
        proximity = _proximity(positions.get("actors", []),
                               positions.get("conduct", []) + positions.get("sanctions", []))
        score = 0.3 * a + 0.25 * c + 0.2 * e + 0.1 * s + _PROXIMITY_BONUS[proximity]
        missing = [k for k in REQUIRED_CONCEPTS if ev.get(k, 0.0) == 0]
        complete = not missing and proximity in ("sentence", "adjacent")
        rule = "actors, conduct and election together, an actor next to the conduct"
        if not complete:
            # Without all three concepts together it is not about civil servants in an election.
            score = min(score, self.thresholds["relevant"] - 0.01)
            rule = (f"at most borderline: no {' / '.join(missing)} term" if missing
                    else f"at most borderline: actor and conduct only {_PROX_TEXT[proximity]}")
        score = round(min(1.0, score), 4)
        if complete and score >= self.thresholds["relevant"]:
            label = "relevant"
        elif score >= self.thresholds["borderline"]:
            label = "borderline"
        else:
            label = "not_relevant"
        why = {"evidence": {k: round(v, 3) for k, v in ev.items()}, "proximity": proximity, "rule": rule}
        return Relevance(score, label, tuple(matches), why)


_PROXIMITY_BONUS = {"sentence": 0.15, "adjacent": 0.12, "paragraph": 0.06, "article": 0.0, "none": 0.0}
_PROX_TEXT = {"paragraph": "in the same paragraph", "article": "in different paragraphs", "none": "apart"}


def _proximity(xs: list[tuple[int, int]], ys: list[tuple[int, int]]) -> str:
    """How close an actor term comes to a conduct or sanction term."""
    if not xs or not ys:
        return "none"
    ys_sent = {s for s, _ in ys}
    if any(s in ys_sent for s, _ in xs):
        return "sentence"
    if any(s + d in ys_sent for s, _ in xs for d in (-1, 1)):
        return "adjacent"
    ys_para = {p for _, p in ys}
    if any(p in ys_para for _, p in xs):
        return "paragraph"
    return "article"


@lru_cache(maxsize=8)
def load_topic(topic: str) -> TopicProfile:
    """A profile by bundled name or .toml path, loaded once per process."""
    return TopicProfile.load(Path(topic)) if topic.endswith(".toml") else TopicProfile.bundled(topic)


def score_with(topic: str, title: str, text: str) -> Relevance:
    """Module-level so worker processes receive a name, not a pickled profile."""
    return load_topic(topic).score(title, text)


def annotate(topic: str, title: str, text: str, dateline: str = "") -> dict[str, Any]:
    """Everything ScoreRelevance adds to an article, as Article field values: the score,
    label and why, the regions of the dateline and of mentions, and the officials named.
    Module-level and returning plain data so worker processes can run it."""
    from crawler.officials import find_officials
    from crawler.regions import tag_regions

    rel = load_topic(topic).score(title, text)
    regions = tag_regions(title, text, dateline)
    return {
        "relevance_score": rel.score,
        "relevance_label": rel.label,
        "matched_terms": rel.matched_terms(),
        "relevance_why": rel.why,
        "province_code": regions.province_code,
        "province": regions.province,
        "regency_code": regions.regency_code,
        "regency": regions.regency,
        "regions": list(regions.places),
        "officials": [o.as_dict() for o in find_officials(text)],
    }
