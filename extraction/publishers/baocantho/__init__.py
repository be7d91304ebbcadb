"""Báo Cần Thơ (baocantho.com.vn): a provincial paper on its own CMS; its era templates are in ``eras``.

SEEN: a real article and the /thoi-su/ section page (shared/real-pages/
github-tammuoichanhoa-crawl_lastest_news, 2026-01; tests/fixtures/baocantho/e1): ``-a<id>.html``,
sections ``/<slug>/``, feeds ``/rss/cate/<section>/`` and ``/rss/subcate/<sub>/``, the "(CTO) - "
dateline, <title> " - Báo Cần Thơ Online". SEEN in public code: the body in ``#newscontents .content-fck``.
"""

from __future__ import annotations

import re

from extraction.publishers.spec import IdScheme, MediaSection, Publisher, Section

BAOCANTHO = Publisher(
    key="baocantho",
    name="Báo Cần Thơ",
    hosts=("baocantho.com.vn", "www.baocantho.com.vn"),
    language="vi",
    home_province="Cần Thơ",
    timezone="Asia/Ho_Chi_Minh",
    # SEEN: -a196670.html.
    id_schemes=(IdScheme("a", re.compile(r"^[a-z0-9-]+-(a\d+)\.html$"), "Báo Cần Thơ, 2026 (SEEN)"),),
    # SEEN in the menu: the Khmer edition is not Vietnamese. /news/ is linked both as "English" and
    # as the breadcrumb's section (/news/thoi-su/): not excluded until its pages are SEEN.
    excluded_prefixes=("/khmer/", "/rss/", "/tim-kiem", "/print/"),
    mirror_prefixes=("/khmer/",),
    sections=(
        Section("thoi-su", "Thời sự"),
        Section("chinh-tri", "Chính trị"),
        Section("kinh-te", "Kinh tế"),
        Section("xa-hoi-phap-luat", "Xã hội - Pháp luật"),
        Section("quoc-phong-an-ninh", "Quốc phòng - An ninh"),
        Section("giao-duc", "Giáo dục"),
        Section("y-te", "Y tế"),
        Section("van-hoa-giai-tri", "Văn hóa - Giải trí"),
        Section("the-thao", "Thể thao"),
        Section("the-gioi", "Thế giới"),
        Section("du-lich", "Du lịch"),
    ),
    # SEEN in the menu ("Media"); its stories at /video/<slug>-a<id>.html are INFERRED.
    media_sections=(MediaSection("video", "video"),),
    tracking_params=frozenset({"fbclid", "gclid", "zarsrc", "gidzl"}),
    sitemap_index_path="/sitemap.xml",  # INFERRED: no sitemap SEEN; robots.txt names the real ones
    news_sitemap_path="",
    daily_sitemap_path="",
    rss_path="/rss/cate/{section}/",
    section_path="/{section}/",
    site_names=("báo cần thơ", "báo cần thơ online", "baocantho", "baocantho.com.vn", "cto"),
    title_suffix=r"báo cần thơ(?: online)?|baocantho(?:\s*\.\s*com\s*\.\s*vn)?",
    dateline=r"cto",
    dateline_starts=("(CTO)",),
    templates="extraction.publishers.baocantho.eras",
    cms="",
    evidence=(
        "SEEN: a real article and a section page (shared/real-pages/github-tammuoichanhoa-crawl_lastest_news;"
        " tests/fixtures/baocantho/e1): URL forms, sections, feeds, dateline, title suffix. Public code: "
        "crawler/site_configs/baocantho.com.vn.yml (body selectors). INFERRED: /sitemap.xml."
    ),
)
