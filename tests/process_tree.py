"""The processes a test's command started, read from /proc (no psutil): to check that they all end."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROC = Path("/proc")


def _stat(pid: int) -> tuple[str, int, str] | None:
    """(state, parent pid, start ticks) of a process; None when it does not exist."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), fields[19]


def cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def descendants(pid: int) -> dict[int, str]:
    """Every live descendant of ``pid``: pid -> start ticks (a reused pid is then not mistaken for it)."""
    parents: dict[int, list[tuple[int, str]]] = {}
    for entry in os.listdir(PROC):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None and stat[0] != "Z":
                parents.setdefault(stat[1], []).append((int(entry), stat[2]))
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        for child, start in parents.get(todo.pop(), []):
            found[child] = start
            todo.append(child)
    return found


def _ended(pid: int, state: str) -> bool:
    """A zombie has ended (it only waits to be collected), unless it is the main thread of a process
    whose other threads are still on their way out, still holding its files and sockets."""
    if state != "Z":
        return False
    try:
        return len(os.listdir(PROC / str(pid) / "task")) <= 1
    except OSError:
        return True


def still_running(processes: dict[int, str]) -> dict[int, str]:
    """Those of ``processes`` still alive (same pid and start time, not ended)."""
    alive = {}
    for pid, start in processes.items():
        stat = _stat(pid)
        if stat is not None and stat[2] == start and not _ended(pid, stat[0]):
            alive[pid] = cmdline(pid)
    return alive


def wait_until(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(interval)


def wait_gone(processes: dict[int, str], timeout: float) -> None:
    """Assert every one of ``processes`` ends within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while still_running(processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = still_running(processes)
    for pid in left:  # a failing test must not leave them behind either
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"still running {timeout:g}s after their parent ended: {left}"
