"""Page metadata from the DOM: JSON-LD, meta tags, site selectors, visible bylines.

Pure functions over an lxml tree; no Scrapy. Dates are only collected here as
candidates; ``crawler.dates`` decides which one to trust.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.items import DateCandidate

logger = logging.getLogger(__name__)

ARTICLE_LD_TYPES = {
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BlogPosting",
    "OpinionNewsArticle",
    "Report",
}

_PUB_METAS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "dtk:publishdate",
    "datepublished",
    "date",
    "dc.date.issued",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
    "content_publishedtime",
    "article:published",
)
_MOD_METAS = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified", "lastmod")


@dataclass
class PageMeta:
    title: str = ""
    og_title: str = ""
    h1: str = ""
    h1s: list[str] = field(default_factory=list)
    description: str = ""
    html_title: str = ""
    site_name: str = ""
    og_type: str = ""
    ld_types: set[str] = field(default_factory=set)
    canonical: str = ""
    og_url: str = ""
    authors: list[str] = field(default_factory=list)
    byline_texts: list[str] = field(default_factory=list)
    section: str = ""
    tags: list[str] = field(default_factory=list)
    image: str = ""
    language: str = ""
    dates: list[DateCandidate] = field(default_factory=list)


_WS = re.compile(r"\s+")


def _text(el: Any) -> str:
    return _WS.sub(" ", el.text_content() if hasattr(el, "text_content") else str(el)).strip()


def _iter_ld(obj: Any) -> Any:
    if isinstance(obj, list):
        for o in obj:
            yield from _iter_ld(o)
    elif isinstance(obj, dict):
        yield obj
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in obj:
                yield from _iter_ld(obj[key])


def _ld_names(value: Any) -> list[str]:
    out: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, dict):
            name = v.get("name")
            if isinstance(name, str):
                out.append(name)
        elif isinstance(v, str):
            out.append(v)
    return out


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type", [])
    return {str(x) for x in (t if isinstance(t, list) else [t])}


# Compiled once: tree.xpath(str) compiles its expression on every call.
_LABEL_START = re.compile(r"^\s*(Penulis|Reporter|Editor|Pewarta|Wartawan|Redaktur|Penyunting)\s*(:|$)", re.I)


def _label_nodes(tree: lxml_html.HtmlElement) -> list[tuple[lxml_html.HtmlElement, str]]:
    """(element holding the text, text) for short texts that open with a byline label.
    A plain walk: an EXSLT regex XPath over every text node cost twice as much."""
    body = tree.find("body")
    out: list[tuple[lxml_html.HtmlElement, str]] = []
    for el in (body if body is not None else tree).iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "a"):
            continue
        if el.text and len(el.text) < 160 and _LABEL_START.match(el.text):
            out.append((el, el.text))
        if el.tail and len(el.tail) < 160 and _LABEL_START.match(el.tail) and el.getparent() is not None:
            out.append((el.getparent(), el.tail))
        if len(out) >= 6:
            break
    return out
_ITEMPROP_DATE_XPATH = etree.XPath('//*[@itemprop="datePublished" or @itemprop="dateModified"][not(self::meta)]')
_HEADINGS_XPATH = etree.XPath("//h1|//h2")


def label_bylines(tree: lxml_html.HtmlElement) -> list[str]:
    """"Penulis: Ferril Dennys" / "Editor : Willy Widianto" in small boxes outside the text
    trafilatura keeps (kompas and tribun put them under the article, in tables or spans).
    A walk over the whole page: the extractor calls it only when it still needs a name."""
    out: list[str] = []
    for holder, _label in _label_nodes(tree):
        if len(_text(holder)) < 14 and holder.getparent() is not None:
            holder = holder.getparent()  # the label and the name in separate cells
        t = _text(holder)
        if 8 < len(t) < 120 and t not in out:
            out.append(t)
    return out


def read_metadata(tree: lxml_html.HtmlElement, url: str, selectors: dict[str, str] | None = None) -> PageMeta:
    meta = PageMeta()
    selectors = dict(selectors or {})

    # meta tags, keyed by lower-case name/property/itemprop
    metas: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content:
            metas.setdefault(key, []).append(content)

    def first(*keys: str) -> str:
        for k in keys:
            if metas.get(k):
                return metas[k][0]
        return ""

    meta.og_title = first("og:title", "twitter:title")
    meta.description = first("og:description", "description", "twitter:description")
    meta.site_name = first("og:site_name")
    meta.og_type = first("og:type")
    meta.og_url = first("og:url")
    meta.image = first("og:image", "twitter:image")
    meta.section = first("article:section")
    for k in ("article:tag",):
        meta.tags += metas.get(k, [])
    if not meta.tags:
        kw = first("news_keywords", "keywords")
        if kw:
            meta.tags = [t.strip() for t in kw.split(",") if t.strip()]
    author_meta = first("author", "article:author", "dtk:author", "content_author")
    if author_meta and not author_meta.startswith("http"):
        meta.authors.append(author_meta)
    for k in _PUB_METAS:
        for v in metas.get(k, []):
            meta.dates.append(DateCandidate(v, f"meta:{k}", "published"))
    for k in _MOD_METAS:
        for v in metas.get(k, []):
            meta.dates.append(DateCandidate(v, f"meta:{k}", "modified"))

    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            meta.canonical = urljoin(url, link.get("href", "").strip())
            break
    lang = tree.get("lang") or first("og:locale", "language", "content-language")
    meta.language = lang.split("-")[0].split("_")[0].lower() if lang else ""

    titles = tree.xpath("//title")
    meta.html_title = _text(titles[0]) if titles else ""
    meta.h1s = [t for t in (_text(h) for h in tree.xpath("//h1")[:6]) if t]
    meta.h1 = meta.h1s[0] if meta.h1s else ""

    # JSON-LD: the article object wins over WebPage/Organization noise.
    ld_dates: list[DateCandidate] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:  # some CMSes emit trailing commas or raw newlines inside strings
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw.replace("\n", " ")))
            except ValueError:
                continue
        for obj in _iter_ld(data):
            types = _types(obj)
            meta.ld_types |= types
            if not types & ARTICLE_LD_TYPES:
                continue
            if isinstance(obj.get("headline"), str) and not meta.title:
                meta.title = obj["headline"].strip()
            for n in _ld_names(obj.get("author")):
                if n not in meta.authors:
                    meta.authors.insert(0, n)
            if isinstance(obj.get("datePublished"), str):
                ld_dates.append(DateCandidate(obj["datePublished"], "jsonld", "published"))
            if isinstance(obj.get("dateModified"), str):
                ld_dates.append(DateCandidate(obj["dateModified"], "jsonld", "modified"))
            sec = obj.get("articleSection")
            if sec and not meta.section:
                meta.section = sec if isinstance(sec, str) else str(sec[0]) if isinstance(sec, list) and sec else ""
            kw = obj.get("keywords")
            if kw and not meta.tags:
                meta.tags = [t.strip() for t in (kw.split(",") if isinstance(kw, str) else kw) if str(t).strip()]
            img = obj.get("image")
            if img and not meta.image:
                if isinstance(img, list) and img:
                    img = img[0]
                if isinstance(img, dict):
                    img = img.get("url", "")
                meta.image = img if isinstance(img, str) else ""
    meta.dates = ld_dates + meta.dates

    # itemprop="datePublished" on a visible element names this article's date even when its
    # datetime attribute is mangled ("18 Jun 2015 at <span>06:25 WIB</span>"); a <time> may be
    # a sidebar's.
    for el in _ITEMPROP_DATE_XPATH(tree)[:2]:
        kind = "modified" if el.get("itemprop") == "dateModified" else "published"
        val = _text(el) or el.get("datetime") or el.get("content") or ""
        if val:
            meta.dates.append(DateCandidate(val, "meta:itemprop", kind))
    # <time datetime> in the article header is machine-readable and usually right.
    for t in tree.xpath("//time[@datetime]")[:3]:
        kind = "modified" if "updated" in (t.get("class") or "") or t.get("itemprop") == "dateModified" else "published"
        meta.dates.append(DateCandidate(t.get("datetime", ""), "meta:time", kind))

    # Visible bylines and dates, from common class names.
    for el in tree.xpath(
        '//*[contains(@class,"author") or contains(@class,"byline") or contains(@class,"penulis") '
        'or contains(@class,"reporter") or @rel="author" or @id="penulis" or @id="editor" '
        'or @id="author" or @id="reporter"][not(self::meta)][not(self::body)]'
    )[:6]:
        t = _text(el)
        if 2 < len(t) < 160:
            meta.byline_texts.append(t)
    for el in tree.xpath(
        '//*[contains(@class,"date") or contains(@class,"time") or contains(@class,"tanggal") '
        'or contains(@class,"posted-on") or contains(@class,"schedule") or self::time]'
        '[not(@datetime)][not(self::body)][not(self::html)]'
    )[:8]:
        t = _text(el)
        if 6 < len(t) < 80 and re.search(r"\d", t):
            meta.dates.append(DateCandidate(t, "byline", "published"))

    # The line right under the headline is the byline on many old layouts (kompas 2015:
    # <h2>title</h2><div class="grey small">Rabu, 17 Juni 2015 | 22:26 WIB</div>); a byline
    # element may carry the date too ("Agence France-Presse, ... | Fri, June 19 2015, 7:36 AM").
    ref = _words(meta.og_title or meta.html_title)
    for h in _HEADINGS_XPATH(tree)[:12]:
        w = _words(_text(h))
        if not ref or len(w.split()) < 3 or w not in ref:
            continue
        sib = h.getnext()
        for _ in range(3):
            if sib is None:
                break
            t = _text(sib) if isinstance(sib.tag, str) else ""
            if 6 < len(t) < 80 and re.search(r"\d{1,2}[:.]\d{2}", t):
                meta.dates.append(DateCandidate(t, "byline", "published"))
                break
            sib = sib.getnext()
        break
    for t in meta.byline_texts:
        if re.search(r"\d{4}", t) and re.search(r"\d{1,2}[:.]\d{2}", t):
            meta.dates.append(DateCandidate(t, "byline", "published"))

    # Site selectors outrank everything: an operator checked them.
    if selectors.get("title"):
        els = tree.cssselect(selectors["title"])
        if els and _text(els[0]):
            meta.title = _text(els[0])
    if selectors.get("author"):
        meta.byline_texts = [_text(e) for e in tree.cssselect(selectors["author"]) if _text(e)] + meta.byline_texts
    for key, kind in (("date", "published"), ("modified", "modified")):
        if selectors.get(key):
            els = tree.cssselect(selectors[key])
            if els:
                val = els[0].get("datetime") or els[0].get("content") or _text(els[0])
                meta.dates.insert(0, DateCandidate(val, "selector", kind))
    if selectors.get("section"):
        els = tree.cssselect(selectors["section"])
        if els and _text(els[0]):
            meta.section = _text(els[0])
    if selectors.get("tags"):
        tags = [_text(e) for e in tree.cssselect(selectors["tags"]) if _text(e)]
        if tags:
            meta.tags = tags

    url_date = re.search(r"/(20\d\d|19\d\d)/(\d{1,2})/(\d{1,2})/", urlsplit(url).path)
    if url_date:
        y, m, d = url_date.groups()
        meta.dates.append(DateCandidate(f"{y}-{int(m):02d}-{int(d):02d}", "url", "published"))
    return meta


def _words(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


def pick_title(meta: PageMeta) -> str:
    """The headline. JSON-LD's headline first; then the <h1> that agrees with og:title or
    <title> (a site's logo or section name is often an <h1> too: "Regional", "Inpicture");
    then og:title, <title>, and the first <h1> as the last resort."""
    if meta.title:
        return meta.title
    ref = _words(meta.og_title or meta.html_title)
    for h in meta.h1s:
        w = _words(h)
        if ref and len(w.split()) >= 2 and (w in ref or ref in w):
            return h
    return meta.og_title or meta.html_title or meta.h1


def clean_title(title: str, site_title: str = "", site_name: str = "") -> str:
    """Drop an outlet suffix ("... - detikSumbagsel", "... | Sumeks.co")."""
    t = re.sub(r"\s+", " ", title).strip()
    for name in filter(None, {site_title, site_name}):
        t = re.sub(r"\s*[-–|:]+\s*" + re.escape(name) + r"\s*$", "", t, flags=re.IGNORECASE)
    m = re.match(r"^(.{15,}?)\s+(?:[-–|]|::)\s+([^-–|:]{2,40})$", t)
    if m and re.search(r"(detik|kompas|tribun|antara|okezone|liputan6|\.com|\.co|\.id|news|post|times|pos)\b",
                       m.group(2), re.IGNORECASE):
        t = m.group(1)
    return t.strip()
