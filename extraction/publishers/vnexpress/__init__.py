"""VnExpress (vnexpress.net): a national paper on its own CMS; its era templates are in ``eras``.

SEEN: one real article page (Fundus's VnExpress test page, 2025-10-22; tests/fixtures/vnexpress/e1):
``/<slug>-<7 digits>.html``, the menu's sections, <title> " - Báo VnExpress <section>",
og:site_name "vnexpress.net". SEEN in public code: Fundus's VnExpress source list (/rss/tin-moi-nhat.rss,
/sitemap.xml, /google-news-sitemap.xml) and per-section feeds /rss/<section>.rss in public RSS lists.
"""

from __future__ import annotations

import re

from extraction.publishers.spec import IdScheme, Publisher, Section

VNEXPRESS = Publisher(
    key="vnexpress",
    name="VnExpress",
    # Older section hosts (suckhoe.vnexpress.net/tin-tuc/…, SEEN in 2017 feeds) used other paths, and
    # e.vnexpress.net is the English edition: neither is listed.
    hosts=("vnexpress.net", "www.vnexpress.net"),
    language="vi",
    timezone="Asia/Ho_Chi_Minh",
    # SEEN: -4954454.html (2025), -3618863.html (2017): a bare 7-digit id.
    id_schemes=(IdScheme("vne", re.compile(r"^[a-z0-9-]+-(\d{6,8})\.html$"), "VnExpress, 2017-now (SEEN)"),),
    # SEEN in the page: topic pages (/topic/ha-noi-26482), the lunar calendar, the reader area.
    excluded_prefixes=("/topic/", "/tag/", "/lich-van-nien", "/myvne", "/tin-tuc-24h", "/rss"),
    # SEEN in the menu (data-medium="Menu-…").
    sections=(
        Section("thoi-su", "Thời sự"),
        Section("the-gioi", "Thế giới"),
        Section("kinh-doanh", "Kinh doanh"),
        Section("bat-dong-san", "Bất động sản"),
        Section("khoa-hoc-cong-nghe", "Khoa học công nghệ"),
        Section("giai-tri", "Giải trí"),
        Section("the-thao", "Thể thao"),
        Section("phap-luat", "Pháp luật"),
        Section("giao-duc", "Giáo dục"),
        Section("suc-khoe", "Sức khỏe"),
        Section("doi-song", "Đời sống"),
        Section("du-lich", "Du lịch"),
    ),
    tracking_params=frozenset({"fbclid", "gclid", "vn_source", "vn_medium", "vn_campaign"}),
    # SEEN in Fundus's source list; no daily sitemap form known.
    sitemap_index_path="/sitemap.xml",
    news_sitemap_path="/google-news-sitemap.xml",
    daily_sitemap_path="",
    rss_path="/rss/{section}.rss",
    feeds=("/rss/tin-moi-nhat.rss",),
    section_path="/{section}",
    site_names=("vnexpress", "vnexpress.net", "báo vnexpress"),
    # " - Báo VnExpress Sức khỏe": the section's name follows the paper's.
    title_suffix=r"báo vnexpress(?:\s+[^-|]+)?|vnexpress(?:\s*\.\s*net)?",
    templates="extraction.publishers.vnexpress.eras",
    cms="",
    evidence=(
        "SEEN: a real 2025 article (shared/real-pages/fundus/vn; tests/fixtures/vnexpress/e1): URL form, "
        "menu sections, title suffix, site name. Public code: Fundus's VnExpress sources "
        "(/rss/tin-moi-nhat.rss, /sitemap.xml, /google-news-sitemap.xml), /rss/<section>.rss in RSS lists."
    ),
)
