"""Render the snapshot's documents in the shapes of the real site's (samples in data/).

Article pages reuse the E3 sample page (``data/e3-10308168.html``) as a template: its article values
(URL, id, title, sapo, dates, section, byline, body, tags, JSON-LD) are cut out and replaced per
article, the page chrome (menus, sidebars, footer, scripts) stays as it is. Sitemaps and RSS follow
the samples' element shapes. Absolute page URLs are the real site's, as on the real site (the crawler
rebases them onto the snapshot server's address); the generated stories' slugs start with ``demo-``
(docs/crawling.md, "The offline snapshot"). Image URLs name the server that serves the placeholders.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from functools import cache
from html import escape
from urllib.parse import quote

from crawler.snapshot.text import read_data

SITE = "https://baonghean.vn"


@dataclass
class ArticleSpec:
    """One generated article: everything its page, its sitemap entries and its feed items say."""

    article_id: int
    slug: str
    title: str
    lead: str
    paragraphs: list[str]
    subheading: str
    caption: str
    authors: list[str]
    section: str  # slug
    section_name: str
    published: datetime
    modified: datetime | None = None
    tags: list[str] = field(default_factory=list)
    folder: str = ""  # "emagazine", "video" …: the story lives at /<folder>/<slug>-<id>.html
    # Links to other articles in the body (crawler/snapshot/extra.py): (url, title) in a "Tin liên quan"
    # box, and one inline link over the first words of the first paragraph.
    related: list[tuple[str, str]] = field(default_factory=list)
    inline_link: str | None = None
    # The figure: an absolute URL of a placeholder picture the snapshot server serves, and its credit.
    image: str = ""
    credit: str = "Ảnh minh họa"
    # Which demo story this is (crawler/snapshot/stories.py): story (its key), topic, marker, place, wire.
    story: dict[str, str | None] = field(default_factory=dict)

    @property
    def path(self) -> str:
        folder = f"/{self.folder}" if self.folder else ""
        return f"{folder}/{self.slug}-{self.article_id}.html"

    @property
    def url(self) -> str:
        return SITE + self.path

    @property
    def lastmod(self) -> datetime:
        return self.modified or self.published


def _e(value: str) -> str:
    return escape(value, quote=True)


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


@cache
def article_template() -> tuple[str, ...]:
    """The E3 sample cut into literal text and field names: even indexes literal, odd indexes fields."""
    page = read_data("e3-10308168.html").decode("utf-8")
    sample = json.loads(read_data("e3-10308168.json"))
    url = sample["url"]

    def cut(pattern: str, name: str, text: str, flags: int = 0) -> str:
        new, count = re.subn(pattern, lambda _: f"\x00{name}\x00", text, count=1, flags=flags)
        if count != 1:
            raise RuntimeError(f"snapshot template: {name!r} not found in the E3 sample")
        return new

    page = cut(
        r'<script type="application/ld\+json">\{"@context":"https://schema.org","@type":"NewsArticle".*?</script>',
        "jsonld",
        page,
    )
    page = cut(
        r'<script type="application/ld\+json">\{"@context":"https://schema.org","@type":"BreadcrumbList".*?</script>',
        "breadcrumb",
        page,
    )
    page = cut(
        r"<script>window\.dataLayer=window\.dataLayer\|\|\[\];window\.dataLayer\.push\(\{\"pageType\".*?</script>",
        "datalayer",
        page,
    )
    page = cut(r'"page":\{[^{}]*\}', "page_config", page)
    page = cut(r'<div class="sc-longform-header">.*?(?=<div class="c-share-detail">)', "article", page, re.S)
    page = cut(r"<title>.*?</title>", "title_tag", page)
    page = cut(r'<meta name="description" content="[^"]*">', "meta_description", page)
    page = cut(
        r'<meta name="keywords" content="[^"]*">\n<meta name="news_keywords" content="[^"]*">',
        "meta_keywords",
        page,
    )
    page = cut(r'<meta property="og:title" content="[^"]*">', "og_title", page)
    page = cut(r'<meta property="og:description" content="[^"]*">', "og_description", page)
    page = cut(r'<meta property="og:image" content="[^"]*">', "og_image", page)
    page = cut(
        r'<meta property="article:published_time".*?<meta name="article:author" content="[^"]*">',
        "article_meta",
        page,
        re.S,
    )
    page = page.replace(quote(url, safe=""), "\x00url_quoted\x00").replace(url, "\x00url\x00")
    page = page.replace(sample["article_id"], "\x00id\x00")
    return tuple(page.split("\x00"))


def _article_block(spec: ArticleSpec) -> str:
    byline = " - ".join(spec.authors)
    figure = (
        f'<figure class="image"><img src="{_e(spec.image)}" alt="{_e(spec.caption)}" width="800" height="533"'
        f' loading="lazy"><figcaption><p>{_e(spec.caption)} {_e(spec.credit)}</p>'
        "</figcaption></figure>"
    )
    body = [f"<h2>{_e(spec.subheading)}</h2>", figure] + [f"<p>{_e(p)}</p>" for p in spec.paragraphs]
    if spec.inline_link:  # a link over the first words: the paragraph's text stays the same
        words = spec.paragraphs[0].split(" ")
        body[2] = (
            f'<p><a href="{_e(spec.inline_link)}">{_e(" ".join(words[:6]))}</a> {_e(" ".join(words[6:]))}</p>'
        )
    if spec.related:  # the E3 sample's inline related box, after the second block of the body
        items = "".join(f'<li><a href="{_e(u)}" title="{_e(t)}">{_e(t)}</a></li>' for u, t in spec.related)
        body.insert(3, f'<div class="c-box c-related-inline"><h3>Tin liên quan</h3><ul>{items}</ul></div>')
    tags = "".join(
        f'<a href="/{_e(slugify(tag))}-ptag.html" title="{_e(tag)}">{_e(tag)}</a>' for tag in spec.tags
    )
    return (
        '<div class="sc-longform-header">\n'
        f'<div class="sc-longform-header-cate"><a href="/{spec.section}" title="{_e(spec.section_name)}">'
        f"{_e(spec.section_name)}</a></div>\n"
        f'<h1 class="sc-longform-header-title block-sc-title">{_e(spec.title)}</h1>\n'
        '<div class="sc-longform-header-meta">'
        f'<span class="sc-longform-header-author block-sc-author">{_e(byline)}</span> - '
        '<span class="sc-longform-header-date block-sc-publish-time">'
        f"{spec.published:%d/%m/%Y %H:%M}</span></div>\n"
        f'<p class="sc-longform-header-sapo block-sc-sapo">{_e(spec.lead)}</p>\n'
        "</div>\n"
        '<div class="b-maincontent"><div class="entry entry-no-padding">\n'
        + "\n".join(body)
        + "\n</div></div>\n"
        f'<div class="c-widget-tags onecms__tags"><span>Từ khóa:</span>{tags}</div>\n'
    )


def render_article(spec: ArticleSpec) -> str:
    modified = _iso(spec.modified) if spec.modified else None
    jsonld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": spec.url},
        "headline": spec.title,
        "description": spec.lead,
        "image": [spec.image],
        "datePublished": _iso(spec.published),
        **({"dateModified": modified} if modified else {}),
        "author": [{"@type": "Person", "name": name} for name in spec.authors],
        "publisher": {"@type": "Organization", "name": "Báo Nghệ An"},
        "articleSection": spec.section_name,
        "keywords": ", ".join(spec.tags),
    }
    breadcrumb = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Trang chủ", "item": f"{SITE}/"},
            {"@type": "ListItem", "position": 2, "name": spec.section_name, "item": f"{SITE}/{spec.section}"},
        ],
    }
    page_info = {
        "pageType": "detail",
        "articleId": str(spec.article_id),
        "category": spec.section,
        "author": spec.authors[0] if spec.authors else "",
        "publishDate": _iso(spec.published),
        "title": spec.title,
    }
    article_meta = f'<meta property="article:published_time" content="{_iso(spec.published)}">\n'
    if modified:
        article_meta += f'<meta property="article:modified_time" content="{modified}">\n'
    article_meta += (
        f'<meta property="article:section" content="{_e(spec.section_name)}">\n'
        f'<meta name="article:author" content="{_e(", ".join(spec.authors))}">'
    )
    keywords = _e(", ".join(spec.tags))
    ld = '<script type="application/ld+json">'
    push = "<script>window.dataLayer=window.dataLayer||[];window.dataLayer.push("
    values = {
        "jsonld": f"{ld}{json.dumps(jsonld, ensure_ascii=False)}</script>",
        "breadcrumb": f"{ld}{json.dumps(breadcrumb, ensure_ascii=False)}</script>",
        "datalayer": f"{push}{json.dumps(page_info)});</script>",
        "page_config": f'"page":{json.dumps(page_info)}',
        "article": _article_block(spec),
        "title_tag": f"<title>{_e(spec.title)} - Báo Nghệ An</title>",
        "meta_description": f'<meta name="description" content="{_e(spec.lead)}">',
        "meta_keywords": (
            f'<meta name="keywords" content="{keywords}">\n<meta name="news_keywords" content="{keywords}">'
        ),
        "og_title": f'<meta property="og:title" content="{_e(spec.title)}">',
        "og_description": f'<meta property="og:description" content="{_e(spec.lead)}">',
        "og_image": f'<meta property="og:image" content="{_e(spec.image)}">',
        "article_meta": article_meta,
        "url": _e(spec.url),
        "url_quoted": quote(spec.url, safe=""),
        "id": str(spec.article_id),
    }
    parts = article_template()
    return "".join(part if i % 2 == 0 else values[part] for i, part in enumerate(parts))


def slugify(text: str) -> str:
    from extraction.text import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def make_slug(title: str, limit: int = 90) -> str:
    slug = slugify(title)
    return slug[:limit].rsplit("-", 1)[0] if len(slug) > limit else slug


# --- list documents --------------------------------------------------------------------------------


def sitemap_index(entries: list[tuple[str, datetime]]) -> str:
    rows = "".join(
        f"<sitemap><loc>{_e(url)}</loc><lastmod>{_iso(when)}</lastmod></sitemap>\n" for url, when in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + rows + "</sitemapindex>\n"
    )


def news_sitemap(items: list[tuple[str, datetime, str]], name: str = "Báo Nghệ An") -> str:
    rows = "".join(
        f"<url><loc>{_e(url)}</loc><news:news><news:publication><news:name>{_e(name)}</news:name>"
        f"<news:language>vi</news:language></news:publication><news:publication_date>{_iso(when)}"
        f"</news:publication_date><news:title>{_e(title)}</news:title></news:news></url>\n"
        for url, when, title in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + rows + "</urlset>\n"
    )


def daily_sitemap(items: Sequence[tuple[str, datetime, str | None]]) -> str:
    rows = "".join(
        f"<url><loc>{_e(url)}</loc><lastmod>{_iso(when)}</lastmod><changefreq>daily</changefreq>"
        "<priority>0.8</priority>"
        + (f"<image:image><image:loc>{_e(image)}</image:loc></image:image>" if image else "")
        + "</url>\n"
        for url, when, image in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n' + rows + "</urlset>\n"
    )


def rss_feed(section: str, name: str, items: list[tuple[str, str, str, datetime]], built: datetime) -> str:
    """``items``: (link, title, summary, published)."""
    rows = "".join(
        f"<item>\n<title>{_e(title)}</title>\n<link>{_e(link)}</link>\n"
        f"<description><![CDATA[{_e(summary)}]]></description>\n<pubDate>{format_datetime(when)}</pubDate>\n"
        f'<guid isPermaLink="true">{_e(link)}</guid>\n</item>\n'
        for link, title, summary, when in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        f"<channel>\n<title>{_e(name)} - Báo Nghệ An</title>\n<link>{SITE}/{section}</link>\n"
        f'<atom:link href="{SITE}/rss/{section}" rel="self" type="application/rss+xml"/>\n'
        f"<description>{_e(name)} - Báo Nghệ An</description>\n<language>vi</language>\n"
        f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>\n<generator>OneCMS</generator>\n"
        + rows
        + "</channel>\n</rss>\n"
    )


@cache
def _section_template() -> tuple[str, str]:
    page = read_data("section-thoi-su.html").decode("utf-8")
    start = page.index('<div class="c-cate-head">')
    end = page.index("\n", start)
    return page[:start], page[end:]


def section_page(section: str, name: str, items: list[tuple[str, str]]) -> str:
    """``items``: (link, title), newest first, as ``.b-grid`` entries like the sample section page."""
    head, tail = _section_template()
    head = head.replace("<title>Thời sự - Báo Nghệ An</title>", f"<title>{_e(name)} - Báo Nghệ An</title>")
    head = head.replace(f'href="{SITE}/thoi-su"', f'href="{SITE}/{section}"')
    grid = "".join(
        f'<div class="b-grid"><div class="b-grid__img"><a href="{_e(link)}" title="{_e(title)}"></a></div>'
        f'<div class="b-grid__content"><h3 class="b-grid__title"><a href="{_e(link)}" title="{_e(title)}">'
        f"{_e(title)}</a></h3></div></div>"
        for link, title in items
    )
    body = (
        '<div class="c-cate-head"><h1 class="c-cate-head__title">'
        f'<a href="/{section}">{_e(name)}</a></h1></div>'
        f'<div class="b-grid-list">{grid}</div><ul class="onecms__loading" data-zone="{section}"></ul>'
        '<a class="c-more" href="javascript:;">Xem thêm</a>'
    )
    return head + body + tail
