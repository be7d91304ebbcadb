"""Downloader middlewares: retries with exponential backoff (Scrapy 2.19 retries immediately), and an
offsite filter that also applies to ``dont_filter`` requests and their redirects."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request


def backoff_delay(retry_number: int, base: float, cap: float) -> float:
    """Seconds to wait before retry ``retry_number`` (1, 2, ...): base, 2*base, 4*base, ... capped."""
    if retry_number < 1 or base <= 0:
        return 0.0
    return float(min(cap, base * 2 ** (retry_number - 1)))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, but a retried request waits before it is downloaded again.

    The wait happens in ``process_request`` before the request enters the downloader slot, so it
    never blocks other requests (nor holds the one-per-domain slot) while it sleeps.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    async def process_request(self, request: Request, spider: Any = None) -> None:
        delay = request.meta.pop("vnnews_backoff", 0.0)
        if delay:
            await asyncio.sleep(delay)

    def _retry(self, request: Request, reason: Any) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is not None:
            retry.meta["vnnews_backoff"] = backoff_delay(
                retry.meta.get("retry_times", 1), self.backoff_base, self.backoff_max
            )
        return retry


class StrictOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's OffsiteMiddleware, except that ``dont_filter`` requests are checked too.

    Article requests are ``dont_filter`` (the spider deduplicates them itself, so that a redirect to
    an article also listed directly is still recorded); Scrapy would let their redirects leave the
    site. Only ``meta["allow_offsite"]`` lets a request go elsewhere.
    """

    def process_request(self, request: Request, spider: Any = None) -> None:
        assert self.crawler.spider is not None
        if request.meta.get("allow_offsite") or self.should_follow(request, self.crawler.spider):
            return
        self.stats.inc_value("offsite/filtered")
        raise IgnoreRequest(f"Filtered offsite request to {request.url}")
