"""A loopback site with bad weather: retries, Retry-After, redirect loops, slow and
huge pages, wrong charsets and an endless calendar. Article text is written here."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PARAS = [
    "Badan Pengawas Pemilu kabupaten menerima laporan tentang seorang camat yang diduga hadir dalam "
    "kegiatan kampanye salah satu pasangan calon pada akhir pekan lalu.",
    "Ketua Bawaslu setempat mengatakan pihaknya masih mengumpulkan keterangan dari saksi dan akan "
    "meneruskan hasil kajian kepada instansi yang berwenang bila unsur pelanggaran terpenuhi.",
    "Menurut dia, aparatur sipil negara wajib menjaga netralitas sebelum, selama dan sesudah tahapan "
    "pemilihan, termasuk dalam bermedia sosial.",
    "Pemerintah kabupaten juga mengingatkan bahwa sanksi disiplin menanti pegawai yang terbukti "
    "berpolitik praktis, mulai dari teguran hingga pemberhentian.",
    "Warga diminta melapor ke posko pengawasan terdekat apabila menemukan dugaan keterlibatan pegawai "
    "pemerintah dalam kegiatan politik.",
]


def article_html(n: int, title: str, charset: str = "utf-8", extra: str = "") -> str:
    body = "".join(f"<p>{p} (bagian {n}.{i})</p>" for i, p in enumerate(PARAS))
    return (
        f'<!doctype html><html lang="id"><head><meta charset="{charset}"><title>{title} | Fault Post</title>'
        f'<meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="2024-0{1 + n % 9}-1{n % 9}T09:30:00+07:00">'
        f"</head><body><header><nav><a href='/'>Beranda</a></nav></header><article><h1>{title}</h1>"
        f'<div class="byline">Penulis: Rina Marlina</div>{body}{extra}</article>'
        f"<footer>Hak cipta</footer></body></html>"
    )


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        path = self.path
        self.server.hits[path] += 1
        self.server.hosts[path] = self.headers.get("Host", "")
        self.server.user_agents.add(self.headers.get("User-Agent", ""))
        hits = self.server.hits[path]
        base = self.server.origin
        if path == "/robots.txt":
            self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path == "/sitemap.xml":
            urls = [f"/berita/{n}/artikel-uji-nomor-{n}-tentang-netralitas" for n in range(1, 6)]
            urls += ["/flaky/7/artikel-yang-sempat-gagal-dimuat-server", "/loop/a", "/slow/8/artikel-lambat-sekali",
                     "/huge/9/artikel-yang-terlalu-besar-sekali", "/gone/10/artikel-yang-sudah-dihapus",
                     "/private/11/artikel-rahasia-tidak-boleh", "/cp1252/12/artikel-dengan-ejaan-lama",
                     "/retry-after/13/artikel-dengan-retry-after", "/always500/14/artikel-server-selalu-gagal",
                     "/offsite/15/artikel-yang-dialihkan-ke-situs-lain", "/multi/16/artikel-bersambung",
                     "/reset/18/artikel-koneksi-terputus-sekali", "/huge50/19/artikel-lima-puluh-megabita"]
            xml = "".join(f"<url><loc>{base}{u}</loc></url>" for u in urls)
            self.send(200, f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                           f"{xml}</urlset>".encode(), "application/xml")
        elif path.startswith("/berita/"):
            n = int(path.split("/")[2])
            self.send(200, article_html(n, f"Artikel uji nomor {n} tentang netralitas ASN").encode())
        elif path.startswith("/flaky/"):
            if hits == 1:
                self.send(503)
            else:
                self.send(200, article_html(7, "Artikel yang sempat gagal dimuat").encode())
        elif path.startswith("/retry-after/"):
            if hits == 1:
                self.server.first_retry_after_at = time.monotonic()
                self.send(429, headers={"Retry-After": "2"})
            else:
                self.server.retried_at = time.monotonic()
                self.send(200, article_html(13, "Artikel dengan Retry-After").encode())
        elif path.startswith("/always500/"):
            self.send(500)
        elif path.startswith("/loop/"):
            nxt = "/loop/b" if path == "/loop/a" else "/loop/a"
            self.send(302, headers={"Location": nxt})
        elif path.startswith("/slow/"):
            time.sleep(self.server.slow_seconds)
            try:
                self.send(200, article_html(8, "Artikel lambat").encode())
            except OSError:
                pass
        elif path.startswith("/huge/"):
            filler = "<p>" + ("isi berulang " * 200) + "</p>"
            page = article_html(9, "Artikel terlalu besar", extra=filler * 2000)
            try:
                self.send(200, page.encode())
            except OSError:
                pass
        elif path.startswith("/reset/"):
            if hits == 1:
                # Drop the connection without an answer (a reset by an overloaded server).
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send(200, article_html(18, "Artikel setelah koneksi putus").encode())
        elif path.startswith("/huge50/"):
            # 50 MB, streamed: the crawler's size cap must cut it off, not hold it in memory.
            chunk = ("<p>" + "isi sangat panjang " * 500 + "</p>\n").encode()
            total = 50 * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(total))
            self.end_headers()
            sent = 0
            try:
                while sent < total:
                    part = chunk[: total - sent]
                    self.wfile.write(part)
                    sent += len(part)
            except OSError:
                pass
            self.server.huge_sent = sent
        elif path.startswith("/multi/"):
            # A two-page article: page 2 only through "Halaman selanjutnya" (?page=2).
            second = path.endswith("?page=2")
            extra = ("<p>Bagian kedua: pengawas kecamatan menemukan dua kepala desa hadir di acara kampanye.</p>"
                     "<p>Keduanya akan dipanggil untuk klarifikasi pekan depan.</p>" if second else
                     '<div class="paging"><a href="/multi/16/artikel-bersambung?page=2">Halaman selanjutnya</a></div>')
            html = article_html(16 if not second else 17, "Artikel bersambung dua halaman", extra=extra)
            self.send(200, html.encode())
        elif path.startswith("/offsite/"):
            # Redirects to another host name (still this loopback server).
            port = self.server.server_address[1]
            self.send(301, headers={"Location": f"http://localhost:{port}/berita/99/artikel-di-situs-lain"})
        elif path.startswith("/gone/"):
            self.send(404)
        elif path.startswith("/private/"):
            self.send(200, article_html(11, "Artikel rahasia").encode())
        elif path.startswith("/cp1252/"):
            # Declared in the header and the meta as windows-1252: "é" must survive.
            html = article_html(12, "Artikel ejaan lama: café di Banjarmasin", charset="windows-1252",
                                extra="<p>Pemilik café René Siregar menolak kampanye di tempatnya.</p>")
            self.send(200, html.encode("cp1252"), "text/html; charset=windows-1252")
        elif path.startswith("/kalender/"):
            # An endless calendar: every day links to the previous one.
            day = int(path.rstrip("/").split("/")[-1] or 0)
            links = f'<a href="/kalender/{day + 1}" rel="next">Selanjutnya</a>'
            self.send(200, f"<html><body><h1>Arsip {day}</h1>{links}</body></html>".encode())
        else:
            self.send(404)


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, slow_seconds: float = 5.0) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.hits: Counter[str] = Counter()
        self.hosts: dict[str, str] = {}
        self.user_agents: set[str] = set()
        self.huge_sent = 0
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        self.slow_seconds = slow_seconds
        self.first_retry_after_at = 0.0
        self.retried_at = 0.0
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


Route = Callable[[str, str], tuple[int, str, bytes]]


@contextmanager
def tiny_site(route: Route) -> Iterator[str]:
    """Serve ``route(path, origin) -> (status, content type, body)`` on loopback; yield the origin."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            status, ctype, body = route(self.path, f"http://127.0.0.1:{self.server.server_address[1]}")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def sitemap(origin: str, paths: Iterable[str]) -> bytes:
    locs = "".join(f"<url><loc>{origin}{p}</loc></url>" for p in paths)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode()
