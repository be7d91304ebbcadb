"""Spider ``news``: one publisher's site from its spec (extraction/publishers): robots.txt, sitemaps,
feeds and section pages, the publisher's own politeness.

``scrapy crawl news -a publisher=NAME``; every publisher also has a spider of its own name
(``scrapy crawl baonghean``, crawler/spiders/sites.py), for Scrapyd's ``spider=`` field.

Arguments (``-a NAME=VALUE``; ``vnnews crawl`` passes them for you):
  publisher    the publisher's key (``news`` only; the named spiders know theirs)
  base_url     crawl a mirror or local copy instead of the publisher's site (every URL derives from it)
  since/until  YYYY-MM-DD: backfill from the daily sitemaps of that window (until defaults to today)
  recent_days  daily sitemaps read without a window (default: setting VNNEWS_RECENT_DAYS)
  db           the archive to write: sets VNNEWS_DB, the one name of the path (default: news.db)

The spider yields one ``CapturedPage`` per article response, whatever its status; the pipeline stores
it. Which articles are requested follows ``crawler.incremental``: the archive is the crawl's state.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DownloadCancelledError, IgnoreRequest
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Request, Response
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.crawlstate import CrawlState
from crawler import __version__, discovery
from crawler.backfill import DEFAULT_PROBE_DAYS, WindowReader
from crawler.discovery import Link
from crawler.incremental import archive_horizon, today_local
from crawler.items import CapturedPage, FailedFetch
from crawler.links import DEFAULT_BUDGET, LinkFollower
from crawler.middlewares import FAIL_FAST, UNREACHABLE, BodyTooLarge, size_text, too_large_reason
from crawler.options import check_base_url
from crawler.spiders.extras import LinkSpiderMixin, WindowSpiderMixin
from crawler.tracking import NOT_MODIFIED, ChangeTracking
from extraction import publishers
from extraction.publishers import PUBLISHERS, Publisher

logger = logging.getLogger(__name__)

# Discovery documents first: the sooner every article URL is known, the sooner progress is accurate.
DISCOVERY_PRIORITY = 10
# Non-2xx article responses are passed to the callback (and archived as http_error captures) instead
# of being dropped by HttpErrorMiddleware; 3xx stay out so redirects are still followed.
ERROR_STATUSES = list(range(400, 600))
# A discovery document answering these is absent on this copy of the site: the site's answer, not a
# failed fetch, so not an error. A guessed one (a section's feed or page, a spec sitemap robots.txt
# did not name, a day of a --since window) quietly; one the index lists with a warning, and the index
# then does not count as read whole (the next crawl reads it all again).
ABSENT_STATUSES = (404, 410)
# Discovery documents that failed, named with their reason in the run's summary (the counter has them
# all; a list this long already says "the site is broken", and the summary stays small).
MAX_LISTED_FAILURES = 20
# A .xml.gz sitemap served as a file is unpacked by the spider (Scrapy unpacks Content-Encoding only):
# the same DOWNLOAD_MAXSIZE applies; with DOWNLOAD_MAXSIZE=0 (no limit) this cap still does.
DEFAULT_UNPACK_LIMIT = discovery.MAX_UNPACKED


def parse_day(value: str | None, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


def crawl_delay_to_obey(
    asked: float | None, configured: float, priority: int | str, cap: float
) -> float | None:
    """The delay to set for robots.txt's ``Crawl-delay``, or None to keep the configured one.

    A DOWNLOAD_DELAY given on the command line (``-s``, e.g. 0 against a local copy) is the
    operator's choice and wins; otherwise the slower of the two, the robots.txt one capped.
    """
    level = SETTINGS_PRIORITIES.get(priority, 0) if isinstance(priority, str) else priority
    if not asked or level >= SETTINGS_PRIORITIES["cmdline"]:
        return None
    asked = min(asked, cap)
    return asked if asked > configured else None


def user_agent(contact_url: str) -> str:
    return f"vnnews/{__version__} (+{contact_url})"


def politeness(publisher: Publisher) -> dict[str, float | int]:
    """The publisher's own politeness settings (its spec's overrides; none: the crawler's settings)."""
    chosen: dict[str, float | int] = {}
    if publisher.download_delay is not None:
        chosen["DOWNLOAD_DELAY"] = publisher.download_delay
    if publisher.concurrency is not None:
        chosen["CONCURRENT_REQUESTS_PER_DOMAIN"] = publisher.concurrency
    return chosen


class NewsSpider(LinkSpiderMixin, WindowSpiderMixin, scrapy.Spider, ChangeTracking):
    """One publisher's site. ``scrapy crawl news -a publisher=NAME``; a subclass per publisher names
    its spec (``publisher_key``) and its own spider ``name`` (crawler/spiders/sites.py)."""

    name = "news"
    publisher_key = ""  # set by each publisher's spider; ``news`` takes it as ``-a publisher=NAME``

    def __init__(
        self,
        publisher: str | None = None,
        base_url: str | None = None,
        since: str | None = None,
        until: str | None = None,
        recent_days: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.publisher = self.spec_of(publisher)  # ValueError names the publishers there are
        self.base_url = check_base_url(base_url or self.publisher.base_url)  # ValueError names the problem
        # Never follow a redirect (or a link) off the site being crawled; subdomains (m., amp.) stay in.
        self.allowed_domains = [urlsplit(self.base_url).hostname or ""]
        self.since = parse_day(since, "since")
        self.until = parse_day(until, "until")
        if self.until and not self.since:
            raise ValueError("until needs since")
        if self.since and self.since > (self.until or today_local()):
            raise ValueError(f"since ({self.since}) is after until ({self.until or today_local()})")
        self.recent_days = int(recent_days) if recent_days not in (None, "") else None
        # A --since/--until window: which of its daily sitemaps to read (crawler/backfill.py).
        self.window = WindowReader(self.since, self.until or today_local()) if self.since else None
        # The archive's state (use_state, when the pipeline opens the run): article_id ->
        # last_fetched_at, and whether a finished crawl has read every daily sitemap of the index.
        self.last_fetched: dict[str, str] = {}
        self.index_complete = False
        self.requested: set[str] = set()  # article URLs already scheduled in this run
        self.skipped: set[str] = set()  # article URLs left alone: archived and not changed since
        self.nothing_read_counted = False
        self.index_gap = False  # a sitemap the index lists was gone: the index was not read whole
        self.links = LinkFollower(DEFAULT_BUDGET, self.publisher)  # from_crawler applies the setting
        self.init_tracking()  # change signals, rechecks, withdrawals: crawler/tracking.py
        self.discovery_failures: list[str] = []  # "<url>: <reason>", the first MAX_LISTED_FAILURES

    @classmethod
    def spec_of(cls, key: str | None) -> Publisher:
        """The publisher this spider crawls: its own, or ``-a publisher=NAME`` for ``news``."""
        if cls.publisher_key and key not in (None, "", cls.publisher_key):
            raise ValueError(f"spider {cls.name} crawls {cls.publisher_key}, not {key!r}")
        key = cls.publisher_key or key
        if not key:
            raise ValueError(f"spider {cls.name} needs -a publisher=NAME ({', '.join(sorted(PUBLISHERS))})")
        try:
            return publishers.get(key)
        except KeyError as error:
            raise ValueError(error.args[0]) from None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        if not kwargs.get("base_url"):  # a mirror per publisher, for a crawl of several (crawler/settings.py)
            mirrors = crawler.settings.getdict("VNNEWS_BASE_URLS")
            kwargs["base_url"] = mirrors.get(cls.spec_of(kwargs.get("publisher")).key)
        db = kwargs.pop("db", None)
        if db:  # `-a db=PATH`: the archive's path has one name, the setting the pipeline reads
            crawler.settings.set("VNNEWS_DB", db, priority="cmdline")
        spider = super().from_crawler(crawler, *args, **kwargs)
        for name, value in politeness(spider.publisher).items():
            # Above the project's settings, below the command line's -s (an operator's choice wins).
            crawler.settings.set(name, value, priority="spider")
        spider.setup_tracking(crawler.settings)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        budget = crawler.settings.getint("VNNEWS_LINK_BUDGET", DEFAULT_BUDGET)
        spider.links = LinkFollower(budget, spider.publisher)
        crawler.signals.connect(spider.follow_links, signal=signals.spider_idle)
        crawler.signals.connect(spider.keep_links, signal=signals.spider_closed)
        if spider.window is not None:
            spider.window.probe_days = max(
                1, crawler.settings.getint("VNNEWS_PROBE_DAYS", DEFAULT_PROBE_DAYS)
            )
            crawler.signals.connect(spider.read_window, signal=signals.spider_idle)
        return spider

    def on_idle(self) -> None:
        """Absent guessed documents are not errors, unless nothing at all could be read: then the
        base URL is wrong and the run must fail like one whose documents could not be fetched."""
        if self.window is not None and not self.window.exhausted():
            return  # read_window (connected after this handler) still has daily sitemaps to ask for
        assert self.crawler.stats is not None
        stats = self.crawler.stats
        absent = stats.get_value("vnnews/discovery_absent", 0)
        if absent and not stats.get_value("vnnews/discovery_documents") and not self.nothing_read_counted:
            self.nothing_read_counted = True
            stats.inc_value("vnnews/discovery_errors", absent)

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        # -s VNNEWS_CONTACT_URL=... alone should change the User-Agent the settings file built.
        ua_priority = settings.getpriority("USER_AGENT") or 0
        if ua_priority < (settings.getpriority("VNNEWS_CONTACT_URL") or 0):
            contact = settings.get("VNNEWS_CONTACT_URL")
            settings.set(
                "USER_AGENT", user_agent(contact), priority=settings.getpriority("VNNEWS_CONTACT_URL")
            )

    def use_state(self, state: CrawlState, carried: list[str] | None = None, partial: bool = False) -> None:
        """What the archive knows of the site, when the run opens (the archive pipeline reads it): its
        crawl state, and the links of pages a cut-short run archived (``carried``, crawler/relink.py;
        ``partial``: more of them are left for a later run)."""
        self.last_fetched = state.last_fetched
        self.index_complete = state.index_read_whole
        self.use_tracking_state(state)
        if carried is not None:
            self.links.carry(carried, partial)

    # --- helpers ------------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return discovery.rebase(path, self.base_url, self.publisher)

    def is_news_sitemap(self, url: str) -> bool:
        path = self.publisher.news_sitemap_path
        return bool(path) and self.document_url(url) == self.url(path)

    def discovery_request(self, url: str, callback: Any, errback: Any = None, **meta: Any) -> Request:
        meta.setdefault("doc_kind", callback.__name__.removeprefix("parse_"))
        return Request(
            url,
            callback=callback,
            errback=errback or self.discovery_failed,
            priority=DISCOVERY_PRIORITY,
            meta=meta,
        )

    def count(self, key: str, amount: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"vnnews/{key}", amount)

    # --- start --------------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        # robots.txt alone first, everything else from its callback: Scrapy's RobotsTxtMiddleware
        # (2.19) hands the parsed rules to the first request waiting for them and None ("allow all")
        # to the others, so requests started together with robots.txt ignored its Disallow lines.
        # A missing robots.txt (404) still reaches parse_robots, which falls back to the spec's sitemaps.
        # Connection refused or no such host on robots.txt: no retries, the run fails in seconds.
        yield self.discovery_request(
            self.url(self.publisher.robots_path),
            self.parse_robots,
            handle_httpstatus_list=ERROR_STATUSES,
            errback=self.robots_failed,
            **{FAIL_FAST: True},
        )

    def after_robots(self) -> Iterator[Request]:
        """The discovery documents that do not depend on robots.txt's content, and the rechecks."""
        yield from self.recheck_requests()
        if self.window is not None:
            return  # a window reads its days once the index is read (crawler/backfill.py, read_window)
        for kind, where in discovery.listing_documents(self.publisher):  # feeds, sections, /video …
            callback = self.parse_rss if kind == "rss" else self.parse_section
            yield self.discovery_request(self.url(where), callback, optional=True)

    def robots_failed(self, failure: Failure) -> Iterator[Request]:
        if failure.check(*UNREACHABLE):
            # Nothing listens there, or the name does not resolve: every other document would fail
            # the same way after minutes of retries. Stop now; the run is failed (exit 1).
            reason = f"cannot reach {self.base_url}: {failure.getErrorMessage()}"
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("vnnews/fatal", reason)
            self.count("discovery_errors")
            logger.info("%s", reason)
            raise CloseSpider("site_unreachable")
        self.discovery_failed(failure)
        yield from self.after_robots()
        if self.window is not None:
            yield from self.window_indexes([])
        else:
            yield from self.spec_sitemaps([])

    # --- discovery callbacks ------------------------------------------------------------------------

    def document_url(self, url: str) -> str | None:
        """A listed sitemap's URL on the crawl's base, or None (malformed, or on another site)."""
        try:
            rebased = self.url(url)
        except ValueError:
            return None
        return rebased if rebased.startswith(self.base_url + "/") else None

    def parse_robots(self, response: Response) -> Iterator[Request]:
        listed = discovery.parse_robots_sitemaps(response.body) if response.status == 200 else []
        if response.status == 200:
            user_agent = self.crawler.settings.get("USER_AGENT") or self.name
            self.obey_crawl_delay(discovery.parse_robots_crawl_delay(response.body, user_agent))
        yield from self.after_robots()
        if self.window is not None:  # a date window reads the index, then its days (read_window)
            yield from self.window_indexes(listed)
            return
        sitemaps = list(dict.fromkeys(url for url in map(self.document_url, listed) if url))
        for url in sitemaps:
            yield self.discovery_request(url, self.parse_sitemap)
        yield from self.spec_sitemaps(sitemaps)

    def obey_crawl_delay(self, seconds: float | None) -> None:
        """Wait at least robots.txt's ``Crawl-delay`` between requests (Scrapy ignores it).

        Capped at AUTOTHROTTLE_MAX_DELAY; a DOWNLOAD_DELAY given on the command line (``-s``) is the
        operator's choice (a local copy at full speed) and wins.
        """
        settings = self.crawler.settings
        chosen = crawl_delay_to_obey(
            seconds,
            settings.getfloat("DOWNLOAD_DELAY"),
            settings.getpriority("DOWNLOAD_DELAY") or 0,
            settings.getfloat("AUTOTHROTTLE_MAX_DELAY", 60.0),
        )
        if chosen is None:
            return
        seconds = chosen
        logger.info("robots.txt asks for %.1f s between requests: obeyed", seconds)
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if downloader is not None:  # slots made from now on, and the slots already open
            downloader._delay = max(getattr(downloader, "_delay", 0.0), seconds)
            for slot in downloader.slots.values():
                slot.delay = max(slot.delay, seconds)
        for extension in getattr(self.crawler.extensions, "middlewares", ()):
            if isinstance(extension, AutoThrottle):  # it would lower the delay again, down to its minimum
                extension.mindelay = max(extension.mindelay, seconds)

    def spec_sitemaps(self, listed: list[str]) -> Iterator[Request]:
        """The spec's paths too: a robots.txt without Sitemap lines must not blind the crawl."""
        for path in (self.publisher.sitemap_index_path, self.publisher.news_sitemap_path):
            if path and self.url(path) not in listed:  # "": the site has none
                yield self.discovery_request(self.url(path), self.parse_sitemap, optional=True)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """A robots.txt sitemap is an index or a urlset; which one shows in the document."""
        if self.window is not None and "guess_stretch" in response.meta:
            self.window.sitemap_found(response.meta["guess_stretch"])
        limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE") or DEFAULT_UNPACK_LIMIT
        try:  # a .xml.gz file: unpacked here, within the same limit as Content-Encoding
            body = discovery.gunzip_within(response.body, limit)
        except discovery.TooLarge:
            self.document_failed(response.request, too_large_reason(limit, "sitemap"))
            return
        if body is not response.body:
            response = response.replace(body=body)
        if discovery.is_sitemap_index(response.body):
            yield from self.parse_index(response)
        else:
            yield from self.parse_urlset(response)

    def parse_index(self, response: Response) -> Iterator[Request]:
        index = discovery.parse_sitemap_index(response.body)
        self.note_document(response)
        recent = self.recent_days
        if recent is None:
            recent = self.crawler.settings.getint("VNNEWS_RECENT_DAYS", 2)
        max_changed = self.crawler.settings.getint("VNNEWS_MAX_CHANGED_SITEMAPS", 30)
        full = not self.index_complete
        if full and not self.index_gap:  # in the run's summary: the next crawl knows the index was read whole
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("vnnews/discovery", "full")
        # The archive's horizon only for sitemaps never read since signals were kept (older archives).
        horizon = archive_horizon(self.last_fetched)
        # Daily sitemaps: the recent days, and older ones whose index <lastmod> differs from when we
        # last read them (crawler/changes.py): never compared with our own clock.
        picked = self.changed_daily_sitemaps(index, recent, horizon, max_changed, full)
        # Sitemaps that are not daily ones: the news sitemap, nested indexes, a copy's own naming
        # (sitemap-posts-1.xml ...). Read on a full crawl, else when new or their lastmod changed.
        others = [
            link
            for link in index
            if discovery.daily_sitemap_date(link.url) is None
            and (
                full
                or link.lastmod is None
                or self.document_changed(link, horizon)
                or self.is_news_sitemap(link.url)
            )
        ]
        for link in others + picked:
            url = self.document_url(link.url)
            if url:  # an index inside the index is read as one (Scrapy's dupefilter stops loops)
                lastmod = link.lastmod.isoformat() if link.lastmod else None
                yield self.discovery_request(url, self.parse_sitemap, index_lastmod=lastmod)

    def parse_urlset(self, response: Response) -> Iterator[Request]:
        yield from self.follow_articles(discovery.parse_urlset(response.body), response)
        yield from self.dropped_from(self.site_path(response.url))

    def parse_rss(self, response: Response) -> Iterator[Request]:
        yield from self.follow_articles(discovery.parse_rss(response.body), response)

    def parse_section(self, response: Response) -> Iterator[Request]:
        yield from self.follow_articles(discovery.parse_section_page(response.body, response.url), response)
        self.collect_links(response)  # sidebars, "tin mới", boxes beyond the section's own list

    def discovery_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(BodyTooLarge):  # over DOWNLOAD_MAXSIZE once unpacked: a failure, not a choice
            self.document_failed(request, self.failure_reason(failure))
            return
        if failure.check(IgnoreRequest) and not failure.check(HttpError):  # robots.txt forbids it
            logger.info("not fetching %s: %s", request.url, failure.getErrorMessage())
            return
        kind = request.meta.get("doc_kind", "document")
        status = getattr(getattr(failure.value, "response", None), "status", None)
        if status in ABSENT_STATUSES:
            self.count("discovery_absent")
            if request.meta.get("optional"):
                logger.info(
                    "no %s at %s (HTTP %s): this copy of the site has none", kind, request.url, status
                )
                return
            self.index_gap = True
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("vnnews/discovery", "incomplete")
            logger.warning("listed %s %s is gone (HTTP %s)", kind, request.url, status)
            return
        self.document_failed(request, self.failure_reason(failure))

    def failure_reason(self, failure: Failure) -> str:
        """What went wrong, for the log, the capture's ``error`` and the summary; size limits by name."""
        if failure.check(BodyTooLarge):
            return failure.getErrorMessage()
        if failure.check(DownloadCancelledError) and "max size" in failure.getErrorMessage():
            # Scrapy's own DOWNLOAD_MAXSIZE check on the bytes received, before unpacking
            request = failure.request  # type: ignore[attr-defined]
            limit = request.meta.get("download_maxsize") or self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            return f"body exceeds DOWNLOAD_MAXSIZE {size_text(int(limit))}"
        return f"{failure.type.__name__}: {failure.getErrorMessage()}" if failure.type else "download failed"

    def document_failed(self, request: Request | None, reason: str) -> None:
        """A discovery document that could not be read: an error, the run is partial, the index does
        not count as read whole, and the summary names the document and the reason."""
        url = request.url if request is not None else "?"
        kind = request.meta.get("doc_kind", "document") if request is not None else "document"
        self.count("discovery_errors")
        logger.warning("could not fetch %s %s: %s", kind, url, reason)
        if len(self.discovery_failures) < MAX_LISTED_FAILURES:
            self.discovery_failures.append(f"{url}: {reason}")
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("vnnews/discovery_failures", list(self.discovery_failures))

    # --- articles -----------------------------------------------------------------------------------

    def follow_articles(self, links: list[Link], response: Response) -> Iterator[Request]:
        self.count("discovery_documents")
        self.note_document(response)
        source = response.meta.get("doc_kind", "document")
        document = self.site_path(response.url)
        for link in links:
            url = discovery.article_url(link.url, self.base_url, self.publisher)
            if url is None:
                self.count("links_not_article")
                section = self.listed_section(link.url) if source == "sitemap" else None
                if section:  # sitemap-category.xml: section pages list more articles (subsections too)
                    yield self.discovery_request(section, self.parse_section, optional=True)
                continue
            ref = self.publisher.article_ref(url)
            assert ref is not None  # article_url only returns article URLs
            listed = self.note_listing(ref.key, url, link, source, document)
            if url in self.requested:
                continue
            reason = self.fetch_reason(ref.key, listed, self.last_fetched.get(ref.article_id), document)
            if reason is None:
                if url not in self.skipped:  # an article listed by several documents counts once
                    self.skipped.add(url)
                    self.count("articles_skipped_unchanged")
                continue
            if url in self.skipped:  # left alone by an earlier document, changed in this one
                self.skipped.discard(url)
                self.count("articles_skipped_unchanged", -1)
            self.requested.add(url)
            self.count("articles_requested")
            yield self.article_request(url, ref.key, source)

    def listed_section(self, url: str) -> str | None:
        """The section page a sitemap lists (``/kinh-te/bat-dong-san``), on the crawl's base, or None."""
        rebased = self.document_url(url)
        if rebased is None or not self.publisher.is_section_path(urlsplit(rebased).path):
            return None
        return rebased

    def parse_article(self, response: Response) -> Iterator[CapturedPage]:
        self.links.fetched(response.url)
        if response.status == 200:
            self.collect_links(response)
        original = (response.meta.get("redirect_urls") or [response.url])[0]
        if response.status == NOT_MODIFIED:
            self.count("not_modified")
        yield CapturedPage(
            url=original,
            final_url=response.url,
            status=response.status,
            headers=[
                (key.decode("latin-1"), value.decode("latin-1"))
                for key, values in response.headers.items()
                for value in values
            ],
            body=b"" if response.status == NOT_MODIFIED else response.body,
            fetched_at=self.now_iso(),
            source=response.meta.get("source", ""),
            key=response.meta.get("listed_key", ""),
            path=self.site_path(original),
            gone_reason=self.gone_reason(response),
        )

    def article_failed(self, failure: Failure) -> Iterator[FailedFetch]:
        request = failure.request  # type: ignore[attr-defined]
        # robots.txt forbids it, or it redirects off-site: our choice. Too large is a failure, below.
        if failure.check(IgnoreRequest) and not failure.check(BodyTooLarge):
            self.count("articles_disallowed")
            logger.info("not fetching %s: %s", request.url, failure.getErrorMessage())
            return
        self.count("download_errors")
        reason = self.failure_reason(failure)
        logger.warning("could not fetch article %s: %s", request.url, reason)
        # To the archive as well: the failure is a captures row an operator can see and query.
        yield FailedFetch(
            url=(request.meta.get("redirect_urls") or [request.url])[0],
            error=reason,
            fetched_at=self.now_iso(),
            key=request.meta.get("listed_key", ""),
        )
