"""The bundled site configs: they load, their URL patterns mean what their comments say,
they can be pointed at a mirror, and broken configs fail with the file and the key named.

Every bundled config must have an entry in ARTICLES, NOT_ARTICLES, LISTINGS and
NOT_LISTINGS below: realistic URL paths (plus query) for that outlet, so a pattern that
stops matching its outlet's URL shapes fails here rather than in a crawl.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.sites import SiteConfig, SiteConfigError, bundled_site_files, load_registry, load_site_file

REGISTRY = load_registry()
NAMES = sorted(REGISTRY)

# Outlets in WITA (UTC+8): South Kalimantan and South Sulawesi.
WITA = {"jejakrekam", "antara-kalsel", "banjarmasinpost", "detik-sulsel"}

ARTICLES: dict[str, list[str]] = {
    "detik-sumbagsel": [
        "/sumbagsel/berita/d-7446812/pj-bupati-banyuasin-ingatkan-asn-netral",
        "/sumbagsel/sumsel/d-7010203/asn-diminta-netral-di-pemilu-2024?single=1",
    ],
    "detik-sumut": [
        "/sumut/berita/d-7163376/pemilih-pemula-wajib-tahu-begini-cara-mencoblos-di-pemilu-2024",
        "/sumut/hukum-dan-kriminal/d-6952179/pelapor-9-personel-polda-sumut-gelapkan-sabu",
        "/sumut/berita/d-7522609/bawaslu-medan-awasi-netralitas-asn?tag_from=wp_nhl_1",
    ],
    "detik-sulsel": [
        "/sulsel/berita/d-7110345/bawaslu-sulsel-temukan-asn-tak-netral-jelang-pemilu",
        "/sulsel/makassar/d-7201133/pj-wali-kota-ingatkan-asn-makassar-netral",
    ],
    "sumeks": [
        "/read/316512/ratusan-asn-banyuasin-ikrarkan-netralitas-di-lapangan-kantor-bupati",
    ],
    "jejakrekam": [
        "/2022/12/06/gubernur-ingatkan-netralitas-asn-jelang-pemilu-2024/",
    ],
    "akselnews": [
        "/2023/10/19/pj-bupati-banyuasin-ingatkan-asn-tidak-terlibat-politik-praktis/",
        "/pj-bupati-banyuasin-ingatkan-asn-tidak-terlibat-politik-praktis/",
        "/banyuasin/pj-bupati-ingatkan-asn-netral/",
    ],
    "aliansinews": [
        "/2023/06/27/netralitas-asn-dalam-pemilu-2024-pemkab-banyuasin-didesak-terbitkan-se/",
        "/netralitas-asn-dalam-pemilu-2024-pemkab-banyuasin-didesak/",
        "/2023/06/netralitas-asn-dalam-pemilu-2024.html",
    ],
    "antara-sumsel": [
        "/berita/799696/kai-divre-iii-palembang-siapkan-85188-tiket-kereta-api-selama-libur-idul-adha",
        "/berita/819013/brigade-kembali-buka-jalur-pendakian-gunung-dempo",
    ],
    "antara-kalsel": [
        "/berita/493081/asdp-batulicin-siapkan-delapan-kapal-untuk-kelancaran-nataru",
        "/berita/404682/pertamina-regional-kalimantan-bentuk-tim-satgas-bbm-dan-lpg",
    ],
    "tribun-sumsel": [
        "/2019/05/03/gubernur-herman-deru-jawab-keluhannetizenperbaikan-banyak-jalan-rusak-di-sumsel",
        "/2024/07/19/camat-di-ogan-ilir-dipanggil-bawaslu-usai-foto-bersama-paslon",
        "/2024/07/19/camat-di-ogan-ilir-dipanggil-bawaslu-usai-foto-bersama-paslon?page=all",
        "/sumsel/7858656/camat-di-ogan-ilir-dipanggil-bawaslu",
    ],
    "banjarmasinpost": [
        "/2023/06/09/kabar-gembira-kalsel-dapat-tambahan-kuota-haji-113-orang-jch-diberi-waktu-3-hari-melunasi-bipih",
        "/2024/09/25/kekeringan-landa-sejumlah-daerah-warga-bincau-banjar-kalsel-perdalam-sumur",
    ],
    "sripoku": [
        "/2024/01/15/pj-bupati-banyuasin-ingatkan-asn-jaga-netralitas-pemilu-2024",
    ],
}

NOT_ARTICLES: dict[str, list[str]] = {
    "detik-sumbagsel": ["/sumbagsel/indeks", "/sumbagsel/berita/indeks/2", "/sumbagsel/sitemap_news.xml", "/tag/asn"],
    "detik-sumut": [
        "/sumut/indeks", "/sumut/indeks/2?date=10/04/2024", "/sumut/berita/indeks", "/sumut",
        "/sumut/berita", "/sumut/berita/rss", "/sumut/sitemap_news.xml", "/tag/netralitas-asn",
        "/sulsel/berita/d-7110345/bawaslu-sulsel-temukan-asn-tak-netral",
    ],
    "detik-sulsel": [
        "/sulsel/indeks", "/sulsel/indeks/3", "/sulsel/berita/rss", "/sulsel", "/tag/netralitas-asn",
        "/sumut/berita/d-7163376/pemilih-pemula-wajib-tahu",
    ],
    "sumeks": ["/kategori/politik", "/kategori/politik/2", "/rss", "/sitemap.xml"],
    "jejakrekam": ["/category/politik/", "/category/politik/page/2/", "/feed/", "/sitemap_index.xml"],
    "akselnews": [
        "/", "/category/politik/", "/category/politik/page/2/", "/tag/netralitas-asn-pemilu/", "/page/3/",
        "/author/admin-aksel/", "/feed/", "/?s=netralitas+asn", "/kontak/", "/2023/10/",
        "/wp-content/uploads/2023/10/foto-bupati-baru.jpg", "/pedoman-media-siber/", "/sitemap.xml",
    ],
    "aliansinews": [
        "/", "/category/daerah/", "/tag/netralitas-asn-pemilu/", "/page/2/", "/search/label/Banyuasin",
        "/search?updated-max=2023-06-27T10:00:00%2B07:00", "/feed/", "/kebijakan-privasi/", "/redaksi/",
    ],
    "antara-sumsel": [
        "/terkini", "/terkini/2", "/rss/terkini.xml", "/search/netralitas/1", "/politik", "/berita",
        "/foto/123456", "/sitemap.xml",
    ],
    "antara-kalsel": [
        "/terkini", "/terkini/5", "/rss/terkini.xml", "/seputar-kalsel/banjarmasin", "/search/kriminal/1",
    ],
    "tribun-sumsel": [
        "/index-news", "/index-news?page=2", "/index-news/sumsel", "/tag/netralitas-asn",
        "/topic/pemilu-2024", "/sitemap.xml", "/", "/penulis/sri-hidayatun", "/2024/07/19",
        "/2024/07/19/camat-di-ogan-ilir-dipanggil-bawaslu?page=2",
    ],
    "banjarmasinpost": ["/index-news", "/topic/kriminalitas-banjarmasin", "/tag/bawaslu-kalsel", "/sitemap.xml", "/"],
    "sripoku": ["/index-news", "/index-news?page=10", "/tag/pemilu-2024", "/"],
}

LISTINGS: dict[str, list[str]] = {
    "detik-sumbagsel": ["/sumbagsel/indeks", "/sumbagsel/berita/indeks/2"],
    "detik-sumut": ["/sumut/indeks", "/sumut/indeks/2", "/sumut/berita/indeks", "/sumut/indeks/2?date=10/04/2024"],
    "detik-sulsel": ["/sulsel/indeks", "/sulsel/berita/indeks/3"],
    "sumeks": ["/kategori/politik", "/kategori/politik/2"],
    "jejakrekam": ["/category/politik/", "/category/politik/page/2/"],
    "akselnews": ["/", "/page/2/", "/category/politik/", "/category/daerah/banyuasin/page/3/", "/?s=netralitas+asn",
                  "/page/2/?s=netralitas+asn"],
    "aliansinews": ["/category/politik/", "/page/4/", "/?s=netralitas+asn", "/search/label/Banyuasin",
                    "/search?updated-max=2023-06-27T10:00:00%2B07:00&max-results=7"],
    "antara-sumsel": ["/terkini", "/terkini/2", "/politik/3", "/search/netralitas/1", "/search/netralitas/2"],
    "antara-kalsel": ["/terkini", "/terkini/5", "/search/kriminal/1"],
    "tribun-sumsel": ["/index-news", "/index-news?page=2", "/index-news/sumsel?page=3"],
    "banjarmasinpost": ["/index-news", "/index-news?page=10"],
    "sripoku": ["/index-news", "/index-news?page=2"],
}

# Besides each outlet's own article paths (checked below), paths that are no listing.
NOT_LISTINGS: dict[str, list[str]] = {
    "detik-sumbagsel": ["/sumbagsel", "/tag/asn"],
    "detik-sumut": ["/sumut", "/sumut/berita/rss", "/tag/netralitas-asn", "/sulsel/indeks"],
    "detik-sulsel": ["/sulsel", "/sumut/indeks", "/tag/netralitas-asn"],
    "sumeks": ["/rss", "/tag/asn"],
    "jejakrekam": ["/tag/asn/", "/feed/"],
    "akselnews": ["/tag/asn/", "/feed/", "/author/admin/", "/wp-content/uploads/x.jpg", "/?p=123"],
    "aliansinews": ["/tag/asn/", "/feed/", "/feeds/posts/default"],
    "antara-sumsel": ["/rss/terkini.xml", "/berita", "/sitemap.xml", "/foto"],
    "antara-kalsel": ["/rss/terkini.xml", "/seputar-kalsel"],
    "tribun-sumsel": ["/tag/netralitas-asn", "/topic/pemilu-2024", "/search?q=asn", "/sitemap.xml", "/", "/sumsel"],
    "banjarmasinpost": ["/topic/kriminalitas-banjarmasin", "/tag/asn", "/"],
    "sripoku": ["/tag/asn", "/topic/pemilu-2024"],
}


def site(name: str) -> SiteConfig:
    return REGISTRY[name]


def test_registry_holds_the_bundled_outlets():
    expected = {
        "detik-sumbagsel", "sumeks", "jejakrekam", "akselnews", "aliansinews", "antara-sumsel",
        "antara-kalsel", "tribun-sumsel", "banjarmasinpost", "detik-sumut", "detik-sulsel", "sripoku",
    }
    assert expected <= set(NAMES)
    # one file per outlet, named after it
    assert sorted(p.stem for p in bundled_site_files()) == NAMES


@pytest.mark.parametrize("table", [ARTICLES, NOT_ARTICLES, LISTINGS, NOT_LISTINGS],
                         ids=["articles", "not_articles", "listings", "not_listings"])
def test_every_bundled_site_has_url_examples(table):
    assert set(table) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_article_pattern_matches_article_paths_only(name):
    s = site(name)
    rx = s.article_re()
    assert rx is not None, f"{name}: no article_url_pattern"
    for path in ARTICLES[name]:
        assert rx.search(path), f"{name}: article pattern misses {path}"
    for path in NOT_ARTICLES[name] + LISTINGS[name]:
        assert not rx.search(path), f"{name}: article pattern wrongly matches {path}"


@pytest.mark.parametrize("name", NAMES)
def test_listing_pattern_matches_listing_paths_only(name):
    s = site(name)
    rx = s.listing_re()
    assert rx is not None, f"{name}: no listing_url_pattern"
    for path in LISTINGS[name]:
        assert rx.search(path), f"{name}: listing pattern misses {path}"
    for path in NOT_LISTINGS[name] + ARTICLES[name]:
        assert not rx.search(path), f"{name}: listing pattern wrongly matches {path}"


@pytest.mark.parametrize("name", NAMES)
def test_patterns_and_start_urls_never_name_a_host(name):
    s = site(name)
    for pattern in (s.article_url_pattern, s.listing_url_pattern):
        assert pattern and pattern.startswith("^/"), f"{name}: pattern must be anchored on the path"
        assert "://" not in pattern and ".com" not in pattern and ".co" not in pattern
    for u in s.start_urls:
        parts = urlsplit(u)
        assert not parts.scheme and not parts.netloc and u.startswith("/"), f"{name}: {u} is not host-relative"


@pytest.mark.parametrize("name", NAMES)
def test_config_rebases_onto_a_mirror(name):
    s = site(name)
    moved = s.rebased("http://127.0.0.1:9")
    assert moved.allowed_domains == ("127.0.0.1",)
    assert moved.domains == ("127.0.0.1",)
    urls = moved.resolved_start_urls()
    assert urls and all(u.startswith("http://127.0.0.1:9/") for u in urls)
    # the paths survive the move
    assert [urlsplit(u).path for u in urls] == [urlsplit(u).path for u in s.resolved_start_urls()]


@pytest.mark.parametrize("name", NAMES)
def test_politeness_and_zone(name):
    s = site(name)
    assert 1.0 <= s.download_delay <= 3.0
    assert 1 <= s.concurrency <= 2
    assert 1 <= s.max_listing_pages <= 20
    assert s.timezone == ("Asia/Makassar" if name in WITA else "Asia/Jakarta")
    assert s.notes.strip(), f"{name}: notes must say what the config is based on"
    if s.checked_against_saved_pages:
        assert "shared/corpus" in s.notes, f"{name}: a checked config must name the saved page"


def test_domains_are_the_outlets_own_hosts():
    assert site("tribun-sumsel").domains == ("sumsel.tribunnews.com",)
    assert site("banjarmasinpost").domains == ("banjarmasin.tribunnews.com",)
    assert site("sripoku").domains == ("palembang.tribunnews.com",)
    assert site("antara-sumsel").domains == ("sumsel.antaranews.com",)
    assert site("antara-kalsel").domains == ("kalsel.antaranews.com",)
    assert site("detik-sumut").domains == site("detik-sulsel").domains == ("www.detik.com",)


# -- validation errors ------------------------------------------------------------

GOOD = '''name = "contoh"
base_url = "https://contoh.co.id/"
start_urls = ["/sitemap.xml"]
timezone = "Asia/Jakarta"
'''


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "contoh.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_minimal_config_loads(tmp_path):
    s = load_site_file(write(tmp_path, GOOD))
    assert s.name == "contoh" and s.domains == ("contoh.co.id",)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD + 'kota = "Palembang"\n', "kota"),  # unknown key
        (GOOD.replace('"Asia/Jakarta"', '"WIB"'), "timezone"),
        (GOOD.replace('"Asia/Jakarta"', '"Asia/Banjarmasin"'), "timezone"),
        (GOOD + "article_url_pattern = '^/read/(\\d+/'\n", "article_url_pattern"),
        (GOOD + "listing_url_pattern = '^/kategori/[a-z'\n", "listing_url_pattern"),
        (GOOD.replace('start_urls = ["/sitemap.xml"]\n', ""), "start_urls"),  # missing
        (GOOD.replace('["/sitemap.xml"]', "[]"), "start_urls"),  # empty
        (GOOD + 'drop_selectors = [".baca-juga", "div[[bad"]\n', "drop_selectors"),
        (GOOD + '\n[selectors]\nbody = "p:::x"\n', "selectors"),
        (GOOD + '\n[selectors]\nheadline = "h1"\n', "selectors.headline"),
        (GOOD + 'download_delay = "2"\n', "download_delay"),  # wrong type
        (GOOD + "concurrency = 1.5\n", "concurrency"),
        (GOOD + "checked_against_saved_pages = 1\n", "checked_against_saved_pages"),
        (GOOD + "max_listing_pages = true\n", "max_listing_pages"),
        (GOOD.replace('start_urls = ["/sitemap.xml"]', 'start_urls = "/sitemap.xml"'), "start_urls"),
        (GOOD + "concurrency = 0\n", "concurrency"),
        (GOOD.replace('name = "contoh"', 'name = "Contoh News"'), "name"),
        (GOOD.replace('"https://contoh.co.id/"', '"contoh.co.id"'), "base_url"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, text, key):
    path = write(tmp_path, text)
    with pytest.raises(SiteConfigError) as exc:
        load_site_file(path)
    msg = str(exc.value)
    assert str(path) in msg
    assert key in msg


def test_bad_toml_names_the_file(tmp_path):
    path = write(tmp_path, GOOD + "[selectors\n")
    with pytest.raises(SiteConfigError, match="not valid TOML") as exc:
        load_site_file(path)
    assert str(path) in str(exc.value)


def test_a_bad_user_config_stops_the_registry(tmp_path):
    write(tmp_path, GOOD + 'timezone_ = "Asia/Makassar"\n')
    with pytest.raises(SiteConfigError) as exc:
        load_registry(tmp_path)
    assert "contoh.toml" in str(exc.value) and "timezone_" in str(exc.value)


def test_user_config_overrides_a_bundled_one(tmp_path):
    write(tmp_path, GOOD.replace('"contoh"', '"banjarmasinpost"').replace('"Asia/Jakarta"', '"Asia/Makassar"'))
    reg = load_registry(tmp_path)
    assert reg["banjarmasinpost"].base_url == "https://contoh.co.id/"
    assert reg["tribun-sumsel"].base_url == "https://sumsel.tribunnews.com/"
