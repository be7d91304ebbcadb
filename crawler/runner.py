"""Run a crawl in this process (what ``vnnews crawl`` does), under the archive's crawl lock.

Several publishers crawl side by side in one process: one Scrapy crawler per publisher, each with its
own spider, downloader (one request at a time to its domain, its own delay), robots.txt, pipeline and
``runs`` row. The archive's path has one name, the setting ``VNNEWS_DB``, and its crawl lock one owner,
this process (crawler/lock.py): taken here before Scrapy starts and shared by every crawler's pipeline.

Scrapy's CrawlerProcess handles Ctrl-C/SIGTERM: the first one stops gracefully (the run is marked
``interrupted``, everything fetched is already stored), a second one forces the exit (the run is then
recorded as failed here, see ``close_unfinished_run``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from archive import Archive, ArchiveError
from crawler import outcome
from crawler.lock import Held


class ArchiveUnusable(Exception):
    """The database cannot be opened as an archive (not SQLite, damaged, read-only folder...)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # 2 when the path is not an archive at all (house rules)


@dataclass
class CrawlResult:
    status: str  # success / partial / failed / interrupted
    counts: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    run_id: int | None = None
    fatal: str | None = None  # why the crawl stopped early (disk full, site unreachable): one line
    publisher: str = "baonghean"

    @property
    def exit_code(self) -> int:
        return outcome.exit_code(self.status)


def log_file_path(value: str | None, now: datetime | None = None) -> str | None:
    """``--log-file``: a file, or an existing folder that gets one ``crawl-YYYYmmdd-HHMMSS.log`` per run."""
    if not value:
        return None
    path = Path(value)
    if path.is_dir():
        path = path / f"crawl-{(now or datetime.now()):%Y%m%d-%H%M%S}.log"
    return os.fspath(path)


# A crawl of several publishers ends with the worst of their runs: one site unreachable is a failed
# crawl (exit 1) even when the others succeeded, so a scheduler's alert still fires; each publisher's
# own run row keeps its own status.
STATUS_SEVERITY = ("success", "partial", "failed", "interrupted")


def combined_status(statuses: Sequence[str]) -> str:
    """The status of a crawl of several publishers: the most severe of theirs."""
    known = [s if s in STATUS_SEVERITY else "failed" for s in statuses] or ["failed"]
    return max(known, key=STATUS_SEVERITY.index)


def combined_counts(results: Sequence[CrawlResult]) -> dict[str, int]:
    total: dict[str, int] = {}
    for result in results:
        for key, value in result.counts.items():
            total[key] = total.get(key, 0) + value
    return total


def build_settings(db: str, overrides: dict[str, str], log_file: str | None) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("VNNEWS_DB", db, priority="cmdline")  # the one name of the archive's path
    if log_file:
        settings.set("LOG_FILE", log_file, priority="cmdline")
        settings.set("LOG_FILE_APPEND", False, priority="cmdline")
    else:
        # The terminal gets the progress line and the summary; the log only for problems.
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    db: str,
    *,
    publishers: Sequence[str] = ("baonghean",),
    base_url: str | None = None,
    since: date | None = None,
    until: date | None = None,
    overrides: dict[str, str] | None = None,
    log_file: str | None = None,
) -> list[CrawlResult]:
    """Crawl ``publishers`` into ``db``, side by side; one result (and one run) per publisher.

    Raises ``CrawlLocked`` at once when another crawl holds the archive, and ``ArchiveUnusable``
    when ``db`` cannot be opened as an archive. ``base_url`` needs exactly one publisher."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.sites import spider_for

    if base_url is not None and len(publishers) != 1:
        raise ValueError("--base-url needs exactly one publisher")
    with Held(db):  # the process's crawl lock; each crawler's pipeline joins it (crawler/lock.py)
        try:  # before Scrapy starts: a bad --db is one clear line, not a reactor traceback
            Archive.open(db).close()
        except ArchiveError as error:
            raise ArchiveUnusable(str(error), error.exit_code) from None
        settings = build_settings(db, overrides or {}, log_file)
        if len(publishers) > 1:  # one progress line per publisher: say whose
            settings.set("VNNEWS_PROGRESS_LABEL", True, priority="cmdline")
            # Each crawler's end-of-run indexing in this process, not a child: a child writing the
            # archive while this process's other crawlers write it corrupted the file (seen in the
            # demo's nine-publisher crawl with SQLite 3.40; never with one crawler or in-process).
            settings.set("VNNEWS_INDEX_IN_CHILD", False, priority="cmdline")
        process = CrawlerProcess(settings)
        spider_args = {
            "base_url": base_url,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
        }
        crawlers = []
        for key in publishers:
            crawler = process.create_crawler(spider_for(key))
            process.crawl(crawler, **{k: v for k, v in spider_args.items() if v is not None})
            crawlers.append((key, crawler))
        process.start()
        results = []
        for key, crawler in crawlers:
            stats = crawler.stats.get_stats() if crawler.stats else {}
            close_unfinished_run(db, stats)
            results.append(
                CrawlResult(
                    status=stats.get("vnnews/run_status", "failed"),
                    counts=outcome.counters(stats),
                    elapsed=float(stats.get("vnnews/elapsed", 0.0) or 0.0),
                    run_id=stats.get("vnnews/run_id"),
                    fatal=stats.get("vnnews/fatal"),
                    publisher=key,
                )
            )
    return results


def close_unfinished_run(db: str, stats: dict[str, Any]) -> None:
    """The reactor stopped without the pipeline finishing the run (a second Ctrl-C/SIGTERM forces the
    stop, or Scrapy crashed): record it as failed now, while we still hold the lock, rather than leave
    it ``running`` until the next open finds its process gone."""
    run_id = stats.get("vnnews/run_id")
    if run_id is None or "vnnews/run_status" in stats:
        return
    try:
        with Archive.open(db) as archive:
            reason = "the crawl stopped before it closed its run (forced stop or crash)"
            archive.fail_running_run(run_id, reason)
    except ArchiveError:
        pass  # the database is what failed: the next open closes the run (its process will be gone)
