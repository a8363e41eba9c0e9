"""Baseline (c): bare trafilatura.extract over the same pages, read from disk."""

from __future__ import annotations

import sys
from pathlib import Path

import trafilatura


def main() -> None:
    root = Path(sys.argv[1])
    n = 0
    for f in sorted(root.rglob("*.html")):
        if trafilatura.extract(f.read_text("utf-8")):
            n += 1
    print(f"pages={n}")


if __name__ == "__main__":
    main()
