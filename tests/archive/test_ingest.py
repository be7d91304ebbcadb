"""Raw first: ingest writes WARC + captures before extraction; runs count what happened."""

from __future__ import annotations

from pathlib import Path

from archive import Archive
from archive.warc import ReadReport, iter_responses, read_response

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
