"""Znews (znews.vn, formerly Zing News): a national paper; its era templates are in ``eras``.

SEEN: a real article, the home page and a section page (shared/real-pages/
github-tammuoichanhoa-crawl_lastest_news, 2025-12; tests/fixtures/znews/e1): ``-post<id>.html`` (not the
EPI CMS: a URL form alone does not name the CMS), section pages ``/<slug>.html``, og:site_name
"Znews.vn". SEEN in public code: /sitemap/sitemap.xml, /sitemap/sitemap-news.xml, /rss/trang-chu.rss,
and "the-article-body cms-body" on news.zing.vn pages.
"""

from __future__ import annotations

import re

from extraction.publishers.spec import IdScheme, Publisher, Section

ZNEWS = Publisher(
    key="znews",
    name="Znews",
    # zingnews.vn is the name before the 2023 rename: that it redirects with the same paths is INFERRED.
    hosts=("znews.vn", "www.znews.vn", "zingnews.vn"),
    language="vi",
    timezone="Asia/Ho_Chi_Minh",
    # SEEN: -post1613516.html.
    id_schemes=(IdScheme("post", re.compile(r"^[a-z0-9-]+-(post\d+)\.html$"), "Znews, 2025 (SEEN)"),),
    # SEEN in the home page's links: author, contact and correction pages.
    excluded_prefixes=("/tac-gia", "/lien-he", "/thong-tin-cai-chinh", "/tieu-diem/", "/rss"),
    # SEEN in the home page's menu.
    sections=(
        Section("xa-hoi", "Xã hội"),
        Section("the-gioi", "Thế giới"),
        Section("kinh-doanh-tai-chinh", "Kinh doanh"),
        Section("cong-nghe", "Công nghệ"),
        Section("the-thao", "Thể thao"),
        Section("giai-tri", "Giải trí"),
        Section("doi-song", "Đời sống"),
        Section("giao-duc", "Giáo dục"),
        Section("suc-khoe", "Sức khỏe"),
        Section("du-lich", "Du lịch"),
        Section("phap-luat", "Pháp luật"),
        Section("xuat-ban", "Xuất bản"),
    ),
    tracking_params=frozenset({"fbclid", "gclid", "zarsrc", "gidzl", "utm_source"}),
    sitemap_index_path="/sitemap/sitemap.xml",
    news_sitemap_path="/sitemap/sitemap-news.xml",
    daily_sitemap_path="",  # "sitemap-article…" files are listed in the index; their form is unknown
    rss_path="",
    feeds=("/rss/trang-chu.rss",),
    section_path="/{section}.html",
    site_names=("znews", "znews.vn", "zing news", "zingnews", "zingnews.vn"),
    title_suffix=r"znews(?:\s*\.\s*vn)?|zing\s?news(?:\s*\.\s*vn)?",
    templates="extraction.publishers.znews.eras",
    cms="",
    evidence=(
        "SEEN: a real article, home and section page (shared/real-pages/github-tammuoichanhoa-"
        "crawl_lastest_news;"
        " tests/fixtures/znews/e1): URL forms, sections, site name. Public code: /sitemap/sitemap.xml, "
        "/sitemap/sitemap-news.xml, /rss/trang-chu.rss. INFERRED: zingnews.vn serves the same paths."
    ),
)
