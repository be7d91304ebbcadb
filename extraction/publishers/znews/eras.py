"""Znews's era templates (its own CMS, not EPI despite ``-post<id>``). Selectors SEEN in a real 2025 page."""

from __future__ import annotations

from extraction.templates.base import Template


class E1Template(Template):
    """E1: the site as served in 2025. ``article.the-article``: ``h1.the-article-title``, sapo
    ``p.the-article-summary``, ``li.the-article-publish`` "Thứ ba, 23/12/2025 09:02 (GMT+7)", section
    ``.the-article-category a``, body ``.the-article-body``, author ``.the-article-credit``, tags in
    ``p.the-article-tags`` as links, ``strong`` and ``span`` alike."""

    name = "znews/e1"
    era = "e1"
    features = (
        (".the-article-body", "Znews .the-article-body"),
        (".the-article-title, .the-article-header", "Znews .the-article-title"),
        (".the-article-summary", "Znews .the-article-summary"),
        (".the-article-meta, .the-article-publish", "Znews .the-article-meta"),
        (".the-article-tags", "Znews .the-article-tags"),
    )
    container = ("article.the-article", ".the-article")
    body = (".the-article-body",)
    title = ("h1.the-article-title", "h1")
    lead = (".the-article-summary",)
    byline = (".the-article-credit", ".the-article-author")
    visible_date = (".the-article-publish",)
    section = (".the-article-category a",)
    tags = (".the-article-tags > a, .the-article-tags > strong, .the-article-tags > span",)


TEMPLATES: tuple[Template, ...] = (E1Template(),)
