"""Fuzzing: no input makes extraction raise anything but NotHtmlError / NotAnArticleError.

Malformed pages are built from the real fixtures (truncated at random points, tags deleted or
duplicated, NFD, whitespace floods) plus raw random bytes; the text-dump cleaner gets the same
treatment. About 180 generated examples in all (20 per property), a few seconds on one core.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extraction import extract, extract_explained
from extraction.article import Article, NotAnArticleError, NotHtmlError
from extraction.textdump import extract_text_dump

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = sorted(FIXTURES.glob("*/*/*.html"))
SEED = Path("/work/shared/seed/000_9229ddef5bc43529.txt")
ALLOWED = (NotHtmlError, NotAnArticleError)
TAG = re.compile(rb"<[^<>]{1,300}>")

FUZZ = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def page_bytes(index: int) -> bytes:
    return PAGES[index % len(PAGES)].read_bytes()


def survives(html: bytes | str, url: str | None = None) -> None:
    """Extraction returns an NFC article or refuses with one of the two documented errors."""
    try:
        article = extract(html, url=url)
    except ALLOWED:
        return
    assert isinstance(article, Article)
    assert isinstance(article.title, str)
    assert unicodedata.is_normalized("NFC", article.text)


def test_there_are_pages_to_fuzz() -> None:
    assert len(PAGES) >= 10


@FUZZ
@given(st.integers(min_value=0), st.floats(min_value=0.0, max_value=1.0))
def test_truncated_pages(index: int, fraction: float) -> None:
    page = page_bytes(index)
    survives(page[: int(len(page) * fraction)])


@FUZZ
@given(st.integers(min_value=0), st.floats(min_value=0.0, max_value=1.0))
def test_truncated_pages_explained(index: int, fraction: float) -> None:
    page = page_bytes(index)
    try:
        article, explanation = extract_explained(page[: int(len(page) * fraction)])
    except ALLOWED:
        return
    assert isinstance(article, Article)
    assert explanation is not None


@FUZZ
@given(st.integers(min_value=0), st.data())
def test_pages_with_tags_deleted_or_duplicated(index: int, data: st.DataObject) -> None:
    page = page_bytes(index)
    tags = list(TAG.finditer(page))
    chosen = data.draw(st.sets(st.integers(min_value=0, max_value=len(tags) - 1), max_size=40))
    duplicate = data.draw(st.booleans())
    out, last = [], 0
    for i, match in enumerate(tags):
        if i not in chosen:
            continue
        out.append(page[last : match.start()])
        if duplicate:
            out.append(match.group() * 2)
        last = match.end()
    out.append(page[last:])
    survives(b"".join(out))


@FUZZ
@given(st.integers(min_value=0), st.binary(min_size=1, max_size=64), st.floats(min_value=0.0, max_value=1.0))
def test_pages_with_random_bytes_spliced_in(index: int, noise: bytes, fraction: float) -> None:
    page = page_bytes(index)
    at = int(len(page) * fraction)
    survives(page[:at] + noise + page[at:])


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(blob: bytes) -> None:
    survives(blob)


@FUZZ
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    survives(text, url="https://baonghean.vn/a-10300000.html")


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"   \n\t  ",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        gzip.compress(b"<html><body><p>gzip</p></body></html>"),
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x00" * 1000,
        b"<html>" + b" " * 2_000_000 + b"</html>",
        b"<html><body>" + b"<div>" * 5000 + b"</body></html>",
        b"<p>" + "Nghệ An ".encode() * 50_000 + b"</p>",
        "<html><body><h1>Tiêu đề</h1><p>Đoạn văn.</p></body></html>".encode("utf-16"),
        "<html><body><h1>Tiêu đề</h1><p>Đoạn văn.</p></body></html>".encode("cp1258", errors="replace"),
        b'{"title": "json, not html"}',
        b"<?xml version='1.0'?><rss><channel><item><title>x</title></item></channel></rss>",
    ],
    ids=[
        "empty",
        "whitespace",
        "png",
        "gzip",
        "pdf",
        "nul",
        "2MB-spaces",
        "5000-open-divs",
        "one-huge-paragraph",
        "utf16",
        "cp1258",
        "json",
        "rss",
    ],
)
def test_odd_inputs(blob: bytes) -> None:
    survives(blob)


@pytest.mark.parametrize("index", range(0, 40, 7))
def test_nfd_pages_and_whitespace_floods(index: int) -> None:
    page = page_bytes(index).decode("utf-8", errors="replace")
    survives(unicodedata.normalize("NFD", page).encode("utf-8"))
    flooded = re.sub(r">\s*<", lambda m: ">" + " \u00a0\u200b\n" * 200 + "<", page, count=300)
    survives(flooded)


# ---------------------------------------------------------------- text dumps

CHROME_LINES = [
    "content:",
    "Theo dõi Báo Nghệ An trên",
    "0:00/0:00",
    "0:00",
    "TIN LIÊN QUAN",
    "tin mới",
    "Thời tiết",
    "(Baonghean.vn) - ",
    "bna_.jpeg",
    "Ảnh:",
    "* ",
    "<p>",
    "</strong>",
]


def dump_survives(text: str, url: str | None = None) -> None:
    try:
        article = extract_text_dump(text, url=url)
    except ALLOWED:
        return
    assert isinstance(article, Article)
    assert article.title
    assert unicodedata.is_normalized("NFC", article.text)


@pytest.mark.skipif(not SEED.exists(), reason="shared seed dump not available")
@FUZZ
@given(st.floats(min_value=0.0, max_value=1.0), st.floats(min_value=0.0, max_value=1.0))
def test_truncated_seed_dump(start: float, end: float) -> None:
    text = SEED.read_text(encoding="utf-8")
    a, b = sorted((int(len(text) * start), int(len(text) * end)))
    dump_survives(text[a:b], url="https://baonghean.vn/x-post275412.html")


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(CHROME_LINES), st.text(max_size=80)), max_size=40))
def test_dumps_of_chrome_and_noise(lines: list[str]) -> None:
    dump_survives("\n".join(lines))


@FUZZ
@given(st.text(max_size=3000))
def test_random_dump_text(text: str) -> None:
    dump_survives(text)
