"""Article extraction: ``extract_article(html, url, site) -> Article``.

Pure and Scrapy-free, so the pipeline, ``warta extract`` and the evaluation run the
same code. Steps: decode, read metadata, strip boilerplate boxes from the DOM, let
trafilatura find the main text, then apply the Indonesian line rules of
``crawler.boilerplate`` and move bylines, captions and initials into fields.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from crawler.boilerplate import clean_lines, norm_key, parse_byline, split_names
from crawler.dates import find_dateline_dates, resolve_dates
from crawler.encoding import decode_html, repair_text
from crawler.items import Article, DateCandidate
from crawler.metadata import PageMeta, clean_title, label_bylines, pick_title, read_metadata
from crawler.urls import canonicalize

if TYPE_CHECKING:
    from crawler.sites import SiteConfig

logger = logging.getLogger(__name__)

MIN_ARTICLE_WORDS = 40
# Parsing cost grows with size; real articles are far below this, traps are not.
MAX_HTML_CHARS = 3_000_000

# Boxes that are boilerplate on Indonesian CMSes (related links, share bars, "Baca
# juga" boxes, ads), matched against class tokens. Structural containers (header,
# footer, nav, aside, sidebar, widget) are left to trafilatura: dropping them here cost
# recall on the scrapinghub benchmark, where lead paragraphs often sit in a <header>.
_JUNK_CLASS_TOKENS = {
    "baca-juga", "bacajuga", "baca_juga", "linksisip", "related", "related-post", "related-posts",
    "relatedpost", "jp-relatedposts", "yarpp-related", "share", "share-box", "sharedaddy", "social-share",
    "share-buttons", "sharebar", "comments", "comment-respond", "comment-list", "newsletter", "cookie",
    "cookie-notice", "popular", "terpopuler", "most-popular", "parallaxindetail", "staticdetail_container",
    "ads", "advertisement", "iklan", "adsbygoogle", "detail__body-tag", "post-tags", "tag-list",
    "berita-lainnya", "beritalainnya", "berita-terkait", "related-news",
}
_JUNK_ID_TOKENS = {"comments", "respond", "related", "newsletter"}
_DROP_TAGS = ("script", "style", "noscript", "template")


def content_hash(text: str) -> str:
    """Hash of the normalised text: case, punctuation and spacing do not make a new copy."""
    norm = unicodedata.normalize("NFKC", text).lower()
    norm = re.sub(r"[\W_]+", " ", norm).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _parse(html: str) -> lxml_html.HtmlElement | None:
    if len(html) > MAX_HTML_CHARS:
        html = html[:MAX_HTML_CHARS]
    # lxml refuses strings that declare an encoding; the text is already decoded.
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    if not html.strip():
        return None
    try:
        parser = lxml_html.HTMLParser(remove_comments=True, huge_tree=False)
        tree = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return tree


def _classes(el: lxml_html.HtmlElement) -> set[str]:
    return set((el.get("class") or "").lower().split())


def _strip_boilerplate_boxes(
    tree: lxml_html.HtmlElement, drop_selectors: tuple[str, ...], caption_texts: list[str]
) -> tuple[set[str], set[str], lxml_html.HtmlElement | None]:
    """Remove junk boxes; return the normalised texts of captions and of removed boxes,
    so the line pass can recognise them if trafilatura picks them up elsewhere, and the
    main container (see ``_main_container``), which is never removed."""
    captions: set[str] = set()
    junk: set[str] = set()
    for sel in drop_selectors:
        try:
            found = tree.cssselect(sel)
        except Exception:  # noqa: BLE001 - validated at load time; a bad one must not kill a crawl
            continue
        for el in found:
            _drop(el, junk)
    for el in list(tree.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    main = _main_container(tree)
    keep = set(main.iterancestors()) | {main} if main is not None else set()
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        tokens = _classes(el)
        el_id = (el.get("id") or "").lower()
        if tokens & _JUNK_CLASS_TOKENS or el_id in _JUNK_ID_TOKENS:
            # Never drop the container of the article's paragraphs (or, when there is no
            # clear one, a box holding many paragraphs).
            if el in keep or (main is None and len(el.findall(".//p")) > 6):
                continue
            _drop(el, junk)
    for el in list(tree.iter("figcaption")) + tree.xpath(
        '//*[contains(@class,"caption") or contains(@class,"wp-caption-text")][not(self::figcaption)]'
    ):
        raw = re.sub(r"\s+", " ", el.text_content()).strip()
        t = norm_key(raw)
        if t and len(t) < 400 and t not in captions:
            captions.add(t)
            caption_texts.append(raw)
    return captions, junk, main


def _drop(el: lxml_html.HtmlElement, junk: set[str]) -> None:
    t = norm_key(el.text_content())
    if t:
        junk.add(t)
    if el.getparent() is not None:
        el.drop_tree()


# Class/id words for which trafilatura discards a whole container. Real article bodies sit in
# such containers often enough ("sosmedsticky author-and-share" on okezone) that the one holding
# most of the page's paragraphs is spared.
_DISCARD_WORDS = re.compile(
    r"share|social|viral|author|byline|sidebar|banner|button|widget|meta|slide|sticky|overlay|timestamp|"
    r"attachment|options|expand",
    re.I,
)


def _main_container(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element whose own paragraphs hold most of the page's paragraph text, when one
    clearly does: the article body on almost every news page."""
    per_parent: dict[lxml_html.HtmlElement, int] = {}
    total = 0
    for p in tree.iter("p"):
        n = len(p.text_content())
        total += n
        parent = p.getparent()
        if parent is not None:
            per_parent[parent] = per_parent.get(parent, 0) + n
    if not per_parent:
        return None
    main, size = max(per_parent.items(), key=lambda kv: kv[1])
    if size < 500 or size < total / 2:
        return None
    return main


def _spare_main_container(main: lxml_html.HtmlElement) -> bool:
    """Take the discard-prone class/id words off the main container and its ancestors;
    True when there was any."""
    changed = False
    for el in (main, *main.iterancestors()):
        if el.tag in ("body", "html"):
            break
        for attr in ("class", "id"):
            if _DISCARD_WORDS.search(el.get(attr) or ""):
                del el.attrib[attr]
                changed = True
    return changed


def _missed_main(text: str, main: lxml_html.HtmlElement) -> bool:
    """trafilatura's text lacks most of the main container's paragraphs."""
    if len(text) > len(main.text_content()) * 0.8:
        return False  # the cheap answer for almost every page
    have = norm_key(text)
    paras = [norm_key(p.text_content())[:80] for p in main.iterchildren("p")]
    paras = [p for p in paras if len(p) >= 40]
    return bool(paras) and sum(p in have for p in paras) < len(paras) / 2


def _link_texts(tree: lxml_html.HtmlElement) -> set[str]:
    """Normalised texts of links that read like headlines (three words or more)."""
    out: set[str] = set()
    for a in tree.iter("a"):
        if not a.get("href"):
            continue
        raw = a.text_content()
        if raw.count(" ") < 2 or len(raw) > 300:
            continue
        k = norm_key(raw)
        if k.count(" ") >= 2 and not k.startswith(("http", "www")):
            out.add(k)
    return out


_LIST_FILLER = re.compile(
    r"^(\d+|senin|selasa|rabu|kamis|jumat|jum|at|sabtu|minggu|wib|wita|wit|\d+\w*)$"
)


def _is_link_headline(line: str, links: set[str]) -> bool:
    """The whole line is a link's text, perhaps after a rank number and a timestamp
    ("05Kamis, 05/11/2015 10:08 WIB Headline"): an entry of a headline list."""
    toks = norm_key(line).split()
    for i in range(min(len(toks), 10)):
        if i and not _LIST_FILLER.match(toks[i - 1]):
            return False
        if " ".join(toks[i:]) in links:
            return True
    return False


def _drop_headline_tail(lines: list[str], links: set[str]) -> list[str]:
    """Cut a run of headline lists that trafilatura took in after the body (sidebars,
    "terpopuler" boxes): from the first headline on, headlines must be at least half of
    what follows. Headlines among the paragraphs are left to the line rules."""
    if not links:
        return lines
    # a headline entry is short; long lines are paragraphs without asking
    flags = [len(ln) < 220 and _is_link_headline(ln, links) for ln in lines]
    heads = head_chars = other_chars = 0
    cut = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if all(_LIST_FILLER.match(t) for t in norm_key(lines[i]).split()):
            continue  # bullets, rank numbers and timestamps of the list itself
        if flags[i]:
            heads += 1
            head_chars += len(lines[i].strip())
            if heads >= 2 and head_chars >= other_chars:
                cut = i
        else:
            other_chars += len(lines[i].strip())
    # The list's own bullets and rank numbers before its first headline go with it.
    while 0 < cut < len(lines) and all(_LIST_FILLER.match(t) for t in norm_key(lines[cut - 1]).split()):
        cut -= 1
    # Keep at least the opening paragraph: a page whose every line is a link is not cut here.
    return lines[:cut] if cut > 0 else lines


def _main_text(tree: lxml_html.HtmlElement, url: str, body_selector: str | None) -> str:
    target: lxml_html.HtmlElement = tree
    if body_selector:
        try:
            found = tree.cssselect(body_selector)
        except Exception:  # noqa: BLE001
            found = []
        if found:
            # A fragment with only the body keeps trafilatura from wandering into
            # sidebars; the whole page stays the fallback below.
            wrapper = lxml_html.Element("html")
            body = lxml_html.Element("body")
            wrapper.append(body)
            art = lxml_html.Element("article")
            body.append(art)
            for el in found:
                art.append(el)
            target = wrapper
    text = trafilatura.extract(
        target,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
    )
    if not text and target is not tree:
        text = trafilatura.extract(tree, url=url, include_comments=False)
    return text or ""


_BLOCK_TAGS = {"p", "div", "table", "ul", "ol", "figure", "section", "article", "h1", "h2", "h3", "h4", "blockquote"}


def _recover_lead(tree: lxml_html.HtmlElement, text: str) -> str:
    """trafilatura sometimes drops the lead of layouts that write it as loose text
    before the first <p> ("<b>Kapanlagi.com</b> - Brandon ...<br/>", kompas's
    "<strong>Jakarta, KompasOtomotif</strong> - ..."). Put back the paragraphs and
    loose text that directly precede the first extracted paragraph in its container."""
    first = text.split("\n", 1)[0].strip()
    if len(first) < 40:
        return text
    probe = norm_key(first)[:60]
    for p in tree.iter("p"):
        if not norm_key(p.text_content()).startswith(probe):
            continue
        lead: list[str] = []
        prev = p.getprevious()
        while prev is not None and len(lead) < 3 and isinstance(prev.tag, str) and prev.tag == "p":
            t = re.sub(r"\s+", " ", prev.text_content()).strip()
            if t and len(t) < 60:
                break
            if t:  # empty <p> left by sloppy markup ("<p><p>") are stepped over
                lead.insert(0, t)
            prev = prev.getprevious()
        parent = p.getparent()
        if parent is not None and (prev is None or not isinstance(prev.tag, str) or prev.tag not in _BLOCK_TAGS):
            loose = [parent.text or ""]
            for child in parent:
                if child is p or (isinstance(child.tag, str) and child.tag in _BLOCK_TAGS):
                    break
                loose.append(child.text_content() if isinstance(child.tag, str) and child.tag != "br" else "")
                loose.append(child.tail or "")
            t = re.sub(r"\s+", " ", "".join(loose)).strip()
            if len(t) >= 60 and norm_key(t)[:60] not in norm_key(text):
                lead.insert(0, t)
        return "\n".join([*lead, text]) if lead else text
    return _recover_loose_lead(tree, first, text)


_TEXT_STARTING = etree.XPath("//body//text()[starts-with(normalize-space(.), $head)]")


def _recover_loose_lead(tree: lxml_html.HtmlElement, first: str, text: str) -> str:
    """The same for bodies written as one element of text and <br> breaks (old viva:
    <span itemprop="articleBody"><b>VIVA.co.id</b> - lead...<br><br>second...): the inline
    text before the first extracted line, back to the previous block element."""
    head = first[:12]
    for node in _TEXT_STARTING(tree, head=head):
        holder = node.getparent()
        if holder is None or holder.tag in ("h1", "h2", "h3", "h4", "title", "a"):
            return text
        if node.is_tail or (holder.tag in _BLOCK_TAGS and holder.getparent() is not None):
            # the line is a tail after an inline element, or a block of its own
            # ("<div>second...</div>"): the lead is loose text before it in its parent
            box = holder.getparent()
        else:
            box = holder
        if box is None:
            return text
        acc: list[str] = [box.text or ""]
        for child in box:
            if child is holder and node.is_tail:
                acc.append(child.text_content() if child.tag != "br" else "")
                break
            if child is holder:
                break
            if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
                if child.text_content().strip():  # "<div><br/></div>" spacers do not count
                    acc = []
            elif isinstance(child.tag, str) and child.tag != "br":
                acc.append(child.text_content())
            acc.append(child.tail or "")
        lead = re.sub(r"\s+", " ", "".join(acc)).strip()
        if len(lead) >= 60 and norm_key(lead)[:60] not in norm_key(text):
            return lead + "\n" + text
        return text
    return text


def extract_content(
    html: str | bytes,
    url: str,
    site: SiteConfig | None = None,
    *,
    content_type: str | None = None,
    continuation: list[bytes] | None = None,
) -> Article:
    """Text and metadata; dates stay as candidates (see ``apply_dates``)."""
    if isinstance(html, bytes):
        html, _enc = decode_html(html, content_type)
    tree = _parse(html)
    if tree is None:
        return Article(url=url, site=site.name if site else "", is_article=False,
                       not_article_reason="empty or unparseable HTML")
    selectors = dict(site.selectors) if site else {}
    meta = read_metadata(tree, url, selectors)
    caption_texts: list[str] = []
    captions, junk, main = _strip_boilerplate_boxes(tree, site.drop_selectors if site else (), caption_texts)

    site_title = site.title if site else ""
    title = clean_title(repair_text(pick_title(meta)), site_title, meta.site_name)
    main_text = _main_text(tree, url, selectors.get("body"))
    if main is not None and _missed_main(main_text, main) and _spare_main_container(main):
        # The article body sat in a box whose class trafilatura reads as chrome
        # ("sosmedsticky author-and-share"): a second pass without those words.
        retry = _main_text(tree, url, selectors.get("body"))
        if len(retry) > len(main_text):
            main_text = retry
    raw_text = _recover_lead(tree, main_text)
    raw_lines = raw_text.split("\n")
    tail = [ln.strip() for ln in raw_lines[-12:] if ln.strip()]
    if sum(len(ln) < 160 and ln[-1] not in '.!"”' for ln in tail) >= 2:
        # only a text ending in short lines that are not sentences can end in a headline
        # list: the page's links are read then
        raw_text = "\n".join(_drop_headline_tail(raw_lines, _link_texts(tree)))
    for more in continuation or []:
        # Later pages repeat the chrome; only their main text is joined.
        more_html, _ = decode_html(more, content_type)
        more_tree = _parse(more_html)
        if more_tree is not None:
            _strip_boilerplate_boxes(more_tree, site.drop_selectors if site else (), [])
            raw_text += "\n" + _main_text(more_tree, url, selectors.get("body"))
    lines = repair_text(raw_text).split("\n")
    page_authors, page_editors = _authors(meta, [])
    lead_junk = {norm_key(n) for n in page_authors}
    deck = norm_key(repair_text(meta.description))
    if deck and (main is None or deck not in norm_key(main.text_content())):
        lead_junk.add(deck)
    cleaned = clean_lines(lines, title=title, known_captions=captions, known_junk=junk, lead_junk=lead_junk)

    text = _gallery_text(cleaned.text, caption_texts)
    declared = meta.language or (site.language if site else "")
    # "id" declared is believed; outlets put lang="en" (or nothing) on Indonesian pages.
    language = declared if declared == "id" else (detect_language(text) or declared)
    authors = page_authors + [n for n in cleaned.authors if n.lower() not in {a.lower() for a in page_authors}]
    editors = [e for e in page_editors + cleaned.editors if e not in authors]
    if (not authors or not editors) and language == "id" and _has_label_word(html):
        # Labelled boxes elsewhere on the page are the last resort for authors (a quote
        # widget can carry the same label) and add editors; reading them walks the page.
        for raw in label_bylines(tree):
            parsed = parse_byline(raw)
            if parsed is None:
                continue
            if not authors:
                authors = [repair_text(n) for n in parsed[0]]
            editors += [repair_text(n) for n in parsed[1] if n not in authors]
    editors = list(dict.fromkeys(editors))
    wc = word_count(text)
    art = Article(
        url=url,
        site=site.name if site else "",
        canonical_url=_canonical(meta, url, urlsplit(site.base_url).hostname if site else None),
        title=title,
        authors=authors,
        editors=editors,
        editor_initials=cleaned.editor_initials,
        text=text,
        word_count=wc,
        language=language,
        section=repair_text(meta.section),
        tags=clean_tags(meta.tags),
        image=meta.image,
        dateline=cleaned.dateline,
        captions=list(dict.fromkeys([repair_text(c) for c in caption_texts] + cleaned.captions)),
        date_candidates=list(meta.dates),
    )
    art.content_hash = content_hash(text) if text else ""
    if wc < MIN_ARTICLE_WORDS:
        art.is_article = False
        art.not_article_reason = f"no article body ({wc} words)"
    # Year-less and weekday datelines in the lead are the last resort for a date.
    for line in cleaned.date_lines[:2]:
        art.date_candidates.append(DateCandidate(line, "byline", "published"))
    for s in find_dateline_dates("\n".join(text.split("\n")[:3]))[:2]:
        art.date_candidates.append(DateCandidate(s, "text", "published"))
    return art


_ID_WORDS = frozenset(
    "yang dan di itu dengan untuk ini dari dalam tidak akan pada juga ke karena oleh tersebut".split()
)
_EN_WORDS = frozenset("the and of to is that for was with on are as by this have from".split())


def detect_language(text: str) -> str:
    """"id" or "en" from function words, when the text says so clearly; "" otherwise.
    Outlets declare lang="en" on Indonesian pages often enough that the text decides."""
    words = Counter(re.findall(r"[a-z]+", text[:2000].lower()))
    if sum(words.values()) < 40:
        return ""
    ind = sum(words[w] for w in _ID_WORDS)
    eng = sum(words[w] for w in _EN_WORDS)
    if ind >= 3 * max(eng, 1):
        return "id"
    if eng >= 3 * max(ind, 1):
        return "en"
    return ""


_STOP_TAGS = _ID_WORDS | _EN_WORDS | frozenset("apa para sebuah seperti sih aja about cover a an".split())
_SEO_TAG = re.compile(
    r"^(berita|news|info)\b.{0,20}\b(terkini|terbaru|hari ini|indonesia|harian|online|terupdate)$|^portal\b", re.I
)


def clean_tags(tags: list[str]) -> list[str]:
    """Tags as a reader would see them: comma lists split, SEO filler dropped, and
    keyword metas that are just words of the text (a CMS's auto-keywords) dropped whole."""
    out: list[str] = []
    for t in tags:
        for part in t.split(",") if "," in t else [t]:
            part = repair_text(part.strip())
            if part and not _SEO_TAG.match(part) and part.lower() not in {o.lower() for o in out}:
                out.append(part)
    if sum(o.lower() in _STOP_TAGS for o in out) >= 1 and sum(" " not in o for o in out) > len(out) / 2:
        return []
    return out[:50]


_LABEL_WORDS = ("penulis", "editor", "redaktur", "pewarta", "reporter", "wartawan", "penyunting")


def _has_label_word(html: str) -> bool:
    """The cheap test before label_bylines walks the page (substring search is C speed;
    a regex over the markup cost milliseconds on big pages)."""
    low = html.lower()
    return any(w in low for w in _LABEL_WORDS)


def _gallery_text(text: str, caption_texts: list[str]) -> str:
    """A photo story's text is its captions. trafilatura runs such a page (one <figure>
    per photo, nothing else) into a line or two of chrome with the captions inside; the
    figcaptions themselves are the clean text."""
    if len(caption_texts) < 3 or text.count("\n") > 2:
        return text
    have = norm_key(text)
    caps = [c for c in dict.fromkeys(caption_texts) if norm_key(c)]
    inside = [c for c in caps if norm_key(c) in have]
    if len(inside) >= 3:
        return "\n".join(repair_text(c) for c in inside)
    if word_count(text) < sum(word_count(c) for c in caps) / 2:
        # the captions were left out and only the gallery's chrome came back
        return "\n".join(repair_text(c) for c in caps)
    return text


def _authors(meta: PageMeta, from_text: list[str]) -> tuple[list[str], list[str]]:
    names: list[str] = []
    editors: list[str] = []
    for raw in meta.byline_texts:
        # In an author element, "Name - Channel" names a desk after the dash
        # ("Afif Farhan - Sepakbola", "Reiza Pahlevi - detikSumbagsel").
        raw = re.sub(r"\s+[-–]\s+[\w.]+$", "", raw)
        parsed = parse_byline(raw)
        cand = parsed[0] if parsed else split_names(raw)
        for n in cand:
            if n.lower() not in {x.lower() for x in names}:
                names.append(n)
        for n in parsed[1] if parsed else []:
            if n not in editors:
                editors.append(n)
    if not names:
        for raw in meta.authors:
            parsed = parse_byline(raw)
            for n in (parsed[0] if parsed else split_names(raw)):
                if n.lower() not in {x.lower() for x in names}:
                    names.append(n)
    for n in from_text:
        if n.lower() not in {x.lower() for x in names}:
            names.append(n)
    return [repair_text(n) for n in names], [repair_text(n) for n in editors]


def _canonical(meta: PageMeta, url: str, primary_host: str | None) -> str:
    """rel=canonical or og:url when they stay on this outlet (a syndicated copy may
    point at another outlet's original: that is a duplicate, not an alias), in the
    canonical form of ``crawler.urls``."""
    primary = primary_host or urlsplit(url).hostname or ""
    here = urlsplit(canonicalize(url, primary)).netloc
    for cand in (meta.canonical, meta.og_url):
        if cand:
            canon = canonicalize(cand, primary)
            if urlsplit(canon).netloc == here:
                return canon
    return canonicalize(url, primary)


def apply_dates(art: Article, tz: ZoneInfo, fetched_at: datetime) -> Article:
    """Resolve the date candidates in the site's zone (the dates pipeline calls this)."""
    result = resolve_dates(art.date_candidates, tz, fetched_at)
    art.published_at = result.published_at
    art.modified_at = result.modified_at
    art.date_source = result.date_source
    art.date_note = result.note
    return art


def extract_article(
    html: str | bytes,
    url: str,
    site: SiteConfig | None = None,
    *,
    content_type: str | None = None,
    fetched_at: datetime | None = None,
    continuation: list[bytes] | None = None,
) -> Article:
    """Text, metadata and resolved dates for one page (and its continuation pages)."""
    fetched = fetched_at or datetime.now(UTC)
    art = extract_content(html, url, site, content_type=content_type, continuation=continuation)
    art.fetched_at = fetched.isoformat(timespec="seconds")
    tz = site.tz if site else ZoneInfo("Asia/Jakarta")
    return apply_dates(art, tz, fetched)
