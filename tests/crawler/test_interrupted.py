"""A crawl killed with SIGKILL (or stopped with Ctrl-C) loses nothing; the next run completes the work."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from crawler.snapshot import Snapshot, SnapshotServer

from .helpers import crawl, rows, start_crawl

pytestmark = pytest.mark.slow

# One request at a time with a small delay: slow enough to interrupt half-way, fast enough for CI.
SLOW = [
    "-s",
    "DOWNLOAD_DELAY=0.15",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    "-s",
    "DOWNLOAD_DELAY_JITTER=0",
]


def wait_for_captures(db: Path, at_least: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            (count,) = rows(db, "SELECT count(*) FROM captures")[0]
        except sqlite3.Error:
            count = 0
        if count >= at_least:
            return int(count)
        time.sleep(0.05)
    raise AssertionError(f"no {at_least} captures in {timeout}s")


def articles(db: Path) -> list[tuple[str, str]]:
    return rows(db, "SELECT id, content_hash FROM articles ORDER BY id")


def test_sigkill_then_rerun_equals_an_uninterrupted_crawl(
    tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer
) -> None:
    reference = tmp_path / "reference.db"
    assert crawl(reference, server.base_url).returncode == 0

    killed = tmp_path / "killed.db"
    process = start_crawl(killed, server.base_url, *SLOW)
    try:
        stored = wait_for_captures(killed, 8)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        process.kill()
    assert process.returncode == -signal.SIGKILL
    total = len(articles(reference))
    assert stored < total, "the crawl finished before it could be killed"
    assert 0 < len(articles(killed)) < total

    rerun = crawl(killed, server.base_url)
    assert rerun.returncode == 0, rerun.stderr
    assert articles(killed) == articles(reference)
    statuses = [status for (status,) in rows(killed, "SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted", "success"]  # the killed run is closed by the next one
    (fetched,) = rows(
        killed,  # dead links of the sample pages (crawler/links.py) are pages too, not articles
        "SELECT pages_fetched - json_extract(summary, '$.links_dead') FROM runs ORDER BY id DESC LIMIT 1",
    )[0]
    assert fetched < total  # the rerun did not fetch again what the killed run had stored


def test_ctrl_c_stops_gracefully_and_marks_the_run_interrupted(
    tmp_path: Path, server: SnapshotServer
) -> None:
    db = tmp_path / "news.db"
    process = start_crawl(db, server.base_url, *SLOW)
    try:
        wait_for_captures(db, 5)
        process.send_signal(signal.SIGINT)
        _out, _err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 1
    assert rows(db, "SELECT status FROM runs") == [("interrupted",)]
    assert rows(db, "SELECT count(*) FROM articles")[0][0] >= 5


def test_ctrl_c_with_jobdir_resumes_without_rereading_sitemaps(
    tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer
) -> None:
    db, jobdir = tmp_path / "news.db", f"JOBDIR={tmp_path / 'job'}"
    window = ["--since", snapshot_v1.first_day.isoformat(), "--until", snapshot_v1.last_day.isoformat()]
    process = start_crawl(db, server.base_url, *window, *SLOW, "-s", jobdir)
    try:
        wait_for_captures(db, 5)
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 1
    stored = rows(db, "SELECT count(*) FROM articles")[0][0]
    assert 0 < stored < len(snapshot_v1.articles)
    linked = {a["path"] for a in snapshot_v1.linked_articles}
    assert not [p for p in server.requested_paths() if p in linked]  # links wait for the listed work

    server.clear_log()
    resumed = crawl(db, server.base_url, *window, "-s", jobdir)
    assert resumed.returncode == 0, resumed.stderr
    # The window's stories: listed articles and media, and the old stories their pages link.
    listed_media = [a for a in snapshot_v1.media_articles if a["listed"]]
    expected = len(snapshot_v1.articles) + len(listed_media) + len(snapshot_v1.linked_articles)
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == expected
    assert not [path for path in server.requested_paths() if "sitemap" in path]  # the queue was on disk
    assert (
        rows(
            db,  # dead links of the template (crawler/links.py) are pages too, not articles
            "SELECT pages_fetched - json_extract(summary, '$.links_dead') FROM runs ORDER BY id DESC LIMIT 1",
        )[0][0]
        == expected - stored
    )


def test_a_forced_stop_still_ends_the_run_in_a_final_state(tmp_path: Path, server: SnapshotServer) -> None:
    """Ctrl-C twice makes Scrapy stop at once, before the pipeline closes the run: the command itself
    records the run before it exits, instead of leaving it `running`."""
    db = tmp_path / "news.db"
    process = start_crawl(db, server.base_url, *SLOW)
    try:
        wait_for_captures(db, 5)
        process.send_signal(signal.SIGINT)
        time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 1, err
    (status,) = rows(db, "SELECT status FROM runs")[0]
    assert status in ("interrupted", "failed"), err
