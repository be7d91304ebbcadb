from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from archive import Archive
from extraction.article import Article
from tests.fixture_paths import SHARED_SAMPLES, page


@pytest.fixture
def sample() -> Callable[[str], Article]:
    """Loads an expected-output sample (e.g. "e3-10308168") as an Article."""

    def load(name: str) -> Article:
        return Article.from_dict(json.loads(page(f"{name}.json").read_text(encoding="utf-8")))

    return load


@pytest.fixture
def sample_names() -> list[str]:
    return list(SHARED_SAMPLES)


@pytest.fixture
def arc(tmp_path: Path):
    archive = Archive.open(tmp_path / "news.db")
    yield archive
    archive.close()


def write_warc(path: Path, records: list[dict], gzip: bool = True) -> list[tuple[int, int]]:
    """A WARC made the way other tools make them (warcio, not our writer); returns (offset, length)s.

    Each record dict: url, body, and optionally status, content_type, date, type ("response"/"request").
    """
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    spans = []
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzip, warc_version="1.0")
        for spec in records:
            kind = spec.get("type", "response")
            if kind == "response":
                http = StatusAndHeaders(
                    f"{spec.get('status', 200)} OK",
                    [("Content-Type", spec.get("content_type", "text/html; charset=utf-8"))],
                    protocol="HTTP/1.1",
                )
            else:
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "baonghean.vn")], is_http_request=True)
            record = writer.create_warc_record(
                spec["url"],
                kind,
                payload=io.BytesIO(spec.get("body", b"")),
                http_headers=http,
                warc_headers_dict={"WARC-Date": spec.get("date", "2025-10-15T02:00:00Z")},
            )
            start = stream.tell()
            writer.write_record(record)
            spans.append((start, stream.tell() - start))
    return spans


def sample_records() -> list[dict]:
    """The six sample article pages as responses (one on the m. host with a tracking query)."""
    records = []
    for name in SHARED_SAMPLES:
        html = page(f"{name}.html")
        meta = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))["meta"]
        url = meta["url"]
        if name == "e1-51874":
            url = url.replace("https://baonghean.vn", "https://m.baonghean.vn") + "?utm_source=zalo"
        records.append({"url": url, "body": html.read_bytes()})
    return records


@pytest.fixture
def warc_maker() -> Callable[..., list[tuple[int, int]]]:
    return write_warc


@pytest.fixture
def article_records() -> list[dict]:
    return sample_records()
