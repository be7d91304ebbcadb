"""Two overlapping `vnnews crawl` runs on one archive: the second exits 75 at once, the first completes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from ops_helpers import FAST, REPO, query, wait_for

pytestmark = pytest.mark.slow

SLOW_PAGE_SECONDS = 5.0  # keeps the first crawl busy long after the second has started and given up


def crawl_command(db: Path, base_url: str) -> list[str]:
    return [sys.executable, "-m", "vnnews", "crawl", "--db", str(db), "--base-url", base_url, *FAST]


def has_run(db: Path) -> bool:
    try:  # the schema appears a moment after the file
        return db.exists() and bool(query(db, "select id from runs"))
    except sqlite3.Error:
        return False


def lock_holder(db: Path) -> str:
    lock = Path(f"{db}.lock")
    return lock.read_text().strip() if lock.exists() else ""


def test_second_crawl_exits_75_at_once_while_the_first_completes(tmp_path: Path, small_site: Any) -> None:
    from crawler.snapshot import Fault, SnapshotServer

    db = tmp_path / "news.db"
    slow_article = small_site.articles[0]["path"]
    faults = {slow_article: Fault.slow(SLOW_PAGE_SECONDS)}
    with SnapshotServer(small_site, faults=faults) as server:
        first = subprocess.Popen(
            crawl_command(db, server.base_url),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            # The lock file names its holder once the first crawl has the lock.
            wait_for(lambda: lock_holder(db) == str(first.pid), 30, "the first crawl to take the lock")
            # The operator's report reads the archive while the crawl writes it.
            wait_for(lambda: has_run(db), 30, "the first crawl's run row")
            during = subprocess.run(
                [sys.executable, "-m", "vnnews", "status", str(db), "--json"],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=60,
            )
            started = time.monotonic()
            second = subprocess.run(
                crawl_command(db, server.base_url), cwd=REPO, capture_output=True, text=True, timeout=60
            )
            second_took = time.monotonic() - started
            still_running = first.poll() is None
            _, first_err = first.communicate(timeout=120)
        finally:
            if first.poll() is None:
                first.kill()
        assert server.hits(slow_article) == 1, "the slow page was fetched by the first crawl only"

    assert second.returncode == 75, second.stderr
    assert still_running, "the second crawl must give up while the first is still working"
    assert second_took < SLOW_PAGE_SECONDS
    message = second.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "another crawl" in message and str(first.pid) in message

    assert during.returncode == 0, during.stderr
    assert [run["status"] for run in json.loads(during.stdout)["runs"]] == ["running"]

    assert first.returncode == 0, first_err
    runs = query(db, "select kind, status, articles_new from runs")
    assert len(runs) == 1, "the crawl that gave up records no run"
    kind, status, articles_new = runs[0]
    assert (kind, status) == ("crawl", "success")
    assert articles_new == query(db, "select count(*) from articles")[0][0] > 0
    assert not lock_holder(db), "the first crawl released its lock"
