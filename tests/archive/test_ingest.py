"""Raw first: ingest writes WARC + captures before extraction; runs count what happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import Archive
from archive.warc import ReadReport, iter_responses, read_response
from tests.fixture_paths import page as fixture_page

T1 = "2025-10-15T09:00:00+07:00"


def test_ingest_stores_raw_bytes_readable_by_offset(arc: Archive, tmp_path: Path) -> None:
    body = "<html><body>Trang lỗi</body></html>".encode()
    run_id = arc.start_run("crawl", {"base_url": "http://127.0.0.1"})
    res = arc.ingest(
        url="https://baonghean.vn/khong-co-10999999.html",
        final_url="https://baonghean.vn/khong-co-10999999.html",
        status=404,
        headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
        body=body,
        fetched_at=T1,
        run_id=run_id,
    )
    assert res.outcome == "http_error" and res.capture_id is not None and not res.duplicate
    capture = arc.db["captures"].get(res.capture_id)
    assert capture["status"] == 404 and capture["size"] == len(body) and capture["outcome"] == "http_error"
    warc_path = tmp_path / capture["warc_file"]
    assert warc_path.parent == tmp_path / "news.warcs"
    record = read_response(warc_path, capture["warc_offset"])
    assert record.body == body and record.status == 404
    assert record.url == "https://baonghean.vn/khong-co-10999999.html"
    assert ("Content-Encoding", "gzip") not in record.headers  # the stored body is decoded
    arc.finish_run(run_id, "partial", {"note": "test"})
    run = arc.db["runs"].get(run_id)
    assert (run["status"], run["pages_fetched"], run["errors"]) == ("partial", 1, 1)
    assert run["finished_at"] >= run["started_at"]


def test_same_capture_twice_is_a_duplicate(arc: Archive) -> None:
    kwargs = dict(
        url="https://baonghean.vn/rss/thoi-su",
        status=200,
        headers=[("Content-Type", "application/rss+xml")],
        body=b"<rss/>",
        fetched_at=T1,
    )
    first = arc.ingest(**kwargs)  # type: ignore[arg-type]
    second = arc.ingest(**kwargs)  # type: ignore[arg-type]
    assert first.outcome == "skipped" and not first.duplicate
    assert second.duplicate and second.capture_id == first.capture_id
    assert arc.db["captures"].count == 1


def test_warc_files_replay_with_a_standard_reader(arc: Archive, tmp_path: Path) -> None:
    for i in range(3):
        arc.ingest(url=f"https://baonghean.vn/a-{i}", status=500, body=b"x" * i, fetched_at=T1)
    arc.close()
    (warc,) = (tmp_path / "news.warcs").glob("*.warc.gz")
    report = ReadReport()
    urls = [r.url for r in iter_responses(warc, report)]
    assert urls == [f"https://baonghean.vn/a-{i}" for i in range(3)]
    assert report.damaged == [] and report.truncated_at is None


def test_ingest_extracts_and_resolves_redirects_to_one_article(arc: Archive) -> None:
    page = fixture_page("e2-post275412-seed.html").read_bytes()
    html = [("Content-Type", "text/html; charset=utf-8")]
    run_id = arc.start_run("crawl")
    first = arc.ingest(
        url="https://baonghean.vn/bai-cu-275412.html?utm_source=rss",  # an old URL that redirects
        final_url="https://m.baonghean.vn/thuong-truc-tinh-uy-post275412.html",
        status=200,
        headers=html,
        body=page,
        fetched_at="2025-10-15T09:00:00+07:00",
        run_id=run_id,
    )
    assert first.outcome == "new" and first.article_key == "baonghean:e2:post275412", first
    again = arc.ingest(
        url="https://baonghean.vn/thuong-truc-tinh-uy-post275412.html",
        status=200,
        headers=html,
        body=page,
        fetched_at="2025-10-16T09:00:00+07:00",
        run_id=run_id,
    )
    assert again.outcome == "unchanged" and again.article_key == first.article_key
    arc.finish_run(run_id, "success")
    capture = arc.db["captures"].get(first.capture_id)
    assert (
        capture["url"].startswith("https://baonghean.vn/bai-cu") and "m.baonghean.vn" in capture["final_url"]
    )
    assert capture["article_id"] == "baonghean:e2:post275412" and capture["parser"] == "baonghean/e2"
    run = arc.db["runs"].get(run_id)
    assert (run["pages_fetched"], run["articles_new"], run["articles_unchanged"]) == (2, 1, 1)
    stored = arc.article("baonghean:e2:post275412")
    assert stored is not None and stored["capture_id"] == again.capture_id
    assert stored["last_fetched_at"] == "2025-10-16T09:00:00+07:00"
    # The old id the first URL carried is known too, so an incremental crawl skips that URL.
    assert arc.last_fetched("baonghean") == {
        "post275412": "2025-10-16T09:00:00+07:00",
        "275412": "2025-10-15T09:00:00+07:00",
    }


def test_not_an_article_page_is_recorded_not_raised(arc: Archive) -> None:
    res = arc.ingest(
        url="https://baonghean.vn/thoi-su",
        status=200,
        headers=[("Content-Type", "text/html")],
        body=fixture_page("section-thoi-su.html").read_bytes(),
    )
    assert res.outcome == "not_article" and res.error
    assert arc.db["captures"].get(res.capture_id)["outcome"] == "not_article"
    assert arc.db["articles"].count == 0


def test_warc_files_rotate_and_offsets_stay_valid(tmp_path: Path) -> None:
    from archive.warc import WarcStore

    store = WarcStore(tmp_path / "news.warcs", tmp_path, "crawl-00001", rotate_bytes=600)
    written = [
        store.write_response(f"https://baonghean.vn/a-{i}", 200, [], f"body {i} ".encode() * 200, T1)
        for i in range(5)
    ]
    store.close()
    assert len({w.warc_file for w in written}) > 1  # rotated
    for i, w in enumerate(written):
        record = read_response(tmp_path / w.warc_file, w.offset)
        assert record.body == f"body {i} ".encode() * 200 and record.record_id == w.record_id


def test_a_file_that_is_not_a_warc_is_reported_not_raised(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"this is not a warc file\n" * 50)
    report = ReadReport()
    assert list(iter_responses(junk, report)) == []
    assert report.damaged or report.other_records


def test_last_fetched_settles_permanent_failures_and_retries_transient_ones(arc: Archive) -> None:
    html = [("Content-Type", "text/html")]
    for url, status in [
        ("https://baonghean.vn/da-go-10999991.html", 404),
        ("https://baonghean.vn/da-xoa-10999992.html", 410),
        ("https://baonghean.vn/qua-tai-10999993.html", 503),
    ]:
        arc.ingest(url=url, status=status, headers=html, body=b"<html></html>", fetched_at=T1)
    arc.ingest(
        url="https://baonghean.vn/anh-10999994.html", headers=[("Content-Type", "image/jpeg")], body=b"\xff"
    )
    arc.record_fetch_failure("https://baonghean.vn/cham-10999995.html", "TimeoutError", fetched_at=T1)
    known = arc.last_fetched("baonghean")
    assert {"10999991", "10999992", "10999994"} <= set(known)  # asking again will not change them
    assert "10999993" not in known and "10999995" not in known  # 503 and a timeout: try again


def test_an_extractor_failure_is_an_error_to_retry_not_a_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    import extraction
    from archive.ingest import extract_body
    from extraction.article import ExtractionFailed, NotAnArticleError

    assert issubclass(ExtractionFailed, NotAnArticleError)  # callers still meet the two documented errors

    def broken(*args: object, **kwargs: object) -> None:  # a parser bug, injected
        raise ExtractionFailed("could not extract an article (KeyError: 'x')")

    monkeypatch.setattr(extraction, "extract", broken)
    got = extract_body(
        b"<html><body><p>x</p></body></html>", "https://baonghean.vn/a-10999996.html", T1, 200, "text/html"
    )
    assert (got.outcome, got.error) == ("error", "could not extract an article (KeyError: 'x')")
