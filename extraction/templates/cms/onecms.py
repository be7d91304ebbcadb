"""OneCMS: the family template of papers on that CMS (baonghean.vn since 2024; SISTER sites).

Longform header (``.sc-longform-header-*``: title, sapo, author, date, category), body in
``.b-maincontent .entry``, tags in ``.c-widget-tags.onecms__tags``. A publisher's OneCMS era extends
this class and changes only what differs.
"""

from __future__ import annotations

from extraction.templates.base import Template


class OneCmsTemplate(Template):
    name = "cms/onecms"
    era = "onecms"
    features = (
        (".sc-longform-header-title, .sc-longform-header", "OneCMS longform header"),
        (".b-maincontent .entry, .b-maincontent", "OneCMS .b-maincontent body"),
        (".c-news-detail", "OneCMS .c-news-detail wrapper"),
        (".onecms__tags, .c-widget-tags", "OneCMS tag widget"),
        (".sc-longform-header-sapo, .block-sc-sapo", "OneCMS sapo"),
    )
    min_features = 3  # on an unknown domain; a publisher's era may ask for fewer
    container = (".c-news-detail", ".c-detail", ".detail-content", "article", ".c-col-main")
    body = (
        ".b-maincontent .entry",
        ".b-maincontent",
        ".entry",
        ".c-news-detail__content",
        ".detail-content",
        "[itemprop='articleBody']",
        ".article-content",
    )
    title = ("h1.sc-longform-header-title", ".sc-longform-header-title", ".block-sc-title", "h1")
    lead = (".sc-longform-header-sapo", ".block-sc-sapo", ".c-news-detail__sapo", ".sapo")
    # The header meta line is "Ngân Hạnh - Đình Tuyên - 19/06/2025 19:22" (SEEN): without an author
    # span the whole line is the byline and split_authors drops the date.
    byline = (
        ".sc-longform-header-author",
        ".block-sc-author",
        ".c-news-detail__author",
        ".author",
        ".sc-longform-header-meta",
    )
    visible_date = (".sc-longform-header-date", ".block-sc-publish-time", ".sc-longform-header-meta", ".time")
    section = (".sc-longform-header-cate a", ".sc-longform-header-cate", ".breadcrumb a", ".c-breadcrumb a")
    tags = (".c-widget-tags.onecms__tags a", ".c-widget-tags a", ".onecms__tags a", ".tags a")
