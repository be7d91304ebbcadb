"""An archive copied alone (no -wal/-shm) onto read-only media is readable by every read command and by
`vnnews serve`: SQLite's mode=ro cannot create the -shm file there, so they open it immutable=1.

The media is a folder and file without write permission, read by an unprivileged user: as root (CI
containers) the commands run through `setpriv` as nobody, since permissions do not bind root.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import Archive
from extraction.article import Article
from tests.fixture_paths import page
from tests.web.conftest import free_port

NOBODY = 65534


def _as_reader() -> list[str]:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot read as an unprivileged user")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@pytest.fixture
def media() -> Iterator[Path]:
    """A read-only folder holding only news.db, in a place an unprivileged user can reach."""
    base = Path(tempfile.mkdtemp(prefix="vnnews-media-"))
    base.chmod(0o755)
    source = base / "source"
    source.mkdir()
    data = json.loads(page("e3-10308168.json").read_text(encoding="utf-8"))
    with Archive.open(source / "news.db") as arc:
        arc.save_article(Article.from_dict(data))
    mounted = base / "media"
    mounted.mkdir()
    shutil.copyfile(source / "news.db", mounted / "news.db")  # the database alone, as a user copies it
    (mounted / "news.db").chmod(0o444)
    mounted.chmod(0o555)
    try:
        yield mounted / "news.db"
    finally:
        mounted.chmod(0o755)
        shutil.rmtree(base)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_as_reader(), sys.executable, "-m", "vnnews", *args], capture_output=True, text=True, timeout=60
    )


def test_read_commands_read_an_archive_on_read_only_media(media: Path) -> None:
    before = sorted(os.listdir(media.parent))
    found = _run("search", str(media), "Nghệ An")
    assert found.returncode == 0, found.stderr
    assert "baonghean.vn" in found.stdout
    exported = _run("export", str(media), "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["id"] == "baonghean:e3:10308168"
    stats = _run("stats", str(media), "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["totals"]["articles"] == 1
    status = _run("status", str(media), "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["articles"] == 1
    assert sorted(os.listdir(media.parent)) == before == ["news.db"]


def test_serve_reads_an_archive_on_read_only_media(media: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*_as_reader(), sys.executable, "-m", "vnnews", "serve", str(media), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/news/articles.json?_shape=array"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    rows = json.load(response)
                break
            except OSError:
                assert time.monotonic() < deadline, "vnnews serve did not answer"
                time.sleep(0.2)
        assert [row["id"] for row in rows] == ["baonghean:e3:10308168"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
