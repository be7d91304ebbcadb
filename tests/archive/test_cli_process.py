"""The archive commands as real processes through the `vnnews` entry point: registration, exit codes,
one-line errors, stdout/stderr separation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from archive import Archive

VNNEWS = [sys.executable, "-m", "vnnews"]


def vnnews(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VNNEWS, *args], capture_output=True, text=True, timeout=120)


def test_commands_are_registered_with_examples() -> None:
    for command in ("import-warc", "reparse", "search", "export", "stats"):
        result = vnnews(command, "--help")
        assert result.returncode == 0, result.stderr
        assert "Example" in result.stdout


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    # House rules: an unusable database named on the command line is exit 2 (it was 1 here before).
    missing = vnnews("stats", str(tmp_path / "missing.db"))
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "Traceback" not in missing.stderr
    not_db = tmp_path / "notes.db"
    not_db.write_text("hello, this is not sqlite\n" * 100)
    bad = vnnews("search", str(not_db), "x")
    assert bad.returncode == 2 and "not a vnnews archive" in bad.stderr and "Traceback" not in bad.stderr
    usage = vnnews("export", str(not_db), "--format", "xml")
    assert usage.returncode == 2


def test_export_to_stdout_keeps_stderr_clean(tmp_path: Path, sample) -> None:
    db = tmp_path / "news.db"
    with Archive.open(db) as arc:
        arc.save_article(sample("e2-post249990"))
    result = vnnews("export", str(db), "--format", "jsonl")
    assert result.returncode == 0 and result.stderr == ""  # not a terminal: no progress bar
    assert json.loads(result.stdout)["id"] == "baonghean:e2:post249990"


def test_progress_bar_only_on_a_terminal(tmp_path: Path, sample) -> None:
    import os
    import pty

    db = tmp_path / "news.db"
    with Archive.open(db) as arc:
        arc.save_article(sample("e2-post249990"))
    out = tmp_path / "out.jsonl"

    def stderr_of(*extra: str) -> str:
        master, slave = pty.openpty()
        try:
            subprocess.run(
                [*VNNEWS, "export", str(db), "-o", str(out), *extra], stderr=slave, check=True, timeout=120
            )
            os.close(slave)
            slave = -1
            chunks = []
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the terminal's other end is closed: everything was read
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks).decode("utf-8", "replace")
        finally:
            os.close(master)
            if slave >= 0:
                os.close(slave)

    assert "Exporting" in stderr_of()
    assert "Exporting" not in stderr_of("--quiet")


def test_export_into_a_closed_pipe_stops_quietly(tmp_path: Path, sample) -> None:
    db = tmp_path / "news.db"
    with Archive.open(db) as arc:

        def many():
            for i in range(300):
                article = sample("e3-10308168")
                article.url = f"https://baonghean.vn/bai-{10_200_000 + i}.html"
                yield article

        arc.save_articles(many())
    producer = subprocess.Popen([*VNNEWS, "export", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert producer.stdout is not None and producer.stderr is not None
    producer.stdout.read(100)
    producer.stdout.close()  # like `| head -c 100`
    stderr = producer.stderr.read().decode()
    assert producer.wait(timeout=60) == 141
    assert stderr == ""
