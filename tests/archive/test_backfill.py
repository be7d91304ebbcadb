"""`vnnews backfill` against a real pywb on loopback (and Common Crawl's way: a CDX index plus Range
requests on WARC files), then a real crawl; the result must equal the same captures taken in order."""

from __future__ import annotations

import http.server
import json
import sqlite3
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from archive import Archive
from archive.warc import read_response
from crawler.snapshot import SnapshotServer
from tests.archive.backfill_helpers import (
    Collection,
    build_collection,
    history,
    pywb,
    range_server,
    vnnews,
)
from tests.crawler.helpers import crawl

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    return build_collection(tmp_path_factory.mktemp("pywb"))


@pytest.fixture(scope="module")
def cdx(collection: Collection) -> Iterator[str]:
    with pywb(collection) as url:
        yield url


def _run_summary(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        kind, status, summary = conn.execute(
            "SELECT kind, status, summary FROM runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return {"kind": kind, "status": status, **json.loads(summary or "{}")}


def _backfill(db: Path, *extra: str) -> dict:
    done = vnnews("backfill", "--db", str(db), "--publisher", "baonghean", "--delay", "0", *extra)
    assert done.returncode == 0, done.stderr
    return _run_summary(db)


def _in_time_order(source: Path, target: Path) -> None:
    """The reference: every capture of ``source``, re-read from its WARC files, ingested oldest first."""
    with sqlite3.connect(source) as conn:
        rows = conn.execute(
            "SELECT url, final_url, fetched_at, warc_file, warc_offset FROM captures ORDER BY fetched_at, id"
        ).fetchall()
    with Archive.open(target) as arc:
        for url, final_url, fetched_at, warc_file, offset in rows:
            raw = read_response(source.parent / warc_file, offset)
            arc.ingest(url, final_url, raw.status or 200, raw.headers, raw.body, fetched_at)


def test_backfill_from_pywb_then_crawl_equals_captures_in_time_order(
    collection: Collection, cdx: str, tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    # The crawl first (today, the site as it is now), the archive's past afterwards.
    with SnapshotServer(collection.v2) as site:
        done = crawl(db, site.base_url)
    assert done.returncode == 0, done.stderr
    summary = _backfill(db, "--source", "ia", "--cdx", cdx)
    assert summary["kind"] == "backfill" and summary["status"] == "success"
    # day 1: 2 articles + the E1 page; day 2: the revisit is the same payload; day 4: the edit.
    assert summary["fetched"] == 4
    assert summary["same_payload"] == 1
    assert summary["skipped_status_404"] == 1 and summary["skipped_status_301"] == 1
    assert summary["skipped_not_article_url"] >= 1  # robots.txt
    assert summary["cdx_requests"] == 2  # our probe of the endpoint, then cdx-toolkit's one listing
    assert summary["requests"] == 4 + 2

    edited = f"baonghean:e3:{collection.edited.rsplit('-', 1)[1].removesuffix('.html')}"
    with sqlite3.connect(db) as conn:
        current = conn.execute(
            "SELECT text, revision_count, first_seen_at, last_changed_at FROM articles WHERE id = ?",
            (edited,),
        ).fetchone()
        revisions = conn.execute(
            "SELECT captured_at, superseded_at, text FROM revisions WHERE article_id = ?", (edited,)
        ).fetchall()
        e1_parser = conn.execute("SELECT parser FROM articles WHERE id = 'baonghean:e1:67164'").fetchone()
    # The older capture became an earlier revision; the current text is the newest (crawl's) text.
    assert current[1] == 1 and current[2] == "2025-05-01T13:00:00+07:00"
    assert current[3] == "2025-05-04T13:00:00+07:00"  # the edit was first seen in the archive's capture
    assert revisions[0][:2] == ("2025-05-01T13:00:00+07:00", "2025-05-04T13:00:00+07:00")
    assert revisions[0][2] != current[0] and len(revisions[0][2]) < len(current[0])
    assert e1_parser == ("baonghean/e1",)  # the era chosen by the capture's date (2019)

    reference = tmp_path / "in-order.db"
    _in_time_order(db, reference)
    assert history(db) == history(reference)

    # Resumable: a second run finds everything archived and sends no request for the pages.
    again = _backfill(db, "--source", "ia", "--cdx", cdx)
    assert again["fetched"] == 0 and again["requests"] == again["cdx_requests"] == 2
    assert again["already_archived"] == 4


def test_backfill_common_crawl_style_range_requests(collection: Collection, cdx: str, tmp_path: Path) -> None:
    db = tmp_path / "cc.db"
    with range_server(collection.warc_dir) as (base, requests):
        summary = _backfill(db, "--source", "cc", "--cdx", cdx, "--replay", base)
    assert summary["status"] == "success" and summary["fetched"] == 4
    assert len(requests) == 4 and all(path.endswith(".warc.gz") for path in requests)
    with sqlite3.connect(db) as conn:
        keys = {row[0] for row in conn.execute("SELECT id FROM articles")}
        stored = conn.execute("SELECT count(*) FROM captures WHERE warc_record_id IS NOT NULL").fetchone()
    assert "baonghean:e1:67164" in keys and len(keys) == 3
    assert stored == (4,)  # the archive's WARC-Record-IDs are kept


def test_backfill_since_until_and_wrong_use(collection: Collection, cdx: str, tmp_path: Path) -> None:
    db = tmp_path / "window.db"
    summary = _backfill(db, "--source", "ia", "--cdx", cdx, "--since", "2025-05-03", "--until", "2025-05-31")
    assert summary["fetched"] == 1  # only day 4
    bad = vnnews("backfill", "--db", str(db), "--publisher", "nope", "--source", "ia")
    assert bad.returncode == 2 and bad.stderr.startswith("vnnews backfill: ") and bad.stderr.count("\n") == 1
    bad = vnnews(
        "backfill", "--db", str(db), "--publisher", "baonghean", "--source", "ia", "--since", "1/1/2020"
    )
    assert bad.returncode == 2
    gone = vnnews(
        "backfill", "--db", str(db), "--publisher", "baonghean", "--source", "ia",
        "--cdx", "http://127.0.0.1:9/none/cdx",
    )  # fmt: skip
    assert gone.returncode == 1 and gone.stderr.startswith("vnnews backfill: ")
    assert _run_summary(db)["status"] == "failed"


class _Flaky(http.server.BaseHTTPRequestHandler):
    """A Wayback replay that says "slow down" before it answers: 429 with Retry-After 1, then 503
    without one, then the real pywb's answer; "/gone" answers 429 with a Retry-After of a day."""

    upstream = ""
    seen: ClassVar[list[tuple[float, str]]] = []

    def do_GET(self) -> None:
        self.seen.append((time.monotonic(), self.path))
        attempts = sum(1 for _at, path in self.seen if path == self.path)
        if self.path.startswith("/gone/"):
            self._refuse(429, "86400")
        elif attempts == 1:
            self._refuse(429, "1")
        elif attempts == 2:
            self._refuse(503, None)
        else:
            with urllib.request.urlopen(self.upstream + self.path) as answer:
                body = answer.read()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    if name.lower() not in ("transfer-encoding", "content-length", "connection"):
                        self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def _refuse(self, code: int, retry_after: str | None) -> None:
        self.send_response(code)
        if retry_after:
            self.send_header("Retry-After", retry_after)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_backoff_honours_retry_after_then_resumes(collection: Collection, cdx: str, tmp_path: Path) -> None:
    _Flaky.upstream = cdx.removesuffix("/cdx").rsplit("/", 1)[0]
    _Flaky.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    replay = f"http://127.0.0.1:{server.server_address[1]}/{collection.name}"
    db = tmp_path / "polite.db"
    try:
        window = ("--since", "2025-05-03", "--until", "2025-05-31")  # one capture: day 4's
        # A day-long Retry-After: not waited for; the capture is left for the next run (exit 1).
        gone = vnnews(
            "backfill", "--db", str(db), "--publisher", "baonghean", "--source", "ia", "--delay", "0",
            "--cdx", cdx, "--replay", replay.replace(f"/{collection.name}", "/gone"), *window,
        )  # fmt: skip
        assert gone.returncode == 1 and "Retry-After 86400" in gone.stderr, gone.stderr
        assert _run_summary(db)["status"] == "partial" and _run_summary(db)["fetch_error"] == 1
        summary = _backfill(db, "--source", "ia", "--cdx", cdx, "--replay", replay, *window)
    finally:
        server.shutdown()
        server.server_close()
    assert summary["fetched"] == 1 and summary["new"] == 1
    times = [at for at, path in _Flaky.seen if path.startswith(f"/{collection.name}/")]
    assert len(times) == 3  # 429, 503, then the page: one request at a time
    assert times[1] - times[0] >= 1.0  # Retry-After: 1 honoured
    assert summary["waited_seconds"] >= 1.0
