"""Báo Nghệ An's era templates, newest first (the order breaks ties between equally good matches).

Each era names the date its markup stopped being served (``valid_until``): when markup fits several
eras equally, the capture date picks the era that was live then.
"""

from __future__ import annotations

from vnnews.extraction.templates.base import Template


class E3Template(Template):
    """E3: OneCMS, mid/late 2024 to now (the live site). Selectors SEEN on baonghean.vn or SISTER sites."""

    name = "baonghean/e3"
    era = "e3"
    valid_until = "9999-12-31"
    features = (
        (".sc-longform-header-title, .sc-longform-header", "OneCMS longform header"),
        (".b-maincontent .entry, .b-maincontent", "OneCMS .b-maincontent body"),
        (".c-news-detail", "OneCMS .c-news-detail wrapper"),
        (".onecms__tags, .c-widget-tags", "OneCMS tag widget"),
        (".sc-longform-header-sapo, .block-sc-sapo", "OneCMS sapo"),
    )
    min_features = 2
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


class E2Template(Template):
    """E2: EPI CMS, mid 2022 to mid 2024. Class names SISTER (EPI), order of parts SEEN in page text."""

    name = "baonghean/e2"
    era = "e2"
    valid_until = "2024-07-01"
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


class E1Template(Template):
    """E1: the old CMS, ~2016 to mid 2022 (selectors SEEN in two public crawler configs for this site).

    The sapo is the first ``p > strong`` of ``#content`` (with the "(Baonghean.vn) - " dateline) and the
    author is a right-aligned bold sign-off at the bottom of ``#content``; neither is body text.
    """

    name = "baonghean/e1"
    era = "e1"
    valid_until = "2022-07-01"
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
    # Usually the sapo is the bold first paragraph of #content; some pages set it apart above.
    lead = ("#sapo", ".sapo", "h2.summary", ".summary")
    visible_date = ("#date", ".date")
    section = ("#nav a",)
    tags = ("#tags_list a", ".tags a")
    # E1 has no sapo or byline element: both live in #content, bold.
    legacy_bold = True
    signoff_first = True


TEMPLATES: tuple[Template, ...] = (E3Template(), E2Template(), E1Template())
