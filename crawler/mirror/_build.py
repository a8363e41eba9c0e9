"""Render the demo mirror from _articles.py into static pages, and write the gold
file the end-to-end tests check against (tests/data/mirror_expected.json).

Run from the repo root after editing the articles:  python -m crawler.mirror._build
"""

from __future__ import annotations

# ruff: noqa: E501  (HTML templates read better unwrapped)
import html
import json
import shutil
from pathlib import Path

from crawler.mirror._articles import DETIK, DETIK_DISALLOWED, JEJAK, JEJAK_DISALLOWED, SUMEKS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLD = ROOT / "tests" / "data" / "mirror_expected.json"
E = html.escape
MOJIBAKE_BULLET = "\u03b2\u20ac\u2019"  # "‒" (U+2012) read as cp1253, as in seed 001

MONTHS_EN = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def write(site: str, path: str, text: str) -> None:
    rel = path.strip("/")
    if path.endswith("/") or not rel:
        target = HERE / site / rel / "index.html"
    elif "." in rel.rsplit("/", 1)[-1]:
        target = HERE / site / rel
    else:
        target = HERE / site / f"{rel}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")


# -- detik-sumbagsel ---------------------------------------------------------------
def detik_path(a: dict) -> str:
    return f"/sumbagsel/berita/{a['id']}/{a['slug']}"


DETIK_HEAD = """<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{title} - detikSumbagsel</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:type" content="article">
<meta property="og:site_name" content="detikSumbagsel">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{{{{BASE}}}}{path}">
<meta property="og:image" content="{{{{BASE}}}}/img/{id}.jpeg">
<meta name="pubdate" content="{pubdate}">
<meta name="dtk:author" content="{author}">
<meta name="keywords" content="{keywords}">
<link rel="canonical" href="{{{{BASE}}}}{path}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","mainEntityOfPage":{{"@type":"WebPage","@id":"{{{{BASE}}}}{path}"}},"headline":"{title}","datePublished":"{iso}","dateModified":"{iso}","author":{{"@type":"Person","name":"{author}"}},"publisher":{{"@type":"Organization","name":"detikcom"}}}}</script>
</head>"""


def detik_article(a: dict) -> str:
    path = detik_path(a)
    paras = list(a["paras"])
    body = []
    for i, p in enumerate(paras):
        body.append(f"<p>{E(p)}</p>")
        if i == 1:
            body.append('<table class="linksisip"><tr><td><div class="linksisip__text"><strong>Baca juga:</strong> '
                        f'<a href="{{{{BASE}}}}/sumbagsel/berita/d-7000123/baca-juga">{E(a["baca_juga"])}</a>'
                        "</div></td></tr></table>")
        if i == 2:
            body.append('<div class="parallaxindetail scrollpage"><div class="staticdetail_container">'
                        '<span>SCROLL TO CONTINUE WITH CONTENT</span></div></div>')
        if i == 3:
            body.append('<div class="ads-scrollpage-container"><span class="ads-label">ADVERTISEMENT</span></div>')
    if a.get("list"):
        body.append("".join(f"<p>{MOJIBAKE_BULLET} {E(x)}</p>" for x in a["list"]))
    if a.get("video"):
        body.append('<p><strong>Simak Video "Bawaslu Ingatkan ASN Tidak Ikut Kampanye"</strong></p>')
        body.append("<p>[Gambas:Video 20detik]</p>")
    body.append(f'<p><strong>{E(a["initials"])}</strong></p>')
    tags = "".join(f'<a href="{{{{BASE}}}}/sumbagsel/tag/{t.replace(" ", "-")}">{E(t)}</a>' for t in a["tags"])
    head = DETIK_HEAD.format(title=E(a["title"]), path=path, id=a["id"], pubdate=a["pubdate"], author=E(a["author"]),
                             keywords=E(", ".join(a["tags"])), iso=a["iso"])
    return f"""{head}
<body>
<header class="header"><div class="container"><a href="{{{{BASE}}}}/sumbagsel/">detikSumbagsel</a>
<nav class="nav"><a href="{{{{BASE}}}}/sumbagsel/berita/indeks">Indeks</a> <a href="{{{{BASE}}}}/sumbagsel/about">Tentang</a></nav></div></header>
<div class="container"><div class="column-8">
<article class="detail">
<div class="detail__header">
<div class="page__breadcrumb"><a href="{{{{BASE}}}}/sumbagsel/">Sumatera Selatan</a></div>
<h1 class="detail__title">{E(a["title"])}</h1>
<div class="detail__author">{E(a["author"])} - detikSumbagsel</div>
<div class="detail__date">{E(a["date_line"])}</div>
</div>
<div class="detail__media"><figure class="detail__media-image"><img src="{{{{BASE}}}}/img/{a["id"]}.jpeg" alt="{E(a["title"])}">
<figcaption class="detail__media-caption">{E(a["caption"])}</figcaption></figure></div>
<div class="detail__body itp_bodycontent_wrapper">
<div class="detail__body-text itp_bodycontent">
<strong>{E(a["place"])}</strong> -
{chr(10).join(body)}
</div>
<div class="detail__body-tag"><div class="nav">{tags}</div></div>
</div>
</article>
<div class="hide-ads"><a href="#">Hide Ads</a></div>
</div>
<div class="column-4"><div class="box cb-mostpop"><h3>Berita Terpopuler</h3><ul>
<li><a href="{{{{BASE}}}}/sumbagsel/berita/d-7000200/populer-satu">Jalan Tol Palembang-Betung Dibuka Fungsional</a></li>
<li><a href="{{{{BASE}}}}/sumbagsel/berita/d-7000201/populer-dua">Kabut Asap Mulai Selimuti Ogan Ilir</a></li></ul></div></div>
</div>
<footer class="footer">Copyright @ 2024 detikcom. All right reserved</footer>
</body>
</html>
"""


def detik_listing(items: list[tuple[str, str]], page: int, last: int) -> str:
    links = "\n".join(f'<article class="list-content__item"><h3 class="media__title"><a href="{{{{BASE}}}}{p}" '
                      f'class="media__link">{E(t)}</a></h3></article>' for p, t in items)
    pages = " ".join(f'<a class="pagination__item" href="{{{{BASE}}}}/sumbagsel/berita/indeks/{n}">{n}</a>'
                     if n != 1 else '<a class="pagination__item" href="{{BASE}}/sumbagsel/berita/indeks">1</a>'
                     for n in range(1, last + 1))
    nxt = (f'<a class="pagination__item" rel="next" href="{{{{BASE}}}}/sumbagsel/berita/indeks/{page + 1}">Next</a>'
           if page < last else "")
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Indeks Berita Sumbagsel - halaman {page}</title>
<meta property="og:type" content="website"></head>
<body><header class="header"><a href="{{{{BASE}}}}/sumbagsel/">detikSumbagsel</a></header>
<div class="container"><h1>Indeks Berita</h1>
<div class="list-content">
{links}
</div>
<div class="pagination text-center mgt-16 mgb-16">{pages} {nxt}</div>
<div class="box"><a href="{{{{BASE}}}}/sumbagsel/tag/netralitas-asn">#netralitas-asn</a>
<a href="{{{{BASE}}}}/sumbagsel/about">Tentang detikSumbagsel</a></div>
</div></body></html>
"""


def build_detik() -> list[dict]:
    site = "detik-sumbagsel"
    gold = []
    for a in DETIK:
        write(site, detik_path(a), detik_article(a))
    d1, d2, d3, d4, d5 = DETIK
    alias = detik_path(d1) + "?utm_source=wa&utm_medium=share"
    disallowed = f"/sumbagsel/berita/{DETIK_DISALLOWED['id']}/{DETIK_DISALLOWED['slug']}"
    write(site, disallowed, detik_article({**d4, "id": DETIK_DISALLOWED["id"], "slug": DETIK_DISALLOWED["slug"],
                                           "title": DETIK_DISALLOWED["title"]}))
    gone = "/sumbagsel/berita/d-7000404/berita-yang-sudah-dihapus"
    old = "/sumbagsel/berita/d-7000001/pj-bupati-banyuasin-minta-asn-netral"
    pages = [
        [(alias, d1["title"]), (detik_path(d2), d2["title"]), (gone, "Berita yang sudah dihapus")],
        [(detik_path(d3), d3["title"]), (disallowed, DETIK_DISALLOWED["title"]), (old, "Pj Bupati Minta ASN Netral")],
        [(detik_path(d5), d5["title"]), (detik_path(d4), d4["title"])],
    ]
    for n, items in enumerate(pages, 1):
        path = "/sumbagsel/berita/indeks" if n == 1 else f"/sumbagsel/berita/indeks/{n}"
        write(site, path, detik_listing(items, n, len(pages)))
    news = ""
    for a in (d1, d2, d3):
        news += (f"<url><loc>{{{{BASE}}}}{detik_path(a)}</loc><news:news><news:publication><news:name>detikSumbagsel"
                 f"</news:name><news:language>id</news:language></news:publication><news:publication_date>{a['iso']}"
                 f"</news:publication_date><news:title>{E(a['title'])}</news:title></news:news></url>\n")
    write(site, "/sumbagsel/sitemap_news.xml",
          '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
          'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + news + "</urlset>\n")
    write(site, "/robots.txt", "User-agent: *\nDisallow: /sumbagsel/berita/d-7000099/\nDisallow: /search\n\n"
                               "Sitemap: {{BASE}}/sumbagsel/sitemap_news.xml\n")
    (HERE / site / "_routes.toml").write_text(
        f'[[route]]\npath = "{gone}"\nstatus = 404\n\n'
        f'[[route]]\npath = "{old}"\nstatus = 301\nlocation = "{detik_path(d1)}"\n', "utf-8")
    for a in DETIK:
        gold.append({
            "site": site, "path": detik_path(a), "title": a["title"], "authors": [a["author"]],
            "published_at": a["published_at"], "relevant": a["relevant"], "duplicate_of": None,
            "dateline": a["place"], "editor_initials": [a["initials"].strip("()")],
            "must_contain": [a["paras"][0], a["paras"][-1]],
            "must_not_contain": [a["baca_juga"], a["caption"], "detikSumbagsel", MOJIBAKE_BULLET, "Berita Terpopuler"],
            "captions": [a["caption"]],
        })
    gold[0]["aliases"] = [alias, old]
    gold[0]["must_contain"].append("\u2012 Menolak politik uang dan segala bentuk pemberian.")
    gold.append({"not_archived": [f"{site}:{disallowed}", f"{site}:{gone}", f"{site}:/sumbagsel/tag/netralitas-asn",
                                  f"{site}:/sumbagsel/about", f"{site}:/sumbagsel/berita/indeks"]})
    return gold


# -- sumeks (Disway CMS) -------------------------------------------------------------
def sumeks_path(a: dict) -> str:
    return f"/read/{a['id']}/{a['slug']}"


def sumeks_article(a: dict) -> str:
    path = sumeks_path(a)
    paras = list(a["paras"])
    body = [f"<p>{E(a['caption'])}</p>",
            f"<p><strong>{E(a['dateline'])}</strong> - {E(paras[0])}</p>"]
    for i, p in enumerate(paras[1:], 1):
        body.append(f"<p>{E(p)}</p>")
        if i - 1 < len(a["baca_juga"]) and i in (2, 4):
            bj = a["baca_juga"][(i // 2) - 1] if (i // 2) - 1 < len(a["baca_juga"]) else a["baca_juga"][0]
            body.append(f'<p><strong>BACA JUGA:</strong><a href="{{{{BASE}}}}/read/300001/baca">{E(bj)}</a></p>')
    body.append('<p><a href="https://news.google.com/">Cek Berita dan Artikel yang lain di Google News</a></p>')
    body.append("<p>Sumber: </p>")
    meta_date = (f'<meta property="article:published_time" content="{a["meta_date"]}">' if a["meta_date"] else "")
    ld = ""
    if a["jsonld"]:
        ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
              f'"headline":"{E(a["title"])}","datePublished":"{a["meta_date"]}",'
              f'"author":[{{"@type":"Person","name":"{E(a["reporter"])}"}}]}}</script>')
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="UTF-8">
<title>{E(a["title"])} | Sumeks.co</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{E(a["title"])}">
<meta property="og:url" content="{{{{BASE}}}}{path}">
<meta property="og:site_name" content="Sumeks.co">
{meta_date}
<link rel="canonical" href="{{{{BASE}}}}{path}">
{ld}
</head>
<body>
<div class="navbar"><a href="{{{{BASE}}}}/">SUMEKS.CO</a> <a href="{{{{BASE}}}}/kategori/politik">Politik</a></div>
<div class="container"><div class="row"><div class="col-md-8">
<div class="post">
<h1 class="post-title">{E(a["title"])}</h1>
<div class="post-meta"><span class="reporter">Reporter: {E(a["reporter"])} | Editor: {E(a["editor"])}</span>
<span class="date">{E(a["date_line"])}</span></div>
<div class="post-image"><img src="{{{{BASE}}}}/upload/{a["id"]}.jpg" alt=""></div>
<div class="post-content">
{chr(10).join(body)}
</div>
<div class="share-box">Bagikan: Facebook Twitter WhatsApp Telegram</div>
<div class="tag-list">Tag: <a href="{{{{BASE}}}}/tag/pemilu">pemilu</a></div>
</div>
<div class="related-post"><h4>Berita Terkait</h4><ul><li><a href="{{{{BASE}}}}/read/300002/terkait">Lomba Bidar di Sungai Musi</a></li></ul></div>
</div>
<div class="col-md-4"><div class="popular"><h4>Terpopuler</h4><ol><li><a href="{{{{BASE}}}}/read/300003/pop">Pasar Ikan Modern Dibuka</a></li></ol></div></div>
</div></div>
<footer>© 2024 Sumeks.co - Sumatera Ekspres</footer>
</body>
</html>
"""


def sumeks_listing(items: list[dict], page: int, last: int) -> str:
    links = "\n".join(f'<div class="media"><h2 class="media-heading"><a href="{{{{BASE}}}}{sumeks_path(a)}">'
                      f'{E(a["title"])}</a></h2><span class="date">{E(a["date_line"])}</span></div>' for a in items)
    nums = " ".join(f'<li><a href="{{{{BASE}}}}/kategori/politik{"" if n == 1 else f"/{n}"}">{n}</a></li>'
                    for n in range(1, last + 1))
    nxt = f'<li><a rel="next" href="{{{{BASE}}}}/kategori/politik/{page + 1}">&raquo;</a></li>' if page < last else ""
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="UTF-8"><title>Politik | Sumeks.co</title></head>
<body><div class="container"><h1>Kategori: Politik</h1>
{links}
<ul class="pagination">{nums}{nxt}</ul>
<a href="{{{{BASE}}}}/tag/pemilu">Tag pemilu</a> <a href="{{{{BASE}}}}/redaksi">Redaksi</a>
</div></body></html>
"""


def build_sumeks() -> list[dict]:
    site = "sumeks"
    for a in SUMEKS:
        write(site, sumeks_path(a), sumeks_article(a))
    s1, s2, s3, s4, s5, s6 = SUMEKS
    write(site, "/kategori/politik", sumeks_listing([s1, s2, s4], 1, 2))
    write(site, "/kategori/politik/2", sumeks_listing([s6, s5], 2, 2))
    items = ""
    for a in (s2, s1, s3):
        items += (f"<item><title>{E(a['title'])}</title><link>{{{{BASE}}}}{sumeks_path(a)}</link>"
                  f"<guid>{{{{BASE}}}}{sumeks_path(a)}</guid><pubDate>{a['date_line']}</pubDate></item>\n")
    write(site, "/rss.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Sumeks.co'
                            f"</title><link>{{{{BASE}}}}/</link>\n{items}</channel></rss>\n")
    (HERE / site / "_routes.toml").write_text('[[route]]\npath = "/rss"\nfile = "rss.xml"\n', "utf-8")
    for n, group in enumerate(((s1, s2, s3), (s4, s5)), 1):
        urls = "".join(f"<url><loc>{{{{BASE}}}}{sumeks_path(a)}</loc><lastmod>{a['published_at']}</lastmod></url>\n"
                       for a in group)
        write(site, f"/sitemap-posts-{n}.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
              '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")
    write(site, "/sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
          '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
          "<sitemap><loc>{{BASE}}/sitemap-posts-1.xml</loc></sitemap>\n"
          "<sitemap><loc>{{BASE}}/sitemap-posts-2.xml</loc></sitemap>\n</sitemapindex>\n")
    write(site, "/robots.txt", "User-agent: *\nDisallow: /cari\n\nSitemap: {{BASE}}/sitemap.xml\n")
    gold = []
    for a in SUMEKS:
        gold.append({
            "site": site, "path": sumeks_path(a), "title": a["title"], "authors": [a["reporter"]],
            "editors": [a["editor"]], "published_at": a["published_at"], "relevant": a["relevant"],
            "duplicate_of": None, "dateline": a["dateline"].split(",")[0],
            "must_contain": [a["paras"][0], a["paras"][-1]],
            "must_not_contain": a["baca_juga"] + [a["caption"], "Lomba Bidar", "Pasar Ikan Modern", "Sumber"],
            "captions": [a["caption"]],
        })
    gold[0]["date_source"] = "byline"
    gold.append({"not_archived": [f"{site}:/tag/pemilu", f"{site}:/redaksi", f"{site}:/kategori/politik"]})
    return gold


# -- jejakrekam (WordPress, WITA) ------------------------------------------------
def jejak_path(a: dict) -> str:
    return f"/{a['date']}/{a['slug']}/"


def jejak_article(a: dict) -> str:
    path = jejak_path(a)
    enc = a.get("encoding", "UTF-8")
    iso = a["published_at"]
    meta = ""
    time_el = f'<span class="posted-on">{E(a["visible_date"])}</span>'
    if a["machine_date"]:
        meta = f'<meta property="article:published_time" content="{iso}">'
        time_el = (f'<span class="posted-on"><time class="entry-date published" datetime="{iso}">'
                   f'{E(a["visible_date"].split(" | ")[0])}</time></span>')
    paras = list(a["paras"])
    first = f"<p><strong>{E(a['place'])}</strong> \u2013 {E(paras[0])}</p>"
    rest = [f"<p>{E(p)}</p>" for p in paras[1:]]
    if a["initials"]:
        rest[-1] = rest[-1].replace("</p>", f"{a['initials']}</p>")
    credits = f"<p>Penulis: {E(a['author'])}<br>Editor: {E(a['editor'])}</p>"
    ld = ""
    if a["machine_date"]:
        ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage",'
              f'"@id":"{{{{BASE}}}}{path}"}},{{"@type":"Article","headline":"{E(a["title"])}","datePublished":"{iso}"}}]}}'
              "</script>")
    return f"""<!DOCTYPE html>
<html lang="id-ID">
<head>
<meta charset="{enc}">
<title>{E(a["title"])} &#8211; Jejakrekam.com</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{E(a["title"])}">
<meta property="og:site_name" content="Jejakrekam.com">
<meta property="og:url" content="{{{{BASE}}}}{path}">
{meta}
<link rel="canonical" href="{{{{BASE}}}}{path}">
{ld}
</head>
<body class="post-template-default single single-post">
<div id="page" class="site">
<header id="masthead" class="site-header"><a href="{{{{BASE}}}}/">Jejakrekam.com</a>
<nav class="main-navigation"><ul class="menu"><li><a href="{{{{BASE}}}}/category/politik/">Politik</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article class="post type-post status-publish">
<header class="entry-header">
<span class="cat-links"><a href="{{{{BASE}}}}/category/{a["category"].lower()}/" rel="category tag">{E(a["category"])}</a></span>
<h1 class="entry-title">{E(a["title"])}</h1>
<div class="entry-meta">{time_el} <span class="byline">oleh <span class="author vcard"><a class="url fn n" href="{{{{BASE}}}}/author/redaksi/">{E(a["author"])}</a></span></span></div>
</header>
<div class="entry-content">
{first}
{chr(10).join(rest)}
{credits}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Bagikan ini:</h3><ul><li>Facebook</li><li>WhatsApp</li><li>Twitter</li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">Terkait</h3>
<p><a href="{{{{BASE}}}}/2023/11/30/pasar-terapung-lok-baintan-ramai/">Pasar Terapung Lok Baintan Kembali Ramai Pengunjung</a></p></div>
</div>
<footer class="entry-footer"><span class="tags-links">Tag: <a href="{{{{BASE}}}}/tag/kalsel/">kalsel</a></span></footer>
</article>
<div id="comments" class="comments-area"><h2 class="comments-title">2 tanggapan</h2>
<ol class="comment-list"><li class="comment"><p>Semoga para pegawai benar-benar netral, jangan cuma ikrar saja.</p></li>
<li class="comment"><p>Setuju, awasi terus sampai hari pencoblosan.</p></li></ol>
<div id="respond" class="comment-respond"><h3>Tinggalkan Balasan</h3></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Terpopuler</h2><ul><li><a href="{{{{BASE}}}}/2024/01/01/populer/">Harga Karet Naik</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer">&copy; 2024 Jejakrekam.com</footer>
</div>
</body>
</html>
"""


def jejak_listing(items: list[dict], page: int, last: int) -> str:
    links = "\n".join(f'<article class="post"><h2 class="entry-title"><a href="{{{{BASE}}}}{jejak_path(a)}" '
                      f'rel="bookmark">{E(a["title"])}</a></h2></article>' for a in items)
    def page_url(n: int) -> str:
        return "{{BASE}}/category/politik/" + ("" if n == 1 else f"page/{n}/")
    nums = " ".join(f'<a class="page-numbers" href="{page_url(n)}">{n}</a>' for n in range(1, last + 1))
    nxt = f'<a class="next page-numbers" href="{page_url(page + 1)}">Berikutnya &raquo;</a>' if page < last else ""
    return f"""<!DOCTYPE html><html lang="id-ID"><head><meta charset="UTF-8"><title>Politik &#8211; Jejakrekam.com</title>
<link rel="alternate" type="application/rss+xml" title="Jejakrekam.com &raquo; Feed" href="{{{{BASE}}}}/feed/">
</head><body class="archive category"><div id="page"><main id="main">
<header class="page-header"><h1 class="page-title">Kategori: Politik</h1></header>
{links}
<nav class="navigation pagination"><div class="nav-links">{nums} {nxt}</div></nav>
<a href="{{{{BASE}}}}/tentang-kami/">Tentang Kami</a> <a href="{{{{BASE}}}}/tag/kalsel/">kalsel</a>
</main></div></body></html>
"""


def build_jejak() -> list[dict]:
    site = "jejakrekam"
    for a in JEJAK:
        write(site, jejak_path(a), jejak_article(a))
    j1, j2, j3, j4, j5, j6 = JEJAK
    disallowed = f"/{JEJAK_DISALLOWED['date']}/{JEJAK_DISALLOWED['slug']}/"
    write(site, disallowed, jejak_article({**j4, "date": JEJAK_DISALLOWED["date"], "slug": JEJAK_DISALLOWED["slug"],
                                           "title": JEJAK_DISALLOWED["title"]}))
    write(site, "/category/politik/", jejak_listing([j3, j2, j1], 1, 3))
    write(site, "/category/politik/page/2/", jejak_listing([j6, {"date": JEJAK_DISALLOWED["date"],
          "slug": JEJAK_DISALLOWED["slug"], "title": JEJAK_DISALLOWED["title"]}], 2, 3))
    write(site, "/category/politik/page/3/", jejak_listing([j1], 3, 3))
    items = ""
    for a in (j3, j2, j4):
        items += (f"<item><title>{E(a['title'])}</title><link>{{{{BASE}}}}{jejak_path(a)}</link>"
                  f"<pubDate>{a['published_at']}</pubDate><dc:creator>{E(a['author'])}</dc:creator></item>\n")
    (HERE / site / "feed").mkdir(parents=True, exist_ok=True)
    (HERE / site / "feed" / "index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Jejakrekam.com</title><link>{{{{BASE}}}}/</link>\n{items}</channel></rss>\n", "utf-8")
    urls = "".join(f"<url><loc>{{{{BASE}}}}{jejak_path(a)}</loc><lastmod>{a['published_at']}</lastmod></url>\n"
                   for a in JEJAK)
    write(site, "/post-sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")
    write(site, "/sitemap_index.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
          '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
          "<sitemap><loc>{{BASE}}/post-sitemap.xml</loc></sitemap>\n</sitemapindex>\n")
    write(site, "/robots.txt", f"User-agent: *\nDisallow: /wp-admin/\nDisallow: {disallowed}\n\n"
                               "Sitemap: {{BASE}}/sitemap_index.xml\n")
    (HERE / site / "_routes.toml").write_text(
        f'[[route]]\npath = "{jejak_path(j6)}"\nencoding = "windows-1252"\n', "utf-8")
    gold = []
    for a in JEJAK:
        authors = [] if a["author"].startswith("Tim ") else [a["author"]]
        g = {
            "site": site, "path": jejak_path(a), "title": a["title"], "authors": authors, "editors": [a["editor"]],
            "published_at": a["published_at"], "relevant": a["relevant"], "duplicate_of": None,
            "dateline": a["place"], "must_contain": [a["paras"][0], a["paras"][-1]],
            "must_not_contain": ["Bagikan ini", "Pasar Terapung Lok Baintan", "Semoga para pegawai",
                                 "Tinggalkan Balasan", "Harga Karet Naik", "Penulis:"],
        }
        if a.get("duplicate_of"):
            dsite, dpath = a["duplicate_of"]
            g["duplicate_of"] = {"site": dsite, "path": dpath}
        if a["initials"]:
            g["editor_initials"] = [a["initials"]]
        gold.append(g)
    gold[0]["date_source"] = "byline"
    gold.append({"not_archived": [f"{site}:{disallowed}", f"{site}:/tentang-kami/", f"{site}:/tag/kalsel/",
                                  f"{site}:/category/politik/"]})
    return gold


def main() -> None:
    for site in ("detik-sumbagsel", "sumeks", "jejakrekam"):
        shutil.rmtree(HERE / site, ignore_errors=True)
    entries = build_detik() + build_sumeks() + build_jejak()
    articles = [e for e in entries if "path" in e]
    not_archived = [p for e in entries for p in e.get("not_archived", [])]
    GOLD.parent.mkdir(parents=True, exist_ok=True)
    GOLD.write_text(json.dumps({"articles": articles, "not_archived": not_archived}, indent=1, ensure_ascii=False)
                    + "\n", "utf-8")
    print(f"{len(articles)} articles, {len(not_archived)} pages that must not be archived -> {GOLD}")


if __name__ == "__main__":
    main()
