"""Additions to the publisher spec used by extraction: mirrors, old sections, discovery sources."""

from __future__ import annotations

import pytest

from extraction import publishers

BNA = publishers.get("baonghean")


@pytest.mark.parametrize("path", ["/en/a-10308168.html", "/fr/", "/ru/x-post1.html", "/cn/y-67164.html"])
def test_translated_mirrors(path: str) -> None:
    assert BNA.is_mirror_path(path) and BNA.is_excluded_path(path)
    assert BNA.article_ref("https://baonghean.vn" + path) is None


@pytest.mark.parametrize(
    ("path", "is_section"),
    [
        ("/thoi-su", True),
        ("/kinh-te/bat-dong-san", True),
        ("/thoi-su-chinh-tri", True),
        ("/mien-tay-nghe-an/", True),
        ("/thoi-su/bai-viet-10308168.html", False),
        ("/khong-phai-chuyen-muc", False),
        ("/xa-hoi/201502/tinh-doan-nghe-an-tang-qua-tai-huyen-ky-son-2524744/", False),
    ],
)
def test_section_paths_current_and_legacy(path: str, is_section: bool) -> None:
    assert BNA.is_section_path(path) is is_section


def test_legacy_sections_are_named_but_not_crawled() -> None:
    assert BNA.section_name("thoi-su-chinh-tri") == "Thời sự - Chính trị"
    assert "thoi-su-chinh-tri" not in {s.slug for s in BNA.sections}


def test_discovery_urls() -> None:
    urls = BNA.discovery_urls()
    assert urls["robots"] == "https://baonghean.vn/robots.txt"
    assert urls["news_sitemap"] == "https://baonghean.vn/sitemap-news.xml"
    assert urls["rss:thoi-su"] == "https://baonghean.vn/rss/thoi-su"
    assert "{date}" in urls["daily_sitemap"]
