"""VTC News (vtcnews.vn): a national paper on its own CMS; its era templates are in ``eras``.

SEEN: a real article, the home page and the "tin mới" list (shared/real-pages/
github-tammuoichanhoa-crawl_lastest_news, 2025-12; tests/fixtures/vtcnews/e1): ``-ar<id>.html``, the
AMP host, ``/rss/trang-chu.rss``, og:site_name "Báo điện tử VTC News", the "(VTC News) - " dateline,
section pages ``/<slug>-<n>.html`` (/dau-tu-199.html). SEEN in public code: /thoi-su-28.html,
/kinh-te-29.html …, and /rss/<section>.rss feeds. The brief's "vtc.vn" is the broadcaster's site: no
article was SEEN there, so it is not a host of this paper.
"""

from __future__ import annotations

import re

from extraction.publishers.spec import IdScheme, Publisher, Section

VTCNEWS = Publisher(
    key="vtcnews",
    name="VTC News",
    hosts=("vtcnews.vn", "www.vtcnews.vn", "amp.vtcnews.vn"),  # amp.: SEEN as the page's amphtml link
    language="vi",
    timezone="Asia/Ho_Chi_Minh",
    # SEEN: -ar994669.html. Section pages end in -<1-4 digits>.html and never match.
    id_schemes=(IdScheme("ar", re.compile(r"^[a-z0-9-]+-(ar\d+)\.html$"), "VTC News, 2025 (SEEN)"),),
    # SEEN on the home page: tools and lists that are not articles.
    excluded_prefixes=(
        "/du-bao-thoi-tiet",
        "/lich-van-nien",
        "/tin-gia-vang-",
        "/xo-so-",
        "/tin-moi-hom-nay",
        "/xem-nhieu",
        "/binh-luan-nhieu",
        "/rss",
        "/main-rss",
    ),
    # Slugs carry the section's number: SEEN dau-tu-199 (the page's breadcrumb), the others SEEN in
    # public code listing VTC News's sections.
    sections=(
        Section("thoi-su-28", "Thời sự"),
        Section("kinh-te-29", "Kinh tế"),
        Section("giao-duc-31", "Giáo dục"),
        Section("the-thao-34", "Thể thao"),
        Section("dau-tu-199", "Đầu Tư"),
    ),
    tracking_params=frozenset({"fbclid", "gclid", "zarsrc", "gidzl"}),
    # No sitemap URL SEEN anywhere: the index is INFERRED (robots.txt names the real ones).
    sitemap_index_path="/sitemap.xml",
    news_sitemap_path="",
    daily_sitemap_path="",
    # Feeds are named by words, not by the numbered slugs (SEEN: /rss/thoi-su.rss, /rss/kinh-te.rss).
    rss_path="",
    feeds=("/rss/trang-chu.rss", "/rss/thoi-su.rss", "/rss/kinh-te.rss", "/rss/phap-luat.rss"),
    section_path="/{section}.html",
    site_names=("vtc news", "vtcnews", "vtcnews.vn", "báo điện tử vtc news"),
    title_suffix=r"(?:báo điện tử )?vtc\s?news(?:\s*\.\s*vn)?",
    dateline=r"vtc\s?news",
    dateline_starts=("(VTC News)",),
    templates="extraction.publishers.vtcnews.eras",
    cms="",
    evidence=(
        "SEEN: a real article, home and list page (shared/real-pages/github-tammuoichanhoa-"
        "crawl_lastest_news;"
        " tests/fixtures/vtcnews/e1): URL forms, AMP host, home feed, site name, dateline. Public code: "
        "numbered section pages and /rss/<word>.rss feeds. INFERRED: /sitemap.xml."
    ),
)
