"""A publisher is data: hosts, article URL patterns, exclusions and discovery sources.

Extraction uses a spec to recognise article URLs and ids; the crawler uses the same spec to discover
and filter URLs. Functions here are pure: a URL string in, an answer out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def is_local_copy(url: str) -> bool:
    """A URL of a local copy of some site (127.0.0.1, localhost, an IP address, no host): a page there
    may say itself which publisher's it is (extraction.engine). Real sites have names."""
    host = (urlsplit(url).hostname or "").lower()
    return not host or host == "localhost" or host.replace(".", "").isdigit() or ":" in host


@dataclass(frozen=True)
class IdScheme:
    """One article-id scheme: ``name`` labels the scheme, ``pattern`` matches the last URL segment
    and captures the id exactly as it should be stored (e.g. ``post275412``)."""

    name: str
    pattern: re.Pattern[str]
    description: str = ""


@dataclass(frozen=True)
class ArticleRef:
    """Identity of an article: ids of different schemes overlap numerically, so the key is both."""

    publisher: str
    scheme: str
    article_id: str

    @property
    def key(self) -> str:
        return f"{self.publisher}:{self.scheme}:{self.article_id}"


@dataclass(frozen=True)
class Section:
    slug: str
    name: str


@dataclass(frozen=True)
class MediaSection:
    """A path segment whose pages carry a non-text ``format`` (``/video/<slug>-<id>.html``).

    The section itself (``/video``) and its id-less subpages are listings, never articles; a page
    under it with an article id is an article of that format.
    """

    segment: str  # "video": matched as a whole path segment, never as a slug prefix ("/video-clip-…")
    format: str  # one of extraction.article.ARTICLE_FORMATS


@dataclass(frozen=True)
class Publisher:
    key: str
    name: str
    hosts: tuple[str, ...]  # canonical host first; the others serve the same articles
    language: str
    timezone: str
    id_schemes: tuple[IdScheme, ...]
    excluded_prefixes: tuple[str, ...]  # path prefixes that are never articles (mirrors, media, tools)
    sections: tuple[Section, ...]
    # Sections of earlier templates whose URLs still resolve (E1 "thoi-su-chinh-tri"); not crawled.
    legacy_sections: tuple[Section, ...] = ()
    # Translated mirrors: same slug and id as the article, not articles in ``language``.
    mirror_prefixes: tuple[str, ...] = ()
    robots_path: str = "/robots.txt"
    sitemap_index_path: str = "/sitemap.xml"
    news_sitemap_path: str = "/sitemap-news.xml"
    daily_sitemap_path: str = "/sitemap-article-{date}.xml"  # date is YYYY-MM-DD
    rss_path: str = "/rss/{section}"
    tracking_params: frozenset[str] = field(default_factory=frozenset)
    # Long-form, photo, video and podcast sections: listing pages themselves, their id'd pages articles.
    media_sections: tuple[MediaSection, ...] = ()
    # Site words: lower-case names the paper signs its pages with besides ``name`` (og:site_name, a
    # title suffix, a breadcrumb's first crumb, an author field holding the paper itself).
    site_names: tuple[str, ...] = ()
    # Regex alternation of the site words that follow a title (" - Báo Nghệ An"), case-insensitive.
    title_suffix: str = ""
    # Regex alternation of the names in the paper's dateline before a sapo ("(Baonghean.vn) - ").
    dateline: str = ""
    # How the dateline starts as page text ("(Baonghean"), to find the page's own sapo quickly.
    dateline_starts: tuple[str, ...] = ()
    # The module holding the publisher's era templates (a ``TEMPLATES`` tuple, newest first); read
    # by extraction only, so this spec stays plain data.
    templates: str = ""
    # The CMS family whose markup the site serves today ("epi", "onecms", ...; "" when none we know):
    # its family template (extraction/templates/cms) does most of the work for a new publisher.
    cms: str = ""
    # Feeds announced by the site besides (or instead of) one ``rss_path`` per section: paths or
    # absolute URLs. Empty: ``rss_path`` per section, as baonghean.vn has.
    feeds: tuple[str, ...] = ()
    # A section's listing page; "" when the site has none worth reading for discovery.
    section_path: str = "/{section}"
    # Politeness overrides for this publisher's domain (None: the crawler's settings): seconds between
    # requests, and requests at a time, to that domain only.
    download_delay: float | None = None
    concurrency: int | None = None
    # Where this spec's facts come from (a docs path or a sentence): what was SEEN and what INFERRED.
    evidence: str = ""

    @property
    def known_names(self) -> frozenset[str]:
        """Every name of the paper, lower case (``name`` and the site words)."""
        return frozenset({self.name.lower(), *self.site_names})

    # The 2025 province the paper covers: a place name several provinces share is taken to be there
    # when the article names no other province (archive/places.py).
    home_province: str | None = None

    @property
    def canonical_host(self) -> str:
        return self.hosts[0]

    @property
    def base_url(self) -> str:
        return f"https://{self.canonical_host}"

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host in self.hosts or host.removeprefix("www.") in self.hosts

    def canonical_url(self, url: str) -> str:
        """https, canonical host, no fragment, tracking parameters dropped (m./amp. -> main host)."""
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        if self.owns(url):
            host = self.canonical_host
        elif parts.port:
            host = f"{host}:{parts.port}"
        query = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in self.tracking_params and not k.lower().startswith("utm_")
        ]
        scheme = "https" if self.owns(url) else (parts.scheme or "https")
        path = re.sub(r"/{2,}", "/", parts.path or "/")
        return urlunsplit((scheme, host, path, urlencode(query), ""))

    def is_excluded_path(self, path: str) -> bool:
        path = path.lower()
        prefixes = self.excluded_prefixes + self.mirror_prefixes
        return any(path == p.rstrip("/") or path.startswith(p) for p in prefixes)

    def is_mirror_path(self, path: str) -> bool:
        path = path.lower()
        return any(path == p.rstrip("/") or path.startswith(p) for p in self.mirror_prefixes)

    def is_section_path(self, path: str) -> bool:
        """/thoi-su, /kinh-te/bat-dong-san, /thoi-su-chinh-tri: a section (listing) page, current or old."""
        segments = [s for s in path.lower().strip("/").split("/") if s]
        # /<section>/<YYYYMM>/<slug>-<id>/ is the earliest article URL form, not a listing.
        if not segments or len(segments) > 2 or segments[-1].endswith((".html", ".htm")):
            return False
        if re.search(r"-\d{5,}$", segments[-1]):
            return False
        return any(section.slug == segments[0] for section in self.sections + self.legacy_sections) or (
            self.media_section(path) is not None
        )

    def media_section(self, path: str) -> MediaSection | None:
        """The media section a path lies in (any segment but the last one, or the whole path)."""
        segments = [s for s in path.lower().strip("/").split("/") if s]
        folders = segments if len(segments) == 1 else segments[:-1]
        for segment in folders:
            for media in self.media_sections:
                if media.segment == segment:
                    return media
        return None

    def format_of(self, url: str) -> str | None:
        """The ``format`` an article URL's path says (``/emagazine/…-10300001.html``: emagazine), or
        None when the URL says nothing (the page's markup may still tell: see extraction)."""
        path = urlsplit(url.strip()).path
        segments = [s for s in path.lower().strip("/").split("/") if s]
        if len(segments) < 2:
            return None  # /video is the listing; /slug-id.html has no folder to read
        media = self.media_section(path)
        return media.format if media else None

    def discovery_urls(self) -> dict[str, str]:
        """Where new article URLs are announced: robots.txt, sitemaps, one RSS feed per section (when
        the site has ``rss_path``) and the site's other ``feeds``. A path set to "" (the site has no
        such document) gives no entry."""
        paths = {
            "robots": self.robots_path,
            "sitemap_index": self.sitemap_index_path,
            "news_sitemap": self.news_sitemap_path,
            "daily_sitemap": self.daily_sitemap_path,
        }
        urls = {name: self.base_url + path for name, path in paths.items() if path}
        if self.rss_path:
            for section in self.sections:
                urls[f"rss:{section.slug}"] = self.base_url + self.rss_path.format(section=section.slug)
        for feed in self.feeds:
            urls[f"feed:{feed}"] = feed if "://" in feed else self.base_url + feed
        return urls

    def section_url(self, slug: str) -> str | None:
        """A section's listing page, or None when the site has none worth reading (``section_path`` "")."""
        return self.base_url + self.section_path.format(section=slug) if self.section_path else None

    def identify(self, url: str) -> tuple[str, ArticleRef | None]:
        """``url``'s canonical URL, and the identity of the article there (None: not an article URL).

        The mirror rule lives here and only here: a mirror or local copy of the site (a snapshot on
        127.0.0.1, a mirror's WARC) serves this publisher's paths on another host, and those paths name
        the same articles, so the host is not checked (``owns`` does that); the canonical URL keeps the
        mirror's host. Extraction decides an article's identity with it (``Article.ref``); the archive's
        fallback for articles without one (``archive.store.resolve_ref``) and imports use it too.
        """
        canonical = self.canonical_url(url)
        return canonical, self.article_ref(canonical)

    def article_ref(self, url: str) -> ArticleRef | None:
        """The article identity of ``url``'s path, or None when it is not an article URL of this
        publisher. The host is not checked (see ``identify``, the mirror rule)."""
        path = urlsplit(url.strip()).path
        if not path or self.is_excluded_path(path):
            return None
        last = path.rstrip("/").rsplit("/", 1)[-1]
        for scheme in self.id_schemes:
            match = scheme.pattern.search(last)
            if match:
                return ArticleRef(self.key, scheme.name, match.group(1))
        return None

    def section_name(self, slug: str) -> str | None:
        for section in self.sections + self.legacy_sections:
            if section.slug == slug:
                return section.name
        return None
