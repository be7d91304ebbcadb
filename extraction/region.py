"""Where on the page the article text is, found cheaply before trafilatura reads it.

Trafilatura's time grows with the page; most of a news page is menus, lists and footers. The
paragraphs (<p> text) are counted in libxml2, each one's characters are credited to its ancestors,
and the deepest ancestor holding most of them, plus a margin of levels, is the region handed over.
When the page's text is not in paragraphs, or no ancestor holds most of it, the whole page is.
"""

from __future__ import annotations

from lxml import etree

from extraction.dom import HtmlElement

_P_LENGTHS = etree.XPath("//body//p[string-length(normalize-space(.)) > $least]")
_LENGTH = etree.XPath("string-length(normalize-space(.))")
MIN_PARAGRAPH_CHARS = 40  # shorter <p> are captions, buttons, bylines: not what locates the text
MIN_REGION_CHARS = 400  # less paragraph text than this: the page keeps its text elsewhere; read it all
REGION_SHARE = 0.8  # the region holds at least this share of the page's paragraph text …
MARGIN_LEVELS = 3  # … and widened by this many levels (headings, lists beside them; 3 best on Zyte)


def text_region(root: HtmlElement) -> tuple[HtmlElement | None, float]:
    """(the element to read the article from, or None for the whole page; the page's paragraph
    characters)."""
    held: dict[int, tuple[HtmlElement, float, int]] = {}
    total = 0.0
    for paragraph in _P_LENGTHS(root, least=MIN_PARAGRAPH_CHARS):
        length = float(_LENGTH(paragraph))
        total += length
        for depth, ancestor in enumerate(paragraph.iterancestors()):
            element, chars, _ = held.get(id(ancestor), (ancestor, 0.0, 0))
            held[id(ancestor)] = (element, chars + length, -depth)
    if total < MIN_REGION_CHARS:
        return None, total
    # Among the elements holding enough, the one nearest the paragraphs (ancestors hold at least as
    # much as their children, so the deepest is the tightest).
    candidates = [
        (element, depth) for element, chars, depth in held.values() if chars >= REGION_SHARE * total
    ]
    if not candidates:
        return None, total
    region = max(candidates, key=lambda item: item[1])[0]
    for _ in range(MARGIN_LEVELS):
        parent = region.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        region = parent
    return (None if region.tag in ("body", "html") else region), total
