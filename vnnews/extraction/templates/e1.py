"""E1: the old CMS, ~2016 to mid 2022 (selectors SEEN in two public crawler configs for this site).

The sapo is the first ``p > strong`` of ``#content`` (with the "(Baonghean.vn) - " dateline) and the
author is a right-aligned bold sign-off at the bottom of ``#content``; neither is body text.
"""

from __future__ import annotations

import re

from vnnews.extraction.dom import HtmlElement, remove, select, text_of
from vnnews.extraction.explain import Explanation
from vnnews.extraction.metadata import PageMeta
from vnnews.extraction.normalize import has_lead_prefix, split_authors, strip_lead_prefix
from vnnews.extraction.templates.base import Template, meta_authors

_RIGHT = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)
_BOLD_TAGS = {"strong", "b"}


def _only_bold(element: HtmlElement) -> bool:
    """The element's whole text sits inside <strong>/<b> (possibly nested in <em>/<span>)."""
    if (element.text or "").strip():
        return False
    children = [child for child in element if isinstance(child.tag, str) and child.tag != "br"]
    if not children or any((child.tail or "").strip() for child in children):
        return False
    return all(
        child.tag in _BOLD_TAGS or (child.tag in ("em", "i", "span") and _only_bold(child))
        for child in children
    )


def _is_right_aligned(element: HtmlElement) -> bool:
    return bool(_RIGHT.search(element.get("style") or "")) or (element.get("align") or "").lower() == "right"


def _last_block(body: HtmlElement) -> HtmlElement | None:
    for element in reversed([el for el in body if isinstance(el.tag, str)]):
        if text_of(element) or select(element, "img"):
            return element
    return None


class E1Template(Template):
    name = "baonghean/e1"
    era = "e1"
    features = (
        ("#content", "E1 #content body"),
        ("h1.title, #title", "E1 h1.title/#title"),
        ("#date", "E1 #date"),
        ("#nav", "E1 #nav breadcrumb"),
        ("#tags_list, table.rl, .image_desc", "E1 tags_list/table.rl/image_desc"),
    )
    min_features = 3
    container = (".article", "#main .col-left", "#wrapper")
    body = ("#content",)
    title = (".article h1.title", "#title", "h1.title", "h1")
    visible_date = ("#date", ".date")
    section = ("#nav a",)
    tags = ("#tags_list a", ".tags a")

    def extract_lead(
        self, container: HtmlElement, body: HtmlElement | None, page: PageMeta, explanation: Explanation
    ) -> str | None:
        if body is None:
            return None
        for paragraph in [el for el in body if isinstance(el.tag, str)][:3]:
            text = text_of(paragraph)
            if not text:
                continue
            if paragraph.tag in ("p", "div", "h2") and (_only_bold(paragraph) or has_lead_prefix(text)):
                explanation.source("lead", "first bold paragraph of #content")
                remove(paragraph)
                return strip_lead_prefix(text)
            break
        return None

    def extract_authors(
        self, container: HtmlElement, body: HtmlElement | None, page: PageMeta, explanation: Explanation
    ) -> list[str]:
        last = _last_block(body) if body is not None else None
        if last is not None and last.tag in ("p", "div"):
            text = text_of(last)
            short = len(text) <= 60 and len(text.split()) <= 8 and not text.endswith((".", ":", "?", "!"))
            if text and short and (_is_right_aligned(last) or _only_bold(last)):
                names = split_authors(text)
                if names:
                    explanation.source("authors", "sign-off at the bottom of #content")
                    remove(last)
                    return names
        names, where = meta_authors(page)
        explanation.source("authors", where)
        return names
