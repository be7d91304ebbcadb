"""Downloader middlewares: retries with exponential backoff (Scrapy 2.19 retries immediately) that
honour ``Retry-After`` (and none for a site that cannot be reached at all), a decompression limit
that is a failure rather than a silent skip, and an offsite filter that also applies to
``dont_filter`` requests and their redirects, and keeps a mirror's redirects to the real site's host
on the mirror."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, IgnoreRequest
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, NoRouteError

from crawler import discovery

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response


# Errors that say the site cannot be reached at all (nothing listens, the name does not resolve, no
# route; Scrapy 2.19 wraps Twisted's as its own): robots.txt, the first request to a site, is not
# retried on them, so a wrong --base-url or a site that is down fails in seconds. A slow site
# (timeouts) and 5xx answers still get the polite retries.
UNREACHABLE = (
    DownloadConnectionRefusedError,
    CannotResolveHostError,
    ConnectionRefusedError,
    DNSLookupError,
    NoRouteError,
)
FAIL_FAST = "vnnews_fail_fast"  # request meta flag (the spider's robots.txt request)


def fails_fast(request: Request) -> bool:
    """The spider's robots.txt request, and the one Scrapy's RobotsTxtMiddleware makes for it."""
    return bool(request.meta.get(FAIL_FAST)) or urlsplit(request.url).path == "/robots.txt"


class _QuietUnreachableRobots(logging.Filter):
    """Scrapy's RobotsTxtMiddleware logs an unreachable robots.txt as an ERROR with a traceback; the
    spider reports it as the run's one line instead (``vnnews crawl: cannot reach ...``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, dict) else {}
        return not isinstance(args.get("f_exception"), UNREACHABLE)


def quiet_unreachable_robots() -> None:
    robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if not any(isinstance(f, _QuietUnreachableRobots) for f in robots_logger.filters):
        robots_logger.addFilter(_QuietUnreachableRobots())


class BodyTooLarge(IgnoreRequest):
    """A body over DOWNLOAD_MAXSIZE once decompressed (a gzip bomb, a runaway sitemap).

    An IgnoreRequest, so Scrapy drops it quietly like its own size check; the spider's errbacks
    tell it from a request we chose not to make (robots.txt, offsite) and record it as a failure.
    """


def size_text(size: int) -> str:
    """16777216 -> "16 MiB"; sizes that are not whole MiB in bytes."""
    mib = 1024 * 1024
    return f"{size // mib} MiB" if size and size % mib == 0 else f"{size} bytes"


def too_large_reason(limit: int, what: str = "body") -> str:
    return f"{what} exceeds DOWNLOAD_MAXSIZE {size_text(limit)} after decompression"


class LimitedCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware, whose DOWNLOAD_MAXSIZE refusal becomes ``BodyTooLarge``.

    Scrapy raises a bare IgnoreRequest, which the spider could not tell from a robots.txt refusal:
    a gzip-bomb article was counted as "disallowed" and a bomb sitemap's articles silently lost.
    """

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as error:  # the only IgnoreRequest it raises: the size limit
            limit = int(request.meta.get("download_maxsize", self._max_size))
            raise BodyTooLarge(too_large_reason(limit)) from error


def backoff_delay(retry_number: int, base: float, cap: float) -> float:
    """Seconds to wait before retry ``retry_number`` (1, 2, ...): base, 2*base, 4*base, ... capped."""
    if retry_number < 1 or base <= 0:
        return 0.0
    return float(min(cap, base * 2 ** (retry_number - 1)))


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


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
        quiet_unreachable_robots()
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    async def process_request(self, request: Request, spider: Any = None) -> None:
        delay = request.meta.pop("vnnews_backoff", 0.0)
        if delay:
            await asyncio.sleep(delay)

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Any:
        if isinstance(exception, UNREACHABLE) and fails_fast(request):
            return None  # to the errback at once: retrying a refused connection only delays the verdict
        return super().process_exception(request, exception)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        # A 503/429 may say how long to wait: honour it (capped like the backoff) on that retry.
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None:
            request.meta["vnnews_retry_after"] = asked
        return super().process_response(request, response)

    def _retry(self, request: Request, reason: Any) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is not None:
            delay = backoff_delay(retry.meta.get("retry_times", 1), self.backoff_base, self.backoff_max)
            asked = retry.meta.pop("vnnews_retry_after", None)
            if asked is not None:
                delay = max(delay, min(asked, self.backoff_max))
            retry.meta["vnnews_backoff"] = delay
        return retry


class StrictOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's OffsiteMiddleware, except that ``dont_filter`` requests are checked too.

    Article requests are ``dont_filter`` (the spider deduplicates them itself, so that a redirect to
    an article also listed directly is still recorded); Scrapy would let their redirects leave the
    site. Only ``meta["allow_offsite"]`` lets a request go elsewhere.

    A mirror or local copy (``base_url``) may redirect to the real site's host (an old id's
    ``Location: https://baonghean.vn/...``): that request is moved onto the mirror, same path, so
    the crawl follows it there and never contacts the real site.
    """

    def process_request(self, request: Request, spider: Any = None) -> Request | None:  # type: ignore[override]
        spider = self.crawler.spider
        assert spider is not None
        if request.meta.get("allow_offsite") or self.should_follow(request, spider):
            return None
        rebased = self.on_mirror(request.url, spider)
        if rebased is not None:
            return request.replace(url=rebased)
        self.stats.inc_value("offsite/filtered")
        raise IgnoreRequest(f"Filtered offsite request to {request.url}")

    @staticmethod
    def on_mirror(url: str, spider: Any) -> str | None:
        publisher, base_url = getattr(spider, "publisher", None), getattr(spider, "base_url", None)
        if publisher is None or not base_url or not publisher.owns(url) or publisher.owns(base_url):
            return None
        try:
            return discovery.rebase(url, base_url, publisher)
        except ValueError:
            return None
