"""Shared helpers for the house-rules tests (docs/architecture.md, "House rules"): run any `vnnews`
command as a real process on the paths a user gets wrong, and prove nothing was touched.

Commands are found by walking the click group, and their database and output parameters by their
types (archive.cliargs.DatabasePath, OutputPath), so a new command is covered without editing a list.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from archive.cliargs import DatabasePath, OutputPath

VNNEWS = [sys.executable, "-m", "vnnews"]
# A refusal happens before any work; a command still running after this has not refused.
REFUSAL_TIMEOUT = 60


def commands() -> dict[str, click.Command]:
    from vnnews.cli import main

    return dict(main.commands)


def database_param(command: click.Command) -> click.Parameter | None:
    for param in command.params:
        if param.name == "db":
            return param
    return None


def output_params(command: click.Command) -> list[click.Parameter]:
    return [param for param in command.params if isinstance(param.type, OutputPath)]


def creates_database(command: click.Command) -> bool:
    param = database_param(command)
    return param is not None and isinstance(param.type, DatabasePath) and param.type.create


def argv(command: click.Command, db: Path, inputs: Path, extra: tuple[str, ...] = ()) -> list[str]:
    """A command line for ``command`` with ``db`` as its database and a plausible value for every other
    required argument (``inputs``: an existing file for arguments that must exist)."""
    assert command.name is not None
    words: list[str] = [command.name]
    for param in command.params:
        if param.name == "db":
            if isinstance(param, click.Option):
                words += [param.opts[0], str(db)]
            else:
                words.append(str(db))
        elif isinstance(param, click.Argument) and param.required:
            exists = isinstance(param.type, click.Path) and param.type.exists
            words.append(str(inputs) if exists else "x")
    return [*words, *extra]


def run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VNNEWS, *args],
        capture_output=True,
        text=True,
        timeout=REFUSAL_TIMEOUT,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def start(args: list[str], cwd: Path | None = None) -> subprocess.Popen[str]:
    """Like ``run`` without waiting, so a test can run its cases side by side."""
    return subprocess.Popen(
        [*VNNEWS, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=cwd,
    )


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    try:
        out, err = process.communicate(timeout=REFUSAL_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        err += f"\n(still running after {REFUSAL_TIMEOUT}s: killed)"
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def foreign_database(path: Path) -> Path:
    """Another program's SQLite database (a `customers` table), in its default rollback-journal mode."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('Nguyễn Văn A')")
    conn.commit()
    conn.close()
    return path


def unusable_databases(folder: Path) -> Iterator[tuple[str, Path]]:
    """(case, path) for every kind of path a database argument must refuse, each in its own folder so
    a test can check that nothing appeared beside it."""
    for case in ("missing folder", "missing file", "directory", "foreign sqlite", "empty file"):
        home = folder / case.replace(" ", "-")
        home.mkdir()
        if case == "missing folder":
            yield case, home / "absent" / "news.db"
        elif case == "missing file":
            yield case, home / "news.db"
        elif case == "directory":
            (home / "news.db").mkdir()
            (home / "news.db" / "keep.txt").write_text("giữ nguyên\n", encoding="utf-8")
            yield case, home / "news.db"
        elif case == "foreign sqlite":
            yield case, foreign_database(home / "customers.db")
        else:
            (home / "news.db").write_bytes(b"")
            yield case, home / "news.db"


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` with a hash of its bytes: equal before and after means
    nothing was written, created or removed there."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        found[name] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def assert_one_line_refusal(result: subprocess.CompletedProcess[str], command: str, code: int = 2) -> None:
    shown = (
        f"{result.args}: exit {result.returncode}\n"
        f"stdout: {result.stdout[-500:]}\nstderr: {result.stderr[-2000:]}"
    )
    assert result.returncode == code, shown
    assert "Traceback" not in result.stderr, shown
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), shown
    assert result.stderr.startswith(f"vnnews {command}: "), shown
    assert result.stdout == "", shown
