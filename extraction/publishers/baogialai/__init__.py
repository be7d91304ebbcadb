"""Báo Gia Lai (baogialai.com.vn): a provincial paper on the EPI CMS, read by the EPI family template.

No page of this paper is in shared/real-pages. SEEN in public code: the crawler config
tammuoichanhoa/crawl_lastest_news crawler/site_configs/baogialai.com.vn.yml (EPI: ``h1.article__title``,
``.article__sapo``, ``.article__body.zce-content-body.cms-body``), article URLs ``/<slug>-post<id>.html``
(post338363 … post596298) and /rss/home.rss in a public RSS list. No section URL was SEEN.
Its fixture (tests/fixtures/baogialai/epi) is the EPI family's real markup (the Báo Lào Cai page) with
texts of its own. No era module: the EPI family template reads its pages as they are ("cms/epi").
"""

from __future__ import annotations

import re

from extraction.publishers.spec import IdScheme, Publisher

BAOGIALAI = Publisher(
    key="baogialai",
    name="Báo Gia Lai",
    hosts=("baogialai.com.vn", "www.baogialai.com.vn"),
    language="vi",
    home_province="Gia Lai",
    timezone="Asia/Ho_Chi_Minh",
    id_schemes=(IdScheme("post", re.compile(r"^[a-z0-9-]+-(post\d+)\.html$"), "EPI (SEEN in links)"),),
    excluded_prefixes=("/tag/", "/tu-khoa/", "/tim-kiem", "/rss"),  # INFERRED (EPI family)
    sections=(),  # none SEEN: discovery goes by the feed and the sitemaps
    tracking_params=frozenset({"fbclid", "gclid", "zarsrc", "gidzl"}),  # gidzl SEEN on a shared link
    # Sitemaps INFERRED (EPI family); the home feed SEEN.
    rss_path="",
    feeds=("/rss/home.rss",),
    section_path="",
    site_names=("báo gia lai", "baogialai", "baogialai.com.vn"),
    title_suffix=r"báo gia lai|baogialai(?:\s*\.\s*com\s*\.\s*vn)?",
    cms="epi",
    evidence=(
        "No real page. SEEN in public code: crawler/site_configs/baogialai.com.vn.yml of "
        "tammuoichanhoa/crawl_lastest_news (EPI selectors), -post<id>.html links, /rss/home.rss. "
        "INFERRED: sitemaps (EPI family). Fixture tests/fixtures/baogialai/epi: EPI real markup, own texts."
    ),
)
