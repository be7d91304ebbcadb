"""`vnnews crawl` over real HTTP against the snapshot server, into a real SQLite archive."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from crawler.lock import CrawlLock
from crawler.snapshot import Snapshot, SnapshotServer, build_snapshot
from crawler.snapshot.server import Fault
from extraction.publishers import get

from .helpers import crawl, rows

SITE = get("baonghean")

pytestmark = pytest.mark.slow

SAMPLE_KEYS = {
    "baonghean:e3:10308168",
    "baonghean:e3:10289658",
    "baonghean:e2:post275412",
    "baonghean:e2:post249990",
    "baonghean:e1:67164",
    "baonghean:e1:51874",
}


def article_requests(server: SnapshotServer, snapshot: Snapshot) -> list[str]:
    """Requests for article pages: every story of the snapshot, old URLs that redirect, dead links."""
    known = {a["path"] for a in snapshot.articles} | set(snapshot.sample_paths)
    known |= {a["path"] for a in snapshot.linked_articles + snapshot.media_articles} | set(snapshot.redirects)
    return [path for path in server.requested_paths() if path in known or SITE.article_ref(path)]


def all_keys(snapshot: Snapshot) -> set[str]:
    """Every story of the snapshot: listed, samples, link-only and media."""
    stories = snapshot.articles + snapshot.linked_articles + snapshot.media_articles
    return {a["key"] for a in stories} | SAMPLE_KEYS


def test_full_crawl_archives_every_article_and_nothing_else(
    tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer
) -> None:
    db = tmp_path / "news.db"
    result = crawl(db, server.base_url, "-s", "VNNEWS_PROGRESS_INTERVAL=0.1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("crawl success (run 1")
    assert "[crawl" in result.stderr  # the progress line

    keys = {key for (key,) in rows(db, "SELECT id FROM articles")}
    assert keys == all_keys(snapshot_v1)
    assert {scheme for (scheme,) in rows(db, "SELECT DISTINCT id_scheme FROM articles")} == {"e1", "e2", "e3"}

    stored = [url for (url,) in rows(db, "SELECT url FROM captures WHERE article_id IS NOT NULL")]
    assert len(stored) == len(keys)  # each article fetched once, the mobile-host duplicate included
    # The sample pages' related boxes and "tin mới" lists name stories this copy does not hold: dead
    # links, each asked once and recorded (404), not errors.
    dead = [url for (url,) in rows(db, "SELECT url FROM captures WHERE article_id IS NULL")]
    assert rows(db, "SELECT DISTINCT status FROM captures WHERE article_id IS NULL") == [(404,)]
    captured = stored + dead
    assert len(set(captured)) == len(captured)
    for path in snapshot_v1.non_article_paths:
        assert server.hits(path) == 0, f"{path} is not an article and must not be fetched"
    assert not [url for url in captured if "utm_" in url or "fbclid" in url or "m.baonghean" in url]
    assert all(url.startswith(server.base_url) for url in captured)

    (status, pages, new, errors, summary) = rows(
        db, "SELECT status, pages_fetched, articles_new, errors, summary FROM runs"
    )[0]
    assert (status, pages, new, errors) == ("success", len(keys) + len(dead), len(keys), 0)
    counts = json.loads(summary)
    assert counts["discovery_errors"] == 0 and counts["links_dead"] == len(dead)
    assert counts["articles_new_from_links"] == len(snapshot_v1.linked_articles)
    # `vnnews status` shows the dead links as gone, not as failed pages (http_error).
    assert dead and rows(db, "SELECT DISTINCT outcome FROM captures WHERE article_id IS NULL") == [("gone",)]
    status = subprocess.run(
        [sys.executable, "-m", "vnnews", "status", str(db)], capture_output=True, text=True, timeout=60
    )
    assert status.returncode == 0, status.stderr
    assert "Failed pages" not in status.stdout and "http_error" not in status.stdout
    assert f"Gone in run 1: {len(dead)} (never archived, answered 404/410" in status.stdout


def test_second_crawl_fetches_only_new_and_edited_articles(
    tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer
) -> None:
    db = tmp_path / "news.db"
    assert crawl(db, server.base_url).returncode == 0

    server.clear_log()
    again = crawl(db, server.base_url)
    assert again.returncode == 0, again.stderr
    assert article_requests(server, snapshot_v1) == []  # nothing changed: no article fetched

    v2 = build_snapshot(tmp_path / "v2", articles=30, version=2, anchor=snapshot_v1.anchor)
    changed = {a["path"] for a in v2.articles if a["new"] or a["edited"]}
    edited = {a["key"] for a in v2.articles if a["edited"]}
    new = {a["key"] for a in v2.articles if a["new"]}
    assert len(edited) >= 2 and len(new) >= 3
    server.load(v2)
    server.clear_log()
    result = crawl(db, server.base_url)
    assert result.returncode == 0, result.stderr
    assert sorted(article_requests(server, v2)) == sorted(changed)

    run = rows(
        db, "SELECT articles_new, articles_changed, articles_unchanged FROM runs ORDER BY id DESC LIMIT 1"
    )
    assert run == [(len(new), len(edited), 0)]
    revised = {key for (key,) in rows(db, "SELECT DISTINCT article_id FROM revisions")}
    assert revised == edited
    counts = dict(rows(db, "SELECT id, revision_count FROM articles WHERE revision_count > 0"))
    assert counts == dict.fromkeys(edited, 1)


def test_faults_are_survived_and_reported(tmp_path: Path, snapshot_v1: Snapshot) -> None:
    paths = [a["path"] for a in snapshot_v1.articles]
    flaky, slow, cut, gone, moved, forbidden = paths[2], paths[4], paths[6], paths[8], paths[10], paths[12]
    dead = paths[18]  # times out on every attempt
    offsite, offsite_target = paths[14], paths[16]
    redirect_target = snapshot_v1.sample_paths[0]
    from crawler.snapshot import Fault

    faults = {
        flaky: Fault.status(500, times=2),
        slow: Fault.slow(3.0, times=1),
        cut: Fault.truncated(times=1),
        gone: Fault.not_found(),
        moved: Fault.redirect(redirect_target, hops=3),
        dead: Fault.slow(3.0, times=None),
    }
    db = tmp_path / "news.db"
    with SnapshotServer(snapshot_v1, faults=faults, disallow=[forbidden]) as server:
        # Same server under another host name: a redirect off the crawled site is not followed.
        server.faults[offsite] = Fault.redirect(f"http://localhost:{server.port}{offsite_target}")
        result = crawl(db, server.base_url, "-s", "DOWNLOAD_TIMEOUT=1")
        assert server.hits(offsite) == 1 and server.hits(offsite_target) == 1  # listed itself too
        assert server.hits(flaky) == 3  # 500, 500, then the page
        assert server.hits(forbidden) == 0  # robots.txt Disallow obeyed
        assert server.hits(slow) >= 2 and server.hits(cut) >= 2
    assert result.returncode == 3, result.stderr  # partial: the dead article failed (the 404 is gone)
    assert result.stdout.startswith("crawl partial")

    outcome = dict(rows(db, "SELECT url, outcome FROM captures"))
    base = server.base_url
    assert outcome[base + flaky] == "new"
    assert outcome[base + slow] == "new"
    assert outcome[base + cut] == "new"
    assert outcome[base + gone] == "gone"  # listed, never archived, 404: a finding, not an error
    assert outcome[base + dead] == "fetch_error"  # never downloaded, but recorded with its reason
    (dead_status, dead_error) = rows(db, "SELECT status, error FROM captures WHERE url = ?", base + dead)[0]
    assert dead_status is None and "TimeoutError" in dead_error
    assert base + forbidden not in outcome
    assert base + offsite not in outcome
    (final_url, status) = rows(db, "SELECT final_url, status FROM captures WHERE url = ?", base + moved)[0]
    assert (final_url, status) == (base + redirect_target, 200)  # original URL kept, final one too
    (run_status, errors) = rows(db, "SELECT status, errors FROM runs")[0]
    assert (run_status, errors) == ("partial", 1)


def test_second_crawl_on_a_locked_archive_exits_75_at_once(tmp_path: Path, server: SnapshotServer) -> None:
    db = tmp_path / "news.db"
    with CrawlLock(db):
        result = crawl(db, server.base_url, timeout=30)
    assert result.returncode == 75
    assert result.stderr.strip().count("\n") == 0 and "another crawl" in result.stderr
    assert server.requested_paths() == []
    assert not db.exists() or rows(db, "SELECT count(*) FROM runs") == [(0,)]


def test_backfill_window_reads_the_daily_sitemaps(
    tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer
) -> None:
    db = tmp_path / "news.db"
    first = snapshot_v1.first_day.isoformat()
    result = crawl(db, server.base_url, "--since", first, "--until", snapshot_v1.last_day.isoformat())
    assert result.returncode == 0, result.stderr
    keys = {key for (key,) in rows(db, "SELECT id FROM articles")}
    # The samples and the podcast are only on section pages; the link-only stories hang off articles
    # of the window, so the window's crawl finds them too.
    listed_media = {a["key"] for a in snapshot_v1.media_articles if a["listed"]}
    linked = {a["key"] for a in snapshot_v1.linked_articles}
    assert keys == {a["key"] for a in snapshot_v1.articles} | listed_media | linked
    assert not [p for p in server.requested_paths() if p.startswith("/rss/")]


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "2025-13-01"],
        ["--until", "2025-01-01"],
        ["--since", "2025-02-01", "--until", "2025-01-01"],
        ["-s", "NOVALUE"],
        ["-s", "VNNEWS_RECHECK_AFTER=1h,soon"],
        ["-s", "VNNEWS_NOW=yesterday"],
    ],
)
def test_wrong_usage_exits_2_with_one_line(tmp_path: Path, args: list[str]) -> None:
    result = crawl(tmp_path / "news.db", "http://127.0.0.1:9", *args, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("vnnews crawl:") and "\n" not in result.stderr.strip()


def test_unreachable_site_is_a_failure(tmp_path: Path) -> None:
    result = crawl(tmp_path / "news.db", "http://127.0.0.1:9", "-s", "RETRY_TIMES=0", timeout=60)
    assert result.returncode == 1
    assert rows(tmp_path / "news.db", "SELECT status FROM runs") == [("failed",)]


def test_user_agent_names_the_contact_url_and_log_file_is_written(
    tmp_path: Path, server: SnapshotServer
) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    result = crawl(
        tmp_path / "news.db",
        server.base_url,
        "-s",
        "VNNEWS_CONTACT_URL=https://example.org/bot",
        "--log-file",
        str(logs),
    )
    assert result.returncode == 0, result.stderr
    assert server.user_agents == {"vnnews/0.1.0 (+https://example.org/bot)"}
    (log,) = logs.glob("crawl-*.log")
    text = log.read_text(encoding="utf-8")
    assert "Spider opened" in text and "Spider closed (finished)" in text


def test_a_file_that_is_not_an_archive_is_one_line_and_exit_2(tmp_path: Path, server: SnapshotServer) -> None:
    db = tmp_path / "notes.db"
    db.write_text("not a database")
    result = crawl(db, server.base_url, timeout=30)
    assert result.returncode == 2  # house rules: an unusable --db is exit 2 (it was 1 before)
    assert result.stderr.strip().startswith("vnnews crawl:") and "\n" not in result.stderr.strip()
    assert server.requested_paths() == []


def test_scrapy_crawl_entry_point_takes_the_same_lock(
    tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer
) -> None:
    """`scrapy crawl baonghean` (what Scrapyd runs) writes the archive and honours the crawl lock."""
    import subprocess
    import sys

    from .helpers import FAST, ROOT

    db = tmp_path / "news.db"
    command = [sys.executable, "-m", "scrapy", "crawl", "baonghean", "-a", f"base_url={server.base_url}"]
    command += ["-a", f"db={db}", *FAST, "-s", "LOG_LEVEL=INFO"]
    with CrawlLock(db):
        locked = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "'finish_reason': 'archive_locked'" in locked.stderr
    assert server.requested_paths() == []
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "'finish_reason': 'finished'" in done.stderr, done.stderr[-2000:]
    expected = len(all_keys(snapshot_v1))
    assert rows(db, "SELECT status, articles_new FROM runs") == [("success", expected)]


@pytest.mark.parametrize("named_by", ["setting", "spider argument over the setting"])
def test_scrapy_crawl_names_the_archive_once_and_refuses_it_locked(
    tmp_path: Path, server: SnapshotServer, named_by: str
) -> None:
    """Scrapyd passes the archive as `-s VNNEWS_DB=`; `-a db=` sets that same setting and wins over it.
    Either way the crawl, started without `vnnews crawl`, takes the lock itself and closes at once."""
    import subprocess
    import sys

    from .helpers import FAST, ROOT

    db = tmp_path / "news.db"
    command = [sys.executable, "-m", "scrapy", "crawl", "baonghean", "-a", f"base_url={server.base_url}"]
    if named_by == "setting":
        command += ["-s", f"VNNEWS_DB={db}"]
    else:
        command += ["-a", f"db={db}", "-s", f"VNNEWS_DB={tmp_path / 'other.db'}"]
    with CrawlLock(db):
        locked = subprocess.run(
            [*command, *FAST, "-s", "LOG_LEVEL=INFO"], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    assert "'finish_reason': 'archive_locked'" in locked.stderr, locked.stderr[-2000:]
    assert "another crawl" in locked.stderr and f"{db}.lock" in locked.stderr
    assert server.requested_paths() == []
    assert not (tmp_path / "other.db").exists()


def test_first_crawl_reads_the_whole_index_and_later_ones_only_recent_days(
    tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer
) -> None:
    daily = [
        f"/sitemap-article-{day.isoformat()}.xml"
        for day in (
            snapshot_v1.first_day + timedelta(days=n)
            for n in range((snapshot_v1.last_day - snapshot_v1.first_day).days + 1)
        )
    ]
    assert len(daily) >= 3  # more days than the one recent day read below
    db = tmp_path / "news.db"
    first = crawl(db, server.base_url, "-s", "VNNEWS_RECENT_DAYS=1")
    assert first.returncode == 0, first.stderr
    assert [server.hits(path) for path in daily] == [1] * len(daily)  # the archive lacked them all
    assert json.loads(rows(db, "SELECT summary FROM runs")[0][0])["discovery"] == "full"

    server.clear_log()
    again = crawl(db, server.base_url, "-s", "VNNEWS_RECENT_DAYS=1")
    assert again.returncode == 0, again.stderr
    assert [path for path in daily if server.hits(path)] == [daily[-1]]  # only the newest day
    assert json.loads(rows(db, "SELECT summary FROM runs WHERE id = 2")[0][0])["discovery"] == "partial"


def test_a_cut_short_first_crawl_reads_the_whole_index_again(
    tmp_path: Path, snapshot_v1: Snapshot, server: SnapshotServer
) -> None:
    db = tmp_path / "news.db"
    # A first crawl whose index was only partly read (a discovery error): not complete.
    server.faults["/sitemap-article-" + snapshot_v1.first_day.isoformat() + ".xml"] = Fault.not_found()
    assert crawl(db, server.base_url, "-s", "VNNEWS_RECENT_DAYS=1").returncode in (0, 3)
    server.faults.clear()
    server.clear_log()
    assert crawl(db, server.base_url, "-s", "VNNEWS_RECENT_DAYS=1").returncode == 0
    assert server.hits("/sitemap-article-" + snapshot_v1.first_day.isoformat() + ".xml") == 1
    keys = {key for (key,) in rows(db, "SELECT id FROM articles")}
    assert keys == all_keys(snapshot_v1)
