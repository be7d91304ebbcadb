"""Nothing lost, nothing hangs: wrong usage, gzip bombs, an unreachable site and a full disk, each
against a real `vnnews crawl` process (and the snapshot server on 127.0.0.1 where a site is needed)."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.snapshot import Snapshot, SnapshotServer
from crawler.snapshot.server import Fault

from .helpers import ROOT, crawl, crawl_command, rows

BOMB = 17 * 1024 * 1024  # unpacks past the default DOWNLOAD_MAXSIZE (16 MiB); a few KB on the wire
LIMIT_TEXT = "DOWNLOAD_MAXSIZE 16 MiB"


def last_run(db: Path) -> tuple[str, dict]:
    status, summary = rows(db, "SELECT status, summary FROM runs ORDER BY id DESC LIMIT 1")[0]
    return status, json.loads(summary or "{}")


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("[crawl")]


# --- wrong usage --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-s", "DOWNLOAD_DELAY=abc"], "-s DOWNLOAD_DELAY takes a number, not 'abc'"),
        (["-s", "DOWNLOAD_DELAY=nan"], "-s DOWNLOAD_DELAY takes a finite number"),
        (["-s", "RETRY_TIMES=2.5"], "-s RETRY_TIMES takes a whole number"),
        (
            ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=many"],
            "-s CONCURRENT_REQUESTS_PER_DOMAIN takes a whole number",
        ),
        (["-s", "ROBOTSTXT_OBEY=yes"], "-s ROBOTSTXT_OBEY takes True or False"),
        (["-s", "VNNEWS_PROGRESS_INTERVAL=often"], "-s VNNEWS_PROGRESS_INTERVAL takes a number"),
        (["-s", "ITEM_PIPELINES=none"], "-s ITEM_PIPELINES takes a JSON object"),
        (["-s", "RETRY_HTTP_CODES=500,oops"], "-s RETRY_HTTP_CODES takes whole numbers"),
        (["-s", "LOG_LEVEL=LOUD"], "-s LOG_LEVEL takes DEBUG, INFO"),
        (["--base-url", "http://"], "--base-url must name a host"),
        (["--base-url", "https:///thoi-su"], "--base-url must name a host"),
        (["--base-url", "http://127.0.0.1:99999"], "--base-url has an invalid port"),
        (["--base-url", "ftp://127.0.0.1"], "--base-url must start with http:// or https://"),
        (["--base-url", "127.0.0.1:8000"], "--base-url must start with http:// or https://"),
        (["--since", "2025-02-30"], "--since must be a date as YYYY-MM-DD"),
        (["--since", "2025-02-03", "--until", "2025-02-01"], "--since 2025-02-03 is after --until"),
    ],
)
def test_wrong_usage_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    db = tmp_path / "news.db"
    result = subprocess.run(
        # A base URL where nothing listens first (the last --base-url wins): never the real site.
        [sys.executable, "-m", "vnnews", "crawl", "--db", str(db), "--base-url", "http://127.0.0.1:9", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [result.stderr.strip()]  # one line, no traceback
    assert result.stderr.startswith(f"vnnews crawl: {message}"), result.stderr
    assert not db.exists()  # nothing created, nothing started


# --- gzip bombs -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_gzip_bomb_article_is_a_failed_capture_naming_the_limit(
    tmp_path: Path, snapshot_v1: Snapshot
) -> None:
    bomb = snapshot_v1.articles[3]["path"]
    db = tmp_path / "news.db"
    with SnapshotServer(snapshot_v1, faults={bomb: Fault.gzip_bomb(BOMB)}) as server:
        result = crawl(db, server.base_url)
        url = server.base_url + bomb
    assert result.returncode == 3, result.stderr  # partial: one page failed
    assert rows(db, "SELECT outcome, status, error FROM captures WHERE url = ?", url) == [
        ("fetch_error", None, f"body exceeds {LIMIT_TEXT} after decompression")
    ]
    status, summary = last_run(db)
    assert status == "partial"
    assert (summary["download_errors"], summary["articles_disallowed"]) == (1, 0)


@pytest.mark.slow
@pytest.mark.parametrize("encoded", [True, False], ids=["content-encoding", "gz-file"])
def test_a_gzip_bomb_sitemap_is_a_discovery_failure(
    tmp_path: Path, snapshot_v1: Snapshot, encoded: bool
) -> None:
    """The bomb's articles would be lost for good if the run counted the index as read whole."""
    oldest = f"/sitemap-article-{snapshot_v1.first_day}.xml"
    db = tmp_path / "news.db"
    with SnapshotServer(snapshot_v1, faults={oldest: Fault.gzip_bomb(BOMB, encoded=encoded)}) as server:
        result = crawl(db, server.base_url)
        assert result.returncode == 3, result.stderr
        status, summary = last_run(db)
        assert status == "partial"
        assert summary["discovery"] != "full" and summary["discovery_errors"] == 1
        what = "body" if encoded else "sitemap"
        assert summary["discovery_failures"] == [
            f"{server.base_url}{oldest}: {what} exceeds {LIMIT_TEXT} after decompression"
        ]

        # The site is fixed: the next crawl reads the whole index again, the oldest day included.
        server.faults.clear()
        server.clear_log()
        again = crawl(db, server.base_url)
        assert again.returncode == 0, again.stderr
        assert server.hits(oldest) == 1
    assert last_run(db)[1]["discovery"] == "full"
    archived = {url for (url,) in rows(db, "SELECT url FROM captures")}
    listed = (snapshot_v1.site / oldest.lstrip("/")).read_text(encoding="utf-8")
    for article in snapshot_v1.articles:
        if article["path"] in listed:
            assert server.base_url + article["path"] in archived


# --- an unreachable site ----------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_an_unreachable_site_fails_in_seconds_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    base_url = f"http://127.0.0.1:{closed_port()}"
    polite = ["-s", "DOWNLOAD_DELAY=1", "-s", "RETRY_BACKOFF_BASE=2", "-s", "AUTOTHROTTLE_ENABLED=True"]
    started = time.monotonic()
    result = crawl(db, base_url, *polite, timeout=60)  # it used to retry for ~5 minutes
    assert time.monotonic() - started < 20
    assert result.returncode == 1, result.stderr
    (line,) = stderr_lines(result)
    assert line.startswith(f"vnnews crawl: cannot reach {base_url}: ") and "refused" in line, line
    assert result.stdout.startswith("crawl failed")
    status, summary = last_run(db)
    assert status == "failed" and summary["reason"] == "site_unreachable"
    assert summary["fatal"] == line.removeprefix("vnnews crawl: ")


@pytest.mark.slow
def test_a_robots_txt_that_answers_5xx_still_gets_the_polite_retries(
    tmp_path: Path, snapshot_v1: Snapshot
) -> None:
    db = tmp_path / "news.db"
    with SnapshotServer(snapshot_v1, faults={"/robots.txt": Fault.status(503, times=2)}) as server:
        result = crawl(db, server.base_url)
        assert server.hits("/robots.txt") >= 3  # 503, 503, then robots.txt (Scrapy fetches it too)
    assert result.returncode == 0, result.stderr


# --- a full disk --------------------------------------------------------------------------------------


# Slow enough that "stops at once" shows in the number of pages fetched, fast enough for CI.
ONE_BY_ONE = [
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    "-s",
    "DOWNLOAD_DELAY=0.1",
    "-s",
    "DOWNLOAD_DELAY_JITTER=0",
]


def limit_file_size(size: int) -> None:
    """In the crawl process: files may not grow past ``size`` (writes fail with EFBIG, as on a full
    disk; Python ignores SIGXFSZ, so the write fails instead of killing the process)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def crawl_with_file_limit(db: Path, base_url: str, size: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        crawl_command(db, base_url, *ONE_BY_ONE),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=db.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: limit_file_size(size),
    )


def assert_stopped_cleanly(db: Path, result: subprocess.CompletedProcess[str], strerror: str) -> None:
    assert result.returncode == 1, result.stderr
    (line,) = stderr_lines(result)  # no traceback, no line per page
    warcs = db.with_name("news.warcs")
    assert line.startswith(f"vnnews crawl: disk full writing {warcs}/crawl-00001-"), line
    assert line.endswith(f": {strerror}"), line
    status, summary = last_run(db)
    assert status == "failed" and summary["reason"] == "storage_failed"
    assert summary["fatal"] == line.removeprefix("vnnews crawl: ")
    # Every stored capture is readable, and no half-written record is left at the end of a WARC file.
    from archive.warc import read_response

    ends: dict[str, int] = {}
    for warc_file, offset, length in rows(
        db, "SELECT warc_file, warc_offset, warc_length FROM captures WHERE warc_file IS NOT NULL"
    ):
        assert read_response(db.parent / warc_file, offset).status == 200
        ends[warc_file] = max(ends.get(warc_file, 0), offset + length)
    assert ends, "some pages were stored before the disk filled up"
    for warc_file, end in ends.items():
        assert (db.parent / warc_file).stat().st_size == end


@pytest.mark.slow
def test_a_full_disk_stops_the_crawl_with_one_line(tmp_path: Path, snapshot_v1: Snapshot) -> None:
    """RLIMIT_FSIZE is the CI-safe full disk: big incompressible pages fill the WARC file first."""
    # Pages of ~3 MB against an 8 MB limit: the WARC file reaches it at the third page, long before the
    # database or its WAL (checkpointed at ~4 MB) could, whatever tables the schema has.
    pages = {a["path"]: Fault.padded(3_000_000, times=None) for a in snapshot_v1.articles}
    db = tmp_path / "news.db"
    with SnapshotServer(snapshot_v1, faults=pages) as server:
        result = crawl_with_file_limit(db, server.base_url, 8_000_000)
        fetched = sum(server.hits(path) for path in pages)
    assert_stopped_cleanly(db, result, os.strerror(27))  # EFBIG: "File too large"
    assert fetched < len(pages) // 2, fetched  # it stopped at once, not after fetching everything
    stored = [urlsplit(url).path for (url,) in rows(db, "SELECT url FROM captures")]
    big = [path for path in stored if path in pages]
    # A padded page is ~2.3 MB gzip'd in the WARC file: at most three fit under the 8 MB limit.
    assert 0 < len(big) <= 3, big
    # Besides them, only some of the snapshot's few small article pages (how many were fetched before the
    # disk filled up depends on the order the crawl met them in).
    small = {a["path"] for a in snapshot_v1.linked_articles + snapshot_v1.media_articles}
    assert set(stored) - set(big) <= small | set(snapshot_v1.sample_paths), stored


def mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    return mounted.returncode == 0


@pytest.mark.slow
def test_a_really_full_disk_under_the_warc_folder(tmp_path: Path, snapshot_v1: Snapshot) -> None:
    """ENOSPC from a real (tiny) filesystem, where mounting one is allowed (root, not in CI)."""
    db = tmp_path / "news.db"
    warcs = tmp_path / "news.warcs"
    if not mount_tmpfs(warcs, "64k"):  # room for a few pages
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        with SnapshotServer(snapshot_v1) as server:
            result = crawl(db, server.base_url, *ONE_BY_ONE)
            known = {a["path"] for a in snapshot_v1.articles} | set(snapshot_v1.sample_paths)
            fetched = sum(1 for path in server.requested_paths() if path in known)
        assert_stopped_cleanly(db, result, os.strerror(28))  # ENOSPC: "No space left on device"
        assert fetched < 20, fetched  # of 36 articles
    finally:
        subprocess.run(["umount", "-l", str(warcs)], check=False)


@pytest.mark.parametrize("code", [28, 27, 122], ids=["ENOSPC", "EFBIG", "EDQUOT"])
def test_every_kind_of_full_disk_stops_the_crawl_alike(code: int) -> None:
    from crawler.outcome import fatal_storage_error

    error = OSError(code, os.strerror(code), "news.warcs/crawl-00001-001.warc.gz")
    assert fatal_storage_error(error, "news.db") == (
        f"disk full writing news.warcs/crawl-00001-001.warc.gz: {os.strerror(code)}"
    )


def test_which_storage_errors_stop_the_crawl() -> None:
    from archive import ArchiveError
    from crawler.outcome import fatal_storage_error

    full = ArchiveError("database news.db: database or disk is full")
    assert fatal_storage_error(full, "news.db") == "disk full writing news.db: database or disk is full"
    denied = PermissionError(13, "Permission denied", "news.warcs")
    assert fatal_storage_error(denied, "news.db") == "cannot write news.warcs: Permission denied"
    assert fatal_storage_error(ArchiveError("database news.db: UNIQUE constraint failed"), "news.db") is None


def test_a_gz_file_past_the_limit_is_refused_not_cut() -> None:
    import gzip

    from crawler import discovery

    assert discovery.gunzip_within(gzip.compress(b"x" * 1000), 1000) == b"x" * 1000
    with pytest.raises(discovery.TooLarge):
        discovery.gunzip_within(gzip.compress(b"x" * 1001), 1000)
    assert discovery.gunzip_within(b"<urlset/>", 10) == b"<urlset/>"  # not gzip'd: as it is
