"""ProgressLine: a one-line progress report on stderr every few seconds while a crawl runs."""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler import outcome


def progress_line(counts: dict[str, int], elapsed: float, label: str = "") -> str:
    """``label``: the publisher, when one process crawls several (each has its own line)."""
    queued = max(0, counts["articles_requested"] - counts["pages_fetched"] - counts["download_errors"])
    who = f"{label} " if label else ""
    return f"[crawl {who}{elapsed:5.0f}s] {outcome.summary_line(counts, elapsed)} | queued {queued}"


class ProgressLine:
    """Like Scrapy's LogStats, but in vnnews's terms and on stderr whatever the log settings."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        interval = crawler.settings.getfloat("VNNEWS_PROGRESS_INTERVAL", 5.0)
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def report(self) -> None:
        assert self.crawler.stats is not None
        counts = outcome.counters(self.crawler.stats.get_stats())
        label = ""
        if self.crawler.settings.getbool("VNNEWS_PROGRESS_LABEL"):
            label = getattr(getattr(self.crawler.spider, "publisher", None), "key", "")
        print(progress_line(counts, time.monotonic() - self.started, label), file=sys.stderr, flush=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
