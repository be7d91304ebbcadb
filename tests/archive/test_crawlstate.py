"""archive/crawlstate.py on a real archive: 304 captures, withdrawals and returns, rechecks, signals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from archive import Archive, crawlstate
from extraction.article import Article
from tests.fixture_paths import page as fixture_page

HTML = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("ETag", '"v1"'),
    ("Last-Modified", "Mon, 01 Jun 2026 03:00:00 GMT"),
]
URL = "https://baonghean.vn/suc-bat-tu-phong-trao-nong-dan-nghe-an-10308168.html"
KEY = "baonghean:e3:10308168"
PATH = "/suc-bat-tu-phong-trao-nong-dan-nghe-an-10308168.html"


def capture(arc: Archive, when: str, status: int = 200, gone: str | None = None, run_id: int | None = None):
    body = fixture_page("e3-10308168.html").read_bytes() if status == 200 else b"<h1>404</h1>"
    result = arc.ingest(url=URL, status=status, headers=HTML, body=body, fetched_at=when, run_id=run_id)
    return crawlstate.after_capture(arc, result, KEY, PATH, URL, status, HTML, when, gone_reason=gone)


def test_migration_004_adds_the_tables(arc: Archive) -> None:
    names = [row[0] for row in arc.db.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert "006_crawl_signals" in names
    assert {"article_signals", "document_signals", "withdrawals"} <= set(arc.db.table_names())


def test_validators_are_kept_and_a_304_is_an_unchanged_capture_without_body(arc: Archive) -> None:
    run = arc.start_run("crawl")
    assert capture(arc, "2026-06-01T10:00:00+07:00", run_id=run).outcome == "new"
    signals = crawlstate.load_article_signals(arc, "baonghean")[KEY]
    assert (signals.etag, signals.last_modified, signals.article_id) == ('"v1"', HTML[2][1], KEY)
    result = crawlstate.record_not_modified(arc, KEY, PATH, URL, [], "2026-06-01T12:00:00+07:00", run)
    assert result.outcome == "unchanged" and result.article_key == KEY
    row = arc.db["captures"].get(result.capture_id)
    assert (row["status"], row["size"], row["warc_file"], row["outcome"]) == (304, 0, None, "unchanged")
    assert arc.article(KEY)["last_fetched_at"] == "2026-06-01T12:00:00+07:00"
    assert crawlstate.load_article_signals(arc, "baonghean")[KEY].etag == '"v1"'  # a 304 without one keeps it


def test_an_archived_article_that_goes_is_withdrawn_and_cleared_when_back(arc: Archive) -> None:
    capture(arc, "2026-06-01T10:00:00+07:00")
    text = arc.article(KEY)["text"]
    gone = capture(arc, "2026-06-02T10:00:00+07:00", status=404, gone="HTTP 404")
    assert (gone.outcome, gone.article_key, gone.error) == ("withdrawn", KEY, "HTTP 404")
    again = capture(arc, "2026-06-02T11:00:00+07:00", status=404, gone="HTTP 404")
    assert again.outcome == "withdrawn"
    stored = arc.article(KEY)
    assert stored["withdrawn_at"] == "2026-06-02T10:00:00+07:00" and stored["text"] == text
    assert arc.db.execute("SELECT count(*) FROM withdrawals").fetchone()[0] == 1  # one episode, not two
    # A withdrawn article's validators are forgotten: the next fetch asks for the whole page.
    assert crawlstate.load_article_signals(arc, "baonghean")[KEY].etag is None
    back = capture(arc, "2026-06-03T10:00:00+07:00")
    assert back.outcome == "unchanged" and arc.article(KEY)["withdrawn_at"] is None
    (restored_at, restored_capture) = arc.db.execute(
        "SELECT restored_at, restored_capture_id FROM withdrawals"
    ).fetchone()
    assert (restored_at, restored_capture) == ("2026-06-03T10:00:00+07:00", back.capture_id)


def test_a_url_never_archived_that_answers_404_is_gone_and_settled(arc: Archive) -> None:
    result = capture(arc, "2026-06-01T10:00:00+07:00", status=404, gone="HTTP 404")
    assert (result.outcome, result.article_key) == ("gone", None)
    assert arc.db.execute("SELECT count(*) FROM withdrawals").fetchone()[0] == 0
    assert arc.last_fetched("baonghean") == {"10308168": "2026-06-01T10:00:00+07:00"}


def test_rechecks_fall_due_at_each_point_after_the_first_capture(
    arc: Archive, sample: Callable[[str], Article]
) -> None:
    arc.save_article(sample("e3-10308168"), fetched_at="2026-06-01T10:00:00+07:00")
    after = [timedelta(hours=1), timedelta(hours=6), timedelta(days=7)]

    def due(at: str) -> list[str]:
        return [
            r.article_id
            for r in crawlstate.due_rechecks(arc, "baonghean", datetime.fromisoformat(at), after, 10)
        ]

    assert due("2026-06-01T10:30:00+07:00") == []
    assert due("2026-06-01T11:30:00+07:00") == [KEY]
    crawlstate.record_not_modified(arc, KEY, PATH, URL, [], "2026-06-01T11:30:00+07:00", None)
    assert due("2026-06-01T12:00:00+07:00") == []  # checked after the 1 h point
    assert due("2026-06-01T16:30:00+07:00") == [KEY]  # the 6 h point
    crawlstate.record_not_modified(arc, KEY, PATH, URL, [], "2026-06-01T16:30:00+07:00", None)
    assert due("2026-06-08T10:30:00+07:00") == [KEY]
    crawlstate.record_not_modified(arc, KEY, PATH, URL, [], "2026-06-08T10:30:00+07:00", None)
    assert due("2026-07-30T10:00:00+07:00") == []  # past the last point: never again
    assert (
        crawlstate.due_rechecks(arc, "baonghean", datetime.fromisoformat("2026-06-08T11:00:00+07:00"), [], 10)
        == []
    )


def test_listing_signals_keep_kinds_not_seen_and_mark_a_drop(arc: Archive) -> None:
    crawlstate.save_listing_signals(
        arc, {KEY: {"path": PATH, "sitemap_lastmod": "a", "listed_in": "/sitemap-article-2026-06-01.xml"}}
    )
    crawlstate.save_listing_signals(arc, {KEY: {"path": PATH, "feed_date": "f"}})
    signals = crawlstate.load_article_signals(arc, "baonghean")[KEY]
    assert (signals.sitemap_lastmod, signals.feed_date, signals.listed_in) == (
        "a",
        "f",
        "/sitemap-article-2026-06-01.xml",
    )
    crawlstate.save_listing_signals(arc, {KEY: {"path": PATH, "listed_in": ""}})
    assert crawlstate.load_article_signals(arc, "baonghean")[KEY].listed_in is None
    crawlstate.save_document_signals(arc, {"/sitemap-article-2026-06-01.xml": {"index_lastmod": "x"}})
    assert crawlstate.load_document_signals(arc) == {"/sitemap-article-2026-06-01.xml": "x"}
