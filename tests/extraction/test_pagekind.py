"""What is not an article (exit 3) and what is not HTML (exit 2); never any other exception."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from extraction import extract, extract_explained
from extraction.article import NotAnArticleError, NotHtmlError

from .helpers import FIXTURES, fixture_id, not_article_fixtures

E3 = FIXTURES / "baonghean" / "e3" / "e3-10308168.html"
E2 = FIXTURES / "baonghean" / "e2" / "e2-post275412-seed.html"
NOT_ARTICLES = not_article_fixtures()


@pytest.mark.parametrize("page", NOT_ARTICLES, ids=[fixture_id(p) for p in NOT_ARTICLES])
def test_not_article_pages(page: Path) -> None:
    with pytest.raises(NotAnArticleError) as caught:
        extract(page.read_bytes())
    assert caught.value.reason


def test_lunar_page_is_not_an_article_even_at_an_article_like_url() -> None:
    page = FIXTURES / "baonghean" / "not-articles" / "am-duong-lich-ngay-14-thang-10-nam-2025.html"
    with pytest.raises(NotAnArticleError, match="utility"):
        extract(page.read_bytes(), url="https://baonghean.vn/am-duong-lich-ngay-14-thang-10-nam-2025.html")


@pytest.mark.parametrize(
    "url",
    [
        "https://baonghean.vn/en/suc-bat-tu-phong-trao-10308168.html",
        "https://baonghean.vn/photo",
        "https://baonghean.vn/emagazine/",
        "https://baonghean.vn/video/thoi-su",
        "https://baonghean.vn/thoi-su",
    ],
)
def test_non_article_urls_without_canonical(url: str) -> None:
    html = E3.read_text(encoding="utf-8").replace('<link rel="canonical"', '<link rel="x-canonical"')
    with pytest.raises(NotAnArticleError):
        extract(html, url=url)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"\x00\x01\x02\x03binary",
        b"PK\x03\x04" + b"\x00" * 40,
        "chỉ là chữ".encode(),
        b"{}",
        b"%PDF-1.4\n<p>not a page</p>",
        b"\x1b\x02\x03\x04\x05\x06<p>" * 20,
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Thoi su</title><item><title>x</title>'
        b"<description><![CDATA[<p>y</p>]]></description></item></channel></rss>",
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
        b"https://baonghean.vn/a-10308168.html</loc></url></urlset>",
    ],
)
def test_not_html(data: bytes) -> None:
    with pytest.raises(NotHtmlError):
        extract(data)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>Xin chào</p></body></html>",
        "<html><head><title>x</title></head></html>",
        "<div><h1>Tiêu đề</h1></div>",
        "<html><body>" + "<div>" * 3000 + "sâu" + "</div>" * 3000 + "</body></html>",
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>xml decl</p></body></html>',
    ],
)
def test_odd_html_raises_only_the_two_errors(html: str) -> None:
    with contextlib.suppress(NotHtmlError, NotAnArticleError):
        extract(html)


def test_xhtml_with_xml_declaration_is_html() -> None:
    data = (FIXTURES / "baonghean" / "e1" / "e1-67164.html").read_bytes()
    article = extract(b'<?xml version="1.0" encoding="utf-8"?>\n' + data)
    assert article.parser == "baonghean/e1"


def test_truncated_page_still_gives_an_article() -> None:
    data = E2.read_bytes()
    cut = data[: int(len(data) * 0.65)]
    article = extract(cut)
    assert article.parser == "baonghean/e2"
    assert article.title and len(article.paragraphs) >= 5


def test_bytes_str_and_latin_declared_charset_agree() -> None:
    data = E3.read_bytes()
    assert extract(data).to_dict() == extract(data.decode("utf-8")).to_dict()


def test_capture_date_breaks_a_tie_between_eras() -> None:
    # Markup carrying both E2 and E1 features equally: the capture date decides. The page names its
    # site (no URL given): only then may a publisher's own era templates read it.
    html = (
        "<html><head><title>t</title><meta property='og:site_name' content='Báo Nghệ An'></head><body>"
        "<div class='article'><h1 class='title article__title' "
        "id='title'>Tiêu đề</h1><div id='date'>01/02/2021 08:00</div><div class='article__sapo'>Sa pô.</div>"
        "<div id='content' class='article__body'><p>" + "Nội dung bài báo. " * 30 + "</p></div>"
        "<div id='nav'><a href='/xa-hoi'>Xã hội</a></div><div class='article__tag'></div></div></body></html>"
    )
    e1_article, e1_why = extract_explained(html, captured_at="2021-03-01T00:00:00+07:00")
    e2_article, _ = extract_explained(html, captured_at="2023-03-01T00:00:00+07:00")
    assert (e1_article.parser, e2_article.parser) == ("baonghean/e1", "baonghean/e2")
    assert "capture date" in e1_why.reason


def test_microdata_modified_time_on_a_visible_element() -> None:
    html = E3.read_text(encoding="utf-8")
    html = html.replace('<meta property="article:modified_time" content="2025-10-14T10:12:00+07:00">', "")
    html = html.replace('"dateModified":"2025-10-14T10:12:00+07:00",', "")
    assert extract(html).modified_at is None
    html = html.replace(
        "</h1>", '</h1><time itemprop="dateModified" datetime="2025-10-14T03:12:00Z">x</time>', 1
    )
    assert extract(html).modified_at == "2025-10-14T10:12:00+07:00"


@pytest.mark.parametrize(
    "url",
    [
        "https://baonghean.vn/en/suc-bat-tu-phong-trao-nong-dan-nghe-an-thi-dua-san-xuat-kinh-doanh-gioi-10308168.html",
        "http://127.0.0.1:8765/en/suc-bat-tu-phong-trao-nong-dan-nghe-an-thi-dua-san-xuat-kinh-doanh-gioi-10308168.html",
    ],
)
def test_fetched_mirror_or_media_url_wins_over_the_canonical_link(url: str) -> None:
    # The mirror/media page keeps the canonical link of the Vietnamese article it copies.
    with pytest.raises(NotAnArticleError, match=r"non-article|mirror"):
        extract(E3.read_bytes(), url=url)


def test_deeply_nested_page_is_still_read() -> None:
    html = E3.read_text(encoding="utf-8")
    html = html.replace('<div class="c-news-detail">', "<div>" * 900 + '<div class="c-news-detail">')
    html = html.replace('<aside class="c-sidebar">', "</div>" * 900 + '<aside class="c-sidebar">')
    article = extract(html)
    assert article.parser == "baonghean/e3" and len(article.paragraphs) == 6


def test_container_must_hold_the_body_not_a_teaser_article() -> None:
    html = E3.read_text(encoding="utf-8").replace('<div class="c-news-detail">', '<div class="x-detail">', 1)
    html = html.replace(
        '<div class="c-layout">',
        '<div class="c-layout"><article class="b-grid"><h3 class="b-grid__title"><a href="/a-10300000.html">'
        "Tin khác</a></h3></article>",
        1,
    )
    article = extract(html)
    assert article.parser == "baonghean/e3"
    assert len(article.paragraphs) == 6 and article.authors == ["Quang An"]
