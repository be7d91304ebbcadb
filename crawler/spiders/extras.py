"""The spider's link discovery and date-window reading, kept apart from discovery proper.

``LinkSpiderMixin``: article links of fetched article and section pages, fetched when the listed work
is done (crawler/links.py has the rules). ``WindowSpiderMixin``: what a ``--since/--until`` window
reads (crawler/backfill.py has the rules). Both run from the ``spider_idle`` signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response

from crawler import discovery
from crawler.backfill import WindowReader
from crawler.discovery import Link
from crawler.links import LinkFollower, article_links
from extraction.publishers import Publisher

logger = logging.getLogger("crawler.spiders.baonghean")
LINK_STATE = "vnnews_link_candidates"  # key in spider.state (JOBDIR) of links not yet followed


class _SpiderParts:
    """What the mixins use of the spider (for the type checker)."""

    crawler: Any
    publisher: Publisher
    base_url: str
    requested: set[str]
    skipped: set[str]
    last_fetched: dict[str, str]
    links: LinkFollower
    window: WindowReader | None
    parse_article: Callable[..., Any]
    article_failed: Callable[..., Any]
    parse_sitemap: Callable[..., Any]
    parse_urlset: Callable[..., Any]

    if TYPE_CHECKING:  # defined by the spider

        def url(self, path: str) -> str: ...
        def document_url(self, url: str) -> str | None: ...
        def is_news_sitemap(self, url: str) -> bool: ...
        def count(self, key: str, amount: int = 1) -> None: ...
        def discovery_request(self, url: str, callback: Any, errback: Any = None, **meta: Any) -> Request: ...
        def article_request(self, url: str, key: str, source: str) -> Request: ...


class LinkSpiderMixin(_SpiderParts):
    def collect_links(self, response: Response) -> None:
        if self.links.enabled:
            found = article_links(
                response.body, response.url, self.base_url, self.publisher, self.links.cache
            )
            self.links.found(found)

    def keep_links(self, spider: Any = None, reason: str = "") -> None:
        """spider_closed: with a JOBDIR, the links not yet followed wait in the spider's state for the
        resumed run (Scrapy's SpiderState extension saves ``state`` after this handler)."""
        state = getattr(self, "state", None)
        if isinstance(state, dict):
            state[LINK_STATE] = list(self.links.pending)
        if self.crawler.stats is not None:  # the pipeline's summary says it; crawler/relink.py reads it
            self.crawler.stats.set_value("vnnews/links", self.links.status(reason))
            self.crawler.stats.set_value("vnnews/links_carried", self.links.carried)

    def follow_links(self) -> None:
        """spider_idle: everything listed is fetched; now the linked articles nothing listed."""
        state = getattr(self, "state", None)
        if isinstance(state, dict) and state.get(LINK_STATE):  # a resumed run (JOBDIR): its candidates
            self.links.found(state.pop(LINK_STATE))
        requested_ids = {ref.article_id for ref in map(self.publisher.article_ref, self.requested) if ref}

        def known(url: str, article_id: str) -> bool:
            return (
                url in self.requested
                or url in self.skipped
                or article_id in self.last_fetched
                or article_id in requested_ids
            )

        urls = self.links.take(known)
        assert self.crawler.stats is not None and self.crawler.engine is not None
        self.crawler.stats.set_value("vnnews/links_over_budget", self.links.over_budget)
        for url in urls:
            ref = self.publisher.article_ref(url)
            if ref is None:  # take() only returns article URLs
                continue
            self.requested.add(url)
            self.count("articles_from_links")
            # Keyed like a listed article: the answer's validators (ETag, Last-Modified) are recorded,
            # so its rechecks are conditional, and a dead link is recorded as gone (archive/crawlstate.py).
            self.crawler.engine.crawl(self.article_request(url, ref.key, "link"))
        if urls:
            raise DontCloseSpider
        if self.links.over_budget and not self.links.warned:
            self.links.warned = True
            logger.warning(
                "%d linked articles over the link budget (VNNEWS_LINK_BUDGET=%d) are left for a later run",
                self.links.over_budget,
                self.links.budget,
            )


class WindowSpiderMixin(_SpiderParts):
    def window_indexes(self, listed: list[str]) -> Iterator[Request]:
        """robots.txt's sitemaps and the spec's index: read for the daily sitemaps they list."""
        named = [url for url in map(self.document_url, listed) if url]
        index = [self.url(self.publisher.sitemap_index_path)] if self.publisher.sitemap_index_path else []
        for url in dict.fromkeys([*named, *index]):
            if not self.is_news_sitemap(url):  # a urlset of two days: not an index
                yield self.discovery_request(url, self.parse_window_index, optional=url not in named)

    def parse_window_index(self, response: Response) -> Iterator[Request]:
        assert self.window is not None
        self.count("discovery_documents")
        if not discovery.is_sitemap_index(response.body):
            day = discovery.daily_sitemap_date(response.url)
            if day is not None:  # a daily sitemap robots.txt names: read now, never asked for twice
                self.window.index_links([Link(url=response.url)])
                self.window.already_read.add(day)
                if self.window.in_window(day):
                    yield from self.parse_urlset(response)
            return
        for link in self.window.index_links(discovery.parse_sitemap_index(response.body)):
            url = self.document_url(link.url)
            if url and not self.is_news_sitemap(url):  # maybe a nested index
                yield self.discovery_request(url, self.parse_window_index)

    def read_window(self) -> None:
        """spider_idle: the index is read; now the window's listed days, then guesses batch by batch."""
        assert self.window is not None and self.crawler.engine is not None
        requests = []
        if not self.window.planned:
            for _day, listed in self.window.plan():
                url = self.document_url(listed)
                if url:
                    requests.append(self.discovery_request(url, self.parse_sitemap))
        guesses = self.window.next_guesses() if self.publisher.daily_sitemap_path else []
        for stretch, day in guesses:  # a site without daily sitemaps: only what its index lists
            path = self.publisher.daily_sitemap_path.format(date=day.isoformat())
            requests.append(
                self.discovery_request(
                    self.url(path), self.parse_sitemap, optional=True, guess_stretch=stretch
                )
            )
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("vnnews/window_days_guessed", self.window.guessed)
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider
