"""Indonesian news boilerplate: what to drop from article text and what to move
into metadata (bylines, editor initials, captions, datelines).

Works on trafilatura's line output, one paragraph per line, after the DOM pass in
``crawler.extract`` has removed the boxes it can see structurally. Rules here catch
what survives: inline markers, footers and credits written as ordinary paragraphs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

_I = re.IGNORECASE

# A line that is nothing but one of these is junk wherever it appears.
JUNK_LINE_RES: list[re.Pattern[str]] = [
    re.compile(p, _I)
    for p in (
        r"^\W*(baca|lihat|simak)\s+(juga|pula)\b.*$",
        r"^\W*baca\s+(berita|artikel)\s+(lainnya|terkait|selengkapnya)\b.*$",
        r"^\W*(berita|foto|video|artikel)\s+terkait\b.*$",
        # "Simak Lifestyle Populer Lainnya", "Lihat Berita Terbaru Lainnya": a list heading.
        r"^\W*(simak|baca|lihat)\b.{0,60}\b(lainnya|terpopuler|populer|terbaru|selengkapnya)\W*$",
        # Breadcrumbs ("Home > Berita > Nasional") and vote/like/credit counters.
        r"^\W*(home|beranda)\s*(>|»|/).{0,120}$",
        r"^\W*(rate artikel ini|beri nilai|like|dislike|suka|credits|komentar|comments?|shares?|dibaca)"
        r"\s*\(?\s*\d*\s*\)?\W*$",
        r"^\W*\d+\s*(shares?|komentar|comments?|views?|kali dibaca)\b.{0,80}$",
        r"^\W*disclaimer\s*:.{0,40}\bkomentar\b.*$",
        # Masthead contacts under a photo story: "Redaksi: redaksi[at]...", "hubungi : sales[at]...".
        r"^\W*(redaksi|hubungi|kontak\s+redaksi|email)\s*:.{0,60}(\[at\]|@).{0,60}$",
        r"^\W*informasi\s+pemasangan\s+iklan\W*$",
        r"^.{0,40}\bindex\s*»\s*$",
        r"^\W*simak\s+(video|juga|berita|selengkapnya|breaking)\b.*$",
        r"^\W*saksikan\b.*$",
        r"^\W*tonton\s+(juga|video)\b.*$",
        r"^\W*advertisement\W*$",
        r"^\W*iklan\W*$",
        r"^\W*scroll\s+(to|untuk)\s+(continue|lanjut)\b.*$",
        r"^\W*hide\s+ads\W*$",
        r"^\W*cek\s+berita\s+dan\s+artikel\s+(yang\s+)?lain(nya)?\s+di\s+google\s+news\b.*$",
        r"^.*\b(saluran|channel)\s+whatsapp\b.*(follow|ikuti|gabung|klik)\b.*$",
        r"^.*\b(follow|ikuti|gabung)\b.*\b(saluran|channel)\s+whatsapp\b.*$",
        r"^\W*dapatkan\s+(update|informasi|berita)\b.*$",
        # "Cek Berita dan Artikel yang lain di WhatsApp Channel", "Simak berita lainnya di
        # Google News dan saluran WA", "Follow WhatsApp Channel detikSumbagsel".
        r"^\W*(cek|simak|baca|ikuti|follow|gabung|join|klik)\b.{0,80}\b(google\s+news|whatsapp|wa\s+channel|"
        r"saluran\s+wa|telegram)\b.{0,80}$",
        r"^\W*artikel\s+ini\s+(telah|sudah)\s+(tayang|terbit|dimuat)\s+di\b.*$",
        r"^\W*\[gambas:[^\]]*\]\W*$",
        r"^\W*dilarang\s+keras\s+mengambil\s+konten\b.*$",
        r"^\W*copyright\b.{0,120}$",
        r"^\W*©.{0,120}$",
        r"^\W*hak\s+cipta\b.{0,120}$",
        r"^\W*(bagikan|share)\s*(artikel|berita|ini|:)?\W*$",
        r"^\W*(facebook|twitter|whatsapp|telegram|line|linkedin|email|copy link|salin link)"
        r"(\s*[,|/]?\s*(facebook|twitter|whatsapp|telegram|line|linkedin|email|copy link|salin link))*\W*$",
        r"^\W*(sumber|source)\s*:?\s*$",
        r"^\W*halaman\s+(selanjutnya|berikutnya|sebelumnya)\W*$",
        r"^\W*(next|prev(ious)?)\s+page\W*$",
        r"^\W*(tags?|topik|kata\s+kunci)\s*:.*$",
        r"^\W*(komentar|tulis komentar|kirim komentar|leave a reply|\d+\s+komentar)\W*$",
        r"^\W*(berlangganan|subscribe|daftar)\s+(newsletter|buletin)\b.*$",
        r"^.*\bkami\s+menggunakan\s+cookie\b.*$",
        r"^.*\bthis (site|website) uses cookies\b.*$",
        r"^\W*(terpopuler|berita\s+populer|paling\s+banyak\s+dibaca|rekomendasi|pilihan\s+editor)\W*$",
        r"^\W*(loading|memuat)\.{0,3}\W*$",
        r"^\W*(ikuti\s+kami|follow\s+us)\b.*$",
        r"^\W*(temukan|update)\s+berita\b.*\b(google\s+news|whatsapp|telegram)\b.*$",
        r"^\W*(berita|artikel)\s+(lainnya|pilihan|populer|terbaru)\W*$",
        r"^\W*(more\s+stories|related\s+(news|articles?)|popular\s+(news|videos|photos)|read\s+more)\W*$",
        # An empty list bullet, or a lone "-", left by a related-links list.
        r"^\W+$",
        # "Kamis, 05/11/2015 09:25 WIB   Headline": a timestamped entry of a related list.
        r"^\W*([A-Za-z']+,?\s+)?\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\s+\d{1,2}[:.]\d{2}(\s*(WIB|WITA|WIT))*\s+\S.{0,160}$",
    )
]

# One alternation instead of dozens of patterns per line: this runs on every line.
# Patterns anchored at a leading keyword fail fast; the few that must scan the whole
# line (".*whatsapp.*") only run when their keyword is there at all.
_JUNK_START = re.compile("|".join(f"(?:{r.pattern})" for r in JUNK_LINE_RES if not r.pattern.startswith("^.*")), _I)
_JUNK_SCAN = re.compile("|".join(f"(?:{r.pattern})" for r in JUNK_LINE_RES if r.pattern.startswith("^.*")), _I)
_SCAN_KEYS = ("whatsapp", "cookie")

# Inline markers: a paragraph that contains one keeps its text up to the marker.
INLINE_CUT_RES: list[re.Pattern[str]] = [
    re.compile(p, _I)
    for p in (
        r"\s*\b(baca|lihat)\s+juga\s*:.*$",
        r"\s*\bSCROLL TO CONTINUE WITH CONTENT\b.*$",
        r"\s*\bADVERTISEMENT\b\s*",
        r"\s*\bcek\s+berita\s+dan\s+artikel\s+yang\s+lain\s+di\s+google\s+news\b.*$",
        r"\s*\[gambas:[^\]]*\]",
        r"\s*\bartikel\s+ini\s+(telah|sudah)\s+tayang\s+di\b.*$",
        r"\s*\bHide Ads\b\s*",
        r"\s*\b(cek|simak|ikuti|follow)\s+(berita|artikel|saluran|whatsapp|wa)\b[^.]{0,80}\b(whatsapp|wa)\s*"
        r"(channel)?\b.*$",
    )
]

# Bylines. Group "names" holds who; the label says which list they go to.
_LABELS = {
    "penulis": "authors",
    "reporter": "authors",
    "wartawan": "authors",
    "pewarta": "authors",
    "kontributor": "authors",
    "oleh": "authors",
    "laporan wartawan": "authors",
    "editor": "editors",
    "redaktur": "editors",
    "penyunting": "editors",
    "editing": "editors",
}
_LABEL_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in _LABELS), key=len, reverse=True)) + r")\s*:\s*",
    _I,
)
# "Reiza Pahlevi - detikSumbagsel", "Tim detikcom - detikNews"
_DETIK_BYLINE_RE = re.compile(r"^\s*(?P<names>[^\n]{2,80}?)\s+[-–]\s+detik[A-Za-z]*\s*$")
_OUTLET_WORDS = re.compile(
    r"(detik|kompas|tribun|antara|\.com|\.co\b|\.id\b|news\b|media\b|redaksi|admin|"
    r"cyber|developer|webmaster|official|humas\b|diskominfo|\bpost\b|online\b|portal|wire\b|presse?\b|"
    r"reuters|\bafp\b|associated|xinhua|bernama|facebook|twitter|instagram|youtube|google|"
    r"^(dok|dokumentasi|foto|photo|ilustrasi|istimewa)\b)",
    _I,
)
# Role words around a name: "Kontributor Lhokseumawe, Masriadi", "Fakhrizal Fakhri Jurnalis".
_ROLE_PREFIX = re.compile(r"^(kontributor|koresponden|wartawan|jurnalis|reporter|penulis|editor|fotografer)\b.*$", _I)
_ROLE_SUFFIX = re.compile(r"\s+(jurnalis|wartawan|reporter|kontributor|penulis|editor)$", _I)
_DAY_WORD = re.compile(
    r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"senin|selasa|rabu|kamis|jum'?at|sabtu|minggu)\.?$",
    _I,
)
_NOT_A_PERSON = re.compile(r"^(tim|team|redaksi|admin|administrator|editor|penulis|reporter|-)$", _I)

# Editor initials at the end of the last paragraph: "(csb/csb)", "(rds/ima)", "(Arie id)",
# "(Tim)", "(ant)", or a bare lower-case tag glued to the final full stop: "jelasnya.rds".
_INITIALS_PAREN_RE = re.compile(
    r"\s*\((?P<ini>[A-Za-z]{2,5}(/[A-Za-z]{2,5})+|[A-Za-z][A-Za-z .]{0,20}|[A-Za-z]{2,5})\)\s*$"
)
_INITIALS_GLUED_RE = re.compile(r"(?<=[.!?\"”])\s*(?P<ini>[a-z]{2,4}(/[a-z]{2,4})?)\s*$")
_INITIALS_LINE_RE = re.compile(r"^\s*\(?\s*(?P<ini>[a-z]{2,5}(/[a-z]{2,5})+|[a-z]{2,4})\s*\)?\s*$")

# Captions: "(Foto: Istimewa/Diskominfo Banyuasin)", "Foto: ...", "FOTO/ANTARA/...", a disway
# caption "APEL : Asisten II memimpin ... Muara Enim.--".
_CAPTION_RES = [
    re.compile(p, _I)
    for p in (
        r"^\W*\(?\s*(foto|photo|dok|dokumentasi|ilustrasi|gambar|image|sumber foto)\s*[:/].*$",
        r"^.*\((foto|photo|dok|ilustrasi)\s*[:/][^)]*\)\s*$",
        r"^.*[^-]--\s*$",
        r"^\W*(foto|ilustrasi)\s*$",
        r"^\W*(fotografer|foto oleh|photographer|videografer)\s*:.{2,80}$",
    )
]

# Dateline: "BANYUASIN -", "MUARA ENIM, SUMEKS.CO -", "Palembang,Aliansinews.",
# "Banyuasin, AkselNews.com –", "BANJARMASIN-", "Jakarta (ANTARA) -".
_DATELINE_STRICT_RE = re.compile(
    r"^\s*(?P<place>(?:[A-Z]{3,}(?:[ ][A-Z]{2,}){0,3})|(?:[A-Z][a-z]+(?:[ ][A-Z][a-z]+){0,2}))"
    r"(?P<rest>(?:\s*,\s*[A-Za-z][\w.]*(?:\.(?:com|co|id|net))?(?:\s[\w.]+)?)?(?:\s*\([A-Za-z.]+\))?)"
    r"\s*(?:[-–—]+\s*|,\s*(?=[A-Z][\w.]*\.(?:com|co|id)?\s*[-–—]))"
)


_DAYS = r"(senin|selasa|rabu|kamis|jum'?at|jum’at|sabtu|minggu|ahad)"
_MONTHS = (r"(jan(uari)?|feb(ruari)?|pebruari|mar(et)?|apr(il)?|mei|jun(i)?|jul(i)?|agu(stus)?|agt|"
           r"sep(tember)?|okt(ober)?|nov(ember)?|nop(ember)?|des(ember)?|[a-z]{3,9})")
# A line that is only a date ("Selasa, 16 Januari 2024 14:45 WIB", "Senin 04-12-2023,14:30 WIB"):
# page chrome that trafilatura sometimes keeps; it becomes a date candidate instead.
DATE_LINE_RE = re.compile(
    r"^\W*(" + _DAYS + r"\W{0,3})?\d{1,2}[\s/.-]+(" + _MONTHS + r"|\d{1,2})[\s/.-]+\d{2,4}"
    r"(\s*[-|,]?\s*(pukul\s*)?\d{1,2}[:.]\d{2}(:\d{2})?\s*(wib|wita|wit)?)?\W*$",
    _I,
)


@dataclass
class CleanResult:
    text: str
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    editor_initials: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    dateline: str = ""
    date_lines: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def split_names(raw: str) -> list[str]:
    """Person names from a byline fragment; outlet names, "Tim" and accounts are dropped."""
    raw = re.sub(r"\s+", " ", raw).strip(" .,-–|")
    parts = re.split(r"\s*(?:,|;|&|\band\b|\bdan\b|/|\|)\s*", raw)
    names: list[str] = []
    for p in parts:
        p = p.strip(" .-–:")
        p = re.sub(r"^(oleh|by|dari)\s+", "", p, flags=_I)
        p = re.sub(r"\s+[-–]\s+detik\w*$", "", p, flags=_I)
        p = _ROLE_SUFFIX.sub("", p)
        if len(parts) > 1 and p.isupper() and len(p.split()) == 1:
            # "Agence France-Presse, CHARLESTON, South Carolina | World": a dateline
            # place; what follows it is place, desk and date, not people.
            break
        if not p or _NOT_A_PERSON.match(p) or _OUTLET_WORDS.search(p) or _ROLE_PREFIX.match(p):
            continue
        if _DAY_WORD.match(p) or (len(parts) > 2 and len(p.split()) == 1):
            continue
        if p.isupper() and len(p) > 3:
            p = p.title()  # "MASRIADI" as the byline writes "Masriadi"
        if re.match(r"^tim\b", p, _I):
            continue
        if len(p) > 60 or len(p.split()) > 6 or not re.search(r"[A-Za-z]{2}", p):
            continue
        if p.islower() or re.search(r"\d|@|https?:", p):
            continue
        if p.lower() not in {n.lower() for n in names}:
            names.append(p)
    return names


def parse_byline(line: str) -> tuple[list[str], list[str]] | None:
    """(authors, editors) if the whole line is a byline, else None."""
    s = line.strip()
    if len(s) > 200:
        return None
    m = _DETIK_BYLINE_RE.match(s)
    if m and not _LABEL_RE.search(s):
        names = split_names(m.group("names"))
        return (names, [])
    labels = list(_LABEL_RE.finditer(s))
    if not labels or labels[0].start() > 3:
        return None
    authors: list[str] = []
    editors: list[str] = []
    for i, lm in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(s)
        chunk = s[lm.end() : end]
        target = authors if _LABELS[lm.group(1).lower()] == "authors" else editors
        for n in split_names(chunk):
            if n not in target:
                target.append(n)
    return (authors, editors)


def is_junk_line(line: str) -> bool:
    if _JUNK_START.match(line) is not None:
        return True
    low = line.lower()
    return any(k in low for k in _SCAN_KEYS) and _JUNK_SCAN.match(line) is not None


_INLINE_KEYS = ("baca", "lihat", "scroll", "advertisement", "google news", "gambas", "tayang", "hide ads", "whatsapp",
                "wa ")


def cut_inline(line: str) -> str:
    low = line.lower()
    if not any(k in low for k in _INLINE_KEYS):
        return line
    for r in INLINE_CUT_RES:
        line = r.sub(" ", line) if r.pattern.endswith("\\s*") else r.sub("", line)
    return re.sub(r"[ \t]{2,}", " ", line).strip()


_CAPTION_ANY = re.compile("|".join(f"(?:{r.pattern})" for r in _CAPTION_RES), _I)

# A photo credit closing a caption: "(REUTERS/Chaiwat Subprasom)", "(Bagus Kurniawan/detikcom)",
# "[suara.com/Oke Atmaja]", "(ANTARA FOTO/Nova Wahyudi)", "© Instagram.com". A slash alone is not
# enough: editor initials "(rds/ima)" close the last paragraph the same way.
_CREDIT_RE = re.compile(
    r"(?:[(\[]\s*(?P<credit>[^()\[\]]{2,80}/[^()\[\]]{2,80})[)\]]|©\s*[^©]{2,80})\s*$"
)
_CREDIT_WORDS = re.compile(
    r"(reuters|\bafp\b|\bap\b|associated press|antara|\bepa\b|getty|xinhua|anadolu|istimewa|\bdok\b|"
    r"dokumentasi|foto|photo|detik|kompas|tribun|okezone|liputan6|kapanlagi|suara|viva|tempo|merdeka|"
    r"\.com|\.co\b|\.id\b|instagram|twitter|facebook|youtube)",
    _I,
)


def is_credit_caption(line: str) -> bool:
    """A short paragraph closed by a photo credit: a caption that sits among the paragraphs."""
    if len(line) > 400 or (line.rstrip()[-1:] not in (")", "]") and "©" not in line):
        return False
    m = _CREDIT_RE.search(line)
    if m is None:
        return False
    credit = m.group("credit") or m.group(0)
    if _INITIALS_PAREN_RE.fullmatch(" (" + credit + ")"):
        return False
    # "(Bagus Kurniawan/detikcom)": a name and an outlet or agency; "(rds/ima)" is neither.
    return _CREDIT_WORDS.search(credit) is not None or (m.group("credit") is not None and " " in credit)


def is_caption(line: str, known_captions: set[str], norm: str | None = None) -> bool:
    norm = norm_key(line) if norm is None else norm
    if norm and norm in known_captions:
        return True
    if len(line) > 400:
        return False
    return _CAPTION_ANY.match(line) is not None


_NONWORD = re.compile(r"\W+")


def norm_key(s: str) -> str:
    """Lower-case words only: how lines, captions and titles are compared."""
    return _NONWORD.sub(" ", s).strip().lower()


_OUTLET_ONLY_RE = re.compile(r"^\s*[A-Z][A-Za-z0-9]*\.(?:COM|CO\.ID|CO|ID|NET)\s*[-–—]+\s*", _I)
_OUTLET_FIRST_RE = re.compile(
    r"^\s*[A-Z][A-Za-z0-9]*\.(?:COM|CO\.ID|CO|ID|NET)\s*,\s*"
    r"(?P<place>[A-Z][A-Za-z]+(?:[ ][A-Z][A-Za-z]+){0,3})\s*[-–—]+\s*",
    _I,
)


def take_dateline(first: str) -> tuple[str, str]:
    """("BANYUASIN", rest of the paragraph) when the lead opens with a dateline."""
    m = _OUTLET_FIRST_RE.match(first)
    if m and len(first) - m.end() >= 20:
        return m.group("place").strip(), first[m.end() :].lstrip()
    m = _OUTLET_ONLY_RE.match(first)
    if m and len(first) - m.end() >= 20:
        return "", first[m.end() :].lstrip()  # "Kapanlagi.com - ...": an outlet credit, no place
    m = _DATELINE_STRICT_RE.match(first)
    if not m:
        return "", first
    place = m.group("place").strip()
    rest = first[m.end() :].lstrip()
    # A capitalised first word followed by a dash inside a normal sentence is not a
    # dateline unless it is short and the rest reads as a sentence.
    if len(place.split()) > 4 or not rest or len(rest) < 20:
        return "", first
    return place, rest


def take_initials(last: str) -> tuple[str, str]:
    """(initials, paragraph without them) for the final paragraph."""
    m = _INITIALS_LINE_RE.match(last)
    if m:
        return m.group("ini"), ""
    m = _INITIALS_PAREN_RE.search(last)
    if m:
        ini = m.group("ini").strip()
        # "(Arie id)" and "(Tim)" are initials; a long parenthetical is real text.
        if len(ini) <= 20 and not re.search(r"\d", ini):
            return ini, last[: m.start()].rstrip()
    m = _INITIALS_GLUED_RE.search(last)
    if m:
        return m.group("ini"), last[: m.start()].rstrip()
    return "", last


_TRAILING_CAPS_NAME = re.compile(r"(?:^|(?<=[.!?\"”])\s+)(?P<name>[A-Z][A-Z'.]+(?:\s[A-Z][A-Z'.]+){1,3})\s*$")
_LONE_LABEL_RE = re.compile(r"^\W*(" + "|".join(_LABELS) + r")\s*:\W*$", _I)
_TABLE_PIPES = re.compile(r"\s*\|\s*")


def _is_kicker(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 4 or len(line) > 40 or re.search(r"[-–—:.,!?\"”]\s*$", line):
        return False
    letters = [c for c in line if c.isalpha()]
    # An all-capitals label, or one or two words (a section name).
    return bool(letters) and (all(c.isupper() for c in letters) or len(words) <= 2)


def clean_lines(
    lines: list[str],
    *,
    title: str = "",
    known_captions: set[str] | None = None,
    known_junk: set[str] | None = None,
    lead_junk: set[str] | None = None,
) -> CleanResult:
    """Drop boilerplate lines, move bylines/captions/initials/dateline to fields."""
    known_captions = known_captions or set()
    known_junk = known_junk or set()
    res = CleanResult(text="")
    title_norm = norm_key(title)
    kept: list[str] = []
    pending_label = ""
    for raw in lines:
        line = raw.strip()
        if line.startswith("|"):
            # trafilatura writes table rows as "| Penulis | : Andi |"; byline and junk
            # boxes laid out as tables are read as their cells.
            line = _TABLE_PIPES.sub(" ", line).strip()
            line = re.sub(r"\s+:\s*", ": ", line)
        if not line:
            continue
        norm = norm_key(line)
        if is_junk_line(line) or norm in known_junk:
            res.removed.append(line)
            continue
        cut = cut_inline(line)
        if cut != line:
            line, norm = cut, norm_key(cut)
        if not line:
            continue
        if lead_junk and norm in lead_junk and len(kept) < 3:
            # The standfirst (og:description set apart above the body) or the author's
            # name on its own line, above the lead.
            res.removed.append(line)
            continue
        if title_norm and (norm == title_norm or (
                title_norm.count(" ") >= 3 and title_norm in norm and len(norm) - len(title_norm) <= 25)):
            # also the headline with a kicker or an outlet suffix: "In Picture: <title>",
            # "<title> | Sumeks.co"
            # The headline repeated as a paragraph (top of the body, or a share box at the end).
            res.removed.append(line)
            continue
        if pending_label and len(line) < 60:
            # "Reporter:" on one line, "Adinda Salsabila |" on the next (disway).
            by = parse_byline(f"{pending_label}: {line}")
            pending_label = ""
            if by is not None and (by[0] or by[1]):
                res.authors += [n for n in by[0] if n not in res.authors]
                res.editors += [n for n in by[1] if n not in res.editors]
                res.removed.append(line)
                continue
        pending_label = ""
        by = parse_byline(line) if len(line) <= 200 and (":" in line or "-" in line or "–" in line) else None
        lone = _LONE_LABEL_RE.match(line) if by is not None and not (by[0] or by[1]) else None
        if lone:
            pending_label = lone.group(1)
        if by is not None and (by[0] or by[1] or len(line) < 60):
            for n in by[0]:
                if n not in res.authors:
                    res.authors.append(n)
            for n in by[1]:
                if n not in res.editors:
                    res.editors.append(n)
            res.removed.append(line)
            continue
        if is_caption(line, known_captions, norm):
            res.captions.append(line)
            continue
        if len(line) < 60 and DATE_LINE_RE.match(line):
            res.date_lines.append(line)
            continue
        kept.append(line)

    # Photo captions closed by a credit, among the paragraphs (the last paragraph may end
    # with a source credit, "(Ant/Reuters)", and stays).
    for i in range(len(kept) - 2, -1, -1):
        if is_credit_caption(kept[i]):
            res.captions.insert(0, kept.pop(i))
    # Kickers and section labels above the lead ("DUNIA", "MUDA DAN MENGINSPIRASI", "Berita"):
    # nothing shorter than a sentence comes before the first paragraph of an article.
    # A fragment running on into the next line ("Photos" / "which were released...") is text.
    while len(kept) > 1 and _is_kicker(kept[0]) and not kept[1][:1].islower():
        res.removed.append(kept.pop(0))

    # Trailing credits: initials, empty "Sumber:" lines, lone outlet names.
    while kept:
        ini, rest = take_initials(kept[-1])
        if not ini:
            break
        res.editor_initials.insert(0, ini)
        if rest:
            kept[-1] = rest
            break
        kept.pop()

    if kept:
        # Tempo closes the last paragraph with the reporter's name in capitals: "... bisa
        # dilakukan. DINI TEJA".
        m = _TRAILING_CAPS_NAME.search(kept[-1])
        if m:
            name = m.group("name").title()
            if split_names(name):
                res.authors.append(name)
                kept[-1] = kept[-1][: m.start()].rstrip()
                if not kept[-1]:
                    kept.pop()

    if kept:
        place, rest = take_dateline(kept[0])
        if place or rest != kept[0]:
            res.dateline = place
            kept[0] = rest
        elif len(kept) > 1 and len(kept[0]) < 40 and re.match(r"^[A-Z][\w ]{1,30}\s*[-–—]\s*$", kept[0]):
            # detik puts "Banyuasin -" on its own line before the lead.
            res.dateline = re.sub(r"\s*[-–—]\s*$", "", kept[0]).strip()
            kept.pop(0)
    res.text = "\n".join(kept)
    return res
