"""Old-style body conventions that outlive their CMS.

E1 wrote the sapo as the first bold paragraph of the body (with the "(Baonghean.vn) - " dateline)
and the author as a right-aligned bold sign-off at the bottom. Old articles migrated to E2/E3 keep
that legacy body inside the new template, so every era looks for both when its own header has none.
"""

from __future__ import annotations

import re

from extraction.dom import HtmlElement, remove, select, text_of, wholly_inside
from extraction.normalize import (
    has_lead_prefix,
    looks_like_name,
    source_of,
    split_authors,
    strip_lead_prefix,
)

_RIGHT = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)
_BOLD_TAGS = frozenset({"strong", "b"})
_BOLD_WRAPPERS = frozenset({"em", "i", "span"})
_LEAD_TAGS = {"p", "div", "h2", "h3"}
# Subheadings are a line; a wholly bold first paragraph this long is a sapo (fixtures' longest
# subheading is under 100 characters, their shortest sapo over 150).
MIN_BOLD_SAPO_CHARS = 160


def only_bold(element: HtmlElement) -> bool:
    """The element's whole text sits inside <strong>/<b> (possibly nested in <em>/<span>)."""
    return wholly_inside(element, _BOLD_TAGS, _BOLD_WRAPPERS)


def is_right_aligned(element: HtmlElement) -> bool:
    style = element.get("style") or ""
    return (
        bool(_RIGHT.search(style))
        or (element.get("align") or "").lower() == "right"
        or ("right" in (element.get("class") or "").lower().split())
    )


def _blocks(body: HtmlElement) -> list[HtmlElement]:
    return [el for el in body if isinstance(el.tag, str)]


def take_lead(body: HtmlElement, bold_is_enough: bool) -> str | None:
    """Remove and return the sapo written as the first body paragraph.

    It counts when it carries the "(Baonghean.vn) - " dateline, or (E1 only, ``bold_is_enough``)
    when the whole paragraph is bold: elsewhere a bold first paragraph is a subheading, unless it is
    far too long for one (a sapo written into the body of a page whose header has none).
    """
    for paragraph in _blocks(body)[:3]:
        text = text_of(paragraph)
        if not text:
            continue
        if (
            paragraph.tag in _LEAD_TAGS
            and not select(paragraph, "img")
            and (
                has_lead_prefix(text)
                or ((bold_is_enough or len(text) >= MIN_BOLD_SAPO_CHARS) and only_bold(paragraph))
            )
        ):
            remove(paragraph)
            return strip_lead_prefix(text)
        return None
    return None


# Sign-off blocks marked by class: EPI's div.t1 > span.t2, p.author, .tac-gia, .signature (SISTER/SEEN).
_SIGNOFF_CLASSES = ("author", "tac-gia", "tacgia", "signature", "byline", "sign-off", "signoff")
_SIGNOFF_TOKENS = frozenset({"t1", "t2", "tr"})


def _last_block(body: HtmlElement) -> HtmlElement | None:
    return next((el for el in reversed(_blocks(body)) if text_of(el) or select(el, "img")), None)


def _marked_signoff(element: HtmlElement) -> bool:
    """Right-aligned, or a sign-off class on the block or its only child (div.t1 > span.t2)."""
    if is_right_aligned(element):
        return True
    nodes = [element, *(child for child in element if isinstance(child.tag, str))][:2]
    for node in nodes:
        classes = (node.get("class") or "").lower()
        if _SIGNOFF_TOKENS & set(classes.split()) or any(name in classes for name in _SIGNOFF_CLASSES):
            return True
    return False


def take_signoff(body: HtmlElement, bold_is_enough: bool) -> list[str]:
    """Remove and return the author sign-off at the bottom of the body ("Lữ Phú", "Nhóm PV",
    "Tin, ảnh: P.Y").

    A short last paragraph that reads like names and is marked as a sign-off: right-aligned, a
    sign-off class (EPI ``div.t1``, ``p.author``), or wholly bold (E1: always; elsewhere when it
    carries a byline label such as "Bài, ảnh:" or reads as capitalised names only).
    """
    last = _last_block(body)
    if last is None or last.tag not in ("p", "div"):
        return []
    text = text_of(last)
    short = 0 < len(text) <= 60 and len(text.split()) <= 8 and not text.endswith((".", ":", "?", "!", ";"))
    if not short:
        return []
    bold = only_bold(last)
    if not (_marked_signoff(last) or (bold and (bold_is_enough or _reads_as_byline(text)))):
        return []
    names = [name for name in split_authors(text) if looks_like_name(name)]
    if names:
        remove(last)
    return names


def _reads_as_byline(text: str) -> bool:
    """A label ("Tin, ảnh: X", "Nhóm PV") or nothing but capitalised names."""
    names = split_authors(text)
    return bool(names) and (":" in text or all(looks_like_name(name) for name in names))


def take_source(body: HtmlElement) -> str | None:
    """Remove and return a "Theo TTXVN" / "(Theo VnExpress)" line at the bottom of the body: the text
    is credited to another outlet, which is no author."""
    last = _last_block(body)
    if last is None or last.tag not in ("p", "div") or len(text_of(last)) > 80:
        return None
    source = source_of(text_of(last))
    if source:
        remove(last)
    return source
