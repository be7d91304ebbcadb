"""The import's one writer stores extracted pages in batches, one transaction each (archive/bulk.py,
``Archive.ingest_many``): a stop between batches, or a failure inside one, loses no page and stores
none twice or half; a page that is not an article is recorded with its reason among its neighbours;
the revision history is the one page-by-page storing gives.
"""

from __future__ import annotations

import errno
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from archive import bulk, processes
from archive.core import Archive
from archive.processes import Interrupted
from archive.runners import InlineRunner
from archive.warc import WarcStore
from archive.warcsource import read_records
from tests.archive.backfill_helpers import history
from tests.archive.conftest import sample_records, write_warc

# Out of order on purpose: later captures come first, so the writer places earlier revisions.
DATES = ["2025-10-15T02:00:00Z", "2025-10-13T02:00:00Z", "2025-10-14T02:00:00Z"]


def captures_of_every_sample() -> list[dict[str, Any]]:
    """Three captures of each sample page, out of time order, each with other text (three revisions),
    and two pages at article URLs that are not articles."""
    records = []
    for number, date in enumerate(DATES):
        for record in sample_records():
            body = record["body"].replace(b"</p>", f" (bản {number})</p>".encode(), 1)
            records.append({**record, "body": body, "date": date})
    records.insert(
        4, {"url": "https://baonghean.vn/khong-phai-bai-post999001.html", "body": b"<html>x</html>"}
    )
    records.insert(
        9, {"url": "https://baonghean.vn/rong-post999002.html", "body": b"<html><body></body></html>"}
    )
    return records


@pytest.fixture
def warc(tmp_path: Path) -> Path:
    path = tmp_path / "pages.warc.gz"
    write_warc(path, captures_of_every_sample())
    return path


def import_in_batches(db: Path, warc: Path) -> None:
    with Archive.open(db) as archive:
        bulk.import_warc(archive, [str(warc)], InlineRunner(), quiet=True)


def page_by_page(db: Path, warc: Path) -> None:
    """What the import stored before batches: ``Archive.ingest`` of each record in file order."""
    from archive.warc import ReadReport

    with Archive.open(db) as archive:
        for response in read_records(str(warc), 0, ReadReport(), lambda _url: True):
            archive.ingest(
                response.url, response.url, response.status or 200, response.headers, response.body,
                response.date, record_id=response.record_id,
            )  # fmt: skip


def stored_once(db: Path, expected: int) -> None:
    conn = sqlite3.connect(db)
    try:
        count, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT warc_record_id) FROM captures"
        ).fetchone()
    finally:
        conn.close()
    assert count == distinct == expected


def test_batches_store_the_history_page_by_page_storing_gives(
    tmp_path: Path, warc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "WRITE_BATCH", 4)  # 20 pages: five transactions, a page's captures in several
    import_in_batches(tmp_path / "batches.db", warc)
    page_by_page(tmp_path / "plain.db", warc)
    assert history(tmp_path / "batches.db") == history(tmp_path / "plain.db")
    stored_once(tmp_path / "batches.db", 20)
    conn = sqlite3.connect(tmp_path / "batches.db")
    try:
        revisions = conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
    finally:
        conn.close()
    assert revisions == 2 * 6  # three versions of each article: two of them are earlier revisions


def test_a_page_that_is_no_article_is_recorded_among_its_neighbours(
    tmp_path: Path, warc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "WRITE_BATCH", 8)
    import_in_batches(tmp_path / "news.db", warc)
    conn = sqlite3.connect(tmp_path / "news.db")
    try:
        rows = conn.execute("SELECT url, outcome, error FROM captures ORDER BY id").fetchall()
    finally:
        conn.close()
    failed = {url: (outcome, error) for url, outcome, error in rows if "post99900" in url}
    assert set(failed) == {
        "https://baonghean.vn/khong-phai-bai-post999001.html",
        "https://baonghean.vn/rong-post999002.html",
    }
    assert all(outcome in ("not_article", "error", "skipped") and error for outcome, error in failed.values())
    others = [outcome for url, outcome, _ in rows if "post99900" not in url]
    assert len(others) == 18 and set(others) <= {"new", "changed"}


def test_a_stop_between_batches_then_a_rerun_stores_every_page_once(
    tmp_path: Path, warc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "WRITE_BATCH", 4)
    real = Archive.ingest_many
    calls: list[int] = []

    def then_ctrl_c(self: Archive, pages: Any) -> Any:
        stored = real(self, pages)
        calls.append(len(stored))
        if len(calls) == 2:
            monkeypatch.setattr(processes, "_stop_signal", signal.SIGINT)  # as the SIGINT handler does
        return stored

    monkeypatch.setattr(Archive, "ingest_many", then_ctrl_c)
    db = tmp_path / "news.db"
    with pytest.raises(Interrupted):
        import_in_batches(db, warc)
    assert calls == [4, 4]
    stored_once(db, 8)  # two whole batches, nothing of the third
    monkeypatch.setattr(processes, "_stop_signal", None)
    monkeypatch.setattr(Archive, "ingest_many", real)
    import_in_batches(db, warc)
    stored_once(db, 20)
    page_by_page(tmp_path / "plain.db", warc)
    assert history(db) == history(tmp_path / "plain.db")
    conn = sqlite3.connect(db)
    try:
        runs = conn.execute("SELECT status, summary FROM runs ORDER BY id").fetchall()
    finally:
        conn.close()
    assert [status for status, _ in runs] == ["interrupted", "success"]
    assert '"already_archived": 8' in runs[1][1]


def test_a_failure_inside_a_batch_stores_none_of_it_and_a_rerun_stores_all(
    tmp_path: Path, warc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "WRITE_BATCH", 4)
    real = WarcStore.append_record
    appended: list[str] = []

    def disk_full_at_the_sixth(self: WarcStore, data: bytes, record_id: str) -> Any:
        if len(appended) == 5:  # the second page of the second batch
            raise OSError(errno.ENOSPC, "No space left on device", str(self.folder))
        appended.append(record_id)
        return real(self, data, record_id)

    monkeypatch.setattr(WarcStore, "append_record", disk_full_at_the_sixth)
    db = tmp_path / "news.db"
    with pytest.raises(OSError, match="No space left"):
        import_in_batches(db, warc)
    stored_once(db, 4)  # the first batch whole; of the second, not the page written before the failure
    monkeypatch.setattr(WarcStore, "append_record", real)
    import_in_batches(db, warc)
    stored_once(db, 20)
    page_by_page(tmp_path / "plain.db", warc)
    assert history(db) == history(tmp_path / "plain.db")
