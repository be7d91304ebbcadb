"""Scrapy settings for the vnnews crawler. Every value says why; all can be overridden with ``-s NAME=VALUE``.

The defaults are polite to a provincial newspaper's server: one request at a time, a delay between
requests, AutoThrottle backing off when the site slows down, robots.txt obeyed, an honest User-Agent.
Tests and benchmarks turn politeness down against the local snapshot server only.
"""

from __future__ import annotations

from crawler import __version__

BOT_NAME = "vnnews"  # the name Scrapy logs and Scrapyd deploys under
SPIDER_MODULES = ["crawler.spiders"]  # `news` and one spider per publisher (`scrapy crawl baonghean`)
NEWSPIDER_MODULE = "crawler.spiders"  # a new publisher's spider is one class in crawler/spiders/sites.py

# --- vnnews's own settings -------------------------------------------------------------------------
# The archive (SQLite) the crawl writes into: the path's one name (`vnnews crawl --db`, `-s VNNEWS_DB=`,
# the spider's `-a db=` all set it). Its crawl lock <db>.lock is held by the process (crawler/lock.py).
VNNEWS_DB = "news.db"
VNNEWS_CONTACT_URL = "https://github.com/vnnews/vnnews"  # who runs the bot: goes into the User-Agent
VNNEWS_PROGRESS_INTERVAL = 5.0  # seconds between progress lines on stderr (0 turns them off)
VNNEWS_PROGRESS_LABEL = False  # set by `vnnews crawl` for several publishers: each line names its own
VNNEWS_INDEX_IN_CHILD = (
    True  # end-of-run indexing in a child process (memory); off for several publishers at once
)
VNNEWS_RECENT_DAYS = 2  # daily sitemaps read by a crawl without --since: the news sitemap's window
VNNEWS_MAX_CHANGED_SITEMAPS = 30  # older daily sitemaps re-read per run when their lastmod changed
# Conditional rechecks of each article this long after it was first archived (m/h/d, comma-separated;
# "off" disables): an edit the sitemap does not announce is caught. Cost: one request per point per
# article, usually a 304 with no body (docs/crawling.md, "Rechecks").
VNNEWS_RECHECK_AFTER = "1h,6h,24h,7d"
VNNEWS_MAX_RECHECKS = 2000  # rechecks per run at most: a burst of new articles cannot double a run
VNNEWS_NOW = ""  # pretend the crawl runs at this ISO time (tests, replays); empty: the real clock
# Articles only links reach (listed by no sitemap, feed or section page) fetched per run; 0 turns link
# discovery off. Why 5,000: crawler/links.py (DEFAULT_BUDGET).
VNNEWS_LINK_BUDGET = 5000
# A --since window guesses daily sitemaps only beyond the index's reach, this many days at a time,
# and stops a stretch after a batch without any (crawler/backfill.py: a daily paper publishes daily).
VNNEWS_PROBE_DAYS = 7
# Mirrors or local copies for a crawl of several publishers, as a JSON object {"publisher": "http://..."}
# (`vnnews crawl --base-url` names one publisher's; tests and `vnnews demo` serve several site copies).
VNNEWS_BASE_URLS: dict[str, str] = {}

# Identify the bot and give the site a way to reach its operator (the spider rebuilds this from
# VNNEWS_CONTACT_URL when only the contact URL is overridden).
USER_AGENT = f"vnnews/{__version__} (+{VNNEWS_CONTACT_URL})"

# --- politeness -----------------------------------------------------------------------------------
ROBOTSTXT_OBEY = True  # the site says what not to crawl (search, API); we listen
CONCURRENT_REQUESTS = 8  # a ceiling across domains; the per-domain limit below is what binds
CONCURRENT_REQUESTS_PER_DOMAIN = 1  # one request at a time: a small newspaper's server, not a CDN
# A publisher's spec may set its own delay and concurrency (Publisher.download_delay, .concurrency):
# they replace these two for its domain only; -s on the command line still wins over both.
DOWNLOAD_DELAY = 1.0  # at least a second between requests to the site, even when it answers fast
DOWNLOAD_DELAY_JITTER = 0.5  # 0.5-1.5x the delay, so requests do not arrive as a metronome
AUTOTHROTTLE_ENABLED = True  # slow down automatically when the site's latency grows
AUTOTHROTTLE_START_DELAY = 2.0  # start cautiously until the site's latency is known
AUTOTHROTTLE_MAX_DELAY = 60.0  # but never stall a crawl more than a minute per request
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0  # aim for one request in flight on average
COOKIES_ENABLED = False  # articles are public; cookies would only make us trackable and stateful
TELNETCONSOLE_ENABLED = False  # no listening debug port on a scheduled production job
DOWNLOAD_TIMEOUT = 30  # a page that takes longer is a server in trouble: retry later instead
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # an article page is < 1 MB; refuse to buffer runaway bodies
REDIRECT_MAX_TIMES = 6  # old-id URLs redirect through a chain or two; longer chains are loops

# --- retries --------------------------------------------------------------------------------------
RETRY_ENABLED = True  # transient 5xx and timeouts are common on a busy news site
RETRY_TIMES = 3  # up to 4 attempts per page before it counts as failed
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]  # server-side and rate-limit statuses
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry, doubled each time (Scrapy has no backoff)
RETRY_BACKOFF_MAX = 60.0  # cap on one backoff wait
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's RetryMiddleware retries immediately; ours waits an exponential backoff first.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    # Scrapy's decompression limit drops a gzip bomb as if robots.txt forbade it; ours makes it a failure.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.LimitedCompressionMiddleware": 590,
    # Scrapy's offsite filter skips dont_filter requests; ours never lets a redirect leave the site.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.StrictOffsiteMiddleware": 50,
}

# --- storage and reporting ------------------------------------------------------------------------
# Scrapy 2.19 starts CONCURRENT_ITEMS asyncio tasks for every response's output; an article response
# yields one item, so the default 100 spends more CPU on task churn than on archiving.
CONCURRENT_ITEMS = 8
ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}  # every article response into the archive
EXTENSIONS = {"crawler.extensions.ProgressLine": 500}  # one progress line on stderr while running
LOG_LEVEL = "INFO"  # per-page DEBUG lines drown the log of a 10,000-page crawl
LOGSTATS_INTERVAL = 60.0  # Scrapy's own rate line once a minute; ProgressLine is the frequent one
FEED_EXPORT_ENCODING = "utf-8"  # Vietnamese text in any feed export stays readable
# JOBDIR is unset: pass `-s JOBDIR=crawls/backfill` to a long backfill so Ctrl-C can resume its queue.
