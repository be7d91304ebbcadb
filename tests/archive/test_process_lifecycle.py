"""Killing `import-warc --workers 2` or `reparse --workers 2` half-way: no worker outlives the command,
and the run row ends in a final state (at once on SIGTERM, at the next open or status on SIGKILL).

Real work, real processes: a WARC of many distinct article pages keeps the command busy for some
seconds; the test waits until the worker processes exist and pages are being stored, then kills the
parent, and looks for the workers in /proc.
"""

from __future__ import annotations

import io
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from archive import Archive
from tests.fixture_paths import page
from tests.process_tree import cmdline, descendants, wait_gone, wait_until

pytestmark = pytest.mark.slow

VNNEWS = [sys.executable, "-m", "vnnews"]
PAGES = 1500  # ~10 ms of extraction each: several seconds of work, far more than the time to kill
SAMPLE_ID = "10308168"


def write_big_warc(path: Path, pages: int) -> None:
    """``pages`` distinct articles: the E3 sample page under a new id each (its canonical link too)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = page(f"e3-{SAMPLE_ID}.html").read_text(encoding="utf-8")
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="1.0")
        for number in range(pages):
            article_id = str(10_600_000 + number)
            body = html.replace(SAMPLE_ID, article_id).encode("utf-8")
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://baonghean.vn/bai-viet-{article_id}.html",
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2025-10-15T02:00:00Z"},
            )
            writer.write_record(record)


@pytest.fixture(scope="module")
def big_warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warc") / "big.warc.gz"
    write_big_warc(path, PAGES)
    return path


@pytest.fixture(scope="module")
def full_archive(tmp_path_factory: pytest.TempPathFactory, big_warc: Path) -> Path:
    """An archive of every page of ``big_warc`` (what reparse re-extracts)."""
    db = tmp_path_factory.mktemp("full") / "news.db"
    done = subprocess.run(
        [*VNNEWS, "import-warc", str(db), str(big_warc), "--workers", "2", "-q"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    return db


def copy_archive(source: Path, folder: Path) -> Path:
    db = folder / source.name
    shutil.copy(source, db)
    shutil.copytree(source.with_name(f"{source.stem}.warcs"), folder / f"{source.stem}.warcs")
    return db


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def workers_of(pid: int) -> dict[int, str]:
    """The pool's worker processes (spawned: `python -c 'from multiprocessing.spawn import ...'`)."""
    return {child: start for child, start in descendants(pid).items() if "spawn_main" in cmdline(child)}


def start_busy(command: list[str], db: Path, busy: Any) -> tuple[subprocess.Popen[str], dict[int, str]]:
    """Start the command; return once its two workers exist and ``busy(db)`` says work is flowing,
    with every process it has started by then."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: len(workers_of(process.pid)) >= 2, 60, "two worker processes")
        wait_until(lambda: busy(db), 60, "work in progress")
        assert process.poll() is None, "the command finished before it could be killed"
        return process, descendants(process.pid)
    except BaseException:
        process.kill()
        process.wait()
        raise


def captures_stored(db: Path) -> bool:
    found = rows(db, "SELECT count(*) FROM captures")
    return bool(found) and found[0][0] >= 20


def reparse_running(db: Path) -> bool:
    return rows(db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1") == [("running",)]


def import_command(db: Path, warc: Path) -> list[str]:
    return [*VNNEWS, "import-warc", str(db), str(warc), "--workers", "2", "-q"]


def reparse_command(db: Path) -> list[str]:
    return [*VNNEWS, "reparse", str(db), "--workers", "2", "-q"]


def last_run(db: Path) -> tuple[str, str, str | None]:
    (found,) = rows(db, "SELECT kind, status, summary FROM runs ORDER BY id DESC LIMIT 1")
    return found


def check_sigterm(process: subprocess.Popen[str], started: dict[int, str], db: Path, kind: str) -> None:
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "stopped by SIGTERM" in lines[0] and "recorded as interrupted" in lines[0], err
    assert lines[0].startswith(f"vnnews {'import-warc' if kind == 'import' else kind}: ")
    wait_gone(started, 10)
    assert last_run(db)[:2] == (kind, "interrupted")


def check_sigkill(process: subprocess.Popen[str], started: dict[int, str], db: Path, kind: str) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    wait_gone(started, 10)
    assert last_run(db)[:2] == (kind, "running"), "nobody could write the final state yet"
    if kind == "import":  # `vnnews status` closes the runs whose process is gone...
        status = subprocess.run([*VNNEWS, "status", str(db), "--json"], capture_output=True, text=True)
        assert status.returncode == 0, status.stderr
        report = json.loads(status.stdout)
        assert report["runs"][0]["status"] == "interrupted" and report["stale_runs"][0]["recorded"]
    else:
        with Archive.open(db):  # ... and so does any open for writing
            pass
    found_kind, status, summary = last_run(db)
    assert (found_kind, status) == (kind, "interrupted")
    assert "ended without finishing" in json.loads(summary or "{}")["reason"]


def test_sigterm_stops_import_and_its_workers(tmp_path: Path, big_warc: Path) -> None:
    db = tmp_path / "news.db"
    process, started = start_busy(import_command(db, big_warc), db, captures_stored)
    check_sigterm(process, started, db, "import")
    stored = rows(db, "SELECT count(*) FROM captures")[0][0]
    assert 0 < stored < PAGES
    assert rows(db, "SELECT pages_fetched FROM runs")[0][0] == stored

    again = subprocess.run(import_command(db, big_warc), capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == PAGES, "the second run finishes the work"


def test_sigkill_of_import_kills_its_workers_and_the_run_is_closed_later(
    tmp_path: Path, big_warc: Path
) -> None:
    db = tmp_path / "news.db"
    process, started = start_busy(import_command(db, big_warc), db, captures_stored)
    check_sigkill(process, started, db, "import")


def test_sigterm_stops_reparse_and_its_workers(tmp_path: Path, full_archive: Path) -> None:
    db = copy_archive(full_archive, tmp_path)
    process, started = start_busy(reparse_command(db), db, reparse_running)
    check_sigterm(process, started, db, "reparse")


def test_sigkill_of_reparse_kills_its_workers_and_the_run_is_closed_later(
    tmp_path: Path, full_archive: Path
) -> None:
    db = copy_archive(full_archive, tmp_path)
    process, started = start_busy(reparse_command(db), db, reparse_running)
    check_sigkill(process, started, db, "reparse")
