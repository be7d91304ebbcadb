"""A site template is a small declarative class: selectors (with fallbacks) plus a few hooks.

The class holds no state between pages; every method takes the parsed tree and returns values.
Fields a selector cannot find fall back to page metadata (JSON-LD, OpenGraph, meta, microdata).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extraction import dates, publishers
from extraction.article import Image
from extraction.body import walk_body
from extraction.dom import (
    HtmlElement,
    PageIndex,
    first,
    is_inside,
    precedes,
    select,
    text_of,
    texts,
)
from extraction.explain import Explanation
from extraction.metadata import PageMeta
from extraction.normalize import looks_like_name, split_authors, strip_lead_prefix
from extraction.rules import apply_selector_rules, apply_text_rules
from extraction.templates.legacy import take_lead, take_signoff, take_source
from extraction.text import clean_text

# Names of the paper itself come from the publisher specs (their site words).
PUBLISHER_NAMES = publishers.site_names()
_HOME_NAMES = {"trang chủ", "home", "tin tức", *PUBLISHER_NAMES}
# " - Báo Nghệ An", " | baonghean.vn", possibly followed by more site words ("| Báo Nghệ An - Tin tức…").
_TITLE_SUFFIX = re.compile(
    r"\s+[-|–—]\s+(?:"
    + "|".join(p.title_suffix for p in publishers.PUBLISHERS.values() if p.title_suffix)
    + r")(?:\s*(?:điện tử|online))?(?:\s+[-|–—]\s+.*)?$",
    re.IGNORECASE,
)


@dataclass
class Fields:
    """Everything a template extracts from one page (the engine adds url, id and publisher)."""

    title: str = ""
    lead: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    source: str | None = None  # "TTXVN" from a "Theo TTXVN" line: whose text it is, never an author


def strip_site_suffix(title: str) -> str:
    return _TITLE_SUFFIX.sub("", title).strip() or title


def meta_title(page: PageMeta) -> tuple[str | None, str | None]:
    value, where = page.meta("og:title", "twitter:title")
    if value:
        return strip_site_suffix(value), where
    headline = page.ld("headline")
    if isinstance(headline, str) and clean_text(headline):
        return clean_text(headline), "JSON-LD headline"
    if page.html_title:
        return strip_site_suffix(page.html_title), "<title>"
    return None, None


def meta_dates(page: PageMeta) -> tuple[tuple[str | None, str | None], tuple[str | None, str | None]]:
    """((published, source), (modified, source)) from meta tags and JSON-LD."""
    published: tuple[str | None, str | None] = (None, None)
    for value, where in (
        page.meta("article:published_time"),
        (page.ld("datePublished"), "JSON-LD datePublished"),
        page.meta(
            "datepublished", "pubdate", "publishdate", "og:published_time", "dc.date.issued", "cms-date"
        ),
    ):
        iso = dates.parse_iso(value) if isinstance(value, str) else None
        if iso:
            published = (iso, where)
            break
    modified: tuple[str | None, str | None] = (None, None)
    for value, where in (
        page.meta("article:modified_time"),
        (page.ld("dateModified"), "JSON-LD dateModified"),
        page.meta("datemodified", "og:updated_time", "lastmod"),
    ):
        iso = dates.parse_iso(value) if isinstance(value, str) else None
        if iso:
            modified = (iso, where)
            break
    return published, modified


def _not_the_article(names: list[str], title: str | None) -> list[str]:
    """Breadcrumbs often end with the article itself: its title is not a section."""
    own = clean_text(title).casefold() if title else None
    return [name for name in names if name.lower() not in _HOME_NAMES and name.casefold() != own]


def meta_section(page: PageMeta, title: str | None = None) -> tuple[str | None, str | None]:
    crumbs = _not_the_article(page.breadcrumb_names(), title)
    if crumbs:
        return crumbs[-1], "JSON-LD BreadcrumbList"
    section = page.ld("articleSection")
    if isinstance(section, list):
        section = section[0] if section else None
    if isinstance(section, str) and clean_text(section):
        return clean_text(section), "JSON-LD articleSection"
    return page.meta("article:section")


def _not_site(name: str, page: PageMeta | None) -> bool:
    own = page.site_names if page is not None else ()
    return name.lower() not in PUBLISHER_NAMES and name.lower() not in own


def _people(names: list[str], page: PageMeta | None = None) -> list[str]:
    """Names that are people or newsrooms: the paper's own name (any known paper's, or this page's
    site name) is not a byline, nor is a share button or a follow line."""
    return [name for name in names if _not_site(name, page) and looks_like_name(name)]


def meta_authors(page: PageMeta) -> tuple[list[str], str | None]:
    names = _people(
        [name for raw in page.ld_authors() if _not_site(raw, page) for name in split_authors(raw)], page
    )
    if names:
        return names, "JSON-LD author"
    value, where = page.meta("article:author", "cms-author", "author", "dc.creator")
    if value and not value.startswith("http") and _not_site(value, page):
        names = _people(split_authors(value), page)
        if names:
            return names, where
    return [], None


def byline_names(element: HtmlElement) -> list[str]:
    """Names of a byline element; one link per author counts even with no separator between links
    ("<a>Quốc Sơn</a><a>Hữu Quân</a>" reads as one run of text)."""
    names = split_authors(text_of(element))
    linked = [name for link in element.iter("a") for name in split_authors(text_of(link))]
    return linked if len(linked) > len(names) else names


def clean_tags(values: list[str]) -> list[str]:
    """Tag link texts without "#" marks or separators, duplicates dropped, page order kept."""
    tags: list[str] = []
    for value in values:
        tag = value.strip().lstrip("#").strip(" ,;").strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def meta_tags(page: PageMeta) -> tuple[list[str], str | None]:
    keywords = page.ld("keywords")
    if isinstance(keywords, list):
        keywords = ", ".join(k for k in keywords if isinstance(k, str))
    where: str | None = "JSON-LD keywords"
    if (not isinstance(keywords, str) or not keywords.strip()) and page.article_tags:
        keywords, where = ", ".join(page.article_tags), "meta article:tag"
    if not isinstance(keywords, str) or not keywords.strip():
        keywords, where = page.meta("news_keywords", "keywords")
    if not keywords:
        return [], None
    tags = []
    for part in keywords.split(","):
        tag = clean_text(part)
        if tag and tag not in tags:
            tags.append(tag)
    return tags, where


class Template:
    """Selectors and hooks of one era; subclasses override the class attributes."""

    name = "?"
    era = "?"
    # The first day (YYYY-MM-DD) this era's markup was no longer served; ties between eras are broken
    # by the capture date (see engine.choose_template).
    valid_until = "9999-12-31"
    # (CSS selector, what it means): the more of these a page has, the surer the match.
    features: tuple[tuple[str, str], ...] = ()
    min_features = 2
    container: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    title: tuple[str, ...] = ("h1",)
    lead: tuple[str, ...] = ()
    byline: tuple[str, ...] = ()
    visible_date: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # Tags from keywords / article:tag meta when the page shows no tag list: on every page seen the
    # site fills the keywords and the tag list from one field.
    tags_from_keywords = True
    # Legacy body conventions (see templates/legacy.py): a wholly bold first paragraph is the sapo and
    # a wholly bold last line the sign-off (E1 only; elsewhere the dateline / right alignment decide).
    legacy_bold = False
    # The bottom sign-off is the author even when a byline or metadata names someone (E1).
    signoff_first = False

    # -- choosing ------------------------------------------------------------------------------
    def matched_features(self, root: HtmlElement, index: PageIndex | None = None) -> list[str]:
        index = index or PageIndex(root)
        # Features are class/id selectors: the page index answers them without scanning the tree.
        return [why for selector, why in self.features if index.may_match(selector)]

    def fingerprint(self, root: HtmlElement, index: PageIndex | None = None) -> str | None:
        """Why this template fits the page, or None when it does not."""
        found = self.matched_features(root, index)
        if len(found) >= self.min_features:
            return ", ".join(found)
        return None

    # -- extracting ----------------------------------------------------------------------------
    def extract(
        self, root: HtmlElement, page: PageMeta, explanation: Explanation, index: PageIndex | None = None
    ) -> Fields:
        body = first(root, *self.body) if self.body else None
        found = self.find_container(root, body)
        if found is None:
            explanation.notes.append(f"{self.name}: no article container, using <body>")
            found = root.find("body")
        container: HtmlElement = found if found is not None else root
        fields = Fields()
        fields.title = self.extract_title(container, root, page, explanation)
        fields.lead = self.extract_lead(container, body, page, explanation)
        # A "Theo TTXVN" line credits the text to another outlet: the source, never an author.
        fields.source = take_source(body) if body is not None else None
        fields.authors = self.extract_authors(container, body, page, explanation)
        if fields.source is None and body is not None:
            fields.source = take_source(body)
        explanation.source("source", "'Theo …' line at the bottom of the body" if fields.source else None)
        fields.published_at, fields.modified_at = self.extract_dates(container, page, explanation)
        fields.section = self.extract_section(container, root, page, explanation, fields.title)
        fields.tags = self.extract_tags(container, root, page, explanation)
        apply_selector_rules(container, body, explanation.rules, index=index or PageIndex(root))
        if body is None:
            explanation.notes.append(f"{self.name}: no body element found; body is empty")
            return fields
        blocks = walk_body(body)
        paragraphs = apply_text_rules(blocks.paragraphs, explanation.rules)
        fields.paragraphs = self.tidy_paragraphs(paragraphs, fields)
        fields.images = blocks.images
        return fields

    def find_container(self, root: HtmlElement, body: HtmlElement | None) -> HtmlElement | None:
        """The first container candidate that holds the body (a teaser <article> in a list does not)."""
        for selector in self.container:
            for element in select(root, selector):
                if body is None or is_inside(body, element):
                    return element
        return None

    def tidy_paragraphs(self, paragraphs: list[str], fields: Fields) -> list[str]:
        """Drop a repeated title or lead at the top of the body (some pages print the sapo twice)."""
        out = list(paragraphs)
        while out and (out[0] == fields.title or (fields.lead and strip_lead_prefix(out[0]) == fields.lead)):
            out.pop(0)
        return out

    def extract_title(
        self, container: HtmlElement, root: HtmlElement, page: PageMeta, explanation: Explanation
    ) -> str:
        element = first(container, *self.title)
        if element is None:
            element = first(root, *self.title)
        if element is not None and text_of(element):
            explanation.source("title", "page heading")
            return text_of(element)
        value, where = meta_title(page)
        explanation.source("title", where)
        return value or ""

    def extract_lead(
        self, container: HtmlElement, body: HtmlElement | None, page: PageMeta, explanation: Explanation
    ) -> str | None:
        element = self.find_lead(container, body)
        if element is not None:
            explanation.source("lead", "sapo element")
            return strip_lead_prefix(text_of(element))
        lead = take_lead(body, self.legacy_bold) if body is not None else None
        if lead:
            explanation.source("lead", "first body paragraph (legacy sapo)")
        return lead

    def find_lead(self, container: HtmlElement, body: HtmlElement | None) -> HtmlElement | None:
        """The first sapo element not placed after the body (a teaser list below has sapos too)."""
        for selector in self.lead:
            for element in select(container, selector):
                if body is None or is_inside(element, body) or precedes(element, body):
                    return element
        return None

    def extract_authors(
        self, container: HtmlElement, body: HtmlElement | None, page: PageMeta, explanation: Explanation
    ) -> list[str]:
        # A sign-off at the bottom is never body text; it names the author when nothing better does.
        signoff = _people(take_signoff(body, self.legacy_bold), page) if body is not None else []
        if signoff and self.signoff_first:
            explanation.source("authors", "sign-off at the bottom of the body")
            return signoff
        element = first(container, *self.byline) if self.byline else None
        if element is not None and _not_site(text_of(element), page):
            names = _people(byline_names(element), page)
            if names:
                explanation.source("authors", "byline")
                return names
        names = self.names_beside_date(container, page)
        if names:
            explanation.source("authors", "names before the visible date")
            return names
        names, where = meta_authors(page)
        if not names and signoff:
            explanation.source("authors", "sign-off at the bottom of the body")
            return signoff
        explanation.source("authors", where)
        return names

    def names_beside_date(self, container: HtmlElement, page: PageMeta | None = None) -> list[str]:
        """Names on the visible date line ("Ngân Hạnh - Đình Tuyên - 19/06/2025 19:22" in one element)."""
        for selector in self.visible_date:
            for element in select(container, selector):
                text = text_of(element)
                if dates.parse_visible(text):
                    names = _people(split_authors(text), page)
                    if names:
                        return names
        return []

    def extract_dates(
        self, container: HtmlElement, page: PageMeta, explanation: Explanation
    ) -> tuple[str | None, str | None]:
        (published, where), (modified, modified_where) = meta_dates(page)
        if published is None:
            for element in select(container, "time[datetime]"):
                published = dates.parse_iso(element.get("datetime"))
                if published:
                    where = "time[datetime]"
                    break
        # The date can share one element with the byline ("Quang An - 14/10/2025 08:45").
        for selector in (*self.visible_date, *self.byline) if published is None else ():
            shown = select(container, selector)
            published = dates.parse_visible(text_of(shown[0])) if shown else None
            if published:
                where = f"visible date {selector} (day first)"
                break
        if published is not None and published.endswith("T00:00:00+07:00"):
            # A date-only meta date (midnight): the visible date of the same day has its time of day.
            for selector in self.visible_date:
                shown = select(container, selector)
                timed = dates.parse_visible(text_of(shown[0])) if shown else None
                if timed and timed[:10] == published[:10] and not timed.endswith("T00:00:00+07:00"):
                    published, where = timed, f"{where} + time of day from {selector}"
                    break
        explanation.source("published_at", where)
        explanation.source("modified_at", modified_where)
        return published, modified

    def extract_section(
        self,
        container: HtmlElement,
        root: HtmlElement,
        page: PageMeta,
        explanation: Explanation,
        title: str | None = None,
    ) -> str | None:
        for selector in self.section:
            found = select(container, selector) or select(root, selector)
            names = _not_the_article(texts(found), title)
            if names:
                explanation.source("section", f"page element {selector}")
                return names[-1]
        value, where = meta_section(page, title)
        explanation.source("section", where)
        return value

    def extract_tags(
        self, container: HtmlElement, root: HtmlElement, page: PageMeta, explanation: Explanation
    ) -> list[str]:
        for selector in self.tags:
            found = clean_tags(texts(select(container, selector) or select(root, selector)))
            if found:
                explanation.source("tags", f"tag list {selector}")
                return found
        if self.tags_from_keywords:
            tags, where = meta_tags(page)
            explanation.source("tags", where)
            return tags
        return []
