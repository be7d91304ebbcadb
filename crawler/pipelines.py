"""The archive pipeline: a thin adapter from Scrapy items onto ``archive.Archive``.

open_spider: hold the crawl lock of the archive at ``VNNEWS_DB`` (crawler/lock.py: taken here under
``scrapy crawl``, shared with ``vnnews crawl``, which took it before Scrapy started), open the archive,
start a run and hand the spider what the archive knows of the site (``archive.crawlstate.CrawlState``
and the links of cut-short runs) in one call, ``spider.use_state``.
process_item: ``Archive.ingest`` (raw capture, extraction, storage; extraction errors are recorded
on the capture, never raised).
spider_closed: finish the run with its status and counters, close the archive, release the lock.
Each page is committed in its own transaction, so a crash or SIGKILL loses nothing already stored
(a page downloaded but not yet stored is simply fetched again by the next run).

Every archive call runs on one dedicated worker thread (SQLite connections belong to the thread
that opened them): extraction, gzip and SQLite work then overlap with Scrapy's downloading and
parsing instead of stalling the reactor (with CONCURRENT_ITEMS = 8 this took benchmarks/crawl.py
from half of `scrapy bench`'s pages per second to about the same).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from archive import Archive, ArchiveError, crawlstate
from crawler import lock, outcome
from crawler.changes import MAX_RECHECKS
from crawler.items import CapturedPage, FailedFetch
from crawler.links import outcome_key
from crawler.lock import CrawlLocked
from crawler.relink import carried_links
from crawler.tracking import NOT_MODIFIED

logger = logging.getLogger(__name__)
T = TypeVar("T")


class ArchivePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.archive: Any = None
        self.run_id: int | None = None
        self.holds_lock = False
        # True when this process's crawl lock was taken before this pipeline joined it: `vnnews crawl`,
        # which reports a fatal error itself as its one line (under `scrapy crawl` only the log does).
        self.lock_joined = False
        self.started = time.monotonic()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive")
        # Listed keys whose fetch failed this run: their new change signals are not stored, so the
        # next run still sees them as changed and tries again.
        self.unsettled: set[str] = set()
        self.captured: set[str] = set()  # listed keys whose answer was stored this run
        self.stopping: asyncio.Task[None] | None = None  # set when storage failed for good (disk full)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    @property
    def stats(self) -> Any:
        return self.crawler.stats

    def db_path(self) -> str:
        """The archive: setting ``VNNEWS_DB`` (``vnnews crawl --db``, ``-s``, or the spider's ``-a db=``)."""
        return str(self.crawler.settings.get("VNNEWS_DB"))

    async def on_worker(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.wrap_future(self.worker.submit(function, *args, **kwargs))

    async def open_spider(self, spider: Any = None) -> None:
        spider = self.crawler.spider
        db = self.db_path()
        try:
            self.lock_joined = not lock.hold(db)
        except CrawlLocked as error:
            logger.error("%s", error)
            self.stats.set_value("vnnews/locked", True)
            raise CloseSpider("archive_locked") from None
        self.holds_lock = True
        args = {
            "spider": spider.name,
            "publisher": spider.publisher.key,  # one run per publisher crawled (archive/crawlstate.py)
            "base_url": getattr(spider, "base_url", None),
            "since": str(spider.since) if getattr(spider, "since", None) else None,
            "until": str(spider.until) if getattr(spider, "until", None) else None,
        }
        try:
            state = await self.on_worker(self.open_archive, db, args, spider)
            carried: tuple[list[str], bool] | tuple[()] = ()
            if spider.links.enabled:  # links a cut-short run left unfollowed (crawler/relink.py)
                carried = await self.on_worker(carried_links, self.archive, spider.base_url, spider.publisher)
            spider.use_state(state, *carried)
        except ArchiveError as error:  # not an archive, unreadable, read-only: one line, not a traceback
            # `vnnews crawl` prints it as its one line (vnnews/fatal); `scrapy crawl` only has the log.
            logger.log(logging.INFO if self.lock_joined else logging.ERROR, "%s", error)
            self.stats.set_value("vnnews/archive_error", str(error))
            self.stats.set_value("vnnews/fatal", str(error))  # e.g. disk full before the run could start
            self.release_lock()
            raise CloseSpider("archive_error") from None
        self.stats.set_value("vnnews/run_id", self.run_id)
        self.started = time.monotonic()
        logger.info("run %s: %d articles already archived", self.run_id, len(spider.last_fetched))

    def open_archive(self, db: str, args: dict[str, Any], spider: Any) -> Any:
        """On the worker thread: open the archive, close stale runs, start ours, and read what the
        archive knows of the publisher's site (``archive.crawlstate.CrawlState``) for the spider."""
        self.archive = Archive.open(db)  # closes runs whose process is gone (archive/runs.py)
        # We hold the crawl lock, so no other crawl is running: even a crawl row whose owner cannot be
        # judged from here (another host) is stale.
        self.archive.close_stale_runs(kind_locked="crawl")
        self.run_id = self.archive.start_run("crawl", args)
        limit = self.crawler.settings.getint("VNNEWS_MAX_RECHECKS", MAX_RECHECKS)
        return crawlstate.load_state(
            self.archive, spider.publisher.key, spider.now(), spider.recheck_after, limit
        )

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        if self.stopping is not None:  # nothing more can be stored: the next crawl fetches these again
            return item
        if isinstance(item, FailedFetch) and self.archive is not None:
            await self.record_failure(item)
            return item
        if not isinstance(item, CapturedPage) or self.archive is None:
            return item
        try:
            result = await self.on_worker(self.store_page, item)
        except Exception as error:  # storage failed: stop on disk full, else count and keep crawling
            if self.storage_fatal(error):
                return item
            self.stats.inc_value("vnnews/storage_errors")
            self.unsettled.add(item.key)
            logger.error("could not store %s: %s", item.url, error)
            return item
        if item.status != NOT_MODIFIED:  # a 304 is counted apart by the spider (not_modified)
            key = outcome_key(item.source, item.status, result.outcome)
            self.stats.inc_value(f"vnnews/{key}")
            if item.source == "link" and result.outcome == "new":
                self.stats.inc_value("vnnews/articles_new_from_links")
        self.captured.add(item.key)
        if result.outcome in ("error", "http_error"):
            self.unsettled.add(item.key)
        # A dead link (crawler/links.py) is the site's, expected: no warning for it.
        if outcome_key(item.source, item.status, result.outcome) in ("outcome/http_error", "outcome/error"):
            logger.warning("%s %s: %s", result.outcome, item.url, result.error)
        elif result.outcome == "withdrawn":
            logger.warning("withdrawn: %s (%s)", item.url, result.error)
        item.body = b""  # the archive has it; do not keep 50 KB per item alive in Scrapy's stats/logs
        return item

    def store_page(self, item: CapturedPage) -> Any:
        """On the worker thread: a 304 as a bodiless capture, anything else through ``ingest``, then
        what the answer says about the listed URL (validators, withdrawn, gone, back again)."""
        if item.status == NOT_MODIFIED:
            return crawlstate.record_not_modified(
                self.archive, item.key, item.path, item.url, item.headers, item.fetched_at, self.run_id
            )
        result = self.archive.ingest(
            url=item.url,
            final_url=item.final_url,
            status=item.status,
            headers=item.headers,
            body=item.body,
            fetched_at=item.fetched_at,
            run_id=self.run_id,
        )
        if not item.key:
            return result
        return crawlstate.after_capture(
            self.archive,
            result,
            item.key,
            item.path,
            item.url,
            item.status,
            item.headers,
            item.fetched_at,
            gone_reason=item.gone_reason,
        )

    async def record_failure(self, item: FailedFetch) -> None:
        assert self.archive is not None
        self.unsettled.add(item.key)
        try:
            await self.on_worker(
                self.archive.record_fetch_failure, item.url, item.error, item.fetched_at, self.run_id
            )
        except Exception as error:  # storage failed: the spider's log line and counter still tell
            if self.storage_fatal(error):
                return
            self.stats.inc_value("vnnews/storage_errors")
            logger.error("could not record the failed fetch of %s: %s", item.url, error)

    def storage_fatal(self, error: Exception) -> bool:
        """Disk full (or any write the system refused): stop the crawl at once instead of fetching
        pages that cannot be stored; the run is failed and the reason is the one line shown."""
        reason = outcome.fatal_storage_error(error, self.db_path())
        if reason is None:
            return False
        if self.stopping is None:
            self.stats.set_value("vnnews/fatal", reason)
            logger.info("stopping the crawl: %s", reason)
            assert self.crawler.engine is not None
            self.stopping = asyncio.ensure_future(
                self.crawler.engine.close_spider_async(reason="storage_failed")
            )
        return True

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.archive is None:
            self.worker.shutdown()
            self.release_lock()
            return
        counts = outcome.counters(self.stats.get_stats())
        status = outcome.run_status(reason, counts)
        elapsed = time.monotonic() - self.started
        summary = {
            **counts,
            "errors": outcome.error_count(counts),
            "reason": reason,
            # "full" only when every daily sitemap of the index was read without a discovery error.
            "discovery": "full"
            if self.stats.get_value("vnnews/discovery") == "full"
            and not self.stats.get_value("vnnews/discovery_errors")
            else "partial",
            "links": self.stats.get_value("vnnews/links"),  # crawler/relink.py reads it next run
            # Every HTTP request of the run (documents, articles, rechecks, retries, robots.txt).
            "http_requests": int(self.stats.get_value("downloader/request_count", 0) or 0),
            "elapsed_seconds": round(elapsed, 2),
            "pages_per_second": round(counts["pages_fetched"] / elapsed, 2) if elapsed > 0 else None,
        }
        self.stats.set_value("vnnews/run_status", status)
        self.stats.set_value("vnnews/elapsed", elapsed)
        for key in ("fatal", "discovery_failures"):  # the one line the CLI shows; the documents that failed
            if self.stats.get_value(f"vnnews/{key}"):
                summary[key] = self.stats.get_value(f"vnnews/{key}")
        try:
            # The crawl is over: waiting here for the worker (queue already drained by Scrapy) is fine.
            self.worker.submit(self.save_tracking, spider).result()
            self.worker.submit(self.close_archive, status, summary).result()
        except Exception as error:  # e.g. the disk is still full: the next crawl marks the run interrupted
            logger.info("could not record the end of run %s: %s", self.run_id, error)
            if not self.stats.get_value("vnnews/fatal"):
                self.stats.set_value("vnnews/fatal", f"could not record the end of the run: {error}")
        finally:
            self.worker.shutdown()
            self.release_lock()

    def release_lock(self) -> None:
        if self.holds_lock:
            self.holds_lock = False
            lock.release(self.db_path())

    def save_tracking(self, spider: Any) -> None:
        """On the worker thread: the change signals this run saw, for the next run to compare with.
        Not for articles whose fetch failed, nor for a daily sitemap that listed one of them."""
        if not hasattr(spider, "signals_to_store"):
            return
        try:
            seen = spider.signals_to_store(self.captured)
            crawlstate.save_listing_signals(
                self.archive, {k: v for k, v in seen.items() if k not in self.unsettled}, spider.now_iso()
            )
            documents = {
                path: entry
                for path, entry in spider.seen_documents.items()
                if not spider.document_keys.get(path, set()) & self.unsettled
            }
            crawlstate.save_document_signals(self.archive, documents, spider.publisher.key)
        except Exception as error:  # the next run compares with older signals: more fetches, no loss
            self.stats.inc_value("vnnews/storage_errors")
            logger.error("could not store the change signals of this run: %s", error)

    def close_archive(self, status: str, summary: dict[str, Any]) -> None:
        try:
            if self.run_id is not None:
                # The indexes in a child process: the crawl's own peak memory stays the pages' own
                # (VNNEWS_INDEX_IN_CHILD; off when several publishers crawl in one process: runner.py).
                in_child = self.crawler.settings.getbool("VNNEWS_INDEX_IN_CHILD", True)
                self.archive.finish_run(self.run_id, status=status, stats=summary, index_in_child=in_child)
        finally:
            with contextlib.suppress(Exception):  # a WARC file that cannot be closed must not hide the run
                self.archive.close()
            self.archive = None
