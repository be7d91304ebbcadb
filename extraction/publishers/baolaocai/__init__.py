"""Báo Lào Cai (baolaocai.vn): a provincial paper on the EPI CMS; its era templates are in ``eras``.

SEEN: one real article page (shared/real-pages/github-tammuoichanhoa-crawl_lastest_news, 2025-06-17,
copied into tests/fixtures/baolaocai/e1): canonical URL, ``-post<id>.html``, EPI markup (``cmsConfig``,
``.cms-body``), the menu's sections, og:site_name "Báo Lào Cai điện tử". SEEN in public code: the
crawler config of that repository (EPI body selectors) and /rss/home.rss in several RSS lists.
INFERRED: the sitemaps (the EPI family's forms, as baonghean.vn 2022–24 served them).
"""

from __future__ import annotations

import re

from extraction.publishers.spec import IdScheme, MediaSection, Publisher, Section

BAOLAOCAI = Publisher(
    key="baolaocai",
    name="Báo Lào Cai",
    hosts=("baolaocai.vn", "www.baolaocai.vn"),
    language="vi",
    home_province="Lào Cai",
    timezone="Asia/Ho_Chi_Minh",
    # SEEN: /song-dep-tu-nhung-dieu-gian-di-post404649.html (the EPI CMS's form).
    id_schemes=(IdScheme("post", re.compile(r"^[a-z0-9-]+-(post\d+)\.html$"), "EPI, 2025 (SEEN)"),),
    # SEEN in the menu: the e-paper and the tag pages are not articles.
    excluded_prefixes=("/epaper", "/tag/", "/tim-kiem", "/rss"),
    # SEEN in the page's menu (a few of its 30 entries); slugs as linked, "/<slug>/".
    sections=(
        Section("chinh-tri", "Chính trị - thời sự"),
        Section("kinh-te", "Kinh tế"),
        Section("xa-hoi", "Xã hội"),
        Section("van-hoa", "Văn hóa"),
        Section("phap-luat", "Pháp luật"),
        Section("the-thao", "Thể thao"),
        Section("the-gioi", "Thế giới"),
        Section("du-lich", "Du lịch"),
        Section("vung-cao", "Vùng cao"),
        Section("review-lao-cai", "Review Lào Cai"),
    ),
    # SEEN in the menu; that their stories live at /<section>/<slug>-post<id>.html is INFERRED.
    media_sections=(
        MediaSection("e-magazine", "emagazine"),
        MediaSection("video", "video"),
        MediaSection("goc-anh", "photo"),
        MediaSection("podcasts", "podcast"),
    ),
    tracking_params=frozenset({"fbclid", "gclid", "zarsrc", "gidzl"}),
    # Sitemaps INFERRED (EPI family); no per-section feed SEEN, one home feed SEEN in public lists.
    rss_path="",
    feeds=("/rss/home.rss",),
    section_path="/{section}/",
    # SEEN: og:site_name and <title> " | Báo Lào Cai điện tử"; "Theo dõi Báo Lào Cai trên" (Google News).
    site_names=("báo lào cai", "báo lào cai điện tử", "baolaocai", "baolaocai.vn"),
    title_suffix=r"báo lào cai|baolaocai(?:\s*\.\s*vn)?",
    templates="extraction.publishers.baolaocai.eras",
    cms="epi",
    evidence=(
        "SEEN: a real 2025 article (shared/real-pages/github-tammuoichanhoa-crawl_lastest_news; "
        "tests/fixtures/baolaocai/e1): URL form, EPI markup, menu sections, site name. Public code: "
        "tammuoichanhoa/crawl_lastest_news crawler/site_configs/baolaocai.vn.yml (EPI selectors), "
        "/rss/home.rss in public RSS lists. INFERRED: sitemap paths (EPI family, as baonghean.vn E2)."
    ),
)
