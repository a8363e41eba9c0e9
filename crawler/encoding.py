"""Decode page bytes and repair mojibake.

Regional outlets send wrong or missing charsets often enough that decoding must not
trust one signal: w3lib applies the browser order (BOM, HTTP header, meta charset,
then sniffing), which is what Scrapy itself uses.
"""

from __future__ import annotations

import logging
import re
import unicodedata

import ftfy
from w3lib.encoding import html_to_unicode

logger = logging.getLogger(__name__)

_CP1253_RUN = re.compile(r"[\u0391-\u03c9\u0384-\u038f][\u0080-\u2122]{1,3}")


def _sniff(body: bytes) -> str | None:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    return best.encoding if best else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). A page declared UTF-8 whose bytes are not UTF-8
    (an old CMS saving Windows-1252) is decoded by sniffing instead of filling the
    text with replacement characters."""
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_sniff)
    if encoding.replace("-", "").lower() in ("utf8", "utf8sig") and "\ufffd" in text:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            guess = _sniff(body) or "cp1252"
            if guess.replace("-", "").lower() == "utf8":
                guess = "cp1252"
            logger.debug("declared UTF-8 but is not; decoding as %s", guess)
            return body.decode(guess, errors="replace"), guess
    return text, encoding


def _fix_cp1253_run(match: re.Match[str]) -> str:
    chunk = match.group(0)
    try:
        fixed = chunk.encode("cp1253").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return chunk
    return fixed


# Byte pairs that only appear when UTF-8 was decoded as a single-byte code page.
_SUSPECT_RE = re.compile(
    r"[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u0178\u02c6-\u02dc\u2013-\u203a\u20ac\u2122]"
    r"|[\u0391-\u03c9\u0384-\u038f][\u20ac\u201a-\u203a]|\ufffd"
)


def repair_text(text: str) -> str:
    """Undo mojibake. ftfy handles the Latin-1/cp1252 cases; the Greek cp1253 form
    (UTF-8 "•" read as cp1253 gives "β€’", seen in seed 001) is outside what ftfy
    guesses, so it gets its own pass over short runs only, leaving real Greek alone."""
    if not text:
        return text
    if not _SUSPECT_RE.search(text):
        # Clean text (the common case) skips ftfy, which costs a millisecond a page.
        return unicodedata.normalize("NFC", text)
    text = _CP1253_RUN.sub(_fix_cp1253_run, text)
    # Archival text keeps the outlet's typography: curly quotes stay curly.
    return ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
