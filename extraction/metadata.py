"""Page metadata every template can fall back on: meta tags, OpenGraph, JSON-LD, microdata.

Read once per page from the parsed tree; each value remembers where it came from so that --explain
can say which fallback supplied a field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from extraction.dom import HtmlElement, text_of
from extraction.normalize import site_name_variants
from extraction.text import clean_text

ORGANIZATION_TYPES = {"organization", "newsmediaorganization", "corporation"}
ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle"}


@dataclass
class PageMeta:
    metas: dict[str, str] = field(default_factory=dict)  # lower-cased name/property/itemprop -> content
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    canonical: str | None = None
    html_title: str = ""
    body_classes: str = ""
    article_tags: list[str] = field(default_factory=list)  # every <meta property="article:tag">
    # The site's own names, lower case (og:site_name, JSON-LD publisher, the domain once known): an
    # author field holding one of them names the paper, not a person.
    site_names: set[str] = field(default_factory=set)

    def meta(self, *names: str) -> tuple[str | None, str | None]:
        """(value, source) of the first non-empty meta among ``names``."""
        for name in names:
            value = clean_text(self.metas.get(name))
            if value:
                return value, f"meta {name}"
        return None, None

    @property
    def article_ld(self) -> dict[str, Any] | None:
        for item in self.jsonld:
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in ARTICLE_TYPES for k in kinds):
                return item
        return None

    def ld(self, key: str) -> Any:
        item = self.article_ld
        return item.get(key) if item else None

    def ld_authors(self) -> list[str]:
        value = self.ld("author")
        items = value if isinstance(value, list) else [value]
        names = []
        for item in items:
            # An Organization author is the paper itself, not a person who wrote the piece.
            if isinstance(item, dict) and str(item.get("@type", "")).lower() in ORGANIZATION_TYPES:
                continue
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str) and clean_text(name):
                names.append(clean_text(name))
        return names

    def breadcrumb_names(self) -> list[str]:
        for item in self.jsonld:
            if item.get("@type") == "BreadcrumbList":
                elements = item.get("itemListElement") or []
                names = []
                for element in elements if isinstance(elements, list) else []:
                    if isinstance(element, dict):
                        name = element.get("name") or (element.get("item") or {}).get("name")
                        if isinstance(name, str) and clean_text(name):
                            names.append(clean_text(name))
                return names
        return []


def _site_names(page: PageMeta) -> set[str]:
    names = [
        page.metas.get(key) for key in ("og:site_name", "application-name", "apple-mobile-web-app-title")
    ]
    for item in page.jsonld:
        kinds = item.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(kind, str) and kind.lower() in ORGANIZATION_TYPES for kind in kinds):
            names.extend(
                value for value in (item.get("name"), item.get("alternateName")) if isinstance(value, str)
            )
    publisher = page.ld("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        names.append(publisher["name"])
    return {variant for name in names for variant in site_name_variants(name)}


def _flatten(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [item for entry in data for item in _flatten(entry)]
    if isinstance(data, dict):
        graph = data.get("@graph")
        return [data, *_flatten(graph)] if graph else [data]
    return []


# Attribute values come back from libxml2 far faster than an element test on every node.
_ITEMPROPS = etree.XPath("//@itemprop")
_DATE_PROPS = {"datepublished", "datemodified", "datecreated"}


def read_meta(root: HtmlElement) -> PageMeta:
    page = PageMeta()
    for element in root.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (element.get(attribute) or "").strip().lower()
            if key == "article:tag":  # repeated, one tag each
                page.article_tags.append(content)
            if key and key not in page.metas:
                page.metas[key] = content
        # EPI writes the publication time as <meta class="cms-date" content="…"> (SISTER).
        if "cms-date" in (element.get("class") or "").split():
            page.metas.setdefault("cms-date", content)
    # Microdata dates on visible elements (<time itemprop="dateModified" datetime="…">).
    for attribute in _ITEMPROPS(root):
        key = str(attribute).strip().lower()
        element = attribute.getparent()
        if key not in _DATE_PROPS or element is None or element.tag == "meta" or key in page.metas:
            continue
        value = element.get("datetime") or element.get("content") or text_of(element)
        if value:
            page.metas[key] = value
    for element in root.iter("script"):
        if (element.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            page.jsonld.extend(_flatten(json.loads(element.text or "")))
        except (ValueError, RecursionError):
            continue  # a broken JSON-LD block is common; the visible page still counts
    for element in root.iter("link"):
        if "canonical" not in (element.get("rel") or "").lower().split():
            continue
        href = (element.get("href") or "").strip()
        if href:
            page.canonical = href
            break
    page.site_names = _site_names(page)
    title = next(root.iter("title"), None)
    page.html_title = text_of(title) if title is not None else ""
    body = root.find("body")
    page.body_classes = (body.get("class") or "") if body is not None else ""
    return page
