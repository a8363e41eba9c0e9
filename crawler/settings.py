"""Scrapy settings for Warta. Every value an operator may want to change is also
reachable as ``warta crawl -s NAME=VALUE`` or ``scrapy crawl news -s NAME=VALUE``."""

from crawler import __version__

BOT_NAME = "warta"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# An honest User-Agent: outlets see who crawls them. Operators add their own contact
# with WARTA_CONTACT (a URL or e-mail), which the spider appends.
USER_AGENT = f"Warta/{__version__} (research archive of Indonesian regional news)"
WARTA_CONTACT = ""
ROBOTSTXT_OBEY = True

# Politeness; per-site download_delay and concurrency come from the site config
# through the spider's download_delay / max_concurrent_requests attributes.
CONCURRENT_REQUESTS = 16
# Each article response yields one item; Scrapy starts CONCURRENT_ITEMS asyncio tasks per
# response, so the default of 100 is pure overhead here.
CONCURRENT_ITEMS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Traps end: timeouts, size caps, redirect and depth limits, a page budget per site.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 25
CLOSESPIDER_PAGECOUNT = 5000

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.redirect.AliasRedirectMiddleware": 600,
    "crawler.conditional.ConditionalRequests": 650,
    # Outside the retry middleware (550): counts a request's final outcome, not each retry.
    "crawler.breaker.CircuitBreaker": 540,
}
# Longest Retry-After we wait for; a longer one sets the page aside for this run.
WARTA_RETRY_AFTER_MAX = 120

EXTENSIONS = {"crawler.workers.CpuPool": 0, "crawler.crawldelay.CrawlDelay": 0}
# Longest robots.txt Crawl-delay honoured (seconds).
WARTA_MAX_CRAWL_DELAY = 60

ITEM_PIPELINES = {
    "pipelines.extract.ExtractArticle": 100,
    "pipelines.dates.ResolveDates": 200,
    "pipelines.relevance.ScoreRelevance": 300,
    "pipelines.dedup.Deduplicate": 400,
    "pipelines.store.StoreArticle": 500,
}

WARTA_DB = "archive.db"
# Estimated Jaccard similarity of word 4-gram shingles above which an article joins
# another's duplicate cluster (a syndicated copy with a new intro and outro); "off"
# links exact copies only. Must equal crawler.neardup.DEFAULT_THRESHOLD; how it was
# chosen: docs/duplicates.md.
WARTA_NEAR_DUP_THRESHOLD = 0.3
WARTA_TOPIC = "netralitas-asn"
WARTA_RUN_ID = None
# Extraction worker processes; 0 extracts in the crawl process.
WARTA_EXTRACT_WORKERS = 0

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
WARTA_DOWNLOAD_DELAY = None
WARTA_FULL_TRACEBACKS = False
WARTA_CONDITIONAL_REQUESTS = True
# Consecutive failed requests (after retries) before a site is set aside for the run.
WARTA_BREAKER_FAILURES = 10
# Known articles published within this many days are re-checked (conditional request) on each run.
WARTA_RECHECK_DAYS = 3
