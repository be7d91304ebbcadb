"""The publisher spec recognises article URLs of all three id schemes and nothing else."""

from __future__ import annotations

import pytest

from extraction import publishers
from extraction.text import clean_text, fold

BNA = publishers.get("baonghean")


@pytest.mark.parametrize(
    ("url", "scheme", "article_id"),
    [
        ("https://baonghean.vn/suc-bat-tu-phong-trao-10308168.html", "e3", "10308168"),
        ("https://m.baonghean.vn/gay-go-danh-nhau-post258616.html", "e2", "post258616"),
        ("http://amp.baonghean.vn/tin-cu-67164.html?utm_source=x", "e1", "67164"),
        ("https://baonghean.vn/tin-cu-288664.html", "e1", "288664"),
    ],
)
def test_article_urls(url: str, scheme: str, article_id: str) -> None:
    ref = BNA.article_ref(url)
    assert ref is not None
    assert (ref.scheme, ref.article_id) == (scheme, article_id)


@pytest.mark.parametrize(
    "url",
    [
        "https://baonghean.vn/am-duong-lich-ngay-14-thang-10-nam-2025.html",
        "https://baonghean.vn/en/some-story-10308168.html",
        "https://baonghean.vn/video",
        "https://baonghean.vn/emagazine/",
        "https://baonghean.vn/thoi-su",
        "https://baonghean.vn/chu-de-event10001.html",
        "https://baonghean.vn/nong-dan-ptag.html",
    ],
)
def test_non_article_urls(url: str) -> None:
    assert BNA.article_ref(url) is None


def test_canonical_url_normalises_hosts_and_tracking() -> None:
    url = "http://m.baonghean.vn/a-10308168.html?utm_source=fb&fbclid=1&page=2#top"
    assert BNA.canonical_url(url) == "https://baonghean.vn/a-10308168.html?page=2"


def test_for_url() -> None:
    assert publishers.for_url("https://amp.baonghean.vn/x-post1.html") is BNA
    assert publishers.for_url("https://example.com/") is None
    with pytest.raises(KeyError):
        publishers.get("nope")


def test_text_cleaning_and_folding() -> None:
    nfd = "Nghe\u0323\u0302 An"
    assert clean_text(f"  {nfd}\u00a0\u200b  tỉnh ") == "Nghệ An tỉnh"
    assert fold("Đảng ủy") == "dang uy"
    assert fold("hoà") == fold("hòa") == "hoa"
    assert fold("thuỷ") == fold("thủy")
    assert fold(nfd) == fold("NGHỆ AN") == "nghe an"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://baonghean.vn/emagazine/hanh-trinh-10300001.html", "emagazine"),
        ("https://baonghean.vn/video/clip-10300002.html", "video"),
        ("https://baonghean.vn/short-video/clip-10300003.html", "video"),
        ("https://baonghean.vn/photo/anh-dep-10300004.html", "photo"),
        ("https://baonghean.vn/anh/anh-dep-post250001.html", "photo"),
        ("https://baonghean.vn/podcast/ban-tin-10300005.html", "podcast"),
        ("https://baonghean.vn/video-hom-nay-nghe-an-10300006.html", None),  # a slug, not a folder
        ("https://baonghean.vn/anh-bia-10300007.html", None),
        ("https://baonghean.vn/video", None),  # the listing itself: no format, no article
    ],
)
def test_format_of_url(url: str, expected: str | None) -> None:
    assert BNA.format_of(url) == expected
    if expected is not None:
        assert BNA.article_ref(url) is not None  # a media story with an id is an article


def test_media_listings_are_sections_and_slugs_starting_with_media_words_are_articles() -> None:
    for path in ("/emagazine", "/video/", "/photo", "/podcast", "/short-video", "/video/thoi-su"):
        assert BNA.is_section_path(path), path
        assert BNA.article_ref("https://baonghean.vn" + path) is None
    ref = BNA.article_ref("https://baonghean.vn/video-hom-nay-nghe-an-10300006.html")
    assert ref is not None and ref.article_id == "10300006"


# Every publisher's article URLs as SEEN (real pages, public code), with the id each one stores.
SEEN_ARTICLES = [
    ("https://baolaocai.vn/song-dep-tu-nhung-dieu-gian-di-post404649.html", "baolaocai", "post404649"),
    (
        "https://baohatinh.vn/toan-bo-32-di-san-phi-vat-the-quoc-gia-ve-am-thuc-viet-nam-post274765.html",
        "baohatinh",
        "post274765",
    ),
    ("https://hanoimoi.vn/phat-trien-he-thong-thu-vien-cong-cong-o-ha-noi-7562.html", "hanoimoi", "7562"),
    ("https://baogialai.com.vn/10-du-an-vao-chung-ket-cuoc-thi-post573678.html", "baogialai", "post573678"),
    (
        "https://www.baocantho.com.vn/tap-trung-trien-khai-cac-dot-thanh-tra-a196670.html",
        "baocantho",
        "a196670",
    ),
    (
        "https://vnexpress.net/dau-bung-keo-dai-phat-hien-ung-thu-lymphoma-ruot-non-4954454.html",
        "vnexpress",
        "4954454",
    ),
    ("https://amp.vtcnews.vn/mo-rong-duong-hon-2-000-ty-dong-ar994669.html", "vtcnews", "ar994669"),
    ("https://znews.vn/gia-vang-the-gioi-cao-nhat-moi-thoi-dai-post1613516.html", "znews", "post1613516"),
]

# Section, tool and mirror pages SEEN on those sites: never articles.
SEEN_NOT_ARTICLES = [
    "https://baolaocai.vn/review-lao-cai/",
    "https://baolaocai.vn/epaper/",
    "https://baocantho.com.vn/thoi-su/",
    "https://baocantho.com.vn/khmer/some-story-a196670.html",
    "https://vtcnews.vn/dau-tu-199.html",
    "https://vtcnews.vn/tin-gia-vang-113.html",
    "https://znews.vn/kinh-doanh-tai-chinh.html",
    "https://vnexpress.net/topic/ha-noi-26482",
    "https://vnexpress.net/suc-khoe/tin-tuc",
    "https://baohatinh.vn/cong-cu/diem-chuan/vhh-truong-dai-hoc-van-hoa-ha-noi",
]


@pytest.mark.parametrize(("url", "key", "article_id"), SEEN_ARTICLES)
def test_every_publisher_owns_its_seen_article_urls(url: str, key: str, article_id: str) -> None:
    owner = publishers.for_url(url)
    assert owner is not None and owner.key == key
    ref = owner.article_ref(owner.canonical_url(url))
    assert ref is not None and ref.article_id == article_id
    others = [p for p in publishers.PUBLISHERS.values() if p is not owner]
    assert not any(p.owns(url) for p in others)


@pytest.mark.parametrize("url", SEEN_NOT_ARTICLES)
def test_seen_listing_and_tool_pages_are_not_articles(url: str) -> None:
    owner = publishers.for_url(url)
    assert owner is not None
    assert owner.article_ref(url) is None


def test_a_path_set_to_nothing_is_not_a_discovery_url() -> None:
    znews = publishers.get("znews")
    urls = znews.discovery_urls()
    assert "daily_sitemap" not in urls  # the site's daily sitemap form is unknown: ""
    assert urls["news_sitemap"] == "https://znews.vn/sitemap/sitemap-news.xml"
    assert urls["feed:/rss/trang-chu.rss"] == "https://znews.vn/rss/trang-chu.rss"
    assert not any(name.startswith("rss:") for name in urls)  # rss_path "": no per-section feed
    assert znews.section_url("the-thao") == "https://znews.vn/the-thao.html"
