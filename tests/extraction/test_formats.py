"""Which kind of page carries a story: URL rules from the publisher spec, then the markup."""

from __future__ import annotations

import pytest

from extraction import extract
from tests.fixture_paths import FIXTURES

E3 = FIXTURES / "baonghean" / "e3" / "e3-10308168.html"
URL = "https://baonghean.vn/suc-bat-tu-phong-trao-nong-dan-nghe-an-thi-dua-san-xuat-kinh-doanh-gioi-10308168.html"


def page(head: str = "", body_class: str | None = None) -> str:
    html = E3.read_text(encoding="utf-8").replace('<meta property="og:type" content="article">', "", 1)
    html = html.replace("</head>", head + "</head>", 1)
    if body_class is not None:
        html = html.replace("<body", f'<body class="{body_class}"', 1).replace('class="page-detail"', "", 1)
    return html


def test_an_ordinary_article_is_an_article() -> None:
    assert extract(E3.read_bytes(), url=URL).format == "article"


@pytest.mark.parametrize(
    ("head", "body_class", "expected"),
    [
        ('<meta property="og:type" content="video.other">', None, "video"),
        ('<meta property="og:type" content="music.song">', None, "podcast"),
        ('<script type="application/ld+json">{"@type":"VideoObject","name":"x"}</script>', None, None),
        ("", "page-detail page-emagazine", "emagazine"),
        ("", "detail-photo-story", "photo"),
        ("", "page-podcast", "podcast"),
    ],
)
def test_markup_says_the_format(head: str, body_class: str | None, expected: str | None) -> None:
    article = extract(page(head, body_class), url=URL)
    # A NewsArticle page with a clip in its JSON-LD stays an article (the sample has NewsArticle).
    assert article.format == (expected or "article")


def test_json_ld_media_type_as_the_main_item() -> None:
    html = page().replace('"@type":"NewsArticle"', '"@type":["NewsArticle","ImageGallery"]', 1)
    assert extract(html, url=URL).format == "photo"
    html = page().replace('"@type":"NewsArticle"', '"@type":"PodcastEpisode"', 1)
    assert extract(html, url=URL).format == "podcast"


def test_the_url_rule_comes_first() -> None:
    html = page('<meta property="og:type" content="video.other">').replace(
        '<link rel="canonical"', '<link rel="x-canonical"'
    )
    article = extract(html, url="https://baonghean.vn/emagazine/suc-bat-tu-10308168.html")
    assert (article.format, article.article_id) == ("emagazine", "10308168")
    local = extract(html, url="http://127.0.0.1:8000/podcast/suc-bat-tu-10308168.html")
    assert local.format == "podcast"
