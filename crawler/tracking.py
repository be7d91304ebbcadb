"""The spider's side of change detection, rechecks and withdrawals (a mixin of ``NewsSpider``).

State the archive hands over when the run opens (``archive.crawlstate.CrawlState``, read by the
pipeline on its worker thread, given to ``use_tracking_state``): the signals of every listed
article, the index lastmod of every document read before, the articles due for a recheck. During
the run the spider notes what each document says (``seen_signals``, ``seen_documents``); the
pipeline stores it when the run closes (``archive.crawlstate``), except for
articles whose fetch failed, so the next run still sees their signal as changed and tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response

from archive.crawlstate import ArticleSignals, CrawlState, Recheck
from crawler import changes, discovery
from crawler.discovery import LOCAL_TZ, Link

logger = logging.getLogger(__name__)

# Article answers the spider handles itself: 304 (conditional requests) besides the error statuses.
NOT_MODIFIED = 304
# One shared set for every article request's meta (Scrapy only tests membership). A list built per
# request holds 200 int objects of its own: ~8 KB a request, 80 MB of a 10,000-article crawl's queue.
ARTICLE_STATUSES = frozenset((NOT_MODIFIED, *range(400, 600)))


class ChangeTracking:
    """Mixin: needs ``crawler``, ``publisher``, ``base_url``, ``requested``, ``count`` and ``url``."""

    crawler: Any
    publisher: Any
    base_url: str
    requested: set[str]

    def count(self, key: str, amount: int = 1) -> None:  # pragma: no cover - the spider's
        raise NotImplementedError

    def url(self, path: str) -> str:  # pragma: no cover - the spider's
        raise NotImplementedError

    def init_tracking(self) -> None:
        self.article_signals: dict[str, ArticleSignals] = {}
        self.document_lastmods: dict[str, str | None] = {}
        self.rechecks: list[Recheck] = []
        self.seen_signals: dict[str, dict[str, Any]] = {}  # listed key -> path, signals, listed_in
        self.seen_documents: dict[str, dict[str, Any]] = {}  # document path -> what it said
        self.document_keys: dict[str, set[str]] = {}  # daily sitemap path -> keys it listed this run
        self.listed_before: dict[str, list[str]] | None = None  # daily sitemap -> keys it listed before
        self.clock_offset = timedelta(0)
        self.recheck_after: list[timedelta] = []

    # --- clock and settings ---------------------------------------------------------------------------

    def setup_tracking(self, settings: Any) -> None:
        """``VNNEWS_NOW`` (pretend time) and ``VNNEWS_RECHECK_AFTER`` (the recheck points)."""
        self.recheck_after = changes.parse_recheck_after(
            settings.get("VNNEWS_RECHECK_AFTER", changes.DEFAULT_RECHECK_AFTER)
        )
        pretend = changes.parse_now(settings.get("VNNEWS_NOW"))
        if pretend is not None:
            self.clock_offset = pretend - datetime.now(LOCAL_TZ)

    def now(self) -> datetime:
        """The crawl's clock: real time, or ``VNNEWS_NOW`` and running from there."""
        return datetime.now(LOCAL_TZ) + self.clock_offset

    def now_iso(self) -> str:
        return self.now().isoformat(timespec="seconds")

    def use_tracking_state(self, state: CrawlState) -> None:
        """The archive's signals, document lastmods and due rechecks for this run (archive/crawlstate.py)."""
        self.article_signals = state.article_signals
        self.document_lastmods = state.document_lastmods
        self.rechecks = state.rechecks

    # --- paths ------------------------------------------------------------------------------------------

    def site_path(self, url: str) -> str:
        """A URL on the crawl's base as the site's path (+ query): the same key on any mirror."""
        parts = urlsplit(url)
        prefix = urlsplit(self.base_url).path.rstrip("/")
        path = parts.path[len(prefix) :] if prefix and parts.path.startswith(prefix + "/") else parts.path
        return path + (f"?{parts.query}" if parts.query else "")

    # --- discovery documents --------------------------------------------------------------------------

    def note_document(self, response: Response) -> None:
        """What a discovery document said, stored when the run closes."""
        headers = response.headers
        self.seen_documents[self.site_path(response.url)] = {
            "kind": response.meta.get("doc_kind", "document"),
            "index_lastmod": response.meta.get("index_lastmod"),
            "etag": (headers.get("ETag") or b"").decode("latin-1") or None,
            "last_modified": (headers.get("Last-Modified") or b"").decode("latin-1") or None,
            "status": response.status,
            "read_at": self.now_iso(),
        }

    def changed_daily_sitemaps(
        self, index: list[Link], recent: int, horizon: datetime | None, max_changed: int, full: bool
    ) -> list[Link]:
        path_of = {}
        for link in index:
            rebased = self.document_url(link.url)
            if rebased:
                path_of[link.url] = self.site_path(rebased)
        return changes.pick_changed_daily_sitemaps(
            index, recent, self.document_lastmods, path_of, horizon, max_changed, full=full
        )

    def document_changed(self, link: Link, horizon: datetime | None) -> bool:
        url = self.document_url(link.url)
        path = self.site_path(url) if url else ""
        return changes.document_changed(link.lastmod, self.document_lastmods, path, horizon)

    def document_url(self, url: str) -> str | None:  # pragma: no cover - the spider's
        raise NotImplementedError

    # --- articles ---------------------------------------------------------------------------------------

    def note_listing(
        self, key: str, url: str, link: Link, source: str, document: str | None
    ) -> dict[str, str]:
        """Remember what a document said about an article; returns the signals it gave."""
        listed = changes.listing_signals(link, source)
        entry = self.seen_signals.setdefault(key, {"path": self.site_path(url)})
        for kind, value in listed.items():
            entry.setdefault(kind, set()).add(value)
        if document is not None and discovery.daily_sitemap_date(document) is not None:
            entry["listed_in"] = document
            self.document_keys.setdefault(document, set()).add(key)
        return listed

    def signals_to_store(self, captured: set[str]) -> dict[str, dict[str, Any]]:
        """What to store for each key listed this run (``archive.crawlstate.save_listing_signals``).

        A kind's values are the set the documents gave this run (one article may be listed twice with
        two dates): for an article captured this run they replace the stored ones; for one left alone
        they join them (every one of them stands for the archived version)."""
        stored: dict[str, dict[str, Any]] = {}
        for key, entry in self.seen_signals.items():
            out: dict[str, Any] = {k: v for k, v in entry.items() if not isinstance(v, set)}
            known = self.article_signals.get(key)
            for kind, values in entry.items():
                if not isinstance(values, set):
                    continue
                old = known.signal(kind) if known is not None and key not in captured else None
                out[kind] = changes.join_values(values | set(changes.split_values(old)))
            stored[key] = out
        return stored

    def fetch_reason(
        self, key: str, listed: dict[str, str], fetched: str | None, document: str | None
    ) -> str | None:
        listed_in = document if document and discovery.daily_sitemap_date(document) is not None else None
        return changes.fetch_reason(listed, self.article_signals.get(key), fetched, listed_in)

    def validators(self, key: str) -> dict[str, str]:
        """Conditional request headers for an archived, not withdrawn article whose server gave any."""
        known = self.article_signals.get(key)
        if known is None or known.withdrawn_at or not known.article_id:
            return {}
        headers = {}
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return headers

    def article_request(self, url: str, key: str, source: str) -> Request:
        headers = self.validators(key)
        if headers:
            self.count("conditional_requests")
        return Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            headers=headers or None,
            # Redirected requests keep this flag: an old URL redirecting to an article also listed
            # directly must still be fetched and recorded (dedup is by URL, not by Scrapy).
            dont_filter=True,
            meta={
                "handle_httpstatus_list": ARTICLE_STATUSES,
                "source": source,
                "listed_key": key,
            },
        )

    def parse_article(self, response: Response) -> Iterator[Any]:  # pragma: no cover - the spider's
        raise NotImplementedError

    def article_failed(self, failure: Any) -> Iterator[Any]:  # pragma: no cover - the spider's
        raise NotImplementedError

    def recheck_requests(self) -> Iterator[Request]:
        """Conditional rechecks of recently archived articles (the recheck policy), once per run."""
        for recheck in self.rechecks:
            url = discovery.article_url(recheck.url, self.base_url, self.publisher)
            ref = self.publisher.article_ref(url) if url else None
            if url is None or ref is None or url in self.requested:
                continue
            self.requested.add(url)
            self.count("rechecks_requested")
            yield self.article_request(url, ref.key, "recheck")
        self.rechecks = []

    def dropped_from(self, document: str) -> Iterator[Request]:
        """Articles a daily sitemap listed when last read and lists no more: recheck each (a withdrawal
        shows as 404/410 or a redirect to a listing). Not for a document that listed nothing at all:
        an empty or broken sitemap says nothing about its articles."""
        listed = self.document_keys.get(document)
        if not listed:
            return
        if self.listed_before is None:  # built once: a full crawl reads hundreds of daily sitemaps
            self.listed_before = {}
            for key, known in self.article_signals.items():
                if known.listed_in and known.article_id:
                    self.listed_before.setdefault(known.listed_in, []).append(key)
        for key in self.listed_before.get(document, []):
            if key in listed:
                continue
            known = self.article_signals[key]
            # Dropped, unless another day's sitemap lists it this run (that one wins, in any order).
            self.seen_signals.setdefault(key, {"path": known.path}).setdefault("listed_in", "")
            url = self.url(known.path)
            if url in self.requested:
                continue
            self.requested.add(url)
            self.count("unlisted_rechecks")
            logger.info("%s is no longer listed by %s: rechecking it", url, document)
            yield self.article_request(url, key, "unlisted")

    def gone_reason(self, response: Response) -> str | None:
        """Why an article answer says it is gone: 404/410, or a redirect to the home or a section page."""
        if response.status in (404, 410):
            return f"HTTP {response.status}"
        if response.meta.get("redirect_urls") and response.status == 200:
            path = urlsplit(response.url).path
            if path in ("", "/", "/index.html") or self.publisher.is_section_path(path):
                return f"redirected to {path or '/'}"
        return None
