"""Hostile values inside an otherwise good page: invisible characters in the fields, absurd dates,
broken encodings. The page still gives its article; the bad value is cleaned or skipped, never raised."""

from __future__ import annotations

import re
from typing import Any

import pytest

from extraction import dates, extract
from extraction.text import INVISIBLE

from .hostile import E3, E3_URL, bare

CLEAN = extract(E3.read_bytes(), url=E3_URL).to_dict()
BIDI = "\u202e\u2066\u200f\u061c"
HIDDEN = "\u180e\u034f\u00ad\ufeff"


def _all_text(article: dict[str, Any]) -> str:
    images = [f"{image['caption']}{image['credit']}" for image in article["images"]]
    fields = [article["title"], article["lead"], article["section"], *article["authors"], *article["tags"]]
    return "".join(str(value) for value in [*fields, *article["paragraphs"], *images])


def test_bidi_and_invisible_characters_never_reach_title_author_tags_section() -> None:
    page = E3.read_text(encoding="utf-8")
    dirty = {
        ">Sức bật từ": f">{BIDI}Sức{HIDDEN} bật từ",
        ">Quang An<": f">Quang{BIDI}\u180e An{HIDDEN}<",
        'title="Nông dân">Nông dân</a>': f'title="Nông dân">\u202eNông{HIDDEN} dân\u202c</a>',
        'title="Kinh tế">Kinh tế': f'title="Kinh tế">{BIDI}Kinh tế{HIDDEN}',
    }
    for clean, hostile in dirty.items():
        assert clean in page, clean
        page = page.replace(clean, hostile)
    article = extract(page, url=E3_URL).to_dict()
    assert not INVISIBLE.search(_all_text(article))
    # Soft hyphens inside a word join it ("Sức\u00adbật" is one word): here each sits at a word's end.
    assert article == CLEAN


def test_invisible_characters_in_metadata_of_a_generic_page() -> None:
    head = (
        f'<meta property="og:title" content="{BIDI}Tiêu đề{HIDDEN}">'
        f'<meta name="keywords" content="\u202eNghệ An\u202c, Vinh{HIDDEN}">'
        f'<meta name="author" content="Quang\u180eAn\u034f">'
    )
    body = "".join(f"<p>{BIDI}Đoạn văn số {i} của bài báo về Nghệ An hôm nay.{HIDDEN}</p>" for i in range(8))
    page = bare(body.encode(), title=b"").replace(b"<head>", b"<head>" + head.encode())
    article = extract(page, url="https://example.org/bai-bao.html").to_dict()
    assert not INVISIBLE.search(_all_text(article))
    assert article["title"] == "Tiêu đề" and article["tags"] == ["Nghệ An", "Vinh"]


ABSURD = [
    "9999-12-31T23:59:59Z",  # the OverflowError
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01",
    "1970-01-01T00:00:00Z",
    "1900-01-01",
    "2999-01-01T00:00:00+07:00",
    "2025-10-14T08:45:00+99:00",
    "Fri, 31 Dec 9999 23:59:59 -1200",
    "31/12/9999 23:59",
]


@pytest.mark.parametrize("value", ABSURD)
def test_implausible_dates_are_no_date(value: str) -> None:
    assert dates.parse_iso(value) is None
    assert dates.parse_visible(value) is None or not value[0].isdigit()


@pytest.mark.parametrize("value", ABSURD)
def test_an_absurd_published_date_gives_way_to_the_next_signal(value: str) -> None:
    page = E3.read_text(encoding="utf-8")
    page = page.replace(
        'published_time" content="2025-10-14T08:45:00+07:00"', f'published_time" content="{value}"'
    )
    page = page.replace(
        'modified_time" content="2025-10-14T10:12:00+07:00"', f'modified_time" content="{value}"'
    )
    article = extract(page, url=E3_URL).to_dict()
    assert article == CLEAN  # JSON-LD datePublished/dateModified are the next signals


@pytest.mark.parametrize("value", ABSURD)
def test_every_date_signal_absurd_leaves_the_date_empty(value: str) -> None:
    page = E3.read_text(encoding="utf-8")
    page = re.sub(r"2025-10-14T\d\d:\d\d:00\+07:00", value, page)
    page = page.replace("14/10/2025 08:45", "31/12/9999 08:45")
    article = extract(page, url=E3_URL, captured_at="9999-12-31T23:59:59Z").to_dict()
    assert article["published_at"] is None and article["modified_at"] is None
    assert article["title"] == CLEAN["title"] and article["paragraphs"] == CLEAN["paragraphs"]


def test_plausible_dates_still_read() -> None:
    assert dates.parse_iso("1990-01-01T00:00:00+07:00") == "1990-01-01T00:00:00+07:00"
    assert dates.parse_iso("2008-05-01") == "2008-05-01T00:00:00+07:00"
    assert dates.parse_visible("14/10/2025 08:45") == "2025-10-14T08:45:00+07:00"


@pytest.mark.parametrize(
    "page",
    [
        b"\xef\xbb\xbf" + E3.read_bytes(),  # UTF-8 BOM
        b"\xef\xbb\xbf\xef\xbb\xbf" + E3.read_bytes(),  # two of them
        E3.read_bytes().replace(b"Quang An", "Quang An".encode("cp1258")),  # one field in cp1258
        E3.read_bytes().replace(b"</p>", b"\xc3\x28\xff</p>"),  # invalid UTF-8 sequences
        E3.read_bytes().replace(b"<head>", b'<head><meta charset="windows-1258">'),  # declared wrongly
        E3.read_bytes().replace(b"<head>", b'<head><meta charset="no-such-codec">'),
        "\ufeff".encode("utf-16-le") + E3.read_text(encoding="utf-8").encode("utf-16-le")[:-1],  # odd
        b"\xff\xfe\x00\x00" + E3.read_text(encoding="utf-8").encode("utf-32-le"),  # UTF-32 read as 16
        b"<meta charset=" * 2000 + E3.read_bytes(),
    ],
    ids=[
        "bom",
        "double-bom",
        "cp1258-field",
        "bad-utf8",
        "wrong-charset",
        "unknown-charset",
        "utf16-odd",
        "utf32",
        "meta-flood",
    ],
)
def test_malformed_encodings_give_an_article_or_a_documented_refusal(page: bytes) -> None:
    from extraction.article import NotAnArticleError, NotHtmlError

    try:
        article = extract(page, url=E3_URL)
    except (NotHtmlError, NotAnArticleError):
        return
    assert article.title
    assert not INVISIBLE.search(_all_text(article.to_dict()))
