"""Captures of several articles spread over two crawl nodes, applied the way the crawl pipeline applies
them (ingest, then what the answer says about the listed URL), and a comparable dump of an archive."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archive import Archive, crawlstate
from tests.fixture_paths import page

A_URL = "https://baonghean.vn/suc-bat-tu-phong-trao-nong-dan-nghe-an-thi-dua-san-xuat-kinh-doanh-gioi-10308168.html"
B_URL = "https://baonghean.vn/vung-dat-hai-cong-troi-67164.html"
C_URL = "https://baonghean.vn/nghe-an-thong-tin-noi-bat-ngay-31-1-post249990.html"
SECTION_URL = "https://baonghean.vn/thoi-su"
KEYS = {A_URL: "baonghean:e3:10308168", B_URL: "baonghean:e1:67164", C_URL: "baonghean:e2:post249990"}
HTML = [("Content-Type", "text/html; charset=utf-8")]
_A = page("e3-10308168.html").read_bytes()
_A_MARK = "Ở vùng chè Bích Hào".encode()


def a_version(name: str) -> bytes:
    return _A if name == "X" else _A.replace(_A_MARK, _A_MARK + f" (bản {name})".encode())


@dataclass(frozen=True)
class Capture:
    when: str  # day of March 2025 and hour, e.g. "03T08"
    node: int
    kind: str  # page, gone (404 of an archived article), not_modified (304), failed (no answer)
    url: str
    body: bytes = b""
    status: int = 200

    @property
    def fetched_at(self) -> str:
        day, hour = self.when.split("T")
        return f"2025-03-{day}T{hour}:00:00+07:00"


# Article A: X, Y, X (a revert), Z with captures from both nodes interleaved; B: archived, withdrawn
# (404) on the other node, back later; C: only node 2, then a 304; a section page and a failed fetch.
TIMELINE = [
    Capture("01T08", 1, "page", A_URL, a_version("X")),
    Capture("01T09", 2, "page", B_URL, page("e1-67164.html").read_bytes()),
    Capture("02T08", 2, "page", A_URL, a_version("X")),
    Capture("02T09", 1, "page", SECTION_URL, page("section-thoi-su.html").read_bytes()),
    Capture("03T08", 1, "page", A_URL, a_version("Y")),
    Capture("03T09", 1, "gone", B_URL, page("404.html").read_bytes(), 404),
    Capture("04T08", 2, "page", A_URL, a_version("X")),
    Capture("04T09", 2, "page", C_URL, page("e2-post249990.html").read_bytes()),
    Capture("05T08", 1, "page", A_URL, a_version("Z")),
    Capture("05T09", 2, "gone", B_URL, page("404.html").read_bytes(), 404),
    Capture("06T08", 2, "page", B_URL, page("e1-67164.html").read_bytes()),
    Capture("06T09", 2, "not_modified", C_URL, status=304),
    Capture("07T08", 1, "failed", C_URL, status=0),
    Capture("07T09", 2, "page", A_URL, a_version("Z")),
    Capture("08T08", 1, "gone", B_URL, page("404.html").read_bytes(), 404),
]


def apply(arc: Archive, capture: Capture, run_id: int | None = None) -> None:
    """What crawler/pipelines.py does with one fetched page."""
    key = KEYS.get(capture.url, "")
    path = urlsplit(capture.url).path
    if capture.kind == "failed":
        arc.record_fetch_failure(capture.url, "timeout", capture.fetched_at, run_id)
        return
    if capture.kind == "not_modified":
        crawlstate.record_not_modified(
            arc, key, path, capture.url, [("ETag", '"c1"')], capture.fetched_at, run_id
        )
        return
    headers = [*HTML, ("ETag", f'"{len(capture.body)}"')]
    result = arc.ingest(
        capture.url, capture.url, capture.status, headers, capture.body, capture.fetched_at, run_id
    )
    if key:
        gone = f"HTTP {capture.status}" if capture.kind == "gone" else None
        crawlstate.after_capture(
            arc, result, key, path, capture.url, capture.status, headers, capture.fetched_at, gone_reason=gone
        )


def build(db: Path, captures: list[Capture]) -> Path:
    with Archive.open(db) as arc:
        run_id = arc.start_run("crawl")
        for capture in sorted(captures, key=lambda c: c.fetched_at):
            apply(arc, capture, run_id)
        arc.finish_run(run_id, "success")
    return db


def node_captures(node: int) -> list[Capture]:
    return [capture for capture in TIMELINE if capture.node == node]


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    return sorted(conn.execute(sql).fetchall(), key=repr)


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What a reader sees of an archive, with capture ids replaced by the capture's (url, time)."""
    conn = sqlite3.connect(db)
    try:
        # By the final URL: a WARC file keeps only the URL that answered, so an import of the nodes' WARC
        # files knows a redirected capture by it.
        conn.execute(
            "CREATE TEMP VIEW ident AS"
            " SELECT id, coalesce(final_url, url) || ' @ ' || fetched_at AS at FROM captures"
        )
        capture = "(SELECT at FROM ident WHERE ident.id = {0})"
        article_columns = [
            row[1]
            for row in conn.execute("PRAGMA table_info(articles)")
            if row[1] not in ("capture_id", "doc_id")
        ]
        return {
            "articles": _rows(
                conn, f"SELECT {', '.join(article_columns)}, {capture.format('capture_id')} FROM articles"
            ),
            "revisions": _rows(
                conn,
                "SELECT article_id, revision, title, text, content_hash, captured_at, superseded_at, "
                f"parser, format, {capture.format('capture_id')} FROM revisions",
            ),
            "withdrawals": _rows(
                conn,
                "SELECT article_id, url, withdrawn_at, reason, restored_at, "
                f"{capture.format('capture_id')}, {capture.format('restored_capture_id')} FROM withdrawals",
            ),
            "captures": _rows(
                conn,
                "SELECT url, final_url, status, fetched_at, content_type, content_hash, size,"
                " article_id, outcome, parser, error, warc_file IS NOT NULL FROM captures",
            ),
            "article_signals": _rows(conn, "SELECT * FROM article_signals"),
            "document_signals": _rows(conn, "SELECT * FROM document_signals"),
            "authors": _rows(conn, "SELECT * FROM article_authors"),
            "tags": _rows(conn, "SELECT * FROM article_tags"),
            "search": _rows(
                conn,
                "SELECT a.id, s.title, s.text FROM articles a JOIN article_search s ON s.doc_id = a.doc_id",
            ),
        }
    finally:
        conn.close()
