"""Incremental rule, run status and exit codes, retry backoff, the crawl lock: pure parts, no network."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crawler import lock, outcome
from crawler.discovery import LOCAL_TZ, Link
from crawler.incremental import archive_horizon, pick_daily_sitemaps, should_fetch
from crawler.lock import CrawlLock, CrawlLocked
from crawler.middlewares import backoff_delay

T0 = datetime(2025, 10, 14, 12, 0, tzinfo=LOCAL_TZ)
ARCHIVED = {"10308168": "2025-10-14T12:00:00+07:00"}


def test_should_fetch_missing_articles() -> None:
    assert should_fetch("10300000", None, ARCHIVED)


def test_should_not_refetch_archived_without_newer_date() -> None:
    assert not should_fetch("10308168", None, ARCHIVED)
    assert not should_fetch("10308168", T0, ARCHIVED)
    assert not should_fetch("10308168", T0 - timedelta(days=1), ARCHIVED)


def test_should_refetch_when_listed_date_is_newer() -> None:
    assert should_fetch("10308168", T0 + timedelta(seconds=1), ARCHIVED)


def test_pick_daily_sitemaps_recent_days_and_changed_older_days() -> None:
    def day(d: int, lastmod_hour: int) -> Link:
        return Link(
            f"https://baonghean.vn/sitemap-article-2025-10-{d:02d}.xml",
            lastmod=T0.replace(day=d, hour=lastmod_hour),
        )

    index = [
        Link("https://baonghean.vn/sitemap-news.xml"),
        day(10, 20),
        day(14, 20),
        day(12, 20),
        day(13, 20),
    ]
    assert [link.url[-9:-4] for link in pick_daily_sitemaps(index, 2, None)] == ["10-14", "10-13"]
    # Day 10 was re-modified after the archive's horizon (an edit): it is read again.
    index[1] = Link(index[1].url, lastmod=T0 + timedelta(days=9))
    horizon = archive_horizon({"a": "2025-10-15T00:00:00+07:00", "b": "2025-10-13T00:00:00+07:00"})
    assert horizon == datetime(2025, 10, 15, tzinfo=LOCAL_TZ)
    assert [link.url[-9:-4] for link in pick_daily_sitemaps(index, 2, horizon)] == ["10-14", "10-13", "10-10"]
    assert [link.url[-9:-4] for link in pick_daily_sitemaps(index, 2, horizon, max_changed=0)] == [
        "10-14",
        "10-13",
    ]
    assert archive_horizon({}) is None


def test_backoff_doubles_and_caps() -> None:
    assert [backoff_delay(n, 2.0, 60.0) for n in (1, 2, 3, 4, 6)] == [2.0, 4.0, 8.0, 16.0, 60.0]
    assert backoff_delay(1, 0, 60) == 0.0


@pytest.mark.parametrize(
    ("reason", "counts", "status", "code"),
    [
        ("finished", {"discovery_documents": 5, "pages_fetched": 10}, "success", 0),
        ("finished", {"discovery_documents": 5, "pages_fetched": 0}, "success", 0),
        ("finished", {"discovery_documents": 5, "pages_fetched": 10, "http_errors": 1}, "partial", 3),
        ("finished", {"discovery_documents": 5, "pages_fetched": 9, "download_errors": 1}, "partial", 3),
        ("finished", {"discovery_documents": 0, "pages_fetched": 0, "discovery_errors": 3}, "failed", 1),
        ("shutdown", {"discovery_documents": 5, "pages_fetched": 10}, "interrupted", 1),
        ("archive_locked", {}, "failed", 1),
    ],
)
def test_run_status_and_exit_code(reason: str, counts: dict[str, int], status: str, code: int) -> None:
    assert outcome.run_status(reason, counts) == status
    assert outcome.exit_code(status) == code


def test_counters_from_scrapy_stats() -> None:
    stats = {"vnnews/outcome/new": 3, "vnnews/outcome/http_error": 1, "vnnews/download_errors": 2}
    counts = outcome.counters(stats)
    assert counts["pages_fetched"] == 4 and counts["articles_new"] == 3
    assert outcome.error_count(counts) == 3


def _try_lock(db: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    try:
        CrawlLock(db).acquire()
        queue.put("acquired")
    except CrawlLocked as error:
        queue.put(str(error))


def test_lock_is_exclusive_across_processes_and_released(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    with CrawlLock(db):
        process = multiprocessing.Process(target=_try_lock, args=(db, queue))
        process.start()
        process.join(10)
        message = queue.get(timeout=5)
        assert "another crawl" in message and "news.db.lock" in message
        with pytest.raises(CrawlLocked):
            CrawlLock(db).acquire()
    process = multiprocessing.Process(target=_try_lock, args=(db, queue))
    process.start()
    process.join(10)
    assert queue.get(timeout=5) == "acquired"


def _try_lock_in_child(db: str) -> str:
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    process = multiprocessing.Process(target=_try_lock, args=(db, queue))
    process.start()
    process.join(10)
    return queue.get(timeout=5)


def test_the_process_holds_the_lock_once_for_every_crawler(tmp_path: Path) -> None:
    """`vnnews crawl` holds the lock before Scrapy starts; each crawler's pipeline joins that hold
    (no second flock, which the kernel would refuse); the last release gives it back."""
    db = str(tmp_path / "news.db")
    assert lock.hold(db) is True  # the runner: the first holder takes it
    assert lock.hold(db) is False and lock.hold(db) is False  # two crawlers' pipelines join it
    lock.release(db)
    lock.release(db)
    assert "another crawl" in _try_lock_in_child(db)  # still held by the runner
    lock.release(db)
    assert _try_lock_in_child(db) == "acquired"
    with CrawlLock(db), pytest.raises(CrawlLocked):  # a holder outside lock.hold: another crawl
        lock.hold(db)
    with lock.Held(db):
        assert "another crawl" in _try_lock_in_child(db)
    assert _try_lock_in_child(db) == "acquired"


def test_pick_daily_sitemaps_full_reads_every_day_newest_first() -> None:
    index = [
        Link(f"https://baonghean.vn/sitemap-article-2025-10-{day:02d}.xml", lastmod=None)
        for day in (9, 14, 11)
    ]
    index.append(Link("https://baonghean.vn/sitemap-news.xml"))
    picked = pick_daily_sitemaps(index, 1, None, full=True)
    assert [link.url[-9:-4] for link in picked] == ["10-14", "10-11", "10-09"]


def test_queued_article_requests_stay_small() -> None:
    """A first crawl queues every listed article at once (10,000 at the target's size): the statuses the
    spider handles itself are one shared set, not ~8 KB of list and int objects per request."""
    import tracemalloc

    from crawler.spiders.baonghean import BaongheanSpider
    from crawler.tracking import ARTICLE_STATUSES

    spider = BaongheanSpider(base_url="http://127.0.0.1:8000")
    url = "http://127.0.0.1:8000/tin-moi-{}.html"
    spider.article_request(url.format(10300000), "baonghean:e3:10300000", "sitemap")  # warm caches
    tracemalloc.start()
    requests = [
        spider.article_request(url.format(10300001 + n), f"baonghean:e3:{10300001 + n}", "sitemap")
        for n in range(1000)
    ]
    size, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert all(request.meta["handle_httpstatus_list"] is ARTICLE_STATUSES for request in requests)
    assert 304 in ARTICLE_STATUSES and 404 in ARTICLE_STATUSES and 302 not in ARTICLE_STATUSES
    assert size / len(requests) < 3000, f"{size / len(requests):.0f} bytes per queued article request"
