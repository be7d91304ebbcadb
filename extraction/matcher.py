"""Match many simple CSS selectors in ONE pass over a subtree.

Boilerplate rules are a dozen selectors with several alternatives each; run as XPath that is one
tree scan per alternative. Here every alternative is parsed once into (tag, classes, id, attribute
tests) and indexed by class token, id and tag, so one walk over the container finds what every rule
matches. Only the simple selector forms the rules use are supported (no combinators); anything else
is reported by ``parse_simple`` as None and the caller falls back to a CSS query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from extraction.dom import HtmlElement
from extraction.selectindex import ElementIndex

_PART = re.compile(
    r"\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)|\[\s*(?P<attr>[\w-]+)\s*(?:(?P<op>[*^$]?=)\s*['\"]?(?P<val>[^'\"\]]*)['\"]?)?\s*\]"
)
_TAG = re.compile(r"^[a-zA-Z][\w-]*")


@dataclass(frozen=True)
class Simple:
    """One compound selector such as ``table.related`` or ``[id^='adv_']``."""

    tag: str | None
    classes: frozenset[str]
    id: str | None
    attrs: tuple[tuple[str, str, str], ...]  # (name, op, value); op "" means "present"

    def matches(self, element: HtmlElement, classes: frozenset[str]) -> bool:
        if self.tag is not None and element.tag != self.tag:
            return False
        if not self.classes <= classes:
            return False
        if self.id is not None and element.get("id") != self.id:
            return False
        return all(_attr_ok(element.get(name), op, value) for name, op, value in self.attrs)


def _attr_ok(actual: str | None, op: str, value: str) -> bool:
    if actual is None:
        return False
    if op == "":
        return True
    if op == "=":
        return actual == value
    if op == "^=":
        return actual.startswith(value)
    if op == "$=":
        return actual.endswith(value)
    return value in actual  # "*="


def parse_simple(alternative: str) -> Simple | None:
    text = alternative.strip()
    tag_match = _TAG.match(text)
    tag = tag_match.group(0).lower() if tag_match else None
    rest = text[tag_match.end() :] if tag_match else text
    classes: set[str] = set()
    id_: str | None = None
    attrs: list[tuple[str, str, str]] = []
    position = 0
    while position < len(rest):
        part = _PART.match(rest, position)
        if part is None:
            return None  # a combinator or pseudo-class: not a simple selector
        if part.group("cls"):
            classes.add(part.group("cls"))
        elif part.group("id"):
            id_ = part.group("id")
        else:
            attrs.append((part.group("attr").lower(), part.group("op") or "", part.group("val") or ""))
        position = part.end()
    if tag is None and not classes and id_ is None and not attrs:
        return None
    return Simple(tag, frozenset(classes), id_, tuple(attrs))


class MultiMatcher:
    """Selectors keyed by an id (a rule id); ``run`` walks a subtree once and returns the hits."""

    def __init__(self, selectors: Iterable[tuple[str, str]]) -> None:
        self.by_class: dict[str, list[tuple[str, Simple]]] = {}
        self.by_id: dict[str, list[tuple[str, Simple]]] = {}
        self.by_tag: dict[str, list[tuple[str, Simple]]] = {}
        self.by_attr: dict[str, list[tuple[str, Simple]]] = {}  # attribute-only: by attribute name
        self.unsupported: list[str] = []
        for key, selector in selectors:
            for alternative in selector.split(","):
                simple = parse_simple(alternative)
                if simple is None:
                    self.unsupported.append(key)
                elif simple.classes:
                    self.by_class.setdefault(min(simple.classes), []).append((key, simple))
                elif simple.id is not None:
                    self.by_id.setdefault(simple.id, []).append((key, simple))
                elif simple.tag is not None:
                    self.by_tag.setdefault(simple.tag, []).append((key, simple))
                else:
                    self.by_attr.setdefault(simple.attrs[0][0], []).append((key, simple))
        self._xpath = self.candidates_xpath
        others = sorted(name for name in self.by_attr if name != "id")
        tests = " or ".join(f"@{name}" for name in others)
        self._other_attrs = etree.XPath(f"descendant-or-self::*[{tests}]") if others else None

    @property
    def candidates_xpath(self) -> etree.XPath | None:
        """Only elements with a class, an id or a tested attribute can match (None: tags need a full walk)."""
        if self.by_tag:
            return None
        tests = " or ".join(["@class", "@id", *(f"@{name}" for name in sorted(self.by_attr))])
        return etree.XPath(f"descendant-or-self::*[{tests}]")

    def candidates(self, root: HtmlElement, page: ElementIndex) -> list[HtmlElement]:
        """The elements under ``root`` that any selector may match, in document order, from the page's
        element index (a class token, an id, a tested attribute, a tag) instead of a walk over all."""
        order = {element: n for n, element in enumerate(root.iter())}
        pool: set[HtmlElement] = set()
        for token in self.by_class.keys() & page.by_class.keys():
            pool.update(page.by_class[token])
        for ident in self.by_id.keys() & page.by_id.keys():
            pool.update(page.by_id[ident])
        if "id" in self.by_attr:  # [id^='adv_']: any element with an id (the index has them all)
            for same_id in page.by_id.values():
                pool.update(same_id)
        if self._other_attrs is not None:
            pool.update(self._other_attrs(root))
        for tag in self.by_tag:
            pool.update(root.iter(tag))
        return sorted((element for element in pool if element in order), key=order.__getitem__)

    def run(self, root: HtmlElement, page: ElementIndex | None = None) -> dict[str, list[HtmlElement]]:
        """``page``: the element index of the page ``root`` belongs to (dom.PageIndex.elements)."""
        hits: dict[str, list[HtmlElement]] = {}
        if page is not None:
            elements: Iterable[HtmlElement] = self.candidates(root, page)
        else:
            elements = self._xpath(root) if self._xpath is not None else root.iter()
        for element in elements:
            tag = element.tag
            if not isinstance(tag, str):
                continue
            raw = element.get("class")
            classes = frozenset(raw.split()) if raw else frozenset()
            candidates: list[tuple[str, Simple]] = []
            for token in classes:
                candidates.extend(self.by_class.get(token, ()))
            element_id = element.get("id")
            if element_id:
                candidates.extend(self.by_id.get(element_id, ()))
            candidates.extend(self.by_tag.get(tag, ()))
            for name in self.by_attr:
                if element.get(name) is not None:
                    candidates.extend(self.by_attr[name])
            for key, simple in candidates:
                if simple.matches(element, classes):
                    found = hits.setdefault(key, [])
                    if not found or found[-1] is not element:
                        found.append(element)
        return hits


@lru_cache(maxsize=8)
def matcher_for(selectors: tuple[tuple[str, str], ...]) -> MultiMatcher:
    return MultiMatcher(selectors)
