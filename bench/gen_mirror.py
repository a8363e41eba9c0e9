"""Generate a synthetic outlet for benchmarks: N article pages in a detik-like and a
WordPress-like layout, a sitemap index and listings, served by MirrorServer.

Text is generated from sentence parts written here; lengths follow regional news
(250-700 words, 6-14 paragraphs), and every page carries the usual boilerplate.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

SUBJECTS = ["Pj Bupati", "Sekretaris Daerah", "Ketua Bawaslu kabupaten", "Kepala BKPSDM", "Camat",
            "Lurah", "Kepala Dinas Pendidikan", "Anggota KPU", "Kapolres", "Wali Kota", "Ketua DPRD"]
PLACES = ["Banyuasin", "Muara Enim", "Ogan Ilir", "Lahat", "Banjarbaru", "Tanah Laut", "Balangan",
          "Prabumulih", "Pagar Alam", "Martapura", "Kotabaru", "Tabalong", "Musi Rawas", "Empat Lawang"]
VERBS = ["mengingatkan", "menegaskan", "meminta", "mengimbau", "menyampaikan", "menjelaskan", "memastikan"]
OBJECTS = ["seluruh aparatur sipil negara", "para kepala desa", "pegawai honorer dan PPPK",
           "jajaran pemerintah kecamatan", "warga di wilayahnya", "peserta apel gabungan", "para pelajar",
           "pedagang pasar tradisional", "petugas kebersihan", "pengurus koperasi"]
TOPICS = ["untuk menjaga netralitas menjelang Pilkada serentak", "agar tidak terlibat politik praktis",
          "soal jadwal distribusi logistik pemilihan", "terkait kenaikan harga beras di pasar",
          "mengenai perbaikan jalan kabupaten yang rusak", "tentang pencegahan demam berdarah",
          "tentang pembayaran tunjangan pegawai", "terkait persiapan musim tanam padi",
          "soal larangan memasang foto bersama pasangan calon", "tentang sanksi disiplin bagi pegawai"]
TAILS = ["Hal itu disampaikan usai rapat koordinasi di kantor bupati.", "Kegiatan diikuti ratusan peserta.",
         "Pihaknya akan terus memantau perkembangan di lapangan.", "Langkah ini dinilai penting oleh warga.",
         "Ia berharap semua pihak ikut mendukung.", "Evaluasi akan dilakukan setiap bulan.",
         "Laporan warga akan ditindaklanjuti sesuai aturan.", "Anggaran kegiatan bersumber dari APBD."]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]


def paragraph(rng: random.Random) -> str:
    sents = []
    for _ in range(rng.randint(2, 4)):
        sents.append(f"{rng.choice(SUBJECTS)} {rng.choice(PLACES)} {rng.choice(VERBS)} "
                     f"{rng.choice(OBJECTS)} {rng.choice(TOPICS)}. {rng.choice(TAILS)}")
    return " ".join(sents)


def article_page(i: int, rng: random.Random, when: datetime, layout: str) -> tuple[str, str]:
    title = f"{rng.choice(SUBJECTS)} {rng.choice(PLACES)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} ({i})"
    paras = [paragraph(rng) for _ in range(rng.randint(6, 14))]
    day = f"{DAYS[when.weekday()]}, {when.day} {MONTHS[when.month - 1]} {when.year} {when:%H:%M} WIB"
    body = ""
    for n, p in enumerate(paras):
        body += f"<p>{p}</p>\n"
        if n == 2:
            body += ('<table class="linksisip"><tr><td><strong>Baca juga:</strong> '
                     f'<a href="/berita/d-{i + 1}/x">Judul lain nomor {i + 1}</a></td></tr></table>\n')
        if n == 4:
            body += '<div class="parallaxindetail">SCROLL TO CONTINUE WITH CONTENT</div>\n'
    iso = when.strftime("%Y-%m-%dT%H:%M:%S+07:00")
    head = (f'<meta property="og:type" content="article"><meta property="og:title" content="{title}">'
            f'<meta name="pubdate" content="{when:%Y-%m-%dT%H-%M-%S}Z">'
            f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{title}",'
            f'"datePublished":"{iso}","author":{{"@type":"Person","name":"Reporter {i % 37}"}}}}</script>')
    nav = "".join(f'<li><a href="/kanal/{k}">Kanal {k}</a></li>' for k in range(25))
    side = "".join(f'<li><a href="/berita/d-{(i * 7 + k) % 999}/populer">Berita populer {k}</a></li>'
                   for k in range(10))
    if layout == "detik":
        path = f"/berita/d-{100000 + i}/artikel-nomor-{i}"
        html = (f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title} - detikBench</title>'
                f'{head}</head><body><header><ul class="menu">{nav}</ul></header><article class="detail">'
                f'<h1 class="detail__title">{title}</h1><div class="detail__author">Reporter {i % 37} - detikBench'
                f'</div><div class="detail__date">{day}</div><figure><img src="/img/{i}.jpg">'
                f'<figcaption>Foto ilustrasi kegiatan ({i}). (Foto: Istimewa)</figcaption></figure>'
                f'<div class="detail__body-text">{body}<p><strong>(abc/def)</strong></p></div></article>'
                f'<aside class="sidebar"><ul>{side}</ul></aside><div class="ads">ADVERTISEMENT</div>'
                f"<footer>Hak cipta</footer></body></html>")
    else:
        path = f"/{when:%Y/%m/%d}/artikel-nomor-{i}-{rng.choice(PLACES).lower().replace(' ', '-')}/"
        html = (f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title} – Bench Post</title>'
                f'{head}</head><body><div id="page"><header class="site-header"><ul>{nav}</ul></header>'
                f'<article class="post"><h1 class="entry-title">{title}</h1><time class="entry-date published" '
                f'datetime="{iso}">{day}</time><div class="entry-content">{body}'
                f'<div class="sharedaddy">Bagikan: Facebook Twitter WhatsApp</div></div></article>'
                f'<div id="comments"><h3>2 Komentar</h3><p>Komentar pembaca {i}</p></div>'
                f'<aside class="widget"><ul>{side}</ul></aside></div></body></html>')
    return path, html


def generate(root: Path, n: int = 2000, seed: int = 7) -> tuple[Path, list[str]]:
    """Write the site into root/benchsite; return (site folder, article paths)."""
    rng = random.Random(seed)
    site = root / "benchsite"
    site.mkdir(parents=True, exist_ok=True)
    paths: list[str] = []
    start = datetime(2024, 11, 1, 6, 0)
    for i in range(n):
        when = start - timedelta(minutes=37 * i)
        path, html = article_page(i, rng, when, "detik" if i % 2 == 0 else "wp")
        paths.append(path)
        f = site / (path.strip("/") + ("/index.html" if path.endswith("/") else ".html"))
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(html, "utf-8")
    chunks = [paths[k : k + 500] for k in range(0, n, 500)]
    for k, chunk in enumerate(chunks):
        urls = "".join(f"<url><loc>{{{{BASE}}}}{p}</loc></url>" for p in chunk)
        (site / f"sitemap-{k}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>", "utf-8")
    idx = "".join(f"<sitemap><loc>{{{{BASE}}}}/sitemap-{k}.xml</loc></sitemap>" for k in range(len(chunks)))
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{idx}</sitemapindex>", "utf-8")
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\nSitemap: {{BASE}}/sitemap.xml\n", "utf-8")
    return site, paths
