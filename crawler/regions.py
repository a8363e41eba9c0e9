"""Region tagging: which province and regency/city an article is datelined in and
talks about, from the bundled gazetteer of Indonesia's 38 provinces and 514
regencies/cities (crawler/data/gazetteer.csv, Kemendagri codes).

A name counts in the text when it is written as a proper noun (capitalised; an
acronym like "OKU" in capitals). Bare names that are also everyday words or
people's names ("Batu", "Agam", "Medan", "Bima") count only with a prefix
("Kabupaten Agam", "Kota Batu", "Pemkab Agam") or as the dateline. A name right
after "Kecamatan", "Desa", "Jalan" ... is a district, village or street, not the
regency. When a name fits several places ("Martapura" is the capital of OKU Timur
and of Banjar; "Bogor" is a kabupaten and a kota), the place in a province the
article already names wins, then the kota.
"""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

logger = logging.getLogger(__name__)

_TOKEN_RE = re.compile(r"\w+")
_PREFIXES = frozenset({"kabupaten", "kab", "kota", "pemkab", "pemkot", "provinsi", "prov", "pemprov"})
# Words after which a place name is a district, village, street or landmark.
_NOT_REGENCY_AFTER = frozenset({
    "kecamatan", "kelurahan", "desa", "dusun", "kampung", "jalan", "jl", "gang", "pasar", "sungai", "gunung",
    "pulau", "danau", "selat", "universitas", "stadion", "bandara", "pelabuhan", "hotel", "rs", "rsud", "smp",
    "sma", "smk", "sd", "polsek", "kapolsek", "camat", "lurah", "kades", "simpang", "bukit", "talang",
    "tanjung", "lorong", "komplek", "perumahan", "taman", "masjid", "gedung",
})

# Institutions named after their region: "Bupati Agam", "Polres Banjar", "Bawaslu Batu"
# make an everyday word a place name.
_REGION_CONTEXT_BEFORE = frozenset({
    "bupati", "wabup", "walikota", "pemkab", "pemkot", "polres", "kapolres", "kodim", "dandim", "kejari", "kajari",
    "dprd", "bawaslu", "kpu", "panwaslu", "rsud", "sekda", "kabupaten", "kab", "kota", "pemprov", "provinsi",
    "gubernur", "pengadilan", "bpbd", "bkpsdm", "bkd", "dinkes", "disdik", "inspektorat",
})


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    type: str  # provinsi | kabupaten | kota
    province_code: str
    province: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "type": self.type, "province_code": self.province_code,
                "province": self.province}


@dataclass(frozen=True)
class _Form:
    place: Place
    prefixed: bool  # "Kabupaten X", "Pemkot X": unambiguous about being a region
    needs_context: bool  # a bare everyday word: only with a prefix or as a dateline
    acronym: bool  # "OKU": must be written in capitals


@dataclass
class Regions:
    province_code: str | None = None
    province: str | None = None
    regency_code: str | None = None
    regency: str | None = None
    places: tuple[dict[str, Any], ...] = ()  # every place: code, name, type, province, via, count

    def as_dict(self) -> dict[str, Any]:
        return {"province_code": self.province_code, "province": self.province,
                "regency_code": self.regency_code, "regency": self.regency, "regions": list(self.places)}


class Gazetteer:
    def __init__(self, places: list[Place], forms: dict[tuple[str, ...], list[_Form]]) -> None:
        self.places = {p.code: p for p in places}
        self.forms = forms
        self.first = {k[0] for k in forms}
        self.max_len = max(len(k) for k in forms)

    @classmethod
    @lru_cache(maxsize=1)
    def bundled(cls) -> Gazetteer:
        res = resources.files("crawler") / "data" / "gazetteer.csv"
        lines = [ln for ln in res.read_text("utf-8").splitlines() if not ln.startswith("#")]
        places: list[Place] = []
        forms: dict[tuple[str, ...], list[_Form]] = {}
        kota_names = set()
        rows = list(csv.DictReader(lines))
        for r in rows:
            if r["type"] == "kota":
                kota_names.add(r["name"].lower())

        def add(text: str, place: Place, needs_context: set[str]) -> None:
            key = tuple(t.lower() for t in _TOKEN_RE.findall(text))
            # "Kota Baru" looks prefixed but is also any "new town": it stays a bare name.
            prefixed = key[0] in _PREFIXES and len(key) > 1 and text not in needs_context
            acronym = text.isupper() and len(text) <= 6
            f = _Form(place, prefixed, text in needs_context, acronym)
            bucket = forms.setdefault(key, [])
            if all(x.place.code != place.code for x in bucket):
                bucket.append(f)

        for r in rows:
            p = Place(r["code"], r["name"], r["type"], r["province_code"], r["province_name"])
            places.append(p)
            ctx = set(filter(None, r["needs_context"].split(";")))
            for text in [r["name"], *r["aliases"].split(";"), *r["capitals"].split(";")]:
                if text:
                    add(text, p, ctx)
            if r["type"] == "kabupaten" and r["name"].lower() not in kota_names:
                # "Kota Lahat": the town of a regency that has no city of that name.
                add(f"Kota {r['name']}", p, ctx)
        return cls(places, forms)

    # -- matching ------------------------------------------------------------
    def _scan(self, text: str, *, dateline: bool = False) -> list[tuple[str, list[_Form]]]:
        """(word before, candidate places) for each place name in the text, longest first."""
        toks = _TOKEN_RE.findall(text)
        low = [t.lower() for t in toks]
        out: list[tuple[str, list[_Form]]] = []
        i, n = 0, len(toks)
        while i < n:
            if low[i] not in self.first:
                i += 1
                continue
            hit = None
            for k in range(min(self.max_len, n - i), 0, -1):
                cands = self.forms.get(tuple(low[i : i + k]))
                if not cands:
                    continue
                ok = [f for f in cands if self._acceptable(f, toks[i : i + k], low[i - 1] if i else "", dateline)]
                if ok:
                    hit = (k, ok)
                    break
            if hit is None:
                i += 1
                continue
            out.append((low[i - 1] if i else "", hit[1]))
            i += hit[0]
        return out

    @staticmethod
    def _acceptable(f: _Form, words: list[str], before: str, dateline: bool) -> bool:
        if dateline:
            return True
        if before in _NOT_REGENCY_AFTER:
            return False
        if f.needs_context and not f.prefixed and before not in _REGION_CONTEXT_BEFORE:
            return False
        if f.acronym:
            return all(w.isupper() or w.isdigit() for w in words)
        return all(w[:1].isupper() or w.isdigit() for w in words[1 if f.prefixed else 0 :])

    def tag(self, title: str, text: str, dateline: str = "") -> Regions:
        """The article's places: the dateline's, then every mention (the title counts twice)."""
        mentions: list[tuple[str, list[_Form]]] = []
        for part, weight in ((title, 2), (text, 1)):
            for found in self._scan(part):
                mentions.extend([found] * weight)
        # What the article names without ambiguity settles the ambiguous names.
        sure: Counter[str] = Counter()
        provinces: Counter[str] = Counter()
        for _, cands in mentions:
            if len(cands) == 1:
                sure[cands[0].place.code] += 1
            if len({c.place.province_code for c in cands}) == 1:
                provinces[cands[0].place.province_code] += 1
        date_place: Place | None = None
        dl = re.split(r"[,(/–—-]", dateline or "")[0].strip()
        if dl:
            dl_found = self._scan(dl, dateline=True)
            if dl_found:
                # A dateline is where the reporter is: a town, so "BENGKULU" is the city.
                dl_cands = [f for f in dl_found[0][1] if f.place.type != "provinsi"] or dl_found[0][1]
                date_place = _pick(dl_cands, "", sure, provinces)
                provinces[date_place.province_code] += 3
        counts: Counter[str] = Counter()
        order: dict[str, int] = {}
        for before, cands in mentions:
            p = _pick(cands, before, sure, provinces)
            counts[p.code] += 1
            order.setdefault(p.code, len(order))
        places: list[dict[str, Any]] = []
        if date_place is not None:
            places.append({**date_place.as_dict(), "via": "dateline", "count": counts.get(date_place.code, 0)})
        for code, c in sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]])):
            if date_place is not None and code == date_place.code:
                continue
            places.append({**self.places[code].as_dict(), "via": "mention", "count": c})
        return self._primary(date_place, counts, order, tuple(places))

    def _primary(self, date_place: Place | None, counts: Counter[str], order: dict[str, int],
                 places: tuple[dict[str, Any], ...]) -> Regions:
        regencies = sorted((c for c in counts if self.places[c].type != "provinsi"),
                           key=lambda c: (-counts[c], order[c]))
        regency: Place | None = None
        province: Place | None = None
        if date_place is not None:
            if date_place.type != "provinsi":
                regency = date_place
            else:
                province = date_place
                inside = [c for c in regencies if self.places[c].province_code == date_place.code]
                regency = self.places[inside[0]] if inside else None
        elif regencies:
            regency = self.places[regencies[0]]
        if province is None:
            if regency is not None:
                province = self.places[regency.province_code]
            else:
                by_prov: Counter[str] = Counter()
                for c, k in counts.items():
                    by_prov[self.places[c].province_code] += k
                if by_prov:
                    province = self.places[by_prov.most_common(1)[0][0]]
        return Regions(province.code if province else None, province.name if province else None,
                       regency.code if regency else None, regency.name if regency else None, places)


_KABUPATEN_HINT = frozenset({"bupati", "wabup", "pemkab", "kabupaten", "kab", "pilbup"})
_KOTA_HINT = frozenset({"kota", "walikota", "pemkot", "pilwalkot"})


def _pick(cands: list[_Form], before: str, sure: Counter[str], provinces: Counter[str]) -> Place:
    """One place among the candidates of an ambiguous name: one the article names without
    ambiguity ("Kabupaten Bima" settles a bare "Bima"), one in a province it names, the type
    the word before implies ("Bupati Gorontalo"), then a kota over a kabupaten (a bare
    "Bogor" is usually the city) and a regency over a province ("Bengkulu" the city)."""
    if len(cands) == 1:
        return cands[0].place
    hint = "kabupaten" if before in _KABUPATEN_HINT else "kota" if before in _KOTA_HINT else ""

    def rank(f: _Form) -> tuple[int, int, int, int]:
        p = f.place
        return (-sure.get(p.code, 0), -provinces.get(p.province_code, 0), 0 if p.type == hint else 1,
                {"kota": 0, "kabupaten": 1, "provinsi": 2}[p.type])
    return min(cands, key=rank).place


def tag_regions(title: str, text: str, dateline: str = "") -> Regions:
    return Gazetteer.bundled().tag(title, text, dateline)
