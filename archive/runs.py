"""The life of a ``runs`` row, in one place: every crawl, import and reparse starts and ends here.

A run is ``running`` from ``start`` until ``finish`` writes a final status (success, partial, failed,
interrupted). A process that is killed (SIGKILL, power cut, OOM killer) cannot write its final status,
so every row records its owner: pid, host and the process's start (boot id + start time), which tells
a dead owner from a new process that happens to get the same pid. A ``running`` row whose owner is gone
is stale: ``close_stale`` marks it ``interrupted``, and the archive calls it whenever it is opened for
writing; ``vnnews status`` calls it too (or only shows such rows as interrupted when it cannot write).

A row whose owner runs on another host cannot be judged from here and stays ``running``. A row with
no owner was written by a vnnews older than owner tracking: such a process is gone once the archive
was upgraded, so the row counts as stale. Should a live owner's row ever be closed by mistake, its
own ``finish`` still writes the real final status over ``interrupted``.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.db import now_iso

RUN_STATUSES = ("running", "success", "partial", "failed", "interrupted")
FINAL_STATUSES = RUN_STATUSES[1:]
COUNTED = ("pages_fetched", "articles_new", "articles_changed", "articles_unchanged", "errors")
OWNER_COLUMNS = ("owner_pid", "owner_host", "owner_start")

_PROC = Path("/proc")


@functools.cache
def _boot_id() -> str:
    try:
        return (_PROC / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _proc_start(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks since boot) of ``pid`` from /proc; None when there is no
    such process (or no /proc: then the caller falls back to ``os.kill(pid, 0)``)."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    return fields[0], fields[19]


@dataclass(frozen=True)
class Owner:
    """The process that owns a running run."""

    pid: int
    host: str
    start: str | None  # "<boot id>/<start ticks>" on Linux; None where /proc is missing

    @classmethod
    def current(cls) -> Owner:
        pid = os.getpid()
        proc = _proc_start(pid)
        return cls(pid, socket.gethostname(), f"{_boot_id()}/{proc[1]}" if proc else None)

    def alive(self) -> bool | None:
        """True while the process runs, False once it is gone, None when this host cannot tell."""
        if self.host != socket.gethostname():
            return None
        if self.start is not None:
            boot, _, ticks = self.start.partition("/")
            if boot != _boot_id():
                return False  # the machine has rebooted since
            proc = _proc_start(self.pid)
            # A zombie has finished: it only waits for its parent to collect the exit status.
            return proc is not None and proc[0] != "Z" and proc[1] == ticks
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # someone else's process: alive
        return True


def _has_owner_columns(conn: sqlite3.Connection) -> bool:
    return {row[1] for row in conn.execute("PRAGMA table_info(runs)")} >= set(OWNER_COLUMNS)


def start(conn: sqlite3.Connection, kind: str, args: dict[str, Any] | None = None) -> int:
    """Insert a ``running`` row owned by this process; the caller commits. Returns the run id."""
    owner = Owner.current()
    cursor = conn.execute(
        "INSERT INTO runs (kind, started_at, status, args, owner_pid, owner_host, owner_start)"
        " VALUES (?, ?, 'running', ?, ?, ?, ?)",
        (
            kind,
            now_iso(),
            json.dumps(args or {}, ensure_ascii=False, default=str),
            owner.pid,
            owner.host,
            owner.start,
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def counts_from_captures(conn: sqlite3.Connection, run_id: int) -> dict[str, int]:
    """The run's counters as its captures tell them (what a killed run had stored)."""
    by_outcome = dict(
        conn.execute(
            "SELECT outcome, count(*) FROM captures WHERE run_id = ? GROUP BY outcome", (run_id,)
        ).fetchall()
    )
    failed_downloads = by_outcome.get("fetch_error", 0)
    return {
        "pages_fetched": sum(by_outcome.values()) - failed_downloads,
        "articles_new": by_outcome.get("new", 0),
        "articles_changed": by_outcome.get("changed", 0),
        "articles_unchanged": by_outcome.get("unchanged", 0),
        "errors": by_outcome.get("error", 0) + by_outcome.get("http_error", 0) + failed_downloads,
    }


def finish(conn: sqlite3.Connection, run_id: int, status: str, stats: dict[str, Any] | None = None) -> None:
    """Write the final status, finish time, counters (``stats`` wins over the captures' count) and
    ``stats`` as the summary. The caller commits."""
    if status not in FINAL_STATUSES:
        raise ValueError(f"a run ends as one of {', '.join(FINAL_STATUSES)}, not {status!r}")
    counts = counts_from_captures(conn, run_id)
    for name in COUNTED:
        if stats and isinstance(stats.get(name), int):
            counts[name] = stats[name]
    conn.execute(
        """UPDATE runs SET finished_at = ?, status = ?, pages_fetched = ?, articles_new = ?,
               articles_changed = ?, articles_unchanged = ?, errors = ?, summary = ? WHERE id = ?""",
        (
            now_iso(),
            status,
            *(counts[name] for name in COUNTED),
            json.dumps(stats or {}, ensure_ascii=False, default=str),
            run_id,
        ),
    )


def status(conn: sqlite3.Connection, run_id: int) -> str | None:
    """A run's status; None when there is no such run."""
    row = conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
    return row[0] if row else None


def stale_runs(conn: sqlite3.Connection, kind_locked: str | None = None) -> list[dict[str, Any]]:
    """``running`` rows whose owner is gone (read only): id, kind, owner_pid, owner_host, reason.

    ``kind_locked``: the caller holds that kind's exclusive lock (the crawl lock), so every other
    running row of that kind is stale whatever its owner looks like (another host, say)."""
    columns = "id, kind, owner_pid, owner_host, owner_start" if _has_owner_columns(conn) else "id, kind"
    stale = []
    me = Owner.current()
    for row in conn.execute(f"SELECT {columns} FROM runs WHERE status = 'running' ORDER BY id").fetchall():
        run_id, kind, pid, host, started = (*row, None, None, None)[:5]
        if pid is None:
            reason = "left running by an older vnnews that did not record its process"
        elif Owner(pid, host, started) == me:
            continue  # this very process's run (a crawl of several publishers has one per publisher)
        elif kind_locked == kind:
            reason = f"left running by process {pid} on {host}; this {kind} holds the {kind} lock"
        elif Owner(pid, host, started).alive() is False:
            reason = f"process {pid} on {host} ended without finishing the run (killed?)"
        else:
            continue
        stale.append({"id": run_id, "kind": kind, "owner_pid": pid, "owner_host": host, "reason": reason})
    return stale


def close_stale(conn: sqlite3.Connection, kind_locked: str | None = None) -> list[int]:
    """Mark stale runs ``interrupted``, counting what their captures stored; returns their ids.

    Writes nothing (and takes no write lock) when no run is stale. Uses its own transaction."""
    stale = stale_runs(conn, kind_locked)
    if not stale:
        return []
    closed = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for run in stale:
            # Checked again under the write lock: the owner may have finished the run meanwhile.
            row = conn.execute("SELECT status FROM runs WHERE id = ?", (run["id"],)).fetchone()
            if row is None or row[0] != "running":
                continue
            finish(conn, run["id"], "interrupted", {"reason": run["reason"], "closed_as_stale": True})
            closed.append(run["id"])
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return closed
