"""Fixtures for the Datasette tests: a real archive built through archive.Archive, and ways to reach it.

Every article comes from the shared sample JSON (the extractor's expected output) through
``Archive.save_article``, never from hand-written SQL, so the tests follow the archive's schema.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from archive import Archive
from extraction.article import Article, Image
from tests.fixture_paths import sample_json_paths
from tests.publisher_fixtures import real_fixture_articles, registered

REPO = Path(__file__).resolve().parents[2]
VNNEWS = Path(sys.executable).with_name("vnnews")

FETCHED = "2025-10-15T10:00:00+07:00"
REVISED = "2025-10-16T09:00:00+07:00"
REVISED_ID = "baonghean:e3:10308168"
EVIL_ID = "baonghean:e3:10999999"
EVIL_SECTION = "<script>window.__pwned=12</script>Thời sự"
# Stored values that would run script if any page rendered them as HTML.
EVIL = Article(
    publisher="baonghean",
    url="https://baonghean.vn/tin-thu-nghiem-10999999.html",
    title='Tin Nghệ An <script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__pwned=2">',
    lead='<b onmouseover="window.__pwned=3">Đảng bộ</b> tỉnh Nghệ An',
    authors=["<script>window.__pwned=10</script>Phóng viên"],
    published_at="2025-09-02T07:00:00+07:00",
    section=EVIL_SECTION,
    tags=["<img src=x onerror=window.__pwned=11>"],
    images=[
        Image(url="javascript:window.__pwned=7", caption="<svg onload=window.__pwned=8>", credit="<i>X</i>"),
        Image(url='https://127.0.0.1:9/a.jpg" onerror="window.__pwned=9', caption="Ảnh đẹp", credit="T.P"),
    ],
    paragraphs=[
        "<script>window.__pwned=4;alert(4)</script>Mở đầu về Nghệ An.",
        '<img src=x onerror="window.__pwned=5;alert(5)">Đoạn giữa.',
        '<a href="javascript:window.__pwned=6">liên kết</a> cuối bài.',
    ],
    parser="baonghean/e3",
    article_id="10999999",
)


def sample_articles() -> list[Article]:
    articles = []
    for path in sample_json_paths():
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("meta", None)
        articles.append(Article.from_dict(data))
    return articles


def revised(article: Article) -> Article:
    """The same article with its title changed, one paragraph edited and one added."""
    data = article.to_dict()
    data["title"] = data["title"] + " (cập nhật)"
    data["paragraphs"] = [
        *data["paragraphs"][:1],
        "Đoạn đã sửa đổi.",
        *data["paragraphs"][2:],
        "Đoạn mới thêm.",
    ]
    return Article.from_dict(data)


def fill_archive(path: Path) -> None:
    arc = Archive.open(path)
    try:
        run_id = arc.start_run("import", {"source": "samples"})
        for article in [*sample_articles(), EVIL]:
            arc.save_article(article, fetched_at=FETCHED)
        # Other papers' articles (their real fixture pages): the archive across publishers.
        others = real_fixture_articles()
        with registered(others):
            for article in others.values():
                arc.save_article(article, fetched_at=FETCHED)
        arc.finish_run(run_id, status="success")
        original = next(a for a in sample_articles() if a.article_id == "10308168")
        arc.save_article(revised(original), fetched_at=REVISED)
        crawl = arc.start_run("crawl", {"base_url": "http://127.0.0.1:9/"})
        arc.ingest(
            url="https://baonghean.vn/khong-phai-bai-123.html",
            status=200,
            headers=[("Content-Type", "text/html; charset=utf-8")],
            body="<html><head><title>x</title></head><body><p>Trang trống</p></body></html>".encode(),
            fetched_at="2025-10-16T10:00:00+07:00",
            run_id=crawl,
        )
        arc.finish_run(crawl, status="partial")
    finally:
        arc.close()


@pytest.fixture(scope="session")
def archive_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "news.db"
    fill_archive(path)
    return path


@pytest.fixture(scope="session")
def datasette(archive_db: Path) -> Any:
    from vnnews.web.app import build_datasette

    ds = build_datasette(archive_db)
    asyncio.run(ds.invoke_startup())
    return ds


@pytest.fixture(scope="session")
def get(datasette: Any) -> Any:
    """Synchronous GET through Datasette's own (in-process, ASGI) test client."""

    def fetch(path: str) -> httpx.Response:
        return asyncio.run(datasette.client.get(path))

    return fetch


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str


def start_server(db: Path, *extra: str, timeout: float = 30.0) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [str(VNNEWS), "serve", str(db), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"vnnews serve exited with {process.returncode}: {output}")
        try:
            with urllib.request.urlopen(f"{base_url}/-/versions.json", timeout=2):
                return Server(process, base_url)
        except OSError:
            time.sleep(0.2)
    stop_server(Server(process, base_url))
    raise RuntimeError("vnnews serve did not answer within the timeout")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


@pytest.fixture(scope="session")
def server(archive_db: Path) -> Iterator[Server]:
    running = start_server(archive_db)
    yield running
    stop_server(running)


@pytest.fixture
def serve_db() -> Iterator[Any]:
    """Start `vnnews serve DB [options]` processes for one test; all stopped afterwards."""
    started: list[Server] = []

    def start(db: Path, *extra: str) -> Server:
        started.append(start_server(db, *extra))
        return started[-1]

    yield start
    for running in started:
        stop_server(running)
