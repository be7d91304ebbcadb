"""CSS queries answered from one pass over the page instead of one XPath scan each.

A template asks a page ~18 CSS queries (title, sapo, byline, dates, section, tags, body, figures).
Each compiled CSSSelector is an XPath scan that tests a predicate on every node: ~65 µs on a
250-element page whatever the selector, about half of all extraction time. ``ElementIndex`` reads the
page's class and id attributes once (libxml2 hands them over with their elements) and then answers
the queries templates are made of from dictionaries: comma lists of compound selectors (a tag,
classes, an id, attributes that must be present) joined by descendant combinators (``.a h1.t``).
Anything else (``>``, pseudo-classes, attribute values) returns None and the caller runs the CSS
query. Both give the same elements in the same (document) order; tests/extraction/test_select_index.py
runs every query of every fixture both ways.

The tree may lose elements while its index is in use (boilerplate rules remove them), never gain
any: every answer keeps only elements still under the query root.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

Element = etree._Element

# What CSS splits a class list on (XPath normalize-space: space, tab, CR, LF; not U+00A0).
_XML_SPACE = re.compile("[ \t\r\n]+")
_IDENT = r"-?[A-Za-z_][A-Za-z0-9_-]*"
_COMPOUND = re.compile(rf"^(?P<tag>{_IDENT})?(?P<parts>(?:\.{_IDENT}|#{_IDENT}|\[\s*{_IDENT}\s*\])*)$")
_PART = re.compile(rf"\.({_IDENT})|#({_IDENT})|\[\s*({_IDENT})\s*\]")
# Attribute values of every element that has one, with the element (libxml2 does the walk).
_CLASS_VALUES = etree.XPath("//@class")
_ID_VALUES = etree.XPath("//@id")


@dataclass(frozen=True, slots=True)
class Compound:
    tag: str | None  # lower case: the HTML parser's and cssselect's HTML translation
    classes: tuple[str, ...]
    id: str | None
    attrs: tuple[str, ...]  # attributes that must be present (lower case)

    def matches(self, element: Element) -> bool:
        if self.tag is not None and element.tag != self.tag:
            return False
        if self.id is not None and element.get("id") != self.id:
            return False
        for name in self.attrs:
            if element.get(name) is None:
                return False
        if self.classes:
            raw = element.get("class")
            if not raw or not all(name in raw for name in self.classes):  # cheap: most fail here
                return False
            tokens = _XML_SPACE.split(raw)
            return all(name in tokens for name in self.classes)
        return True


def _compound(text: str) -> Compound | None:
    match = _COMPOUND.match(text)
    if match is None or not text:
        return None
    classes: list[str] = []
    id_: str | None = None
    attrs: list[str] = []
    for cls, ident, attr in _PART.findall(match.group("parts")):
        if cls:
            classes.append(cls)
        elif ident:
            if id_ is not None and id_ != ident:
                return None  # "#a#b" matches nothing; rare enough to leave to cssselect
            id_ = ident
        else:
            attrs.append(attr.lower())
    tag = match.group("tag")
    return Compound(tag.lower() if tag else None, tuple(classes), id_, tuple(attrs))


@lru_cache(maxsize=1024)
def parse_query(selector: str) -> tuple[tuple[Compound, ...], ...] | None:
    """The selector as alternatives of descendant chains, or None when it needs cssselect."""
    alternatives = []
    for alternative in selector.split(","):
        words = alternative.split()
        if not words:
            return None
        chain = tuple(_compound(word) for word in words)
        if any(part is None for part in chain):
            return None
        alternatives.append(chain)
    return tuple(alternatives)  # type: ignore[arg-type]


class ElementIndex:
    """One parsed page's elements by class token and by id, in document order."""

    def __init__(self, root: Element) -> None:
        self.root = root
        self.by_class: dict[str, list[Element]] = {}
        self.by_id: dict[str, list[Element]] = {}
        for value in _CLASS_VALUES(root):
            element = value.getparent()
            # CSS's tokens, and Python's (str.split also splits on U+00A0, \x0b...): candidates for
            # both kinds of matching (MultiMatcher reads classes with str.split); each match is exact.
            if value.isascii() and value.isprintable():  # spaces only: both splits agree
                tokens = set(value.split())
            else:
                tokens = set(_XML_SPACE.split(value)).union(value.split())
                tokens.discard("")
            for token in tokens:
                self.by_class.setdefault(token, []).append(element)
        for value in _ID_VALUES(root):
            self.by_id.setdefault(str(value), []).append(value.getparent())
        self._positions: dict[Element, int] | None = None

    def select(self, root: Element, selector: str) -> list[Element] | None:
        """The elements ``css(selector)(root)`` would give, or None when this index cannot tell."""
        query = parse_query(selector)
        if query is None or not self._in_tree(root):
            return None
        found: list[Element] = []
        answered = 0
        for chain in query:
            hits = self._chain(root, chain)
            if hits:
                answered += 1
                found.extend(hits)
        if answered > 1:  # a union: document order, each element once (as XPath gives it)
            positions = self._position_map()
            found = sorted(dict.fromkeys(found), key=positions.__getitem__)
        return found

    def _chain(self, root: Element, chain: tuple[Compound, ...]) -> list[Element]:
        """Elements under ``root`` (or itself) matching a descendant chain, in document order."""
        last = chain[-1]
        if len(chain) == 1 or last.id is not None or last.classes:
            # Few candidates (by id or class): each one's ancestors are checked.
            return [el for el in self._candidates(root, last) if _has_ancestors(el, chain[:-1], root)]
        # A tag last (".breadcrumb a"): down from the outermost elements matching the rest, so that
        # not every <a> of the page climbs its ancestors. Outermost anchors do not nest, so what they
        # hold is disjoint and in document order.
        found: list[Element] = []
        for anchor in _outermost(self._chain(root, chain[:-1])):
            found.extend(
                el
                for el in anchor.iterdescendants(last.tag or "*")
                if isinstance(el.tag, str) and last.matches(el)
            )
        return found

    def _in_tree(self, root: Element) -> bool:
        top = root
        parent = top.getparent()
        while parent is not None:
            top, parent = parent, parent.getparent()
        return top is self.root

    def _candidates(self, root: Element, last: Compound) -> list[Element]:
        if last.id is not None:
            pool = self.by_id.get(last.id, ())
        elif last.classes:
            pool = min((self.by_class.get(name, ()) for name in last.classes), key=len)
        else:  # a tag (possibly with attributes): libxml2's own walk of the live subtree
            return [el for el in root.iter(last.tag or "*") if isinstance(el.tag, str) and last.matches(el)]
        return [el for el in pool if last.matches(el) and is_inside(el, root)]

    def _position_map(self) -> dict[Element, int]:
        if self._positions is None:
            self._positions = {el: n for n, el in enumerate(self.root.iter())}
        return self._positions


def _outermost(elements: list[Element]) -> list[Element]:
    """Elements (in document order) not inside an earlier one of them."""
    kept: list[Element] = []
    for element in elements:
        if not kept or not is_inside(element, kept[-1]):
            kept.append(element)
    return kept


def is_inside(element: Element, root: Element) -> bool:
    """``element`` is ``root`` or inside it (a removed element no longer is)."""
    node: Element | None = element
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def _has_ancestors(element: Element, chain: tuple[Compound, ...], root: Element) -> bool:
    """Ancestors of ``element`` up to ``root`` (included) match ``chain`` right to left. The nearest
    matching ancestor is always the right choice: it leaves the most ancestors for the rest."""
    node: Element | None = element
    for compound in reversed(chain):
        if node is None or node is root:
            return False  # nothing above the query root counts
        node = node.getparent()
        while node is not None and not compound.matches(node):
            if node is root:
                return False
            node = node.getparent()
        if node is None:
            return False
    return True
