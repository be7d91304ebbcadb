"""The generic fallback for pages no site template recognises.

Metadata comes from JSON-LD/OpenGraph/meta, the body from trafilatura (imported lazily: it is slow to
import and only needed here), then the same text-pattern boilerplate rules and lead-prefix stripping.
"""

from __future__ import annotations

import copy

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
from vnnews.text import clean_text

NAME = "generic"
_CONTENT_SELECTORS = (
    "[itemprop='articleBody']",
    "article .content",
    "article",
    ".article-content",
    ".entry-content",
    ".post-content",
    ".content",
    "main",
)


def _trafilatura_paragraphs(root: HtmlElement) -> list[str]:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    try:
        text = trafilatura.extract(
            copy.deepcopy(root),
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


def extract_generic(root: HtmlElement, page: PageMeta, explanation: Explanation) -> Fields:
    fields = Fields()
    heading = first(root, "h1")
    title, where = (
        (text_of(heading), "page heading <h1>") if heading is not None and text_of(heading) else (None, None)
    )
    if not title:
        title, where = meta_title(page)
    fields.title = strip_site_suffix(title or "")
    explanation.source("title", where)

    description = page.ld("description")
    lead_raw, lead_where = (
        (description, "JSON-LD description") if isinstance(description, str) else (None, None)
    )
    if not lead_raw:
        lead_raw, lead_where = page.meta("og:description", "description")
    byline = first(root, ".author, [rel='author'], [itemprop='author']")
    authors = split_authors(text_of(byline)) if byline is not None else []
    if authors:
        explanation.source("authors", "byline element")
    else:
        authors, author_where = meta_authors(page)
        explanation.source("authors", author_where)
    fields.authors = authors
    (fields.published_at, published_where), (fields.modified_at, modified_where) = meta_dates(page)
    explanation.source("published_at", published_where)
    explanation.source("modified_at", modified_where)
    fields.section, section_where = meta_section(page)
    explanation.source("section", section_where)
    fields.tags, tags_where = meta_tags(page)
    explanation.source("tags", tags_where)

    paragraphs = [strip_digest_marker(p) for p in _trafilatura_paragraphs(root)]
    explanation.source("paragraphs", "trafilatura")
    # The sapo often opens the extracted text with its dateline: it is the lead, not body text.
    if paragraphs and has_lead_prefix(paragraphs[0]):
        lead_raw, lead_where = paragraphs.pop(0), "first paragraph with the (Baonghean.vn) dateline"
    fields.lead = strip_lead_prefix(lead_raw) if lead_raw else None
    explanation.source("lead", lead_where)
    paragraphs = [p for p in paragraphs if p not in (fields.title, fields.lead)]
    fields.paragraphs = apply_text_rules(paragraphs, explanation.rules)

    content = first(root, *_CONTENT_SELECTORS)
    if content is not None:
        fields.images = walk_body(content).images
        captions = tuple(image.caption for image in fields.images if image.caption)
        fields.paragraphs = [p for p in fields.paragraphs if not (captions and p.startswith(captions))]
    elif select(root, "figure img"):
        explanation.notes.append("generic: figures found outside any content container were ignored")
    return fields
