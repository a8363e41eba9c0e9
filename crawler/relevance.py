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
from importlib import resources
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Indonesian affixes that may wrap a term: "berkampanye", "kenetralan", "netralitasnya",
# "dikampanyekan", "ke-netral-an", "ASN-nya".
_PREFIX = r"(?:ber|be|me|mem|men|meng|meny|di|ke|se|ter|pe|pem|pen|peng|per)?-?"
_SUFFIX = r"(?:-?(?:nya|kan|an|i|lah|pun|ku|mu))*"
_SENT_RE = re.compile(r"(?<=[.!?])\s+|\n+")
_KNOWN_KEYS = {"name", "title", "description", "thresholds", "weights", "concepts"}
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

    def matched_terms(self) -> list[dict[str, str]]:
        seen: set[tuple[str, str]] = set()
        out: list[dict[str, str]] = []
        for m in self.matches:
            if (m.term, m.concept) in seen:
                continue
            seen.add((m.term, m.concept))
            out.append({"term": m.term, "concept": m.concept, "where": m.where, "sentence": m.sentence})
        return out


@dataclass
class _Concept:
    name: str
    weight: float
    terms: list[str]
    regex: re.Pattern[str] = field(init=False)
    by_core: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.by_core = {_core_key(t): t for t in self.terms}
        alts = sorted((_term_pattern(t) for t in self.terms), key=len, reverse=True)
        self.regex = re.compile(r"(?<![\w-])" + _PREFIX + r"(?P<core>" + "|".join(alts) + r")" + _SUFFIX + r"(?![\w])",
                                re.IGNORECASE)


def _core_key(term: str) -> str:
    return re.sub(r"[\s\-/]+", " ", term.lower()).strip()


def _term_pattern(term: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", term.strip()) if p]
    return r"[\s\-]+".join(parts)


class TopicProfile:
    def __init__(self, name: str, title: str, concepts: list[_Concept], thresholds: dict[str, float],
                 weights: dict[str, float], description: str = "") -> None:
        self.name = name
        self.title = title
        self.description = description
        self.concepts = concepts
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
    def score(self, title: str, text: str) -> Relevance:
        paras = [p for p in text.split("\n") if p.strip()]
        parts = [("title", title)] + [("lead" if i < 2 else "body", p) for i, p in enumerate(paras)]
        matches: list[TermMatch] = []
        # sentence index per concept, for proximity
        positions: dict[str, list[int]] = {c.name: [] for c in self.concepts}
        weight_sum: dict[str, float] = {c.name: 0.0 for c in self.concepts}
        sent_idx = 0
        for where, chunk in parts:
            for sent in _SENT_RE.split(chunk):
                if not sent.strip():
                    continue
                sent_idx += 1
                for concept in self.concepts:
                    for m in concept.regex.finditer(sent):
                        term = concept.by_core.get(_core_key(m.group("core")), m.group("core"))
                        matches.append(TermMatch(term, concept.name, where, sent.strip()[:300]))
                        positions[concept.name].append(sent_idx)
                        weight_sum[concept.name] += self.weights.get(where, 1.0) * concept.weight
            sent_idx += 1  # paragraphs are not adjacent sentences across a gap
        ev = {k: 1 - math.exp(-v / 2.5) for k, v in weight_sum.items()}
        a, c, e = ev.get("actors", 0.0), ev.get("conduct", 0.0), ev.get("election", 0.0)
        s = ev.get("sanctions", 0.0)
        close = _near(positions.get("actors", []), positions.get("conduct", []) + positions.get("sanctions", []))
        score = 0.3 * a + 0.25 * c + 0.2 * e + 0.1 * s + (0.15 if close else 0.0)
        complete = a > 0 and c > 0 and e > 0 and close
        if not complete:
            # Without all three concepts together it is not about civil servants in an election.
            score = min(score, self.thresholds["relevant"] - 0.01)
        score = round(min(1.0, score), 4)
        if complete and score >= self.thresholds["relevant"]:
            label = "relevant"
        elif score >= self.thresholds["borderline"]:
            label = "borderline"
        else:
            label = "not_relevant"
        return Relevance(score, label, tuple(matches))


def _near(xs: list[int], ys: list[int]) -> bool:
    ys_set = set(ys)
    return any(x + d in ys_set for x in xs for d in (-1, 0, 1))
