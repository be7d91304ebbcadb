"""`vnnews demo` killed with SIGTERM or SIGKILL, while it crawls and while it serves: its children (the
crawl, Datasette) end with it, and the crawl's run row ends in a final state."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ops_helpers import free_port, query

from tests.process_tree import cmdline, descendants, wait_gone, wait_until

pytestmark = pytest.mark.slow

BIG_SITE = 600  # articles: the crawl takes several seconds, far longer than the time to kill it
SMALL_SITE = 6


def start_demo(tmp_path: Path, articles: int, port: int) -> tuple[subprocess.Popen[str], Path]:
    db = tmp_path / "demo.db"
    command = [sys.executable, "-m", "vnnews", "demo", "--db", str(db), "--articles", str(articles)]
    log = open(tmp_path / "demo.log", "w")  # noqa: SIM115 - a file, not a pipe nobody reads
    process = subprocess.Popen(
        [*command, "--port", str(port)], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    log.close()
    return process, db


def child_running(process: subprocess.Popen[str], command: str) -> bool:
    return any(f"vnnews {command}" in cmdline(pid) for pid in descendants(process.pid))


def captures(db: Path) -> int:
    try:
        return int(query(db, "select count(*) from captures")[0][0])
    except Exception:  # not created yet
        return 0


def datasette_answers(port: int) -> Any:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=5) as response:
            return json.load(response)
    except OSError:
        return None


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return False
    return True


def kill(process: subprocess.Popen[str], signum: int) -> dict[int, str]:
    """Every process the demo has started, then ``signum`` to the demo itself."""
    started = descendants(process.pid)
    assert started, "the demo has children"
    process.send_signal(signum)
    process.wait(30)
    return started


@pytest.fixture
def stop_demo() -> Any:
    running: list[subprocess.Popen[str]] = []
    yield running.append
    for process in running:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_the_demo_while_it_crawls_ends_the_crawl(tmp_path: Path, signum: int, stop_demo: Any) -> None:
    demo, db = start_demo(tmp_path, BIG_SITE, free_port())
    stop_demo(demo)
    wait_until(lambda: child_running(demo, "crawl") and captures(db) >= 5, 120, "the crawl to be storing")
    started = kill(demo, signum)
    wait_gone(started, 20)
    log = (tmp_path / "demo.log").read_text()
    assert captures(db) < BIG_SITE, "the crawl finished before it could be killed"
    # baonghean's big site is the run cut short; the small site copies crawled beside it may be done.
    if signum == signal.SIGTERM:
        assert demo.returncode == 130 and "demo: interrupted" in log, log
        assert "Traceback" not in log, log
        assert nghean_run(db) == "interrupted"  # the crawl recorded it
        assert other_runs(db) <= {"success", "interrupted"}
    else:
        assert nghean_run(db) == "running"
        status = subprocess.run(
            [sys.executable, "-m", "vnnews", "status", str(db), "--json"], capture_output=True, text=True
        )
        assert "interrupted" in {run["status"] for run in json.loads(status.stdout)["runs"]}, status.stderr
        assert nghean_run(db) == "interrupted"
        assert other_runs(db) <= {"success", "interrupted"}


def nghean_run(db: Path) -> str:
    (status,) = query(db, "select status from runs where json_extract(args, '$.publisher') = 'baonghean'")
    return str(status[0])


def other_runs(db: Path) -> set[str]:
    return {
        row[0]
        for row in query(db, "select status from runs where json_extract(args, '$.publisher') != 'baonghean'")
    }


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_the_demo_while_it_serves_ends_datasette(tmp_path: Path, signum: int, stop_demo: Any) -> None:
    port = free_port()
    demo, db = start_demo(tmp_path, SMALL_SITE, port)
    stop_demo(demo)
    wait_until(lambda: datasette_answers(port), 120, "Datasette to answer", interval=0.2)
    assert child_running(demo, "serve")
    started = kill(demo, signum)
    wait_gone(started, 20)
    assert not listening(port), "nothing listens on the demo's port any more"
    if signum == signal.SIGTERM:
        assert demo.returncode == 0, (tmp_path / "demo.log").read_text()
    assert {row[0] for row in query(db, "select status from runs")} == {"success"}  # one per publisher
