"""EPI CMS: the family template every paper on that CMS shares (baonghean.vn 2022–24, baolaocai.vn …).

Evidence (SISTER, a real 2025 Báo Lào Cai page in shared/real-pages): ``var cmsConfig = {…}``,
``h1.article__title.cms-title``, ``div.article__sapo.cms-desc``,
``div.article__body.zce-content-body.cms-body``
(paragraphs written as ``<div>``s), ``meta.cms-date[itemprop=datePublished]``, ``time.time[datetime]``,
tags in ``div.article__tags .box-content a``, ad slots ``div.sda_middle`` / ``#sdaWeb_*`` inside the body,
the author sign-off ``div.t1 > span.t2`` as the last body block, share buttons in ``.article__meta``.
A publisher's EPI era extends this class and changes only what differs.
"""

from __future__ import annotations

from extraction.templates.base import Template


class EpiTemplate(Template):
    name = "cms/epi"
    era = "epi"
    features = (
        (".article__body, .cms-body", "EPI .article__body/.cms-body"),
        (".article__title, .cms-title", "EPI .article__title/.cms-title"),
        (".article__sapo, .cms-desc", "EPI .article__sapo/.cms-desc"),
        ("meta.cms-date, .cms-author, .zce-content-body", "EPI cms-* markers"),
        (".article__tag, .article__tags, .article__meta", "EPI article meta/tag boxes"),
    )
    # On a domain we know nothing about, BEM names such as .article__body alone are not EPI: three
    # features (a publisher's EPI era, sure of its domain, may ask for fewer).
    min_features = 3
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
    # .article__meta holds the date and, on some papers, the names; on others only share buttons
    # (the name filter drops those).
    byline = (".article__author", ".cms-author", ".author", ".article__meta")
    visible_date = ("time", ".article__meta .time", ".article__meta", ".date")
    section = (".breadcrumbs a", ".breadcrumb a", ".article__cate a")
    tags = (
        ".article__tag .box-content a",
        ".article__tags .box-content a",
        ".article__tag a",
        ".article__tags a",
        ".tags a",
    )
