"""What kind of page carries a story: article, emagazine (long-form), photo, video or podcast.

The URL speaks first (``Publisher.format_of``: ``/emagazine/…-<id>.html``, ``/video/…``), then the
markup: ``og:type``, the JSON-LD type and the ``<body>`` classes. Pure: a parsed page in, a name out.
"""

from __future__ import annotations

import re

from extraction.metadata import ARTICLE_TYPES, PageMeta
from extraction.publishers import Publisher

# og:type values (the OpenGraph vocabulary): video.movie/episode/tv_show/other, music.song/radio_station.
_OG_PREFIXES = (("video", "video"), ("music", "podcast"))
# schema.org types of the page's main item.
_LD_TYPES = {
    "videoobject": "video",
    "imagegallery": "photo",
    "mediagallery": "photo",
    "podcastepisode": "podcast",
    "audioobject": "podcast",
    "podcastseries": "podcast",
}
# Words in <body class="…"> (split on - and _): page-video, detail-emagazine, page-photo-story …
# (INFERRED: OneCMS sister sites name detail pages by kind). Only the body's own classes count: an
# ordinary article holds video players and photo boxes in its sidebars. Not "audio": E2 articles
# carry a read-aloud player.
_BODY_WORDS = {
    "emagazine": "emagazine",
    "magazine": "emagazine",
    "longform": "emagazine",
    "video": "video",
    "videos": "video",
    "photo": "photo",
    "photos": "photo",
    "gallery": "photo",
    "photostory": "photo",
    "podcast": "podcast",
}
_WORD_SPLIT = re.compile(r"[-_\s]+")


def _types(item: dict[str, object]) -> list[str]:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return [kind.lower() for kind in kinds if isinstance(kind, str)]


def markup_format(page: PageMeta) -> tuple[str | None, str | None]:
    """(format, why) from the page's markup, or (None, None) when it says nothing beyond "article"."""
    og_type = (page.metas.get("og:type") or "").strip().lower()
    for prefix, name in _OG_PREFIXES:
        if og_type.startswith(prefix):
            return name, f"og:type {og_type}"
    # A media type counts when it is the page's main item: no article item beside it, or the article
    # item is typed as the media kind too (["NewsArticle", "VideoObject"]). A NewsArticle with an
    # embedded clip stays an article.
    has_article = any(set(_types(item)) & ARTICLE_TYPES for item in page.jsonld)
    for item in page.jsonld:
        kinds = _types(item)
        if has_article and not set(kinds) & ARTICLE_TYPES:
            continue
        for kind in kinds:
            if kind in _LD_TYPES:
                return _LD_TYPES[kind], f"JSON-LD @type {kind}"
    for token in page.body_classes.lower().split():
        for word in _WORD_SPLIT.split(token):
            if word in _BODY_WORDS:
                return _BODY_WORDS[word], f"body class {token}"
    return None, None


def page_format(urls: list[str | None], publisher: Publisher | None, page: PageMeta) -> tuple[str, str]:
    """(format, why): the first URL rule that applies, else the markup, else "article"."""
    if publisher is not None:
        for url in urls:
            if url:
                name = publisher.format_of(url)
                if name:
                    return name, f"URL path of {url}"
    name, why = markup_format(page)
    if name:
        return name, why or "markup"
    return "article", "no URL or markup sign of another kind of page"
