"""The life of a runs row (archive/runs.py): every run ends in a final state, even when its process is
killed; a live run is never closed; a reused pid is not taken for the run's owner."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive import Archive, runs
from archive.status import build_status, render_text

# A process that starts a run and dies without finishing it (what SIGKILL or the OOM killer leave).
DIES_MID_RUN = """
import os, sys
from archive import Archive
arc = Archive.open(sys.argv[1])
print(arc.start_run("import", {"files": ["x.warc"]}), flush=True)
os._exit(9)
"""


def run_row(db: Path, run_id: int) -> dict:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone())
    finally:
        conn.close()


def killed_run(db: Path) -> int:
    done = subprocess.run([sys.executable, "-c", DIES_MID_RUN, str(db)], capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    return int(done.stdout)


def test_a_run_records_its_owner(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "news.db") as arc:
        run_id = arc.start_run("crawl")
        row = run_row(arc.path, run_id)
        owner = runs.Owner.current()
        assert (row["owner_pid"], row["owner_host"], row["owner_start"]) == (
            owner.pid,
            owner.host,
            owner.start,
        )
        assert owner.alive() is True
        assert arc.close_stale_runs() == []  # our own live run is not stale
    with Archive.open(tmp_path / "news.db"):
        assert run_row(tmp_path / "news.db", run_id)["status"] == "running"


def test_a_killed_run_is_closed_as_interrupted_by_the_next_writable_open(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    run_id = killed_run(db)
    with Archive.open(db, readonly=True):  # a read-only open changes nothing
        pass
    assert run_row(db, run_id)["status"] == "running"
    with Archive.open(db):
        pass
    row = run_row(db, run_id)
    assert row["status"] == "interrupted" and row["finished_at"]
    assert "ended without finishing the run" in json.loads(row["summary"])["reason"]


def test_status_shows_a_killed_run_interrupted_and_records_it_when_it_can(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    run_id = killed_run(db)

    shown = build_status(db, close_stale=False)
    assert shown["runs"][0]["status"] == "interrupted"
    assert shown["stale_runs"][0]["id"] == run_id and shown["stale_runs"][0]["recorded"] is False
    assert "archive not writable" in render_text(shown)
    assert run_row(db, run_id)["status"] == "running"

    report = build_status(db)
    assert report["runs"][0]["status"] == "interrupted" and report["stale_runs"][0]["recorded"] is True
    assert f"Run {run_id} (import):" in render_text(report)
    assert run_row(db, run_id)["status"] == "interrupted"
    assert build_status(db)["stale_runs"] == []  # recorded once


def test_a_reused_pid_is_not_taken_for_the_owner(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "news.db") as arc:
        reused, rebooted = arc.start_run("reparse"), arc.start_run("reparse")
        me = runs.Owner.current()
        assert me.start is not None, "Linux: /proc gives the start time"
        boot, _, ticks = me.start.partition("/")
        # Our pid, but a process that started at another time: the owner has gone, the pid was reused.
        arc.db.conn.execute(
            "UPDATE runs SET owner_start = ? WHERE id = ?", (f"{boot}/{int(ticks) - 1}", reused)
        )
        # Our pid and start time, but before a reboot.
        arc.db.conn.execute("UPDATE runs SET owner_start = ? WHERE id = ?", (f"other-boot/{ticks}", rebooted))
        arc.db.conn.commit()
        assert arc.close_stale_runs() == [reused, rebooted]


def test_runs_of_another_host_are_left_alone_unless_their_lock_is_held(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "news.db") as arc:
        crawl, other = arc.start_run("crawl"), arc.start_run("import")
        host = f"not-{socket.gethostname()}"
        arc.db.conn.execute("UPDATE runs SET owner_host = ?", (host,))
        arc.db.conn.commit()
        assert runs.Owner(1, host, None).alive() is None  # cannot tell from here
        assert arc.close_stale_runs() == []
        # A crawl that holds the crawl lock knows no other crawl runs, wherever it was started.
        assert arc.close_stale_runs(kind_locked="crawl") == [crawl]
        assert run_row(arc.path, other)["status"] == "running"


def test_runs_without_an_owner_predate_owner_tracking_and_are_closed(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "news.db") as arc:
        run_id = arc.start_run("import")
        arc.db.conn.execute("UPDATE runs SET owner_pid = NULL, owner_host = NULL, owner_start = NULL")
        arc.db.conn.commit()
        assert arc.close_stale_runs() == [run_id]


def test_a_live_owner_closed_by_mistake_still_writes_its_final_status(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "news.db") as arc:
        run_id = arc.start_run("import")
        arc.db.conn.execute("UPDATE runs SET owner_pid = NULL")
        arc.db.conn.commit()
        assert arc.close_stale_runs() == [run_id]
        arc.finish_run(run_id, "success")
        assert run_row(arc.path, run_id)["status"] == "success"


def test_archive_run_ends_in_a_final_state_however_the_body_ends(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "news.db") as arc:
        with pytest.raises(OSError), arc.run("import") as failed:
            failed.stats["new"] = 3
            raise OSError(28, "No space left on device")
        with pytest.raises(KeyboardInterrupt), arc.run("reparse") as stopped:
            raise KeyboardInterrupt
        with arc.run("import") as finished:
            pass
        with arc.run("import") as partial:
            partial.finish("partial", {"problems": ["x"]})
        statuses = {
            run.id: (run_row(arc.path, run.id)["status"], json.loads(run_row(arc.path, run.id)["summary"]))
            for run in (failed, stopped, finished, partial)
        }
    assert statuses[failed.id][0] == "failed"
    assert statuses[failed.id][1] == {"new": 3, "error": "OSError: [Errno 28] No space left on device"}
    assert statuses[stopped.id][0] == "interrupted"
    assert statuses[finished.id][0] == "success" and statuses[partial.id][0] == "partial"
    with Archive.open(tmp_path / "news.db") as arc, pytest.raises(ValueError, match="ends as one of"):
        arc.finish_run(failed.id, "running")
