"""A loopback outlet with two and a half years of history for backfill tests.

"Kabar Rantau" is invented, modelled on regional outlets: a search (``/cari``), a tag
page, an index by date (``/indeks?tanggal=DD-MM-YYYY&hal=N``) and monthly sitemaps.
Its traps: the date index links to the previous and next day forever (also before
the first article and after the last), a search past its last page repeats that
page forever, and the tag pages carry a "Terpopuler" box of old, dated articles.
Every request is logged so tests can check what was fetched.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlsplit

FIRST_DAY = date(2022, 7, 1)
LAST_DAY = date(2025, 2, 28)
SEARCH_PAGE = 10
TAG_PAGE = 10
INDEX_PAGE = 5
TAG = "netralitas-asn"
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]

TOPICS = {
    0: ("Camat di {place} diperiksa Bawaslu soal netralitas ASN",
        "Bawaslu memeriksa seorang camat yang diduga tidak netral. Aparatur sipil negara wajib menjaga "
        "netralitas selama tahapan pemilihan, kata ketua Bawaslu setempat.",
        {"netralitas", "asn", "bawaslu", "tidak", "netral"}),
    1: ("ASN {place} diingatkan tidak ikut kampanye dan politik praktis",
        "Sekretaris daerah mengingatkan pegawai agar tidak ikut kampanye pasangan calon. ASN yang terlibat "
        "politik praktis dapat dijatuhi hukuman disiplin.",
        {"asn", "kampanye", "politik", "praktis"}),
    2: ("Banjir rendam puluhan rumah warga di {place}",
        "Hujan deras sejak sore membuat sungai meluap. Warga mengungsi ke balai desa dan petugas membuka "
        "dapur umum untuk para pengungsi.",
        {"banjir"}),
    3: ("KPU {place} mulai distribusikan logistik pemilu",
        "Kotak dan bilik suara dikirim ke gudang kecamatan. Komisioner KPU memastikan logistik tiba tepat "
        "waktu sebelum hari pemungutan suara.",
        {"logistik", "pemilu", "kpu"}),
}
PLACES = ["Ogan Ilir", "Banyuasin", "Lahat", "Muara Enim", "Prabumulih", "Pagar Alam", "Empat Lawang", "Musi Rawas"]


@dataclass(frozen=True)
class Art:
    id: int
    day: date
    hour: int
    topic: int

    @property
    def path(self) -> str:
        return f"/read/{self.id}/{self.slug}"

    @property
    def title(self) -> str:
        return TOPICS[self.topic][0].format(place=PLACES[self.id % len(PLACES)]) + f" ({self.id})"

    @property
    def slug(self) -> str:
        return "-".join(w.strip("()").lower() for w in self.title.split())

    @property
    def keywords(self) -> set[str]:
        kw = set(TOPICS[self.topic][2])
        if self.topic == 0 and self.day.year == 2024:
            kw |= {"sanksi", "pilkada"}  # a query whose results all lie in 2024: its walk reaches the end
        return kw

    @property
    def iso(self) -> str:
        return f"{self.day.isoformat()}T{self.hour:02d}:{(self.id * 7) % 60:02d}:00+07:00"

    @property
    def shown(self) -> str:
        d = self.day
        return f"{HARI[d.weekday()]}, {d.day} {BULAN[d.month - 1]} {d.year} {self.hour:02d}:00 WIB"


def build_articles() -> list[Art]:
    arts: list[Art] = []
    d = FIRST_DAY
    while d <= LAST_DAY:
        n = (1 if d.toordinal() % 3 == 0 else 0) + (6 if d.day == 15 else 0)
        for k in range(n):
            i = len(arts) + 1
            arts.append(Art(i, d, 7 + (k * 2) % 14, i % 4))
        d += timedelta(days=1)
    return arts


ARTICLES = build_articles()
BY_ID = {a.id: a for a in ARTICLES}


def matches(a: Art, query: str) -> bool:
    return all(w in a.keywords for w in query.lower().split())


def search_results(query: str) -> list[Art]:
    return sorted((a for a in ARTICLES if matches(a, query)), key=lambda a: (a.day, a.id), reverse=True)


def tagged() -> list[Art]:
    return sorted((a for a in ARTICLES if a.topic in (0, 1)), key=lambda a: (a.day, a.id), reverse=True)


def page(title: str, body: str) -> bytes:
    return (f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title} | Kabar Rantau</title>'
            f"</head><body><header><nav><a href='/'>Beranda</a> <a href='/indeks'>Indeks</a></nav></header>"
            f"<main>{body}</main><footer>Kabar Rantau, media daring rekaan untuk uji.</footer></body></html>"
            ).encode()


def article_page(a: Art) -> bytes:
    lead, extra = TOPICS[a.topic][1], (
        "Ia menambahkan, laporan masyarakat akan ditindaklanjuti sesuai aturan yang berlaku dan hasilnya "
        "diumumkan kepada publik setelah kajian selesai dilakukan oleh tim.")
    body = (f'<article><h1>{a.title}</h1><div class="tanggal">{a.shown}</div>'
            f"<p>{PLACES[a.id % len(PLACES)].upper()}, Kabar Rantau - {lead}</p><p>{extra}</p>"
            f"<p>Berita nomor {a.id} ini ditulis pada {a.shown} oleh redaksi Kabar Rantau.</p></article>")
    html = page(a.title, body).decode()
    head = (f'<meta property="og:type" content="article"><meta property="article:published_time" '
            f'content="{a.iso}">')
    return html.replace("</head>", head + "</head>").encode()


class Handler(BaseHTTPRequestHandler):
    server: BackfillSite

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        srv = self.server
        with srv.lock:
            srv.log.append(self.path)
            srv.hits[self.path] += 1
        parts = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/robots.txt":
            rules = "".join(f"Disallow: {d}\n" for d in srv.disallow)
            self.send(200, f"User-agent: *\n{rules}Allow: /\n".encode(), "text/plain")
        elif parts.path.startswith("/read/"):
            try:
                a = BY_ID[int(parts.path.split("/")[2])]
            except (ValueError, KeyError, IndexError):
                self.send(404, page("Tidak ditemukan", "<p>Halaman tidak ada.</p>"))
                return
            if a.id in srv.broken:
                self.send(500, page("Galat", "<p>Server sibuk.</p>"))
            else:
                self.send(200, article_page(a))
        elif parts.path == "/cari":
            self.send(200, self.search(q.get("q", ""), int(q.get("hal", "1"))))
        elif parts.path.startswith(f"/tag/{TAG}/"):
            n = int(parts.path.rstrip("/").rsplit("/", 1)[1])
            items = tagged()[(n - 1) * TAG_PAGE: n * TAG_PAGE]
            if not items:
                self.send(404, page("Tidak ditemukan", "<p>Halaman tidak ada.</p>"))
                return
            lis = "".join(f'<li class="post"><a href="{a.path}">{a.title}</a>'
                          f'<time datetime="{a.iso}">{a.day:%d/%m/%Y}</time></li>' for a in items)
            popular = "".join(f'<li><a href="{a.path}">{a.title}</a> <span class="date">{a.shown}</span></li>'
                              for a in srv.popular)
            self.send(200, page(f"Tag {TAG}", f'<ul class="posts">{lis}</ul><a href="/tag/{TAG}/{n + 1}">'
                                f'Berikutnya</a><aside><h3>Terpopuler</h3><ul>{popular}</ul></aside>'))
        elif parts.path == "/indeks":
            self.send(200, self.index(q.get("tanggal", ""), int(q.get("hal", "1"))))
        elif parts.path.startswith("/sitemap/"):
            y, m = parts.path.removeprefix("/sitemap/").removesuffix(".xml").split("/")
            origin = srv.origin
            urls = "".join(f"<url><loc>{origin}{a.path}</loc><lastmod>{a.iso}</lastmod></url>"
                           for a in ARTICLES if (a.day.year, a.day.month) == (int(y), int(m)))
            self.send(200, f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                           f'schemas/sitemap/0.9">{urls}</urlset>'.encode(), "application/xml")
        else:
            self.send(404, page("Tidak ditemukan", "<p>Halaman tidak ada.</p>"))

    def search(self, query: str, n: int) -> bytes:
        results = search_results(query)
        last = max(1, -(-len(results) // SEARCH_PAGE))
        # The trap: past its last page the search repeats that page, with a "next" link, forever.
        shown = results[(min(n, last) - 1) * SEARCH_PAGE: min(n, last) * SEARCH_PAGE]
        items = "".join(f'<div class="hasil-item"><h2><a href="{a.path}">{a.title}</a></h2>'
                        f'<span class="tanggal">{a.shown}</span><p>{TOPICS[a.topic][1][:80]}...</p></div>'
                        for a in shown) or "<p>Tidak ada hasil.</p>"
        nxt = f'<a class="next" href="/cari?q={quote_plus(query)}&hal={n + 1}">Berikutnya</a>'
        # Beside the results, the latest news (2025: after any test range), some dated, some not.
        latest = "".join(f'<li><a href="{a.path}">{a.title}</a>' + (f" <small>{a.shown}</small>" if a.id % 2 else "")
                         + "</li>" for a in ARTICLES[-4:])
        return page(f"Hasil pencarian {query}", f'<div class="hasil">{items}</div>{nxt}'
                                                f'<aside><h3>Terbaru</h3><ul>{latest}</ul></aside>')

    def index(self, tanggal: str, n: int) -> bytes:
        try:
            dd, mm, yyyy = (int(x) for x in tanggal.split("-"))
            d = date(yyyy, mm, dd)
        except ValueError:
            # A date it cannot read: like real outlets, the latest news instead, each with its date.
            latest = sorted(ARTICLES, key=lambda a: a.id, reverse=True)[(n - 1) * INDEX_PAGE: n * INDEX_PAGE]
            lis = "".join(f'<li><a href="{a.path}">{a.title}</a> <span class="tgl">{a.shown}</span></li>'
                          for a in latest)
            return page("Indeks terbaru", f"<ul>{lis}</ul><a href='/indeks?hal={n + 1}'>Berikutnya</a>")
        items = [a for a in ARTICLES if a.day == d][(n - 1) * INDEX_PAGE: n * INDEX_PAGE]
        lis = "".join(f'<li><a href="{a.path}">{a.title}</a> <span class="jam">{a.hour:02d}:00 WIB</span></li>'
                      for a in items) or "<li>Tidak ada berita.</li>"
        prev_d, next_d = d - timedelta(days=1), d + timedelta(days=1)
        # The trap: "previous day" and "next day" links forever, in both directions.
        nav = (f'<a rel="prev" href="/indeks?tanggal={prev_d:%d-%m-%Y}">&laquo; Hari sebelumnya</a> '
               f'<a rel="next" href="/indeks?tanggal={next_d:%d-%m-%Y}">Hari berikutnya &raquo;</a> '
               f'<a href="/indeks?tanggal={d:%d-%m-%Y}&hal={n + 1}">Halaman {n + 1}</a>')
        return page(f"Indeks {d}", f"<h1>Indeks berita {d:%d-%m-%Y}</h1><ul>{lis}</ul>{nav}")


class BackfillSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, broken: set[int] | None = None, disallow: tuple[str, ...] = ()) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        self.log: list[str] = []
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.broken = broken or set()
        self.disallow = disallow
        self.popular = [a for a in ARTICLES if a.topic == 2][:3]  # from 2022: outside any test range
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self) -> BackfillSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()

    def fetched_articles(self) -> list[int]:
        return [int(p.split("/")[2]) for p in self.log if p.startswith("/read/")]


def expected(since: date, until: date, keep: Any = None) -> set[int]:
    """Ids of the articles published in [since, until] (and passing ``keep``)."""
    return {a.id for a in ARTICLES if since <= a.day <= until and (keep is None or keep(a))}


SITE_TOML = """
name = "{name}"
base_url = "https://kabarrantau.example/"
start_urls = ["/"]
timezone = "Asia/Jakarta"
concurrency = 4
article_url_pattern = '^/read/\\d+/'
checked_against_saved_pages = false
{extra}
"""

SOURCES = {
    "search": 'search_url = "/cari?q={query}&hal={page}"',
    "tag": f'tag_urls = ["/tag/{TAG}/{{page}}"]',
    "index": 'archive_url = "/indeks?tanggal={date}&hal={page}"\narchive_date_format = "%d-%m-%Y"',
    "sitemap": 'archive_sitemaps = ["/sitemap/{year}/{month}.xml"]',
}
