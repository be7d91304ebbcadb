"""The element index answers CSS queries exactly as cssselect does (extraction/selectindex.py).

Every query that extraction makes on every fixture page (each era, the generic pages, the real
Vietnamese pages, the not-articles) is run both ways, at the moment it is made (after the boilerplate
rules removed what they remove): same elements, same order. Plus the selector forms one by one on a
page written to trip them up (nested matches, unions out of order, removed elements, odd whitespace).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest

from extraction import dom
from extraction.article import ExtractionError
from extraction.dom import PageIndex, css, indexed, parse, remove
from extraction.engine import extract
from extraction.selectindex import parse_query
from tests.fixture_paths import FIXTURES

PAGES = sorted(FIXTURES.rglob("*.html"))


def by_css(root: dom.HtmlElement, selector: str) -> list[dom.HtmlElement]:
    return [el for el in css(selector)(root) if isinstance(el.tag, str)]


def test_every_query_of_every_fixture_is_answered_as_cssselect_does(monkeypatch: pytest.MonkeyPatch) -> None:
    plain_select = dom.select
    answered: list[str] = []

    def checked(root: dom.HtmlElement, selector: str) -> list[dom.HtmlElement]:
        found = plain_select(root, selector)
        assert found == by_css(root, selector), selector
        if parse_query(selector) is not None:
            answered.append(selector)
        return found

    modules = [module for name, module in sys.modules.items() if name.startswith("extraction.")]
    patched = [module for module in modules if getattr(module, "select", None) is plain_select]
    for module in patched:
        monkeypatch.setattr(module, "select", checked)
    assert len(patched) >= 5
    assert len(PAGES) > 40
    for page in PAGES:
        with contextlib.suppress(ExtractionError):  # not-articles: their queries were checked too
            extract(page.read_bytes())
    assert len(answered) > 500  # the index did answer (not everything fell back to cssselect)


PAGE = """<html><head><title>t</title></head><body class="page">
<div id="main" class="wrap  outer&#10;box"><div class="wrap inner"><h1 class="title big">A</h1>
<p class="sapo">lead</p><span class="sapo">s</span></div>
<article><time datetime="2025-01-01">x</time><time>y</time><a class="tag" href="/t">t1</a></article>
<div class="wrap"><p class="title">B</p><a class="tag">t2</a></div></div>
<p class="title&#160;x">nbsp is not a separator</p><p id="main">second id</p>
<div class="gone"><p class="sapo">removed</p></div><figure><figcaption>c</figcaption></figure>
</body></html>"""

SELECTORS = [
    ".title",
    "h1.title",
    ".title.big",
    ".wrap .title",
    ".wrap.outer .wrap .title",
    "#main",
    "#main .sapo",
    "p.sapo, .tag, h1",  # a union out of document order
    ".tag, .tag",
    "time[datetime]",
    "time",
    "article a",
    "body .wrap",
    ".page",
    ".outer",
    ".box .inner p",
    "figcaption, .title, .sapo",
    ".missing",
    "div .missing, .sapo",
    "H1",
]


@pytest.mark.parametrize("selector", SELECTORS)
def test_selector_forms(selector: str) -> None:
    root = parse(PAGE)
    index = PageIndex(root)
    remove(dom.select(root, ".gone")[0])  # removed after indexing: must not be answered
    subtree = dom.select(root, "#main")[0]
    with indexed(index):
        for where in (root, subtree, root.find("body")):
            expected = by_css(where, selector) if parse_query(selector) is not None else None
            if expected is not None:
                assert dom.select(where, selector) == expected, (selector, where.tag)


def test_what_the_index_leaves_to_cssselect() -> None:
    for selector in ("div > p", "a[href*='x']", "p:first-child", "*", ".a + .b", "#a#b", "a\\:b", ""):
        assert parse_query(selector) is None, selector


def test_a_detached_or_foreign_tree_falls_back(tmp_path: Path) -> None:
    root = parse(PAGE)
    other = parse(PAGE)
    with indexed(PageIndex(root)):
        assert dom.select(other, ".title") == by_css(other, ".title")
        detached = dom.select(root, ".gone")[0]
        remove(detached)
        assert dom.select(detached, ".sapo") == by_css(detached, ".sapo") != []


def test_the_boilerplate_matcher_finds_the_same_from_the_index() -> None:
    """MultiMatcher.run over the index's candidates == its walk over every element, on every page and
    on each page's body subtree."""
    from extraction.matcher import MultiMatcher
    from extraction.rules import SELECTOR_RULES

    rules = [(rule.id, rule.selector) for rule in SELECTOR_RULES if rule.selector and rule.text is None]
    rules = [(key, selector) for key, selector in rules if not any(c in selector for c in ">:+~")]
    rules.append(("any-class", "[class]"))
    matcher = MultiMatcher(rules)
    checked = 0
    for page in PAGES:
        try:
            root = parse(page.read_bytes())
        except ExtractionError:
            continue
        index = PageIndex(root)
        for where in (root, root.find("body")):
            if where is not None:
                assert matcher.run(where, index.elements) == matcher.run(where), page.name
                checked += 1
    assert checked > 40
