"""Hà Nội Mới (hanoimoi.vn): the capital's party paper, on the OneCMS; its era templates are in ``eras``.

No page of this paper is in shared/real-pages. SEEN in public code: the crawler config
tammuoichanhoa/crawl_lastest_news crawler/site_configs/hanoimoi.vn.yml (OneCMS body ``div.b-maincontent``,
boxes ``div.c-box`` "Bài liên quan"), scrapers reading ``.sc-longform-header-meta``/``.entry`` and
``h3.b-grid__title a`` on hanoimoi.vn, article URLs ``/<slug>-<digits>.html`` (7562 … 1212418),
feeds /rss/home.rss and /rss/<section> (kinh-te, xa-hoi, the-gioi, phap-luat), /sitemap.xml (a public
Go crawler's start URL). No page of any OneCMS paper is in shared/real-pages: its fixture
(tests/fixtures/hanoimoi/onecms) is written in the OneCMS family's markup (the class names the family
template reads, SISTER for baonghean.vn, SEEN for hanoimoi.vn in the public configs above) with texts
of its own. No era module: the OneCMS family template reads its pages as they are ("cms/onecms").
"""

from __future__ import annotations

import re

from extraction.publishers.spec import IdScheme, Publisher, Section

HANOIMOI = Publisher(
    key="hanoimoi",
    name="Hà Nội Mới",
    # hanoimoi.com.vn (SEEN in old image paths) had another URL form: not listed.
    hosts=("hanoimoi.vn", "www.hanoimoi.vn"),
    language="vi",
    home_province="Hà Nội",
    timezone="Asia/Ho_Chi_Minh",
    id_schemes=(
        IdScheme("n", re.compile(r"^[a-z0-9-]+-(\d{4,8})\.html$"), "OneCMS, 2023-now (SEEN in links)"),
    ),
    excluded_prefixes=("/tag/", "/tim-kiem", "/rss"),  # INFERRED: the usual non-article paths
    sections=(
        Section("kinh-te", "Kinh tế"),
        Section("xa-hoi", "Xã hội"),
        Section("the-gioi", "Thế giới"),
        Section("phap-luat", "Pháp luật"),
        Section("du-lich", "Du lịch"),
    ),
    tracking_params=frozenset({"fbclid", "gclid", "zarsrc", "gidzl"}),
    # The index SEEN in public code; the news and daily sitemaps INFERRED (OneCMS family, as baonghean.vn).
    rss_path="/rss/{section}",
    feeds=("/rss/home.rss",),
    section_path="/{section}",
    site_names=("hà nội mới", "báo hà nội mới", "hanoimoi", "hanoimoi.vn"),
    title_suffix=r"(?:báo )?hà nội mới|hanoimoi(?:\s*\.\s*vn)?",
    cms="onecms",
    evidence=(
        "No real page. SEEN in public code: crawler/site_configs/hanoimoi.vn.yml of "
        "tammuoichanhoa/crawl_lastest_news (OneCMS selectors), -<digits>.html links, /rss/home.rss, "
        "/rss/<section>, /sitemap.xml. INFERRED: news/daily sitemaps (OneCMS family). Fixture "
        "tests/fixtures/hanoimoi/onecms: OneCMS family markup (no real OneCMS page exists), texts of its own."
    ),
)
