"""Báo Nghệ An (baonghean.vn): its spec and site words; its era templates are in ``eras``.

Facts and their evidence: shared/baonghean/SITE.md.
"""

from __future__ import annotations

import re

from extraction.publishers.spec import IdScheme, MediaSection, Publisher, Section

BAONGHEAN = Publisher(
    key="baonghean",
    name="Báo Nghệ An",
    # m. and amp. are older mobile/AMP hosts serving the same articles (SEEN): normalise to the first.
    hosts=("baonghean.vn", "www.baonghean.vn", "m.baonghean.vn", "amp.baonghean.vn"),
    language="vi",
    home_province="Nghệ An",
    timezone="Asia/Ho_Chi_Minh",
    # Each CMS migration renumbered the archive, so the schemes overlap numerically; order matters:
    # the 8-digit E3 ids start with 10 and must be tried before the 5-6 digit E1 ids.
    id_schemes=(
        IdScheme("e3", re.compile(r"^[a-z0-9-]+-(10\d{6})\.html$"), "OneCMS, 2024-now"),
        IdScheme("e2", re.compile(r"^[a-z0-9-]+-(post\d+)\.html$"), "EPI, 2022-2024"),
        IdScheme("e1", re.compile(r"^[a-z0-9-]+-(\d{5,6})\.html$"), "old CMS, 2016-2022"),
    ),
    excluded_prefixes=(
        # Translated mirrors carry the same slug and id but are not Vietnamese articles.
        "/en/",
        "/fr/",
        "/ru/",
        "/cn/",
        # Utility pages and the e-paper: not articles. (Media sections: see media_sections below.)
        "/an-pham",
        "/tin-moi-nhat",
        "/thoi-tiet",
        "/lich-am-duong-hom-nay",
        "/gia-vang-hom-nay",
        "/am-duong-lich-",
        "/tag/",
        "/tim-kiem",
        "/api/",
        "/rss",
    ),
    sections=(
        Section("thoi-su", "Thời sự"),
        Section("kinh-te", "Kinh tế"),
        Section("xa-hoi", "Xã hội"),
        Section("the-thao", "Thể thao"),
        Section("suc-khoe", "Sức khỏe"),
        Section("phap-luat", "Pháp luật"),
        Section("quoc-te", "Quốc tế"),
        Section("xay-dung-dang", "Xây dựng Đảng"),
        Section("giao-duc", "Giáo dục"),
        Section("giai-tri", "Giải trí"),
        Section("ket-noi-doanh-nghiep", "Kết nối doanh nghiệp"),
        Section("lao-dong", "Lao động"),
    ),
    # E1 sections (SEEN in old captures); their URLs are section pages, never articles.
    legacy_sections=(
        Section("thoi-su-chinh-tri", "Thời sự - Chính trị"),
        Section("doi-song-phap-luat", "Đời sống pháp luật"),
        Section("quoc-phong", "Quốc phòng"),
        Section("giao-duc-khoa-hoc", "Giáo dục - Khoa học"),
        Section("oto-xe-may", "Xe"),
        Section("mien-tay-nghe-an", "Miền Tây Nghệ An"),
    ),
    mirror_prefixes=("/en/", "/fr/", "/ru/", "/cn/"),
    tracking_params=frozenset({"fbclid", "gclid", "zarsrc", "gidzl", "ref", "source"}),
    # Names the paper signs its pages with besides ``name`` (Báo Nghệ An merged in 2025).
    site_names=(
        "báo nghệ an",
        "baonghean",
        "baonghean.vn",
        "bna",
        "báo và đài phát thanh - truyền hình nghệ an",
    ),
    # " - Báo Nghệ An", " | baonghean.vn", " - Báo và Đài Phát thanh - Truyền hình Nghệ An" after a title.
    title_suffix=r"báo nghệ an|baonghean(?:\s*\.\s*vn)?|báo và đài phát thanh - truyền hình nghệ an|bna",
    # "(Baonghean.vn) - ", "(Baonghean) ", "(BNA) - ", "(Báo Nghệ An) - " before a sapo.
    dateline=r"baonghean|bna|báo nghệ an",
    dateline_starts=("(Baonghean", "(BNA"),
    templates="extraction.publishers.baonghean.eras",
    cms="onecms",
    evidence="shared/baonghean/SITE.md (URL schemes, sections, feeds and sitemaps of the three eras)",
    # The section pages /emagazine, /video, /short-video, /photo, /podcast are SEEN in the site's menu
    # (SITE.md, samples): listings, never articles. That their stories live at /<section>/<slug>-<id>.html
    # is INFERRED (a tester's copy of the site had /emagazine/<slug>-<id>.html; sister OneCMS papers
    # use the same form); /anh/ (Vietnamese for "photo") is INFERRED from sister sites. A story with an
    # article id under one of them is archived with that format; the page's markup decides for stories
    # at plain /<slug>-<id>.html URLs (extraction/formats.py).
    media_sections=(
        MediaSection("emagazine", "emagazine"),
        MediaSection("video", "video"),
        MediaSection("short-video", "video"),
        MediaSection("photo", "photo"),
        MediaSection("anh", "photo"),
        MediaSection("podcast", "podcast"),
    ),
)
