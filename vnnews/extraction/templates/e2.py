"""E2: EPI CMS, mid 2022 to mid 2024. Class names SISTER (EPI), order of parts SEEN in page text."""

from __future__ import annotations

from vnnews.extraction.templates.base import Template


class E2Template(Template):
    name = "baonghean/e2"
    era = "e2"
    features = (
        (".article__body, .cms-body", "EPI .article__body/.cms-body"),
        (".article__title, .cms-title", "EPI .article__title/.cms-title"),
        (".article__sapo, .cms-desc", "EPI .article__sapo/.cms-desc"),
        ("meta.cms-date, .cms-author, .zce-content-body", "EPI cms-* markers"),
        (".article__tag, .article__meta", "EPI article meta/tag boxes"),
    )
    min_features = 2
    container = (".article", "[itemtype*='NewsArticle']", ".col-left", ".main-content")
    body = (
        ".article__body",
        ".cms-body",
        "[itemprop='articleBody']",
        ".zce-content-body",
        ".article-content",
    )
    title = ("h1.article__title", ".cms-title", ".article__title", "h1")
    lead = (".article__sapo", ".cms-desc", ".sapo")
    byline = (".article__author", ".cms-author", ".author", ".article__meta")
    visible_date = ("time", ".article__meta .time", ".article__meta", ".date")
    section = (".breadcrumbs a", ".breadcrumb a", ".article__cate a")
    tags = (".article__tag .box-content a", ".article__tag a", ".tags a")
