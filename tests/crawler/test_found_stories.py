"""The archive misses nothing the site publishes: stories only links reach, media stories, and a date
window that reads what the index lists (a real `vnnews crawl` against the snapshot server)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawler.snapshot import Snapshot, SnapshotServer

from .helpers import ROOT, crawl, rows

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory: pytest.TempPathFactory, snapshot_v1: Snapshot) -> Iterator[dict[str, Any]]:
    """One full crawl of the snapshot, then an unchanged re-crawl, on one server."""
    db = tmp_path_factory.mktemp("found") / "news.db"
    with SnapshotServer(snapshot_v1) as server:
        result = crawl(db, server.base_url)
        first_paths = server.requested_paths()
        server.clear_log()
        again = crawl(db, server.base_url)
        yield {
            "db": db,
            "base": server.base_url,
            "result": result,
            "first_paths": first_paths,
            "again": again,
            "again_paths": server.requested_paths(),
        }


def listed_anywhere(snapshot: Snapshot, path: str) -> bool:
    """Does a sitemap, feed or section/listing page of the snapshot name this path?"""
    documents = [*snapshot.site.glob("*.xml"), *snapshot.site.glob("rss/*")]
    documents += [p for p in snapshot.site.glob("*/index.html")]
    return any(path in document.read_text(encoding="utf-8") for document in documents)


def test_link_only_old_stories_are_archived_behind_their_redirects(
    first_crawl: dict[str, Any], snapshot_v1: Snapshot
) -> None:
    db, base = first_crawl["db"], first_crawl["base"]
    assert first_crawl["result"].returncode == 0, first_crawl["result"].stderr
    linked = snapshot_v1.linked_articles
    assert len(linked) >= 3 and any(item["linked_as"] != item["path"] for item in linked)
    captures = {
        url: (final, outcome)
        for url, final, outcome in rows(db, "SELECT url, final_url, outcome FROM captures")
    }
    for item in linked:
        assert not listed_anywhere(snapshot_v1, item["path"]) and not listed_anywhere(
            snapshot_v1, item["linked_as"]
        )
        # Requested under the URL the page links (an E1 or E2 one that answers 301), the final URL kept.
        assert captures[base + item["linked_as"]] == (base + item["path"], "new")
        assert first_crawl["first_paths"].count(item["path"]) == 1
    stored = {key for (key,) in rows(db, "SELECT id FROM articles")}
    assert {item["key"] for item in linked} <= stored
    # A story linked only from another link-only story: found in the second round.
    chained = [item for item in linked if item["host"] in {other["path"] for other in linked}]
    assert chained
    summary = json.loads(rows(db, "SELECT summary FROM runs WHERE id = 1")[0][0])
    assert summary["articles_new_from_links"] == len(linked)
    assert "found by links 3" in first_crawl["result"].stdout


def test_an_unchanged_re_crawl_fetches_no_article_page(
    first_crawl: dict[str, Any], snapshot_v1: Snapshot
) -> None:
    again = first_crawl["again"]
    assert again.returncode == 0, again.stderr
    from extraction.publishers import get

    site = get("baonghean")
    fetched = [path for path in first_crawl["again_paths"] if site.article_ref(path)]
    assert fetched == []  # listed, linked, redirected, media and dead-link URLs alike
    summary = json.loads(rows(first_crawl["db"], "SELECT summary FROM runs WHERE id = 2")[0][0])
    assert summary["articles_from_links"] == 0 and summary["http_requests"] == len(first_crawl["again_paths"])


def test_media_stories_are_articles_with_their_format_and_listings_stay_out(
    first_crawl: dict[str, Any], snapshot_v1: Snapshot
) -> None:
    db, base = first_crawl["db"], first_crawl["base"]
    formats = dict(rows(db, "SELECT id, format FROM articles WHERE format != 'article'"))
    assert formats == {item["key"]: item["format"] for item in snapshot_v1.media_articles}
    assert set(formats.values()) == {"emagazine", "video", "photo", "podcast"}
    for key, parser, title, text, images in rows(
        db, "SELECT id, parser, title, text, images FROM articles WHERE format != 'article'"
    ):
        assert title and len(text) > 200 and json.loads(images), key
        if formats[key] == "emagazine":  # its own long-form layout: the generic fallback, flagged
            assert parser == "generic"
    # The listing pages are read for their links, never stored as articles.
    captured = {url for (url,) in rows(db, "SELECT url FROM captures")}
    for path in snapshot_v1.listing_paths:
        assert path in first_crawl["first_paths"]
        assert base + path not in captured
    # The podcast is only on its listing page: found there.
    podcast = next(item for item in snapshot_v1.media_articles if item["format"] == "podcast")
    assert not podcast["listed"] and podcast["key"] in formats


def test_format_reaches_exports(first_crawl: dict[str, Any]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vnnews", "export", str(first_crawl["db"]), "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    formats = {json.loads(line)["format"] for line in result.stdout.splitlines() if line.strip()}
    assert formats == {"article", "emagazine", "video", "photo", "podcast"}


def test_the_link_budget_bounds_a_run(tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer) -> None:
    db = tmp_path / "news.db"
    result = crawl(db, server.base_url, "-s", "VNNEWS_LINK_BUDGET=1")
    assert result.returncode == 0, result.stderr
    summary = json.loads(rows(db, "SELECT summary FROM runs")[0][0])
    assert summary["articles_from_links"] == 1 and summary["links_over_budget"] > 0
    assert "over the link budget" in result.stderr
    server.clear_log()
    off = crawl(tmp_path / "off.db", server.base_url, "-s", "VNNEWS_LINK_BUDGET=0")
    assert off.returncode == 0, off.stderr
    for item in snapshot_v1.linked_articles:
        assert server.hits(item["linked_as"]) == 0 and server.hits(item["path"]) == 0


def test_a_window_far_wider_than_the_index_reads_what_the_index_lists(
    tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer
) -> None:
    db = tmp_path / "news.db"
    result = crawl(db, server.base_url, "--since", "2000-01-01", "--until", snapshot_v1.last_day.isoformat())
    assert result.returncode == 0, result.stderr
    days = (snapshot_v1.last_day - snapshot_v1.first_day).days + 1
    daily = [p for p in server.requested_paths() if p.startswith("/sitemap-article-")]
    # Every day the index lists, once; then one batch of 7 guesses before the index's oldest day.
    assert len(daily) == len(set(daily)) == days + 7
    oldest_guess = snapshot_v1.first_day - timedelta(days=7)
    assert f"/sitemap-article-{oldest_guess.isoformat()}.xml" in daily
    summary = json.loads(rows(db, "SELECT summary FROM runs")[0][0])
    assert summary["window_days_guessed"] == 7 and summary["discovery_errors"] == 0
    stories = len(snapshot_v1.articles) + len(snapshot_v1.linked_articles) + 3  # 3 listed media stories
    assert rows(db, "SELECT count(*) FROM articles") == [(stories,)]
    # robots.txt, the index, the category sitemap (maybe an index), the days, the guesses, the stories
    # and the dead links of the template: not 9,000 requests.
    assert summary["http_requests"] < days + 7 + stories + 40
    assert (date.today() - date(2000, 1, 1)).days > 9000


def test_help_says_what_a_window_reads() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vnnews", "crawl", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "the index lists" in text and "VNNEWS_LINK_BUDGET" in text


def test_links_of_a_killed_run_are_followed_by_the_next_run(
    tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer
) -> None:
    """SIGKILL after the linking page was archived, before its links were followed: the next run
    (no JOBDIR) reads that page back from the WARC file and follows them."""
    import signal
    import time

    from .helpers import start_crawl

    db = tmp_path / "news.db"
    host = snapshot_v1.linked_articles[0]["host"]
    linked_paths = {item["linked_as"] for item in snapshot_v1.linked_articles}
    slow = [
        "-s",
        "DOWNLOAD_DELAY=0.1",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=1",
        "-s",
        "DOWNLOAD_DELAY_JITTER=0",
    ]
    process = start_crawl(db, server.base_url, *slow)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if rows(db, "SELECT 1 FROM captures WHERE url = ?", server.base_url + host):
                    break
            except Exception:  # the database is being created
                pass
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        process.kill()
    assert not [path for path in server.requested_paths() if path in linked_paths], "killed too late"

    again = crawl(db, server.base_url)
    assert again.returncode == 0, again.stderr
    stored = {key for (key,) in rows(db, "SELECT id FROM articles")}
    assert {item["key"] for item in snapshot_v1.linked_articles} <= stored
    summary = json.loads(rows(db, "SELECT summary FROM runs ORDER BY id DESC LIMIT 1")[0][0])
    assert summary["links"] == "complete" and summary["links_carried"] > 0
    # Followed and complete: a third run reads nothing back and fetches no article page.
    server.clear_log()
    third = crawl(db, server.base_url)
    assert third.returncode == 0, third.stderr
    summary = json.loads(rows(db, "SELECT summary FROM runs ORDER BY id DESC LIMIT 1")[0][0])
    assert summary["links_carried"] == 0
    from extraction.publishers import get

    assert not [p for p in server.requested_paths() if get("baonghean").article_ref(p)]
