"""``warta history``: an article's versions, each against the one before as a unified diff."""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

logger = logging.getLogger(__name__)


def _lines(version: dict[str, Any]) -> list[str]:
    # The title is diffed with the text: a changed headline is as much an edit.
    return [f"# {version.get('title') or ''}", *(version.get("text") or "").split("\n")]


def history_lines(article: dict[str, Any], versions: list[dict[str, Any]],
                  run_command: Callable[[int | None], str], context: int = 2,
                  captures: list[dict[str, Any]] | None = None) -> Iterator[str]:
    yield f"{article['canonical_url']} ({article['site']}): {len(versions)} version(s)"
    fetches = [c for c in captures or [] if c["page"] == 1]
    if fetches:
        statuses = Counter(str(c["status"]) for c in fetches)
        yield (f"fetched {len(fetches)} time(s) ({', '.join(f'{s} x{n}' for s, n in sorted(statuses.items()))}), "
               f"first {fetches[0]['fetched_at']}, last {fetches[-1]['fetched_at']}")
    if article.get("gone_at"):
        yield f"removed by the outlet (404/410) since {article['gone_at']}"
    prev: dict[str, Any] | None = None
    for v in versions:
        current = " (current)" if v.get("superseded_at") is None else f", superseded {v['superseded_at']}"
        yield (f"version {v['version']}: fetched {v.get('fetched_at') or '-'}, run {v.get('run_id') or '-'} "
               f"({run_command(v.get('run_id'))}), capture {v.get('capture_id') or '-'}{current}")
        if prev is None:
            yield f"  title: {v.get('title')}"
            yield f"  {v.get('word_count') or 0} words, published {v.get('published_at') or '-'}"
        else:
            diff = list(difflib.unified_diff(_lines(prev), _lines(v), f"version {prev['version']}",
                                             f"version {v['version']}", n=context, lineterm=""))
            if diff:
                yield from diff
            else:
                changed = [k for k in ("published_at", "modified_at", "authors", "relevance_label", "tags")
                           if prev.get(k) != v.get(k)]
                yield f"  same title and text; changed: {', '.join(changed) or 'other metadata'}"
        prev = v
