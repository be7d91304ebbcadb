"""Báo Hà Tĩnh (baohatinh.vn): a provincial paper on the EPI CMS; its era templates are in ``eras``.

No page of this paper is in shared/real-pages. SEEN in public code: the crawler config
tammuoichanhoa/crawl_lastest_news crawler/site_configs/baohatinh.vn.yml (EPI body
``div.article__body.zce-content-body.cms-body[itemprop=articleBody]``, ad slots ``[id^=adsWeb_]``),
article URLs ``/<slug>-post<id>.html`` (post274765 … post317660, 2024–26) and /rss/home.rss in public
RSS lists, /rss/xa-hoi.xml, /rss/chinh-tri.xml, /rss/phap-luat.xml in an older one. Its fixture
(tests/fixtures/baohatinh/epi) is the EPI family's real markup (the Báo Lào Cai page) with texts of its
own: what the template is tested on is the family's markup, not this paper's bytes. No era module: the
EPI family template reads its pages as they are (``parser`` "cms/epi").
"""

from __future__ import annotations

import re

from extraction.publishers.spec import IdScheme, Publisher, Section

BAOHATINH = Publisher(
    key="baohatinh",
    name="Báo Hà Tĩnh",
    hosts=("baohatinh.vn", "www.baohatinh.vn"),
    language="vi",
    home_province="Hà Tĩnh",
    timezone="Asia/Ho_Chi_Minh",
    id_schemes=(
        IdScheme("post", re.compile(r"^[a-z0-9-]+-(post\d+)\.html$"), "EPI, 2024-now (SEEN in links)"),
    ),
    # SEEN in public code: tool pages (/cong-cu/diem-chuan/…, /tv/gia-vang) are not articles.
    excluded_prefixes=("/cong-cu/", "/tv/", "/tag/", "/tim-kiem", "/rss"),
    # SEEN as feed names in public code; the section pages at /<slug>/ are INFERRED (EPI family).
    sections=(
        Section("chinh-tri", "Chính trị"),
        Section("xa-hoi", "Xã hội"),
        Section("phap-luat", "Pháp luật"),
    ),
    tracking_params=frozenset({"fbclid", "gclid", "zarsrc", "gidzl"}),
    # Sitemaps INFERRED (EPI family); the home feed SEEN, per-section .xml feeds SEEN only in older code.
    rss_path="",
    feeds=("/rss/home.rss",),
    section_path="/{section}/",
    site_names=("báo hà tĩnh", "baohatinh", "baohatinh.vn"),
    title_suffix=r"báo hà tĩnh|baohatinh(?:\s*\.\s*vn)?",
    cms="epi",
    evidence=(
        "No real page. SEEN in public code: crawler/site_configs/baohatinh.vn.yml of "
        "tammuoichanhoa/crawl_lastest_news (EPI selectors), -post<id>.html links, /rss/home.rss. "
        "INFERRED: sections' pages and sitemaps (EPI family). Fixture tests/fixtures/baohatinh/epi: EPI real "
        "markup (the Báo Lào Cai page), texts of its own."
    ),
)
