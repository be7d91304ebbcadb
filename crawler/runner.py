"""Run one crawl in this process (what ``vnnews crawl`` does), under the archive's crawl lock.

Scrapy's CrawlerProcess handles Ctrl-C/SIGTERM: the first one stops gracefully (the run is marked
``interrupted``, everything fetched is already stored), a second one forces the exit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crawler import outcome
from crawler.lock import CrawlLock


class ArchiveUnusable(Exception):
    """The database cannot be opened as an archive (not SQLite, damaged, read-only folder...)."""


@dataclass
class CrawlResult:
    status: str  # success / partial / failed / interrupted
    counts: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    run_id: int | None = None
    fatal: str | None = None  # why the crawl stopped early (disk full, site unreachable): one line

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


def build_settings(db: str, overrides: dict[str, str], log_file: str | None) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("VNNEWS_DB", db, priority="cmdline")
    settings.set("VNNEWS_LOCK_HELD", True, priority="cmdline")
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
    base_url: str | None = None,
    since: date | None = None,
    until: date | None = None,
    overrides: dict[str, str] | None = None,
    log_file: str | None = None,
) -> CrawlResult:
    """Crawl into ``db``. Raises ``CrawlLocked`` at once when another crawl holds the archive, and
    ``ArchiveUnusable`` when ``db`` cannot be opened as an archive."""
    from scrapy.crawler import CrawlerProcess

    from archive import Archive, ArchiveError
    from crawler.spiders.baonghean import BaongheanSpider

    with CrawlLock(db):
        try:  # before Scrapy starts: a bad --db is one clear line, not a reactor traceback
            Archive.open(db).close()
        except ArchiveError as error:
            raise ArchiveUnusable(str(error)) from None
        settings = build_settings(db, overrides or {}, log_file)
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(BaongheanSpider)
        spider_args = {
            "base_url": base_url,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
        }
        process.crawl(crawler, **{k: v for k, v in spider_args.items() if v is not None})
        process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
    return CrawlResult(
        status=stats.get("vnnews/run_status", "failed"),
        counts=outcome.counters(stats),
        elapsed=float(stats.get("vnnews/elapsed", 0.0) or 0.0),
        run_id=stats.get("vnnews/run_id"),
        fatal=stats.get("vnnews/fatal"),
    )
