"""Discovery parsers and URL rules on the site's sample documents (copies in crawler/snapshot/data)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crawler import discovery
from crawler.discovery import LOCAL_TZ, Link
from crawler.snapshot.text import read_data
from extraction.publishers import get

SITE = get("baonghean")
LOCAL = "http://127.0.0.1:8123"


def test_robots_sitemap_lines() -> None:
    assert discovery.parse_robots_sitemaps(read_data("robots.txt")) == [
        "https://baonghean.vn/sitemap.xml",
        "https://baonghean.vn/sitemap-news.xml",
    ]
    assert discovery.parse_robots_sitemaps("User-agent: *\nsitemap: https://x/a.xml # main\n") == [
        "https://x/a.xml"
    ]


def test_sitemap_index_lists_news_and_daily_sitemaps_with_lastmod() -> None:
    body = read_data("sitemap.xml")
    assert discovery.is_sitemap_index(body)
    index = discovery.parse_sitemap_index(body)
    assert [link.url.rsplit("/", 1)[1] for link in index[:3]] == [
        "sitemap-news.xml",
        "sitemap-category.xml",
        "sitemap-article-2025-10-14.xml",
    ]
    assert index[2].lastmod == datetime(2025, 10, 14, 21, 0, tzinfo=LOCAL_TZ)
    assert discovery.daily_sitemap_date(index[3].url) == date(2025, 10, 13)
    assert discovery.daily_sitemap_date(index[0].url) is None


def test_news_sitemap_keeps_publication_date_and_title() -> None:
    links = discovery.parse_urlset(read_data("sitemap-news.xml"))
    assert len(links) == 19
    first = links[0]
    assert first.url.endswith("-10308100.html")
    assert first.published == datetime(2025, 10, 14, 21, 0, tzinfo=LOCAL_TZ)
    assert first.title is not None and first.title.startswith("Nghệ An ban hành công điện ứng phó")
    assert first.changed_at == first.published


def test_daily_sitemap_lastmod() -> None:
    links = discovery.parse_urlset(read_data("sitemap-article-2025-10-14.xml"))
    assert len(links) == 10
    assert all(link.lastmod is not None and link.published is None for link in links)
    assert not discovery.is_sitemap_index(read_data("sitemap-article-2025-10-14.xml"))


def test_rss_items() -> None:
    links = discovery.parse_rss(read_data("rss-thoi-su.xml"))
    assert len(links) == 20
    assert links[0].published == datetime(2025, 10, 14, 21, 0, tzinfo=LOCAL_TZ)
    assert links[0].title and "Diễn Châu" in links[0].title


def test_section_page_title_links() -> None:
    links = discovery.parse_section_page(read_data("section-thoi-su.html"), "https://baonghean.vn/thoi-su")
    assert len(links) == 20
    assert all(link.url.startswith("https://baonghean.vn/") for link in links)
    assert len({link.url for link in links}) == 20


@pytest.mark.parametrize("body", [b"", b"<not xml", b"\x00\xff\xfe", "<urlset><url><loc>x</loc></url>"])
def test_broken_documents_give_no_links_or_what_parses(body: bytes | str) -> None:
    assert isinstance(discovery.parse_urlset(body), list)
    assert isinstance(discovery.parse_rss(body), list)
    assert isinstance(discovery.parse_sitemap_index(body), list)
    assert isinstance(discovery.parse_section_page(body, LOCAL), list)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://baonghean.vn/a-b-10308168.html", f"{LOCAL}/a-b-10308168.html"),
        ("https://baonghean.vn/a-b-post275412.html", f"{LOCAL}/a-b-post275412.html"),
        ("https://baonghean.vn/a-b-67164.html", f"{LOCAL}/a-b-67164.html"),
        ("https://m.baonghean.vn/a-97331.html?utm_source=rss&fbclid=x", f"{LOCAL}/a-97331.html"),
        ("https://amp.baonghean.vn/a-262283.html?zarsrc=1&page=2", f"{LOCAL}/a-262283.html?page=2"),
        ("/relative-10300000.html", f"{LOCAL}/relative-10300000.html"),
        ("https://baonghean.vn/en/a-b-10318761.html", None),
        ("https://baonghean.vn/fr/a-b-10318761.html", None),
        ("https://baonghean.vn/video/a-b-10318761.html", f"{LOCAL}/video/a-b-10318761.html"),
        ("https://baonghean.vn/emagazine/a-b-10318762.html", f"{LOCAL}/emagazine/a-b-10318762.html"),
        ("https://baonghean.vn/video", None),
        ("https://baonghean.vn/podcast/", None),
        ("https://baonghean.vn/am-duong-lich-ngay-14-thang-10-nam-2025.html", None),
        ("https://baonghean.vn/tag/v%C3%A0o+tr%C6%B0%E1%BB%9Dng.html", None),
        ("https://baonghean.vn/nong-dan-ptag.html", None),
        ("https://baonghean.vn/thoi-su", None),
        ("https://example.com/a-b-10308168.html", None),
        ("http://[::1/a-b-10308168.html", None),
        ("//[x]/a-10300000.html", None),
    ],
)
def test_article_url_normalises_filters_and_rebases(url: str, expected: str | None) -> None:
    assert discovery.article_url(url, LOCAL, SITE) == expected


def test_article_url_on_the_real_site_stays_there() -> None:
    assert discovery.article_url("https://m.baonghean.vn/a-97331.html", SITE.base_url, SITE) == (
        "https://baonghean.vn/a-97331.html"
    )


def test_rebase_keeps_path_and_mirror_prefix() -> None:
    assert discovery.rebase("https://baonghean.vn/sitemap.xml", LOCAL, SITE) == f"{LOCAL}/sitemap.xml"
    assert discovery.rebase("/rss/thoi-su", f"{LOCAL}/mirror/", SITE) == f"{LOCAL}/mirror/rss/thoi-su"
    assert discovery.rebase("https://other.example/x", LOCAL, SITE) == "https://other.example/x"


def test_days_between_newest_first() -> None:
    assert discovery.days_between(date(2025, 2, 27), date(2025, 3, 1)) == [
        date(2025, 3, 1),
        date(2025, 2, 28),
        date(2025, 2, 27),
    ]


def test_dates_iso_rfc822_and_naive() -> None:
    assert discovery.parse_datetime("Tue, 14 Oct 2025 21:00:00 +0700") == datetime(
        2025, 10, 14, 21, tzinfo=LOCAL_TZ
    )
    assert discovery.parse_datetime("2025-10-14T14:00:00Z") == datetime(2025, 10, 14, 21, tzinfo=LOCAL_TZ)
    assert discovery.parse_datetime("2025-10-14 21:00") == datetime(2025, 10, 14, 21, tzinfo=LOCAL_TZ)
    assert discovery.parse_datetime("yesterday") is None
    assert Link("x", lastmod=None).changed_at is None
