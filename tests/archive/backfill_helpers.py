"""A real pywb (the Wayback engine) on loopback, serving WARC files built from the offline site copy,
and a plain HTTP server answering Range requests on the same files (Common Crawl's way)."""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.processes import die_with_parent_preexec
from crawler.snapshot import Snapshot, build_snapshot

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
VN = ZoneInfo("Asia/Ho_Chi_Minh")
SITE = "https://baonghean.vn"
E1_PATH = "/vung-dat-hai-cong-troi-67164.html"
GONE_PATH = "/bai-viet-da-go-10399999.html"


@dataclass
class Collection:
    root: Path  # pywb's working folder (collections/<name>/archive/*.warc.gz)
    name: str
    v1: Snapshot
    v2: Snapshot
    edited: str  # path of the article that changed between the captures
    same: str  # path of an article that never changed

    @property
    def warc_dir(self) -> Path:
        return self.root / "collections" / self.name / "archive"


def _payload_digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


def _response(
    writer: WARCWriter, url: str, when: str, body: bytes, status: str = "200 OK", **extra: str
) -> None:
    headers = StatusAndHeaders(
        status, [("Content-Type", "text/html; charset=utf-8"), *extra.items()], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": when}
    )
    writer.write_record(record)


def _page(snapshot: Snapshot, path: str) -> bytes:
    return (snapshot.root / "site" / path.lstrip("/")).read_bytes()


def build_collection(root: Path, name: str = "vn") -> Collection:
    """Three WARC files: day 1 (two articles, an E1 page captured in 2019, robots.txt, a 404), day 2 (a
    revisit of day 1's article, a redirect from the mobile host), day 4 (the article, edited)."""
    anchor = datetime(2025, 5, 1, 10, 0, tzinfo=VN)
    v1 = build_snapshot(root / "v1", articles=6, anchor=anchor)
    v2 = build_snapshot(root / "v2", articles=6, version=2, anchor=anchor, now=anchor + timedelta(days=2))
    edited = next(a["path"] for a in v2.articles if a["edited"])
    same = next(a["path"] for a in v2.articles if not a["edited"] and not a["new"])
    subprocess.run([BIN / "wb-manager", "init", name], cwd=root, check=True, capture_output=True)
    warcs = root / "warcs"
    warcs.mkdir()
    with open(warcs / "day1.warc.gz", "wb") as out:
        writer = WARCWriter(out, gzip=True)
        _response(writer, SITE + edited, "2025-05-01T06:00:00Z", _page(v1, edited))
        _response(writer, SITE + same, "2025-05-01T06:00:00Z", _page(v1, same))
        _response(writer, SITE + E1_PATH, "2019-03-01T02:00:00Z", _page(v1, E1_PATH))
        _response(writer, SITE + "/robots.txt", "2025-05-01T06:00:00Z", _page(v1, "/robots.txt"))
        _response(writer, SITE + GONE_PATH, "2025-05-01T06:05:00Z", _page(v1, "/404.html"), "404 Not Found")
    with open(warcs / "day2.warc.gz", "wb") as out:
        writer = WARCWriter(out, gzip=True)
        revisit = writer.create_revisit_record(
            SITE + edited,
            _payload_digest(_page(v1, edited)),
            SITE + edited,
            "2025-05-01T06:00:00Z",
            http_headers=StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            ),
            warc_headers_dict={"WARC-Date": "2025-05-02T06:00:00Z"},
        )
        writer.write_record(revisit)
        _response(
            writer, "https://m.baonghean.vn" + edited, "2025-05-02T07:00:00Z", b"", "301 Moved Permanently",
            Location=SITE + edited,
        )  # fmt: skip
    with open(warcs / "day4.warc.gz", "wb") as out:
        _response(WARCWriter(out, gzip=True), SITE + edited, "2025-05-04T06:00:00Z", _page(v2, edited))
    files = [str(warcs / f"{day}.warc.gz") for day in ("day1", "day2", "day4")]
    subprocess.run([BIN / "wb-manager", "add", name, *files], cwd=root, check=True, capture_output=True)
    return Collection(root, name, v1, v2, edited, same)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def pywb(collection: Collection) -> Iterator[str]:
    """``wayback`` as a real subprocess on 127.0.0.1; yields the collection's CDX URL; always ended."""
    port = free_port()
    log = open(collection.root / "wayback.log", "wb")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [BIN / "wayback", "-b", "127.0.0.1", "-p", str(port)],
        cwd=collection.root,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=die_with_parent_preexec(),  # ends with this process even if it is killed
    )
    cdx = f"http://127.0.0.1:{port}/{collection.name}/cdx"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{cdx}?url=baonghean.vn/robots.txt", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log_text = (collection.root / "wayback.log").read_text()
                    raise RuntimeError("pywb did not start: " + log_text) from None
                time.sleep(0.2)
        yield cdx
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class _RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Files with ``Range: bytes=a-b`` answered 206 (http.server alone ignores Range)."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        wanted = self.headers.get("Range", "")
        if not path.is_file() or not wanted.startswith("bytes="):
            super().do_GET()
            return
        first, last = wanted[len("bytes=") :].split("-")
        start = int(first)
        end = int(last) if last else path.stat().st_size - 1  # "bytes=N-": to the end
        if start >= path.stat().st_size:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{path.stat().st_size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with open(path, "rb") as stream:
            stream.seek(start)
            data = stream.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{start + len(data) - 1}/{path.stat().st_size}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]


@contextmanager
def range_server(folder: Path) -> Iterator[tuple[str, list[str]]]:
    handler = lambda *a, **k: _RangeHandler(*a, directory=str(folder), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def vnnews(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "vnnews", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def history(db: Path) -> dict[str, Any]:
    """What must not depend on the order captures arrived in: articles, revisions, captures, with
    capture ids replaced by (url, time) since ids are arrival order."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = {i: (u, t) for i, u, t in conn.execute("SELECT id, url, fetched_at FROM captures")}
        articles = sorted(
            (*row[:-1], names.get(row[-1]))
            for row in conn.execute(
                "SELECT id, url, title, lead, text, authors, tags, section, published_at, content_hash,"
                " parser, first_seen_at, last_fetched_at, last_changed_at, revision_count, capture_id"
                " FROM articles"
            )
        )
        revisions = sorted(
            (*row[:-1], names.get(row[-1]))
            for row in conn.execute(
                "SELECT article_id, revision, title, text, content_hash, parser, captured_at, superseded_at,"
                " capture_id FROM revisions"
            )
        )
        captures = sorted(
            conn.execute("SELECT url, fetched_at, status, content_hash, article_id FROM captures").fetchall()
        )
        return {"articles": articles, "revisions": revisions, "captures": captures}
    finally:
        conn.close()
