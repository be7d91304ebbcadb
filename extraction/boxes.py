"""Related-article boxes found by shape rather than by class: a heading such as "Tin liên quan"
followed by links, or a block that is nothing but links. Used by the boilerplate rules."""

from __future__ import annotations

import re

from extraction.dom import HtmlElement, is_inside, iter_text, select, text_of
from extraction.text import clean_text


def _first_text(element: HtmlElement) -> str:
    for piece in iter_text(element):
        if piece.strip():
            return piece
    return ""


# First letters of the related-box headings (tin, bài, đọc, xem): most text nodes fail this at once.
_HEADING_INITIALS = frozenset("tbđxd")
_HEADING_BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "div", "li", "td", "strong", "b"}


def is_link_only(element: HtmlElement) -> bool:
    """A block whose text is all link text (a hand-typed related link, a list of them)."""
    text = text_of(element)
    if not text:
        return False
    linked = sum(len(text_of(a)) for a in element.iter("a") if a.get("href"))
    return linked > 0 and len(text) - linked <= 3


def _heading_line(heading: HtmlElement, container: HtmlElement) -> list[HtmlElement]:
    """ "Xem thêm: <a>Title</a>" / "Tin liên quan: <a>…</a>": one paragraph, heading then links only."""
    block = heading
    while block.tag not in ("p", "li", "div", "td") and block.getparent() is not None:
        parent = block.getparent()
        if parent is None or parent is container:
            return []
        block = parent
    if block is container or block.tag not in ("p", "li", "div", "td"):
        return []
    text = text_of(block)
    links = [a for a in block.iter("a") if a.get("href")]
    linked = sum(len(text_of(a)) for a in links)
    rest = len(text) - linked - len(text_of(heading))
    return [block] if links and rest <= 3 else []


def _heading_run(heading: HtmlElement, container: HtmlElement) -> list[HtmlElement]:
    """A heading block followed by link-only siblings ("TIN LIÊN QUAN" then <p><a>…</a></p> or a <ul>)."""
    block: HtmlElement | None = heading
    while block is not None and block is not container and block.getparent() is not container:
        parent = block.getparent()
        if parent is None or text_of(parent) != text_of(heading):
            break
        block = parent
    if block is None or block is container:
        return []
    run: list[HtmlElement] = []
    sibling = block.getnext()
    while sibling is not None:
        if isinstance(sibling.tag, str):
            if is_link_only(sibling):
                run.append(sibling)
            elif text_of(sibling) or select(sibling, "img"):
                break
        sibling = sibling.getnext()
    return [block, *run] if run else []


def _link_share(element: HtmlElement) -> tuple[int, float]:
    text = len(text_of(element))
    links = [a for a in element.iter("a") if a.get("href")]
    linked = sum(len(text_of(a)) for a in links)
    return len(links), (linked / text if text else 0.0)


def link_blocks(body: HtmlElement, tags: list[str], min_links: int, min_share: float) -> list[HtmlElement]:
    """Outermost blocks (of ``tags``) inside the body that are mostly links (never the body itself)."""
    found: list[HtmlElement] = []
    for element in body.iter(*tags):
        if element is body or any(is_inside(element, other) for other in found):
            continue
        count, share = _link_share(element)
        if count >= min_links and share >= min_share:
            found.append(element)
    return found


def heading_boxes(
    container: HtmlElement, heading: re.Pattern[str], allowed: set[str], requires: str | None
) -> list[HtmlElement]:
    """Related boxes found from their heading text ("Tin liên quan", "TIN LIÊN QUAN", "Đọc thêm"):
    the smallest allowed box that starts with the heading and holds links, else the heading block
    plus the link-only blocks right after it. Starts from the (short) text nodes: cheap.
    """
    boxes: list[HtmlElement] = []
    # Headings are short text nodes: let libxml2 filter the rest out before Python sees them.
    for node in container.xpath(".//text()[normalize-space()][string-length(normalize-space()) <= 40]"):
        first_char = str(node).lstrip()[:1].lower()
        if first_char not in _HEADING_INITIALS or not heading.match(clean_text(str(node))):
            continue
        owner = node.getparent()
        element = owner.getparent() if node.is_tail and owner is not None else owner
        found: list[HtmlElement] = []
        start = element
        while element is not None and element is not container:
            starts_box = element.tag in allowed and _first_text(element).strip() == str(node).strip()
            if starts_box and (not requires or select(element, requires)):
                found = [element]
                break
            element = element.getparent()
        if not found and start is not None and start.tag in _HEADING_BLOCKS:
            found = _heading_line(start, container) or _heading_run(start, container)
        boxes.extend(box for box in found if all(box is not other for other in boxes))
    return boxes
