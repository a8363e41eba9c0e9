"""`warta explain`: an archived article's relevance, regions and officials, with reasons."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

_CONCEPT_ORDER = ("actors", "conduct", "election", "sanctions")


def explanation(row: dict[str, Any], topic: str = "netralitas-asn") -> dict[str, Any]:
    """The stored reasons of an archive row. Rows stored before the archive kept reasons
    (schema < 6) are judged again now, and say so."""
    info: dict[str, Any] = {
        "url": row.get("canonical_url") or row.get("url"), "title": row.get("title") or "",
        "site": row.get("site"), "published_at": row.get("published_at"), "dateline": row.get("dateline") or "",
        "relevance_score": row.get("relevance_score"), "relevance_label": row.get("relevance_label"),
        "why": row.get("relevance_why") or {}, "matched_terms": row.get("matched_terms") or [],
        "province_code": row.get("province_code"), "province": row.get("province"),
        "regency_code": row.get("regency_code"), "regency": row.get("regency"),
        "regions": row.get("regions") or [], "officials": row.get("officials") or [], "judged_now": False,
    }
    if not info["why"]:
        from crawler.relevance import annotate

        found = annotate(topic, info["title"], row.get("text") or "", info["dateline"])
        info.update({k: v for k, v in found.items() if k not in ("relevance_why",)})
        info["why"] = found["relevance_why"]
        info["judged_now"] = True
    return info


def render(info: dict[str, Any]) -> str:
    lines = [info["title"], info["url"] or ""]
    score = info["relevance_score"]
    lines.append(f"label: {info['relevance_label']}  score: {score if score is not None else '-'}")
    why = info["why"]
    if why:
        ev = why.get("evidence", {})
        lines.append("evidence: " + ", ".join(f"{k} {ev[k]:.2f}" for k in _CONCEPT_ORDER if k in ev)
                     + f"; actor near conduct: {why.get('proximity', '-')}")
        lines.append(f"rule: {why.get('rule', '-')}")
    if info["judged_now"]:
        lines.append("(stored before reasons were kept: judged again now, not stored)")
    by_concept: dict[str, list[dict[str, Any]]] = {}
    for m in info["matched_terms"]:
        by_concept.setdefault(m.get("concept", "?"), []).append(m)
    for concept in [*_CONCEPT_ORDER, *sorted(set(by_concept) - set(_CONCEPT_ORDER))]:
        for m in by_concept.get(concept, []):
            lines.append(f"  {concept:<9} {m.get('term', ''):<22} [{m.get('where', '')}] {m.get('sentence', '')}")
    if not info["matched_terms"]:
        lines.append("  no topic term matched")
    region = " / ".join(x for x in (info["province"], info["regency"]) if x) or "-"
    codes = " ".join(x for x in (info["province_code"], info["regency_code"]) if x)
    lines.append(f"region: {region}" + (f" ({codes})" if codes else "")
                 + (f"  dateline: {info['dateline']}" if info["dateline"] else ""))
    for r in info["regions"]:
        lines.append(f"  {r.get('via', ''):<8} {r.get('type', ''):<9} {r.get('code', ''):<6} {r.get('name', '')}"
                     f", {r.get('province', '')} x{r.get('count', 0)}")
    lines.append("officials: " + ("; ".join(f"{o['role']}: {o['name']}" for o in info["officials"]) or "-"))
    return "\n".join(lines)
