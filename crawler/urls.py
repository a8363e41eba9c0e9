"""URL identity: one canonical form per article, whatever link led to it.

Outlets serve one article at many URLs: tracking parameters from share buttons
(?utm_source=wa, fbclid), AMP copies (/amp, ?amp=1, amp. hosts), mobile hosts (m.),
?page=1, fragments, with or without a trailing slash. ``canonicalize`` maps them all
to one URL on the outlet's primary host, so a re-crawl or an alias never creates a
second article.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

logger = logging.getLogger(__name__)

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|ref_src|"
    r"share|shared|amp|outputType|tag_from|single|src|from|ref|source|cmpid|xtor|spm)$",
    re.IGNORECASE,
)
_AMP_PATH = re.compile(r"(/amp)+/?$|/amp/(?=[^/])", re.IGNORECASE)
_MOBILE_HOST = re.compile(r"^(m|mobile|amp|www)\.", re.IGNORECASE)


def _same_outlet(host: str, primary: str) -> bool:
    bare_host = _MOBILE_HOST.sub("", host)
    bare_primary = _MOBILE_HOST.sub("", primary)
    return bare_host == bare_primary


def canonicalize(url: str, primary_host: str | None = None) -> str:
    """The identity URL. ``primary_host`` (the site's base_url host) is where m./amp./www.
    variants of the same outlet are folded to; without it, hosts are only lower-cased."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if primary_host and host != primary_host.lower() and _same_outlet(host, primary_host.lower()):
        host = primary_host.lower()
    port = parts.port
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    path = _AMP_PATH.sub("/", parts.path or "/")
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    # ?page=1 is the article itself; later pages stay distinct.
    query = [(k, v) for k, v in query if not (k.lower() in ("page", "hal", "halaman") and v in ("", "1"))]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))
