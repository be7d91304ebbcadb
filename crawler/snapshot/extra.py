"""Snapshot pages that no list reaches, and stories that are not plain articles.

- Link-only old articles: archived stories no sitemap, feed or section page lists. Recent articles link
  them from their body (an E1-era URL over the first words of a paragraph) or their "Tin liên quan" box
  (an E2-era URL); both old URLs answer 301 with the story's E3 URL, as old URLs do on the real site.
  Every third one is linked only from the previous one's box, by its E3 URL (a chain of links).
- Media stories with article ids: an eMagazine long-form page (its own template: the generic parser
  reads it) at /emagazine/<slug>-<id>.html, a video (og:type video.other, JSON-LD VideoObject) at
  /video/…, a photo story at a plain URL whose markup says so (JSON-LD ImageGallery, body class), a
  podcast at /podcast/… listed only on the /podcast listing page. The listing pages (/emagazine,
  /video, /photo, /podcast) are never articles.

Texts are demo stories like the generated articles' (crawler/snapshot/stories.py), from corpora of their
own (no wire stories: nothing here echoes the listed articles), with the same placeholder pictures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from crawler.snapshot import pages
from crawler.snapshot.pages import SITE, ArticleSpec
from crawler.snapshot.stories import Corpus
from extraction.publishers import get as get_publisher

PUBLISHER = get_publisher("baonghean")
LINKED_FIRST_ID = 10350000  # E3 ids of the link-only stories: below the generated ones, above the samples
E1_FIRST_ID = 200000  # their E1-era ids (5-6 digits)
E2_FIRST_ID = 250000  # their E2-era ids (post<digits>)
MEDIA_FIRST_ID = 10390000
MEDIA_LISTINGS = ("emagazine", "video", "photo", "podcast")


@dataclass
class Linked:
    spec: ArticleSpec
    linked_as: str  # the URL path the linking page uses (an old-era path that redirects, or the E3 one)
    host: str  # path of the page that links it


# Side corpora start this many stories into each topic: the main corpus (a few hundred stories over 12
# topics) never gets that far, so no side story repeats a main one (stories.Corpus ``skip``).
SIDE_SKIP = 100


@dataclass
class Media:
    spec: ArticleSpec
    format: str
    listed: bool  # in a daily sitemap (the podcast is only on its listing page)


def _story(
    corpus: Corpus, article_id: int, published: datetime, image_base: str, folder: str = ""
) -> ArticleSpec:
    from crawler.snapshot.build import story_spec  # build imports this module

    spec = story_spec(corpus.story(published), article_id, published, image_base)
    spec.folder = folder
    return spec


def add_linked(hosts: list[ArticleSpec], count: int, anchor: datetime, image_base: str) -> list[Linked]:
    """``count`` link-only stories, linked from ``hosts`` (recent articles, edited in place)."""
    linked: list[Linked] = []
    corpus = Corpus(PUBLISHER.key, seed=LINKED_FIRST_ID, wire=False, skip=SIDE_SKIP)
    for k in range(count):
        published = anchor - timedelta(days=900 + 37 * k)  # years old: E1/E2-era stories
        spec = _story(corpus, LINKED_FIRST_ID + k, published, image_base)
        host = hosts[(k // 3) % len(hosts)] if hosts else None
        if k % 3 == 0 and host is not None:  # E1 URL in the body, 301 to the E3 page
            linked_as = f"/{spec.slug}-{E1_FIRST_ID + k}.html"
            host.inline_link = SITE + linked_as
        elif k % 3 == 1 and host is not None:  # E2 URL in the related box, 301 to the E3 page
            linked_as = f"/{spec.slug}-post{E2_FIRST_ID + k}.html"
            host.related.append((SITE + linked_as, spec.title))
        else:  # E3 URL in the previous link-only story's box: found only through another found page
            linked_as = spec.path
            previous = linked[-1].spec if linked else (hosts[0] if hosts else spec)
            previous.related.append((SITE + spec.path, spec.title))
            host = previous
        linked.append(Linked(spec, linked_as, host.path if host is not None else ""))
    for host in hosts:  # a listed article in every box too: already archived, never fetched twice
        if host.related or host.inline_link:
            other = hosts[-1] if host is not hosts[-1] else hosts[0]
            host.related.append((other.url, other.title))
    return linked


def redirects(linked: list[Linked]) -> dict[str, str]:
    return {item.linked_as: item.spec.path for item in linked if item.linked_as != item.spec.path}


def media_stories(anchor: datetime, image_base: str) -> list[Media]:
    kinds = (
        ("emagazine", "emagazine", True),
        ("video", "video", True),
        ("", "photo", True),  # a plain URL: the markup tells
        ("podcast", "podcast", False),  # only on the /podcast listing page
    )
    corpus = Corpus(PUBLISHER.key, seed=MEDIA_FIRST_ID, wire=False, skip=SIDE_SKIP + 10)
    media = []
    for k, (folder, kind, listed) in enumerate(kinds):
        published = anchor - timedelta(hours=3 + 5 * k)
        media.append(Media(_story(corpus, MEDIA_FIRST_ID + k, published, image_base, folder), kind, listed))
    return media


def render_media(item: Media) -> str:
    spec = item.spec
    if item.format == "emagazine":
        return emagazine_page(spec)
    page = pages.render_article(spec)
    if item.format == "video":
        page = page.replace(
            '<meta property="og:type" content="article">', '<meta property="og:type" content="video.other">'
        )
        video = {
            "@context": "https://schema.org",
            "@type": "VideoObject",
            "name": spec.title,
            "uploadDate": spec.published.isoformat(),
            "thumbnailUrl": spec.image,
        }
        page = page.replace(
            "</head>",
            f'<script type="application/ld+json">{json.dumps(video, ensure_ascii=False)}</script></head>',
            1,
        )
    elif item.format == "photo":
        page = page.replace('"@type": "NewsArticle"', '"@type": ["NewsArticle", "ImageGallery"]', 1)
        page = page.replace('<body class="page-detail"', '<body class="page-detail page-photo"', 1)
    elif item.format == "podcast":
        audio = '<audio controls preload="none"></audio>'  # a demo podcast has no sound file
        page = page.replace('"@type": "NewsArticle"', '"@type": ["NewsArticle", "PodcastEpisode"]', 1)
        page = page.replace('<div class="b-maincontent">', audio + '<div class="b-maincontent">', 1)
    return page


def emagazine_page(spec: ArticleSpec) -> str:
    """A long-form page in a layout of its own (no E3 template classes): the generic parser's work."""
    e = lambda value: escape(value, quote=True)  # noqa: E731
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": spec.title,
        "datePublished": spec.published.isoformat(),
        "author": [{"@type": "Person", "name": a} for a in spec.authors],
        "publisher": {"@type": "Organization", "name": "Báo Nghệ An"},
        "articleSection": spec.section_name,
    }
    figures = (
        f'<figure class="emag-photo"><img src="{e(spec.image)}" alt="">'
        f"<figcaption>{e(spec.caption)} {e(spec.credit)}</figcaption></figure>"
    )
    body = "".join(f"<p>{e(p)}</p>" for p in spec.paragraphs[:2]) + figures
    body += "".join(f"<p>{e(p)}</p>" for p in spec.paragraphs[2:])
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{e(spec.title)} - Báo Nghệ An</title>"
        f'<link rel="canonical" href="{e(spec.url)}">'
        '<meta property="og:type" content="article"><meta property="og:site_name" content="Báo Nghệ An">'
        f'<meta property="og:title" content="{e(spec.title)}">'
        f'<meta name="description" content="{e(spec.lead)}">'
        f'<meta property="article:published_time" content="{spec.published.isoformat()}">'
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head>'
        '<body class="page-emagazine"><main class="emag">'
        f'<header class="emag-cover"><h1 class="emag-title">{e(spec.title)}</h1>'
        f'<p class="emag-sapo">{e(spec.lead)}</p></header>'
        f'<article class="emag-content">{body}</article>'
        f'<footer class="emag-credit">{e(" - ".join(spec.authors))}</footer>'
        "</main></body></html>"
    )


def listing_page(folder: str, items: list[Media]) -> str:
    names = {"emagazine": "Emagazine", "video": "Video", "photo": "Ảnh", "podcast": "Podcast"}
    return pages.section_page(folder, names[folder], [(m.spec.url, m.spec.title) for m in items])
