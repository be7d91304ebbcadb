"""Clean a naive text dump of a news page (one block per line) into an ``Article``.

Some archives only kept the visible text of a page, flattened line by line: the title, the meta
description, ``content:`` markers left by the dumping tool, the byline, the Google News follow line,
the audio player's ``0:00/0:00``, image file names (the alt text of E2 pictures), captions, the body,
and then sidebar widgets. ``extract_text_dump`` recovers title, lead, authors, paragraphs and captioned
images from such a dump. It is a best effort: there is no markup to tell a caption without credit from
a paragraph, so the rules below are about what the text itself shows.

Dumps of baonghean.vn pages (recognised by the URL or by the paper's "(Baonghean.vn) - " dateline) get
``parser="baonghean/textdump"``; anything else ``parser="textdump"``. Leftover HTML is flattened with
BeautifulSoup first. Raises only ``NotHtmlError`` (binary input) or ``NotAnArticleError`` (no title or
no text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extraction.article import Article, Image, NotAnArticleError, NotHtmlError
from extraction.dates import parse_visible
from extraction.normalize import (
    has_lead_prefix,
    split_authors,
    split_credit,
    strip_digest_marker,
    strip_lead_prefix,
)
from extraction.publishers import for_url
from extraction.text import clean_text

TEXTDUMP_PARSER = "textdump"

# Lines the dumping tool or the page chrome produce, never article text.
_NOISE = re.compile(
    r"^(?:content:|"
    r"theo dõi báo nghệ an(?: trên)?(?: google news)?|"  # follow line, also cut before the logo
    r"\d{1,2}:\d{2}(?:\s*/\s*\d{1,2}:\d{2})?|"  # audio player
    r"nam miền bắc|nữ miền bắc|nữ miền nam|nam miền nam|"  # audio voices
    r"chia sẻ|facebook|zalo|copy link|in bài|"  # share bar
    r"bản đồ hành chính.*|tiến độ giải quyết hồ sơ|thời tiết|giá vàng|lịch âm|"  # side widgets
    r"xem thêm|trang chủ)$",
    re.IGNORECASE,
)
# Headings after which the rest of the dump is page furniture (lists of other articles, widgets).
_TAIL_START = re.compile(
    r"^(?:tin mới|tin mới nhất|tin cùng chuyên mục|đọc nhiều|xem nhiều|bài viết liên quan|"
    r"từ khóa:?|tags?:?|"  # the tag list follows the body
    r"bản đồ hành chính.*|tiến độ giải quyết hồ sơ|thời tiết)$",
    re.IGNORECASE,
)
# A related-links box inside the body: its heading, then a few headline lines.
_RELATED_HEAD = re.compile(r"^(?:tin liên quan|bài liên quan)$", re.IGNORECASE)
_FOOTER = re.compile(
    r"^(?:bản quyền thuộc về|giấy phép số|tổng biên tập:|địa chỉ:|điện thoại:)", re.IGNORECASE
)
# E2 picture alt text dumped as a file name: "bna_Toàn cảnh ... Ảnh Thành Duy.jpeg".
_FILE_NAME = re.compile(r"^\S.*\.(?:jpe?g|png|gif|webp)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…:;\"”)]$")
_HTML_HINT = re.compile(r"<\s*/?\s*(?:p|div|br|span|strong|em|figure|figcaption|img|a|table|td|h\d)\b", re.I)


@dataclass
class _Dump:
    """The dump's lines, and what has been recognised so far."""

    lines: list[str]
    title: str = ""
    section: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    lead: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    dateline_seen: bool = False


def extract_text_dump(text: str, url: str | None = None) -> Article:
    """The article in a naive text dump (see the module docstring for what is recognised)."""
    if not isinstance(text, str):
        raise NotHtmlError("a text dump must be text")
    if "\x00" in text:
        raise NotHtmlError("binary data, not a text dump")
    dump = _Dump(lines=_lines(text))
    if not dump.lines:
        raise NotAnArticleError("empty text dump")
    _read_header(dump)
    body = _drop_header_duplicates(dump, dump.lines)
    _read_body(dump, body)
    if not dump.title or not (dump.lead or dump.paragraphs):
        raise NotAnArticleError("no title or no article text in the dump")
    return _article(dump, url)


def _lines(text: str) -> list[str]:
    if _HTML_HINT.search(text):
        text = _flatten_html(text)
    lines = [clean_text(line) for line in text.splitlines()]
    return [line for line in lines if line]


def _flatten_html(text: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "lxml")
    for junk in soup.find_all(["script", "style", "noscript"]):
        junk.decompose()
    for img in soup.find_all("img"):
        # A naive dump writes the alt text where the picture was: keep it as its own line.
        img.replace_with(f"\n{img.get('alt') or ''}\n")
    return soup.get_text("\n")


def _looks_like_byline(line: str) -> bool:
    names = split_authors(line)
    if (
        not names
        or len(line) > 80
        or (_SENTENCE_END.search(line.rstrip()) and not re.search(r"\d{2}$", line))
    ):
        return False
    return all(_is_name(name) for name in names)


def _is_name(name: str) -> bool:
    """ "Thành Duy", "T.P", "NPV", "Nhóm PV": one to five capitalised words, no digits."""
    words = name.split()
    return 0 < len(words) <= 5 and all(w[0].isupper() and not any(c.isdigit() for c in w) for w in words)


def _read_header(dump: _Dump) -> None:
    """Title (after an optional section label) and, near it, the byline."""
    lines = dump.lines
    first = 0
    if len(lines) > 1 and _is_section_label(lines[0]) and not _is_section_label(lines[1]):
        dump.section = lines[0]
        first = 1
    dump.title = lines[first]
    dump.lines = lines[first + 1 :]


def _is_section_label(line: str) -> bool:
    from extraction.publishers import PUBLISHERS

    names = {s.name.casefold() for p in PUBLISHERS.values() for s in p.sections}
    names |= {"thời sự - chính trị", "miền tây nghệ an", "đời sống pháp luật", "giáo dục - khoa học"}
    return line.casefold() in names


def _drop_header_duplicates(dump: _Dump, lines: list[str]) -> list[str]:
    """Before the dateline lead, a line that the body repeats is the meta description: drop it."""
    keys = [_key(strip_lead_prefix(line) or "") for line in lines]
    # The sapo is the first dateline line that is not repeated further down (a description that
    # copies the sapo, dateline included, comes first and is repeated).
    lead_at = next(
        (i for i, line in enumerate(lines) if has_lead_prefix(line) and keys[i] not in keys[i + 1 :]), None
    )
    head_end = lead_at if lead_at is not None else min(len(lines), 6)
    kept = []
    for i, line in enumerate(lines):
        if i < head_end and keys[i] in keys[i + 1 :] and not _NOISE.match(line):
            continue
        kept.append(line)
    return kept


def _key(line: str) -> str:
    return clean_text(line).casefold()


def _read_body(dump: _Dump, lines: list[str]) -> None:
    pending_file: str | None = None
    skip_related = 0
    previous = ""
    for line in lines:
        if _TAIL_START.match(line) and (dump.lead or dump.paragraphs):
            break
        if _NOISE.match(line) or _FOOTER.match(line):
            continue
        if skip_related and not _SENTENCE_END.search(line):
            skip_related -= 1
            continue
        skip_related = 0
        if _RELATED_HEAD.match(line):
            skip_related = 5
            continue
        if _FILE_NAME.match(line) and " " not in line.split(".")[-1]:
            pending_file = line
            continue
        if has_lead_prefix(line):
            if dump.dateline_seen or dump.paragraphs:
                continue  # another article's sapo (a "same section" box)
            dump.dateline_seen = True
            dump.lead = strip_lead_prefix(line)
            continue
        if not dump.authors and not dump.lead and not dump.paragraphs and _looks_like_byline(line):
            # Before any text: "Bài, ảnh: Nguyên Khoa" is the byline, not a photo credit.
            dump.authors = split_authors(line)
            dump.published_at = parse_visible(line)
            previous = line
            continue
        if line == previous:
            # E2/E1 pictures: the alt text repeats the caption, so the caption is the second copy.
            _add_caption(dump, line, pending_file, force=True)
            pending_file = None
            continue
        if (_is_caption(line) or pending_file) and _add_caption(dump, line, pending_file, bool(pending_file)):
            pending_file = None
            previous = line
            continue
        if not dump.authors and not dump.paragraphs and _looks_like_byline(line):
            dump.authors = split_authors(line)
            dump.published_at = parse_visible(line)
            previous = line
            continue
        if (
            not dump.lead
            and not dump.paragraphs
            and not dump.dateline_seen
            and not line.startswith("*")  # a digest item, not a sapo
            and _lead_without_dateline(dump)
        ):
            dump.lead = line
        else:
            dump.paragraphs.append(strip_digest_marker(line))
        previous = line
    _drop_repeated_caption_paragraphs(dump)
    _take_sign_off(dump)


def _lead_without_dateline(dump: _Dump) -> bool:
    """E3 dumps have no dateline: the first prose line after the byline is the sapo.

    Only when no "(Baonghean...)" line comes before the page furniture (else the lead is that line;
    other articles' sapos in the lists after the body do not count).
    """
    for line in dump.lines:
        if _TAIL_START.match(line):
            return True
        if has_lead_prefix(line):
            return False
    return True


def _is_caption(line: str) -> bool:
    caption, credit = split_credit(line)
    return credit is not None or (caption is not None and caption != clean_text(line))


def _add_caption(dump: _Dump, line: str, file_name: str | None, force: bool) -> bool:
    caption, credit = split_credit(line)
    if credit is None and caption == line and not force:
        return False
    if file_name:
        dump.images.append(Image(url=file_name, caption=caption, credit=credit))
    elif dump.paragraphs and dump.paragraphs[-1] == line:
        dump.paragraphs.pop()  # the first copy was taken for a paragraph
    return True


def _drop_repeated_caption_paragraphs(dump: _Dump) -> None:
    captions = {image.caption for image in dump.images if image.caption}
    dump.paragraphs = [p for p in dump.paragraphs if p not in captions]


def _take_sign_off(dump: _Dump) -> None:
    """E1 pages sign at the bottom ("Nhóm PV", "NPV", "Lữ Phú"): an author, not a paragraph."""
    if not dump.paragraphs:
        return
    last = dump.paragraphs[-1]
    words = last.split()
    if len(words) <= 4 and not _SENTENCE_END.search(last) and _looks_like_byline(last):
        dump.paragraphs.pop()
        if not dump.authors:
            dump.authors = split_authors(last)


def _article(dump: _Dump, url: str | None) -> Article:
    publisher = for_url(url) if url else None
    ref = publisher.article_ref(url) if publisher and url else None
    is_baonghean = (publisher is not None and publisher.key == "baonghean") or dump.dateline_seen
    return Article(
        publisher=publisher.key if publisher else ("baonghean" if is_baonghean else "unknown"),
        url=publisher.canonical_url(url) if publisher and url else (url or ""),
        title=dump.title,
        lead=dump.lead,
        authors=dump.authors,
        published_at=dump.published_at,
        section=dump.section,
        images=dump.images,
        paragraphs=dump.paragraphs,
        parser=f"baonghean/{TEXTDUMP_PARSER}" if is_baonghean else TEXTDUMP_PARSER,
        article_id=ref.article_id if ref else None,
    )
