"""One markup choice at a time: the same article written the way another person might write it.

Each case rewrites ONE detail of a fixture page (where the date sits, how a caption credits the
photographer, how a related box is marked up, ...) and states what the article must then be. The
hard-* fixtures combine several such choices in full pages; these cases pin each one down alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extraction import extract

from .helpers import FIXTURES, expected

Page = tuple[str, dict[str, Any]]
E3 = "baonghean/e3/e3-10308168.html"
E3_DIGEST = "baonghean/e3/e3-10289658.html"
E2 = "baonghean/e2/e2-post249990.html"
E1 = "baonghean/e1/e1-51874.html"
CAPTION = "Người dân vùng Bích Hào mạnh dạn phát triển cây chè nhờ có nơi tiêu thụ ổn định."
E3_IMAGE = "https://bna.1cdn.vn/2025/10/14/img_8887-4aa080957a997942ea8d6c5f5569903d.jpg"


def _no_jsonld(html: str) -> str:
    return re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)


def _no_meta(html: str, *names: str) -> str:
    for name in names:
        html = re.sub(rf'<meta[^>]+(?:property|name)="{re.escape(name)}"[^>]*>', "", html)
    return html


def _replace(html: str, old: str, new: str) -> str:
    assert old in html, old  # a case that no longer rewrites anything must fail, not pass silently
    return html.replace(old, new)


def _sub(pattern: str, new: str | Callable[[re.Match[str]], str], html: str) -> str:
    changed, count = re.subn(pattern, new, html, flags=re.S)
    assert count, pattern
    return changed


def date_in_byline_element(page: Page) -> Page:
    html, want = page
    html = _no_jsonld(_no_meta(html, "article:author", "article:published_time", "article:modified_time"))
    html = _sub(
        r'<div class="sc-longform-header-meta">.*?</div>',
        '<div class="sc-longform-header-author">Quang An - 14/10/2025 08:45</div>',
        html,
    )
    return html, {**want, "modified_at": None}


def byline_in_date_element(page: Page) -> Page:
    html, want = page
    html = _no_jsonld(_no_meta(html, "article:author", "article:published_time", "article:modified_time"))
    html = _sub(
        r'<div class="sc-longform-header-meta">(.*?)</div>',
        lambda m: '<div class="sc-longform-header-date">' + re.sub("<[^>]+>", "", m.group(1)) + "</div>",
        html,
    )
    return html, {**want, "modified_at": None}


def tags_in_keywords_only(page: Page) -> Page:
    html, want = page
    return _sub(r'<div class="c-widget-tags onecms__tags">.*?</div>', "", html), want


def tags_as_article_tag_metas(page: Page) -> Page:
    html, want = page
    html = _sub(r'<div class="c-widget-tags onecms__tags">.*?</div>', "", html)
    html = _no_jsonld(_no_meta(html, "keywords", "news_keywords"))
    metas = "".join(f'<meta property="article:tag" content="{tag}">' for tag in want["tags"])
    return _replace(html, "</head>", metas + "</head>"), want


def credit_after_dash(page: Page) -> Page:
    html, want = page
    return _replace(html, "ổn định. Ảnh: T.P</p>", "ổn định. Ảnh - T.P</p>"), want


def lazy_image_with_stand_in(page: Page) -> Page:
    html, want = page
    stand_in = '<img class="lazyload" src="/assets/web/styles/img/no-image.png" data-original="'
    return _replace(html, f'<img src="{E3_IMAGE}"', stand_in + E3_IMAGE + '"'), want


def paragraphs_split_by_br(page: Page) -> Page:
    html, want = page
    first, second = want["paragraphs"][1], want["paragraphs"][3]
    html = _replace(html, f"<p>{second}</p>", "")
    html = _replace(html, f"<p>{first}</p>", f"<p>{first}<br><br>{second}</p>")
    paragraphs = list(want["paragraphs"])
    paragraphs.insert(2, paragraphs.pop(3))
    return html, {**want, "paragraphs": paragraphs}


def author_links_without_separator(page: Page) -> Page:
    html, want = page
    links = "".join(f'<a href="/tac-gia/{i}">{name}</a>' for i, name in enumerate(want["authors"]))
    old = '<span class="sc-longform-header-author block-sc-author">' + " - ".join(want["authors"]) + "</span>"
    return _replace(html, old, f'<span class="sc-longform-header-author">{links}</span>'), want


def google_news_logo_link_in_body(page: Page) -> Page:
    html, want = page
    promo = (
        '<p><a href="https://news.google.com/publications/X"><img src="/assets/gg-news.png" '
        'alt="Theo dõi Báo Nghệ An trên Google News"></a></p>'
    )
    html = _sub(r'<div class="follow-google-news">.*?</div>', "", html)
    return _replace(html, 'itemprop="articleBody">', 'itemprop="articleBody">' + promo), want


def site_suffix_after_merger(page: Page) -> Page:
    html, want = page
    html = _sub(r'<h1 class="sc-longform-header-title[^>]*>.*?</h1>', "", html)
    html = _no_jsonld(_no_meta(html, "og:title", "twitter:title"))
    html = _replace(html, " - Báo Nghệ An</title>", " | Báo và Đài Phát thanh - Truyền hình Nghệ An</title>")
    section_from_meta = "Kinh tế"  # the JSON-LD breadcrumb is gone with the JSON-LD
    return html, {**want, "section": section_from_meta}


def breadcrumb_ending_with_the_article(page: Page) -> Page:
    html, want = page
    html = _sub(r'<div class="sc-longform-header-cate">.*?</div>', "", html)
    own = {"@type": "ListItem", "position": 3, "name": want["title"], "item": want["url"]}
    crumb = '"item":"https://baonghean.vn/kinh-te"}'
    return _replace(html, crumb + "]", crumb + "," + json.dumps(own, ensure_ascii=False) + "]"), want


def teasers_inside_the_body(page: Page) -> Page:
    html, want = page
    teaser = (
        '<article class="story"><h3><a href="https://baonghean.vn/vung-dat-hai-cong-troi-10297441.html">'
        "Vùng đất hai cổng trời...</a></h3><p>Với cán bộ, chiến sĩ Trạm Kiểm soát Biên phòng Buộc Mú, "
        "Đồn Biên phòng Na Ngoi năm nay được đón Giao thừa tết Nguyên đán Nhâm Dần sớm hơn.</p></article>"
    )
    return _replace(html, "</tbody></table></figure>\n", "</tbody></table></figure>\n" + teaser * 2), want


def long_bold_sapo_in_body(page: Page) -> Page:
    html, want = page
    sapo = re.search(r'<p class="sc-longform-header-sapo[^"]*">(.*?)</p>', html)
    assert sapo
    html = _replace(html, sapo.group(0), "")
    entry = '<div class="entry entry-no-padding">'
    return _replace(html, entry, f"{entry}<p><strong>{sapo.group(1)}</strong></p>"), want


def tts_box_in_body(page: Page) -> Page:
    html, want = page
    box = (
        '<div class="box-tts"><span>Nghe bài viết</span><audio controls src="https://audio.1cdn.vn/x.mp3">'
        "</audio><span>0:00</span> / <span>0:00</span></div>"
    )
    entry = '<div class="entry entry-no-padding">'
    return _replace(html, entry, entry + box), want


def e1_sapo_apart_above_content(page: Page) -> Page:
    html, want = page
    sapo = re.search(r"<p><strong>(\(Baonghean\.vn\).*?)</strong></p>\n?", html, flags=re.S)
    assert sapo
    html = _replace(html, sapo.group(0), "")
    return _replace(
        html, '<div id="content">', f'<h2 class="sapo">{sapo.group(1)}</h2><div id="content">'
    ), want


def e2_cms_date_class_only(page: Page) -> Page:
    html, want = page
    html = _no_jsonld(_no_meta(html, "article:published_time", "article:modified_time"))
    html = _replace(html, '<meta class="cms-date" itemprop="datePublished"', '<meta class="cms-date"')
    html = _sub(r'<time class="time"[^>]*>.*?</time>', "", html)
    return html, {**want, "modified_at": None}


CASES: dict[str, tuple[str, Callable[[Page], Page]]] = {
    "date-in-byline-element": (E3, date_in_byline_element),
    "byline-in-date-element": (E3_DIGEST, byline_in_date_element),
    "tags-in-keywords-only": (E3, tags_in_keywords_only),
    "tags-as-article-tag-metas": (E3, tags_as_article_tag_metas),
    "credit-after-dash": (E3, credit_after_dash),
    "lazy-image-with-stand-in": (E3, lazy_image_with_stand_in),
    "paragraphs-split-by-br": (E3, paragraphs_split_by_br),
    "author-links-without-separator": (E3_DIGEST, author_links_without_separator),
    "google-news-logo-link-in-body": (E2, google_news_logo_link_in_body),
    "site-suffix-after-merger": (E3, site_suffix_after_merger),
    "breadcrumb-ending-with-the-article": (E3, breadcrumb_ending_with_the_article),
    "teasers-inside-the-body": (E3, teasers_inside_the_body),
    "long-bold-sapo-in-body": (E3, long_bold_sapo_in_body),
    "tts-box-in-body": (E3, tts_box_in_body),
    "e1-sapo-apart-above-content": (E1, e1_sapo_apart_above_content),
    "e2-cms-date-class-only": (E2, e2_cms_date_class_only),
}
FIELDS = (
    "title",
    "lead",
    "authors",
    "published_at",
    "modified_at",
    "section",
    "tags",
    "images",
    "paragraphs",
)


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_markup_choice(case: str) -> None:
    fixture, rewrite = CASES[case]
    page = Path(FIXTURES) / fixture
    html, want = rewrite((page.read_text(encoding="utf-8"), expected(page)))
    got = extract(html, url=want["meta"]["url"], captured_at=want["meta"]["captured_at"]).to_dict()
    assert {name: got[name] for name in FIELDS} == {name: want[name] for name in FIELDS}
    assert got["parser"] == want["parser"]


def test_caption_and_credit_forms() -> None:
    from extraction.normalize import split_credit

    assert split_credit(f"{CAPTION} Ảnh - T.P") == (CAPTION, "T.P")
    assert split_credit(f"{CAPTION} Ảnh – Thành Cường") == (CAPTION, "Thành Cường")
    assert split_credit(f"{CAPTION} (Ảnh: T.P)") == (CAPTION, "T.P")
    assert split_credit(f"{CAPTION} Ảnh minh họa") == (CAPTION, None)
    # a sentence that merely ends with the word "ảnh" keeps it
    assert split_credit("Người dân chụp ảnh") == ("Người dân chụp ảnh", None)


@pytest.mark.parametrize(
    ("shown", "iso"),
    [
        ("19/06/2025 - 07:22 PM", "2025-06-19T19:22:00+07:00"),
        ("Thứ Năm, 19/06/2025 - 19:22 (GMT+7)", "2025-06-19T19:22:00+07:00"),
        ("Thu, 19 Jun 2025 19:22:00 +0700", "2025-06-19T19:22:00+07:00"),
        ("2025/06/19 19:22", "2025-06-19T19:22:00+07:00"),
        ("2025-06-19T12:22:00.000Z", "2025-06-19T19:22:00+07:00"),
        ("2025-06-19T19:22:00", "2025-06-19T19:22:00+07:00"),  # no offset: Vietnam time
    ],
)
def test_date_forms(shown: str, iso: str) -> None:
    from extraction.dates import parse_iso

    assert parse_iso(shown) == iso
