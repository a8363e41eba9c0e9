"""Redirects of article URLs are followed even when the target was already seen, so
the old URL is recorded as an alias of the article instead of vanishing in the
duplicate filter. Loops stay bounded by REDIRECT_MAX_TIMES, and a redirect that
leaves the outlet is dropped (a bypassed duplicate filter would also bypass the
offsite check)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from crawler.discovery import host_allowed

logger = logging.getLogger(__name__)


class AliasRedirectMiddleware(RedirectMiddleware):
    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        out = super()._redirect(redirected, request, reason)
        hosts = tuple(getattr(self.crawler.spider, "allowed_domains", None) or ())
        if hosts and not host_allowed(out.url, hosts):
            if self.crawler.stats:
                self.crawler.stats.inc_value("discovery/offsite_redirect")
            logger.info("not following %s: redirect from %s leaves the outlet", out.url, request.url)
            raise IgnoreRequest(f"redirect to another host: {out.url}")
        if request.meta.get("warta_expect") == "article":
            out.dont_filter = True
        return out
