"""Change detection, rechecks and withdrawals: `vnnews crawl` over real HTTP against the snapshot server.

Each test changes a copy of the site the way a real one changes between crawls (crawler/snapshot/
scenarios.py) and checks what the archive records. The recheck clock is driven with VNNEWS_NOW.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crawler.discovery import LOCAL_TZ
from crawler.snapshot import Fault, Snapshot, SnapshotServer, build_snapshot
from crawler.snapshot.scenarios import SILENT_EDIT, copy_snapshot, edit_silently, restore, withdraw

from .helpers import ROOT, crawl, rows

pytestmark = pytest.mark.slow


def article_paths(snapshot: Snapshot) -> set[str]:
    """Every story of the snapshot: listed, samples, media, and the old stories only links reach."""
    stories = snapshot.articles + snapshot.media_articles + snapshot.linked_articles
    return {a["path"] for a in stories} | set(snapshot.sample_paths)


def article_requests(server: SnapshotServer, snapshot: Snapshot) -> list[str]:
    known = article_paths(snapshot)
    return [path for path in server.requested_paths() if path in known]


def last_summary(db: Path) -> dict[str, object]:
    return json.loads(rows(db, "SELECT summary FROM runs ORDER BY id DESC LIMIT 1")[0][0])


def at(moment: datetime) -> list[str]:
    return ["-s", f"VNNEWS_NOW={moment.isoformat(timespec='seconds')}"]


def test_edits_of_a_copy_replayed_a_year_later_are_found(tmp_path: Path) -> None:
    """Every date the copy gives is a year before our clock: comparing them with our capture times
    (the old rule) finds no edit at all; comparing them with the values seen at capture does."""
    year_ago = datetime.now(LOCAL_TZ).replace(second=0, microsecond=0) - timedelta(days=365)
    v1 = build_snapshot(tmp_path / "v1", articles=30, anchor=year_ago)
    db = tmp_path / "news.db"
    with SnapshotServer(v1) as server:
        # RECENT_DAYS=0: a daily sitemap is read again only because its index <lastmod> changed.
        first = crawl(db, server.base_url, "-s", "VNNEWS_RECENT_DAYS=0")
        assert first.returncode == 0, first.stderr

        v2 = build_snapshot(
            tmp_path / "v2", articles=30, version=2, anchor=year_ago, now=year_ago + timedelta(days=1)
        )
        edited = {a["key"]: a for a in v2.articles if a["edited"]}
        new = {a["key"] for a in v2.articles if a["new"]}
        assert len(edited) >= 2
        captured = min(value for (value,) in rows(db, "SELECT last_fetched_at FROM articles"))
        assert all(a["lastmod"] < captured for a in edited.values())  # the site's clock is a year behind
        server.load(v2)
        server.clear_log()
        result = crawl(db, server.base_url, "-s", "VNNEWS_RECENT_DAYS=0")
        assert result.returncode == 0, result.stderr
        changed_paths = {a["path"] for a in v2.articles if a["new"] or a["edited"]}
        assert sorted(article_requests(server, v2)) == sorted(changed_paths)

    assert {key for (key,) in rows(db, "SELECT DISTINCT article_id FROM revisions")} == set(edited)
    run = rows(db, "SELECT articles_new, articles_changed FROM runs ORDER BY id DESC LIMIT 1")
    assert run == [(len(new), len(edited))]
    # The change signal that caught it is the one the archive keeps.
    for key, article in edited.items():
        (lastmod,) = rows(db, "SELECT sitemap_lastmod FROM article_signals WHERE key = ?", key)[0]
        assert lastmod == article["lastmod"]


def test_an_edit_without_any_signal_is_caught_by_the_recheck(tmp_path: Path, snapshot_v1: Snapshot) -> None:
    site = copy_snapshot(snapshot_v1, tmp_path / "site")
    db = tmp_path / "news.db"
    total = len(article_paths(site))
    edited_path = site.articles[5]["path"]
    moved_path = site.articles[7]["path"]  # will redirect to its section page: withdrawn
    with SnapshotServer(site) as server:
        first = crawl(db, server.base_url)
        assert first.returncode == 0, first.stderr
        start = datetime.now(LOCAL_TZ)

        edit_silently(site, edited_path)  # no lastmod, no feed date, nothing but the page
        server.faults[moved_path] = Fault.redirect("/thoi-su")

        server.clear_log()
        soon = crawl(db, server.base_url, *at(start + timedelta(minutes=30)))  # before the 1 h recheck
        assert soon.returncode == 0, soon.stderr
        assert article_requests(server, site) == []  # the edit is invisible to the listings

        server.clear_log()
        later = crawl(db, server.base_url, *at(start + timedelta(hours=2)))
        assert later.returncode == 0, later.stderr
        requested = article_requests(server, site)
        assert sorted(requested) == sorted(article_paths(site))  # each article once, conditionally
        answers = [status for path, status in server.log if path in article_paths(site)]
        # Every recheck is conditional, stories found by links (behind a 301 too) included: their
        # validators were recorded like a listed article's. Only the edited and the moved one answer.
        conditional = [path for path in server.conditional if path in article_paths(site)]
        assert sorted(conditional) == sorted(article_paths(site))
        linked_paths = {item["path"] for item in site.linked_articles}
        assert linked_paths and {path for path, status in server.log if status == 304} >= linked_paths
        assert answers.count(304) == total - 2

        server.clear_log()
        again = crawl(db, server.base_url, *at(start + timedelta(hours=3)))  # the 6 h point not reached
        assert again.returncode == 0, again.stderr
        assert article_requests(server, site) == []

    key = site.articles[5]["key"]
    assert rows(db, "SELECT article_id FROM revisions") == [(key,)]
    (text,) = rows(db, "SELECT text FROM articles WHERE id = ?", key)[0]
    assert SILENT_EDIT in text
    summary = json.loads(rows(db, "SELECT summary FROM runs WHERE id = 3")[0][0])
    assert summary["rechecks_requested"] == total
    assert summary["not_modified"] == total - 2
    assert (summary["pages_fetched"], summary["articles_changed"], summary["articles_withdrawn"]) == (2, 1, 1)
    # A 304 is an "unchanged" capture without a body, kept apart from the WARC files.
    not_modified = rows(db, "SELECT outcome, size, warc_file, article_id FROM captures WHERE status = 304")
    assert len(not_modified) == total - 2
    linked_keys = {item["key"] for item in site.linked_articles}
    assert linked_keys <= {article for *_, article in not_modified}
    assert {(o, s, w) for o, s, w, _ in not_modified} == {("unchanged", 0, None)}
    assert all(article for *_, article in not_modified)
    moved = site.articles[7]["key"]
    assert rows(db, "SELECT reason FROM withdrawals WHERE article_id = ?", moved) == [
        ("redirected to /thoi-su",)
    ]


def test_a_withdrawn_article_is_marked_kept_and_cleared_when_it_comes_back(
    tmp_path: Path, snapshot_v1: Snapshot
) -> None:
    site = copy_snapshot(snapshot_v1, tmp_path / "site")
    db = tmp_path / "news.db"
    oldest = site.articles[-1]  # in the oldest day's sitemap: read again only when its lastmod changes
    path, key = oldest["path"], oldest["key"]
    with SnapshotServer(site) as server:
        assert crawl(db, server.base_url).returncode == 0
        (text,) = rows(db, "SELECT text FROM articles WHERE id = ?", key)[0]

        withdraw(site, path, at=site.anchor - timedelta(days=30))  # a lastmod far behind our clock
        server.clear_log()
        result = crawl(db, server.base_url)
        assert result.returncode == 0, result.stderr  # a finding, not a failure
        assert "withdrawn 1" in result.stdout
        assert article_requests(server, site) == [path]  # only the article its sitemap dropped
        assert server.log[-1] == (path, 404) or (path, 404) in server.log

        server.clear_log()
        assert crawl(db, server.base_url).returncode == 0
        assert article_requests(server, site) == []  # withdrawn stays withdrawn without a new signal

        restore(site, snapshot_v1, path, at=site.anchor - timedelta(days=29))
        server.clear_log()
        back = crawl(db, server.base_url)
        assert back.returncode == 0, back.stderr
        assert article_requests(server, site) == [path]

    (withdrawn_at, kept) = rows(db, "SELECT withdrawn_at, text FROM articles WHERE id = ?", key)[0]
    assert withdrawn_at is None and kept == text  # cleared; the text was never lost
    ((reason, when, restored, capture),) = rows(
        db, "SELECT reason, withdrawn_at, restored_at, capture_id FROM withdrawals WHERE article_id = ?", key
    )
    assert reason == "HTTP 404" and when < restored
    assert rows(db, "SELECT status, outcome, article_id FROM captures WHERE id = ?", capture) == [
        (404, "withdrawn", key)
    ]
    assert [status for (status,) in rows(db, "SELECT status FROM runs ORDER BY id")] == ["success"] * 4


def test_status_and_the_canned_query_list_withdrawals(tmp_path: Path, snapshot_v1: Snapshot) -> None:
    site = copy_snapshot(snapshot_v1, tmp_path / "site")
    db = tmp_path / "news.db"
    oldest = site.articles[-1]
    with SnapshotServer(site) as server:
        assert crawl(db, server.base_url).returncode == 0
        withdraw(site, oldest["path"], at=site.anchor - timedelta(days=30))
        assert crawl(db, server.base_url).returncode == 0

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    status = subprocess.run(
        [sys.executable, "-m", "vnnews", "status", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert status.returncode == 0, status.stderr
    assert (
        "Withdrawn articles" in status.stdout
        and oldest["key"] in status.stdout
        and "HTTP 404" in status.stdout
    )
    # The canned query, through a real Datasette with the project's metadata.
    from vnnews.web.app import build_datasette

    datasette = build_datasette(db)
    asyncio.run(datasette.invoke_startup())
    response = asyncio.run(datasette.client.get("/news/withdrawals.json?since=&_shape=objects"))
    found = response.json()["rows"]
    assert [(row["article_id"], row["reason"], row["restored_at"]) for row in found] == [
        (oldest["key"], "HTTP 404", None)
    ]
    assert found[0]["withdrawn_at"].endswith("+07:00") and found[0]["title"] == oldest["title"]
    later = asyncio.run(datasette.client.get("/news/withdrawals.json?since=2999-01-01&_shape=objects"))
    assert later.json()["rows"] == []


def test_a_listed_url_never_archived_that_answers_404_is_gone_and_the_run_succeeds(
    tmp_path: Path, snapshot_v1: Snapshot
) -> None:
    missing = snapshot_v1.articles[3]
    db = tmp_path / "news.db"
    with SnapshotServer(snapshot_v1, faults={missing["path"]: Fault.not_found()}) as server:
        result = crawl(db, server.base_url)
        assert result.returncode == 0, result.stderr
        assert "gone 1" in result.stdout
        server.clear_log()
        assert crawl(db, server.base_url).returncode == 0
        assert server.hits(missing["path"]) == 0  # settled: not asked again without a new signal
    assert rows(
        db, "SELECT status, outcome, article_id FROM captures WHERE url LIKE ?", "%" + missing["path"]
    ) == [(404, "gone", None)]
    assert rows(db, "SELECT count(*) FROM articles WHERE id = ?", missing["key"]) == [(0,)]
    assert rows(db, "SELECT status, errors FROM runs WHERE id = 1") == [("success", 0)]
    assert rows(db, "SELECT count(*) FROM withdrawals") == [(0,)]


def test_a_changed_article_whose_fetch_fails_is_tried_again_by_the_next_run(
    tmp_path: Path, snapshot_v1: Snapshot
) -> None:
    db = tmp_path / "news.db"
    v2 = build_snapshot(tmp_path / "v2", articles=30, version=2, anchor=snapshot_v1.anchor)
    edited = next(a for a in v2.articles if a["edited"])
    with SnapshotServer(snapshot_v1) as server:
        assert crawl(db, server.base_url).returncode == 0
        server.load(v2)
        server.faults[edited["path"]] = Fault.status(503, times=None)
        failed = crawl(db, server.base_url, "-s", "RETRY_TIMES=1")
        assert failed.returncode == 3, failed.stderr  # a real fetch failure stays partial
        server.faults.clear()
        server.clear_log()
        result = crawl(db, server.base_url)
        assert result.returncode == 0, result.stderr
        assert server.hits(edited["path"]) == 1  # its new lastmod was not stored: still a change
    assert rows(db, "SELECT article_id FROM revisions WHERE article_id = ?", edited["key"]) == [
        (edited["key"],)
    ]
