"""Every cost of extracting one page is bounded; a page beyond a bound is refused, the bound named.

The bounds sit at the entry of the pipeline (input size, a linear pre-scan of the markup, the tree lxml
built) and at its exit (the article). Within them the whole pipeline takes under 5 s of CPU and 1 GB on
any input (the slowest hostile page of tests/extraction/test_limits.py, measured there in its own
process, ~2 s and ~300 MB on a 2-core machine; a real page takes milliseconds). A refusal is
``LimitExceeded`` (a ``NotAnArticleError``) whose reason names the constant, e.g. "markup nested
deeper than 1024 elements (MAX_DEPTH)".

Output bounds refuse rather than truncate: a stored article is always the whole article, and a page
beyond them keeps its raw bytes in the archive's WARC files with the reason on its capture row.
"""

from __future__ import annotations

from lxml import etree

from extraction import prescan
from extraction.article import Article, LimitExceeded

MIB = 1024 * 1024

# Real news pages are under 2 MB (1.6 MB the largest of ~1,500 in /work/shared/real-pages; Báo Nghệ An
# pages under 1 MB); several steps cost time in proportion to the bytes (16 MiB of text: ~4 s). The
# crawler downloads up to DOWNLOAD_MAXSIZE = 16 MiB (crawler/settings.py) and archives the raw bytes
# whatever their size: a page between the two is kept in the WARC and recorded as refused, by name.
MAX_INPUT_BYTES = 8 * MIB
# Tags and comments, counted before parsing (so ~20,000 elements): the largest real page seen has
# ~20,000 "<", a Báo Nghệ An page under 1,000. The generic fallback (trafilatura) costs ~0.1 ms per
# element: 40,000 keeps it near 2 s. libxml2 would build 2 million nodes from 16 MiB (580 MB).
MAX_TAGS = 40_000
# libxml2 compares each attribute of a tag with all earlier ones: 20,000 attributes cost ~1 s, 80,000
# ~25 s, and a page full of 1,000-attribute tags ~10 s. Real tags carry at most ~70.
MAX_ATTRIBUTES = 200
# The attribute scan costs ~0.15 ms on a 47 KB page (a tenth of the whole extraction), and a smaller
# page cannot hold a costly tag: 64 KiB packed with the most distinct attribute names that fit
# (16,600 on one tag) parse in 0.4 s. Pages up to this size are not scanned.
SCAN_FROM_BYTES = 64 * 1024
# The deepest real page seen nests 51 elements; libxml2 itself stops reading at 2048 and silently drops
# the rest of the page. 1024 leaves room for wrapper-heavy CMS markup and stays below libxml2's cut.
MAX_DEPTH = 1_024
# Total nesting (the sum of every element's depth, i.e. ancestor-descendant pairs): several extraction
# steps read each block's whole subtree, so their cost grows with it (~0.5 µs a pair). Real pages stay
# under 150,000; the page wrapped 900 deep of test_pagekind is ~770,000.
MAX_NESTING = 1_000_000
# Visible text of the page (outside scripts and styles), checked only when the page has more bytes than
# this: text cleaning and boilerplate rules cost time per character. Real pages show under 200,000.
MAX_PAGE_TEXT = 2_000_000

# The article: a photo story has tens of images, the longest real articles a few hundred paragraphs and
# ~100,000 characters.
MAX_IMAGES = 1_000
MAX_PARAGRAPHS = 5_000
MAX_LIST_ITEMS = 200  # authors, tags
MAX_ARTICLE_CHARS = 1_000_000  # title, lead, paragraphs, captions, credits, authors, tags, section


def _mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB"


def check_input_size(size: int, exact: bool = True) -> None:
    """``exact=False``: ``size`` is only what was read of a stream that may hold more."""
    if size > MAX_INPUT_BYTES:
        found = f"input is {_mib(size)}," if exact else "input is"
        raise LimitExceeded(f"{found} more than {_mib(MAX_INPUT_BYTES)} (MAX_INPUT_BYTES)", "MAX_INPUT_BYTES")


def check_markup(data: bytes) -> int:
    """Before parsing: the number of tags and the attributes per tag. Returns the tag count."""
    tags = prescan.count_tags(data, MAX_TAGS)
    if tags > MAX_TAGS:
        raise LimitExceeded(f"{tags} tags and comments, more than {MAX_TAGS} (MAX_TAGS)", "MAX_TAGS")
    at = prescan.crowded_tag(data, MAX_ATTRIBUTES) if len(data) > SCAN_FROM_BYTES else None
    if at is not None:
        raise LimitExceeded(
            f"a tag at byte {at} has more than {MAX_ATTRIBUTES} attributes (MAX_ATTRIBUTES)", "MAX_ATTRIBUTES"
        )
    return tags


def check_tree(root: etree._Element, tags: int) -> None:
    """After parsing: depth and total nesting (a page with few tags can be neither deep nor nested)."""
    if tags + 4 <= MAX_DEPTH:  # lxml adds at most html, head, body and a p around bare text
        return
    depth = nesting = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        nesting += depth
        if depth > MAX_DEPTH:
            raise LimitExceeded(f"markup nested deeper than {MAX_DEPTH} elements (MAX_DEPTH)", "MAX_DEPTH")
    if nesting > MAX_NESTING:
        raise LimitExceeded(
            f"markup too nested: {nesting} ancestor-descendant pairs, more than {MAX_NESTING} (MAX_NESTING)",
            "MAX_NESTING",
        )


_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script)][not(ancestor::style)]")


def check_page_text(root: etree._Element, size: int) -> None:
    """After parsing: the visible text (only counted when the bytes could hold more: chars <= bytes)."""
    if size <= MAX_PAGE_TEXT:
        return
    chars = sum(len(text) for text in _VISIBLE_TEXT(root))
    if chars > MAX_PAGE_TEXT:
        raise LimitExceeded(
            f"the page shows {chars} characters of text, more than {MAX_PAGE_TEXT} (MAX_PAGE_TEXT)",
            "MAX_PAGE_TEXT",
        )


def check_article(article: Article) -> None:
    """The article stays within the output bounds (refused, never truncated: see the module comment)."""
    for name, count, limit, constant in (
        ("images", len(article.images), MAX_IMAGES, "MAX_IMAGES"),
        ("paragraphs", len(article.paragraphs), MAX_PARAGRAPHS, "MAX_PARAGRAPHS"),
        ("authors", len(article.authors), MAX_LIST_ITEMS, "MAX_LIST_ITEMS"),
        ("tags", len(article.tags), MAX_LIST_ITEMS, "MAX_LIST_ITEMS"),
    ):
        if count > limit:
            raise LimitExceeded(f"article has {count} {name}, more than {limit} ({constant})", constant)
    chars = sum(
        len(text or "")
        for text in (
            article.title,
            article.lead,
            article.section,
            *article.paragraphs,
            *article.authors,
            *article.tags,
            *(image.caption for image in article.images),
            *(image.credit for image in article.images),
        )
    )
    if chars > MAX_ARTICLE_CHARS:
        raise LimitExceeded(
            f"article text is {chars} characters, more than {MAX_ARTICLE_CHARS} (MAX_ARTICLE_CHARS)",
            "MAX_ARTICLE_CHARS",
        )
