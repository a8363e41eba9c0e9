"""Near-duplicate fingerprints: MinHash over word shingles, cut into LSH bands.

Pure functions, no I/O. ``archive.clusters`` stores the signatures and band hashes
and decides cluster membership; ``pipelines.dedup`` computes the signature of each
article once.

Everything here is frozen on purpose: band hashes are persisted in the archive, so a
change to the normalisation, the shingle size, the permutations or the band layout
would silently stop new articles from meeting old ones. The permutation constants
are derived from blake2b rather than a random generator because numpy does not
promise the same stream across versions. Changing any of it needs a migration that
recomputes ``near_signatures`` and ``near_bands``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

SHINGLE_WORDS = 4
NUM_PERM = 192
BAND_ROWS = 3
BANDS = NUM_PERM // BAND_ROWS
# Fewer shingles than this and the text is too short for a meaningful estimate (a
# photo page, a teaser): such articles only join clusters by exact text.
MIN_SHINGLES = 12
# Below this estimated Jaccard similarity two texts are different articles. Chosen by
# bench/near_dup.py (docs/duplicates.md has the curve); overridable with the Scrapy
# setting WARTA_NEAR_DUP_THRESHOLD.
DEFAULT_THRESHOLD = 0.3

_PRIME = np.uint64(4294967291)  # largest prime below 2**32: a*x + b stays below 2**64


def _constants(tag: str) -> npt.NDArray[np.uint64]:
    vals = []
    for i in range(NUM_PERM):
        h = int.from_bytes(hashlib.blake2b(f"warta-minhash-{tag}-{i}".encode(), digest_size=8).digest(), "little")
        vals.append(h % (int(_PRIME) - 1) + 1)
    return np.array(vals, dtype=np.uint64)


_A = _constants("a")[:, None]
_B = _constants("b")[:, None]

Signature = npt.NDArray[np.uint32]


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; case, punctuation and spacing carry no meaning here
    (the same normalisation as ``crawler.extract.content_hash``)."""
    norm = unicodedata.normalize("NFKC", text).lower()
    return re.findall(r"[^\W_]+", norm)


def shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    """32-bit hashes of the distinct word ``SHINGLE_WORDS``-grams of the text."""
    words = tokens(text)
    if len(words) < SHINGLE_WORDS:
        grams = {" ".join(words)} if words else set()
    else:
        grams = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=4).digest(), "little") for g in grams),
        dtype=np.uint64, count=len(grams))


def signature(text: str) -> tuple[Signature, int]:
    """(MinHash signature, number of distinct shingles). An empty text gives an all-max
    signature with 0 shingles, which never joins anything."""
    hashes = shingle_hashes(text)
    if hashes.size == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32), 0
    # Chunked so a very long text does not build a NUM_PERM x n matrix in one go.
    out = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, hashes.size, 4096):
        chunk = hashes[start:start + 4096][None, :]
        np.minimum(out, ((_A * chunk + _B) % _PRIME).min(axis=1), out=out)
    return out.astype(np.uint32), int(hashes.size)


def band_hashes(sig: Signature) -> list[int]:
    """One signed 64-bit hash per band (SQLite INTEGER), the band's index mixed in so
    equal rows in different bands do not collide."""
    raw = sig.astype("<u4").tobytes()
    width = BAND_ROWS * 4
    return [
        int.from_bytes(hashlib.blake2b(bytes([i]) + raw[i * width:(i + 1) * width], digest_size=8).digest(),
                       "little", signed=True)
        for i in range(BANDS)
    ]


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def to_blob(sig: Signature) -> bytes:
    return sig.astype("<u4").tobytes()


def from_blob(blob: bytes) -> Signature:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


def exact_jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for evaluation and tests)."""
    sa, sb = set(shingle_hashes(a).tolist()), set(shingle_hashes(b).tolist())
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def parse_threshold(value: object) -> float | None:
    """WARTA_NEAR_DUP_THRESHOLD: a similarity in (0, 1]; "off" (or 0) links exact
    copies only; unset means DEFAULT_THRESHOLD."""
    if value is None or value == "":
        return DEFAULT_THRESHOLD
    if isinstance(value, str) and value.strip().lower() in ("off", "none", "false", "0"):
        return None
    try:
        t = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"WARTA_NEAR_DUP_THRESHOLD={value!r}: expected a number between 0 and 1, or off") from None
    if t == 0:
        return None
    if not 0 < t <= 1:
        raise ValueError(f"WARTA_NEAR_DUP_THRESHOLD={value!r}: expected a number between 0 and 1, or off")
    return t
