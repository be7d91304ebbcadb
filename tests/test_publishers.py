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
