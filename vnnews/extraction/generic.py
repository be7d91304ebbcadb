"""The generic fallback for pages no site template recognises.

Metadata comes from JSON-LD/OpenGraph/meta, the body from trafilatura (imported lazily: it is slow to
import and only needed here), then the same text-pattern boilerplate rules and lead-prefix stripping.
Images, the sapo, a visible date and a bottom sign-off are looked up in the page around the text
trafilatura chose.
"""

from __future__ import annotations

import copy
import re

import lxml.html
from lxml import etree

from vnnews.extraction import dates
from vnnews.extraction.body import walk_body
from vnnews.extraction.dom import HtmlElement, first, select, text_of
from vnnews.extraction.explain import Explanation
from vnnews.extraction.metadata import PageMeta
from vnnews.extraction.normalize import has_lead_prefix, split_authors, strip_digest_marker, strip_lead_prefix
from vnnews.extraction.rules import apply_text_rules
from vnnews.extraction.templates.base import (
    Fields,
    meta_authors,
    meta_dates,
    meta_section,
    meta_tags,
    meta_title,
    strip_site_suffix,
)
from vnnews.extraction.templates.legacy import take_signoff
from vnnews.text import clean_text

NAME = "generic"
_BLOCKS = ("p", "div", "h2", "h3", "td", "li", "span", "strong")
# The page's own sapo: the first text in document order that starts with the dateline, not a link.
_DATELINE_NODES = etree.XPath(
    "//body//text()[starts-with(normalize-space(), '(Baonghean') or starts-with(normalize-space(), '(BNA')]"
    "[not(ancestor::a)][not(ancestor::script)]"
)
_TABLE_ROW = re.compile(r"^\|\s*(.*?)\s*\|$")
_LIST_ITEM = re.compile(r"^[-•*]\s+")
_BREADCRUMB = (
    ".breadcrumb a",
    ".breadcrumbs a",
    "[itemtype*='BreadcrumbList'] a",
    "nav[aria-label] a",
    "#nav a",
)
_BYLINE = (".author", "[rel='author']", "[itemprop='author']", ".byline")
_HOME = {"trang chủ", "home"}


def _trafilatura_lines(root: HtmlElement) -> list[str]:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    try:
        # trafilatura wants an lxml.html tree, and changes the tree it is given: hand it a copy (ours is
        # a plain lxml tree, see dom.HtmlElement, so the copy is an lxml.html re-parse of it).
        if isinstance(root, lxml.html.HtmlElement):
            tree = copy.deepcopy(root)
        else:
            tree = lxml.html.document_fromstring(etree.tostring(root, encoding="unicode"))
        text = trafilatura.extract(
            tree,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            include_images=False,
            favor_precision=True,
            deduplicate=False,
        )
    except Exception:  # trafilatura can fail on odd trees; the fallback must never raise
        return []
    return [clean_text(line) for line in (text or "").splitlines() if clean_text(line)]


def _tidy_line(line: str) -> str:
    """trafilatura's text rendering: "| a | b |" table rows and "- " list items back to plain text."""
    row = _TABLE_ROW.match(line)
    if row:
        line = " | ".join(cell.strip() for cell in row.group(1).split("|") if cell.strip())
    return strip_digest_marker(_LIST_ITEM.sub("", line))


def _dateline_block(root: HtmlElement) -> HtmlElement | None:
    for node in _DATELINE_NODES(root):
        element = node.getparent()
        while element is not None and element.tag not in _BLOCKS:
            element = element.getparent()
        if element is not None and len(text_of(element)) >= 40:
            return element
    return None


def _content_element(root: HtmlElement, paragraphs: list[str]) -> HtmlElement | None:
    """The element holding most of the <p> whose text trafilatura kept: the article body."""
    wanted = set(paragraphs)
    parents: dict[int, tuple[HtmlElement, int]] = {}
    for p in root.iter("p"):
        parent = p.getparent()
        if parent is not None and _tidy_line(text_of(p)) in wanted:
            count = parents.get(id(parent), (parent, 0))[1]
            parents[id(parent)] = (parent, count + 1)
    if not parents:
        return None
    return max(parents.values(), key=lambda item: item[1])[0]


_NEAR_LINKS = etree.XPath("preceding::a[position() <= 4]")
_SECTION_HREF = re.compile(r"^(?:https?://[^/]+)?/[a-z0-9-]+/?$")


def _section_link(heading: HtmlElement | None) -> str | None:
    """A breadcrumb-like link to a section path just before the title, outside any menu."""
    if heading is None:
        return None
    for link in reversed(_NEAR_LINKS(heading)):
        text = text_of(link)
        in_menu = any(
            a.tag == "nav" or "menu" in (a.get("class") or "").lower() for a in link.iterancestors()
        )
        if text and text.lower() not in _HOME and not in_menu and _SECTION_HREF.match(link.get("href") or ""):
            return text
    return None


def _visible_date(heading: HtmlElement | None) -> str | None:
    """A short dated line shortly after the title ("20/02/2016 07:30", "Thứ Ba, 14/10/2025 08:45")."""
    if heading is None:
        return None
    for count, element in enumerate(heading.itersiblings()):
        if count >= 6:
            break
        text = text_of(element)
        if 0 < len(text) <= 80:
            found = dates.parse_visible(text)
            if found:
                return found
    return None


def _read_lead(root: HtmlElement, page: PageMeta, paragraphs: list[str]) -> tuple[str | None, str | None]:
    block = _dateline_block(root)
    if block is not None:
        return strip_lead_prefix(text_of(block)), "first (Baonghean.vn) dateline block on the page"
    for line in paragraphs[:3]:
        if has_lead_prefix(line):
            return strip_lead_prefix(line), "paragraph with the (Baonghean.vn) dateline"
    description = page.ld("description")
    value, where = (description, "JSON-LD description") if isinstance(description, str) else (None, None)
    if not value:
        value, where = page.meta("og:description", "description")
    lead = strip_lead_prefix(value) if value else None
    # Some pages put a body sentence in the description: then it is not a sapo. The sapo, when
    # trafilatura kept it, is the first paragraph.
    if lead and lead in paragraphs[1:]:
        return None, None
    return lead, where


def extract_generic(root: HtmlElement, page: PageMeta, explanation: Explanation) -> Fields:
    fields = Fields()
    heading = first(root, "h1")
    title, where = (text_of(heading), "page heading <h1>") if heading is not None else (None, None)
    if not title:
        title, where = meta_title(page)
    fields.title = strip_site_suffix(title or "")
    explanation.source("title", where)

    paragraphs = [line for line in (_tidy_line(raw) for raw in _trafilatura_lines(root)) if line]
    explanation.source("paragraphs", "trafilatura")
    paragraphs = [p for p in apply_text_rules(paragraphs, explanation.rules) if p != fields.title]
    fields.lead, lead_where = _read_lead(root, page, paragraphs)
    explanation.source("lead", lead_where)
    paragraphs = [p for p in paragraphs if strip_lead_prefix(p) != fields.lead]

    byline = first(root, *_BYLINE)
    fields.authors = split_authors(text_of(byline)) if byline is not None else []
    author_where: str | None = "byline element" if fields.authors else None
    if not fields.authors:
        fields.authors, author_where = meta_authors(page)
    content = _content_element(root, paragraphs)
    if content is not None:
        signoff = take_signoff(content, bold_is_enough=False)
        if signoff:
            paragraphs = (
                paragraphs[:-1] if paragraphs and split_authors(paragraphs[-1]) == signoff else paragraphs
            )
            if not fields.authors:
                fields.authors, author_where = signoff, "sign-off at the bottom of the text"
    explanation.source("authors", author_where)

    (fields.published_at, published_where), (fields.modified_at, modified_where) = meta_dates(page)
    if fields.published_at is None:
        fields.published_at = _visible_date(heading)
        published_where = "visible date near the title (day first)" if fields.published_at else None
    explanation.source("published_at", published_where)
    explanation.source("modified_at", modified_where)
    fields.section, section_where = meta_section(page)
    if fields.section is None:
        for selector in _BREADCRUMB:
            crumbs = [text_of(a) for a in select(root, selector) if text_of(a).lower() not in _HOME]
            if crumbs:
                fields.section, section_where = crumbs[-1], f"breadcrumb {selector}"
                break
    if fields.section is None:
        fields.section = _section_link(heading)
        section_where = "section link just before the title" if fields.section else None
    explanation.source("section", section_where)
    fields.tags, tags_where = meta_tags(page)
    explanation.source("tags", tags_where)

    fields.paragraphs = paragraphs
    if content is not None:
        fields.images = walk_body(content).images
        captions = tuple(image.caption for image in fields.images if image.caption)
        fields.paragraphs = [p for p in fields.paragraphs if not (captions and p.startswith(captions))]
    return fields
