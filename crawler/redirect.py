"""Redirects of article URLs are followed even when the target was already seen, so
the old URL is recorded as an alias of the article instead of vanishing in the
duplicate filter. Loops stay bounded by REDIRECT_MAX_TIMES."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.http import Request

logger = logging.getLogger(__name__)


class AliasRedirectMiddleware(RedirectMiddleware):
    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        out = super()._redirect(redirected, request, reason)
        if request.meta.get("warta_expect") == "article":
            out.dont_filter = True
        return out
