"""The generic fallback's body text: trafilatura's lines, from the region holding the page's
paragraphs or, when that read looks wrong, from the whole page (see THOROUGH_CHARS), less the lines no
article body holds (the boilerplate rules, one-link lines, photo credits, bare date lines).
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from extraction.boxes import is_link_only
from extraction.dom import HtmlElement, fast_clean, text_of
from extraction.explain import Explanation
from extraction.normalize import split_credit, strip_digest_marker
from extraction.region import text_region
from extraction.rules import apply_text_rules
from extraction.text import clean_text

# A line that is only the visible date ("20/02/2016 07:30", "Thứ Ba, 14/10/2025 - 08:45 (GMT+7)"):
# the page's date, never body text.
_DATE_LINE = re.compile(
    r"^(?:(?:thứ\s+\w+|chủ\s+nhật)\s*,?\s*)?(?:\d{1,2}:\d{2}\s*[-|,]?\s*)?\d{1,2}/\d{1,2}/\d{4}"
    r"(?:\s*[-|,]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?)?(?:\s*\(?gmt\s*\+\s*7\)?)?$",
    re.IGNORECASE,
)
_LINK_TEXTS = etree.XPath(".//a[@href]")
MAX_LINK_LINE_CHARS = 250  # a related link is a headline; longer kept lines are never one link


def _link_lines(scope: HtmlElement, paragraphs: list[str]) -> set[str]:
    """Kept lines that are exactly one link's text (a hand-typed related link), read from the
    links of the part of the page trafilatura read (its lines come from there), only when some kept
    line is short enough to be one."""
    short = {line for line in paragraphs if len(line) <= MAX_LINK_LINE_CHARS}
    if not short:
        return set()
    found: set[str] = set()
    for link in _LINK_TEXTS(scope):
        text = fast_clean("".join(link.itertext()))
        if text not in short or text in found:
            continue
        # The link is the whole line (a table of contents links to headings the text keeps).
        block = link.getparent()
        while block is not None and block.tag not in ("p", "li", "td", "div", "h3", "h4"):
            block = block.getparent()
        if block is not None and is_link_only(block):
            found.add(text)
    return found


_TABLE_ROW = re.compile(r"^\|\s*(.*?)\s*\|$")
_LIST_ITEM = re.compile(r"^[-•*]\s+")


# trafilatura runs without its fallback extractors (readability, jusText) on every page: they cost a
# third more time for +0.003 F1 on trafilatura's evaluation set (0.9227 with, 0.9196 without) and
# nothing on Zyte's benchmark (0.966 both). They run only where the region read looks wrong (see
# THOROUGH_CHARS below; by length alone, texts under 500 characters, they replaced the right text of
# some short pages by another part of the page: 0.9212).

# Text trafilatura kept from the region, as a share of the page's paragraph characters (the region
# holds at least 80 % of them), below which the whole page is read too: 0.9201 F1 on trafilatura's
# set (0.9196 without), Zyte's unchanged (0.9666).
REREAD_SHARE = 0.5
# Less kept text than this from the region, and the region looks wrong, and the whole page is read
# again with trafilatura's fallback extractors (readability, jusText): a short text is often a
# teaser, a shop's shipping note or a comment beside a longer article the region test missed (its
# text in <div>s, a menu or teaser list holding more <p> text). The region looks wrong when its text
# would be refused as no article (REFUSED_CHARS, engine's MIN_GENERIC_CHARS), does not share a word
# with the headline (_about), or is under PAGE_SHARE of the page's text (a short article on a long
# page is rarer than a box beside the article). Short articles that pass the three tests (a third of
# Zyte's benchmark is under 1,500 characters) pay nothing: readability once took a right short
# text's page chrome as the article there. The whole page's text is taken when it keeps
# THOROUGH_FACTOR times as much (a little more text is more likely chrome), or any more text when the
# region's would be refused. Measured on trafilatura's set: 0.9237 F1 (0.9218 without); Zyte's the same.
THOROUGH_CHARS = 1500
THOROUGH_FACTOR = 2
REFUSED_CHARS = 200
PAGE_SHARE = 0.05


def _trafilatura_lines(root: HtmlElement, thorough: bool = False) -> tuple[list[str], HtmlElement]:
    """(trafilatura's text lines, the element they were read from): of the region holding the
    paragraphs, or (thorough) of the whole page with trafilatura's fallback extractors."""
    if not thorough:
        return _region_lines(root)
    try:
        import trafilatura

        text = _trafilatura_text(trafilatura, etree.tostring(root, encoding="unicode"), fast=False)
    except Exception:  # trafilatura can fail on odd trees; the fallback must never raise
        return [], root
    return [clean_text(line) for line in (text or "").splitlines() if clean_text(line)], root


def _region_lines(root: HtmlElement) -> tuple[list[str], HtmlElement]:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a declared dependency
        return [], root
    scope = root
    try:
        # trafilatura wants an lxml.html tree, and changes the tree it is given: hand it a fresh one
        # (ours is a plain lxml tree, see dom.HtmlElement, so it is an lxml.html re-parse).
        # Only the region holding the paragraphs goes (trafilatura's time grows with the page).
        region, held = text_region(root)
        if region is not None:
            # The head stays: trafilatura tells the title from it. Marked as the page's main part,
            # as it is: trafilatura then reads it as a whole (without, it may drop a first subheading).
            head = root.find("head")
            markup = "".join(
                (
                    "<html>",
                    etree.tostring(head, encoding="unicode") if head is not None else "",
                    "<body><main>",
                    etree.tostring(region, encoding="unicode", with_tail=False),
                    "</main></body></html>",
                )
            )
            scope = region
        else:
            markup = etree.tostring(root, encoding="unicode")
        text = _trafilatura_text(trafilatura, markup, fast=True)
        if region is not None and len(text or "") < REREAD_SHARE * held:
            # trafilatura kept little of the paragraph text the region holds: the region was likely
            # misjudged (a sidebar of teasers, a shop's info box); the whole page is read instead
            # when it gives more.
            whole = _trafilatura_text(trafilatura, etree.tostring(root, encoding="unicode"), fast=True)
            if len(whole or "") > len(text or ""):
                text, scope = whole, root
    except Exception:  # trafilatura can fail on odd trees; the fallback must never raise
        return [], root
    return [clean_text(line) for line in (text or "").splitlines() if clean_text(line)], scope


def _trafilatura_text(trafilatura: Any, markup: str, fast: bool) -> str | None:
    result = trafilatura.extract(
        lxml.html.document_fromstring(markup),
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        fast=fast,
        deduplicate=False,
    )
    return result if isinstance(result, str) else None


def tidy_line(line: str) -> str:
    """trafilatura's text rendering: "| a | b |" table rows and "- " list items back to plain text."""
    row = _TABLE_ROW.match(line)
    if row:
        line = " | ".join(cell.strip() for cell in row.group(1).split("|") if cell.strip())
    return strip_digest_marker(_LIST_ITEM.sub("", line))


def _body_lines(scope: HtmlElement, raw: list[str], title: str, explanation: Explanation) -> list[str]:
    """trafilatura's lines (read from ``scope``) less the boilerplate rules' lines, the title, lines
    that are one link (hand-typed related links), photo credits and bare date lines."""
    lines = [line for line in (tidy_line(line) for line in raw) if line]
    lines = [line for line in apply_text_rules(lines, explanation.rules) if line != title]
    links = _link_lines(scope, lines)
    # A line that is only a photo credit ("Ảnh minh họa: X") belongs to a figure, not the text.
    return [
        line
        for line in lines
        if line not in links and split_credit(line)[0] is not None and not _DATE_LINE.match(line)
    ]


_WORDS = re.compile(r"\w{4,}")


def _page_chars(root: HtmlElement) -> int:
    body = root.find("body")
    return len(text_of(body)) if body is not None else 0


def _about(lines: list[str], title: str) -> bool:
    """The text shares a word of four letters or more with the headline: an article's text is about
    its headline; a teaser, a shipping note or a comment box beside it mostly is not."""
    words = {word.lower() for word in _WORDS.findall(title)}
    if not words:
        return True
    return any(word.lower() in words for line in lines for word in _WORDS.findall(line))


def read_body(root: HtmlElement, title: str, explanation: Explanation) -> list[str]:
    """The body lines: the region's, or the whole page's when the region gave little (THOROUGH_CHARS)."""
    first, scope = _trafilatura_lines(root)
    lines = _body_lines(scope, first, title, explanation)
    chars = sum(len(line) for line in lines)
    where = "trafilatura, the region holding the paragraphs"
    if chars < THOROUGH_CHARS and (
        chars < REFUSED_CHARS or not _about(lines, title) or chars < PAGE_SHARE * _page_chars(root)
    ):
        raw, scope = _trafilatura_lines(root, thorough=True)
        again = _body_lines(scope, raw, title, Explanation())  # its rules are recorded only if taken
        factor = 1 if chars < REFUSED_CHARS else THOROUGH_FACTOR
        if sum(len(line) for line in again) > factor * chars:
            lines = _body_lines(scope, raw, title, explanation)
            where = "trafilatura with its fallback extractors, whole page (the region gave little)"
    explanation.source("paragraphs", where)
    return lines
