"""Discovery parsers: robots.txt, sitemaps, RSS and section pages in, links out.

Pure functions over bytes/str, no Scrapy: the spider feeds them response bodies, the tests feed them
the shared samples. Scrapy's SitemapSpider is not used because it drops the Google News fields
(``news:publication_date``, ``news:title``) that let an incremental crawl skip unchanged articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree, html

from vnnews.publishers import Publisher

# Vietnam has no daylight saving time: a fixed offset is exact.
LOCAL_TZ = timezone(timedelta(hours=7))

# Hostile or broken XML must not stop a crawl: recover what parses, never fetch DTDs or entities.
_XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
_DAILY_SITEMAP = re.compile(r"sitemap-article-(\d{4})-(\d{2})-(\d{2})\.xml$")


@dataclass(frozen=True)
class Link:
    """A URL found in a discovery document, with the dates and title the document gave for it."""

    url: str
    lastmod: datetime | None = None  # sitemap <lastmod>
    published: datetime | None = None  # news:publication_date or RSS pubDate
    title: str | None = None

    @property
    def changed_at(self) -> datetime | None:
        """The latest date the document claims for the page: what an incremental crawl compares."""
        dates = [d for d in (self.lastmod, self.published) if d is not None]
        return max(dates) if dates else None


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601 (sitemaps) or RFC 822 (RSS) to an aware datetime; naive values are Vietnam time."""
    if not value or not value.strip():
        return None
    value = value.strip()
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed


def _local_name(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _xml_root(body: bytes | str) -> etree._Element | None:
    data = body.encode("utf-8") if isinstance(body, str) else body
    if not data.strip():
        return None
    try:
        return etree.fromstring(data.strip(), _XML_PARSER)
    except etree.XMLSyntaxError:
        return None


def _child_text(element: etree._Element, name: str) -> str | None:
    """Text of the first descendant whose local name is ``name`` (namespace-agnostic)."""
    for node in element.iter():
        if _local_name(node.tag) == name and node.text and node.text.strip():
            return node.text.strip()
    return None


def parse_robots_sitemaps(text: str | bytes) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, in file order (the directive is case-insensitive)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    urls = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            urls.append(value.split("#", 1)[0].strip())
    return urls


def parse_sitemap_index(body: bytes | str) -> list[Link]:
    """``<sitemap><loc>`` entries of a sitemap index with their ``<lastmod>``."""
    root = _xml_root(body)
    if root is None:
        return []
    links = []
    for node in root:
        if _local_name(node.tag) != "sitemap":
            continue
        loc = _child_text(node, "loc")
        if loc:
            links.append(Link(url=loc, lastmod=parse_datetime(_child_text(node, "lastmod"))))
    return links


def parse_urlset(body: bytes | str) -> list[Link]:
    """``<url>`` entries of a sitemap: ``<lastmod>``, and the Google News publication date and title."""
    root = _xml_root(body)
    if root is None:
        return []
    links = []
    for node in root:
        if _local_name(node.tag) != "url":
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        links.append(
            Link(
                url=loc,
                lastmod=parse_datetime(_child_text(node, "lastmod")),
                published=parse_datetime(_child_text(node, "publication_date")),
                title=_child_text(node, "title"),
            )
        )
    return links


def is_sitemap_index(body: bytes | str) -> bool:
    root = _xml_root(body)
    return root is not None and _local_name(root.tag) == "sitemapindex"


def parse_rss(body: bytes | str) -> list[Link]:
    """RSS 2.0 ``<item>``s: link (or a permalink guid), title and pubDate."""
    root = _xml_root(body)
    if root is None:
        return []
    links = []
    for item in root.iter():
        if _local_name(item.tag) != "item":
            continue
        url = _child_text(item, "link") or _child_text(item, "guid")
        if url:
            links.append(
                Link(
                    url=url,
                    published=parse_datetime(_child_text(item, "pubDate")),
                    title=_child_text(item, "title"),
                )
            )
    return links


def parse_section_page(body: bytes | str, page_url: str) -> list[Link]:
    """Article links of a section page (``.b-grid__title a``), absolute, in page order.

    Only the title links are read: the image links (``.b-grid__img a``) point to the same articles.
    """
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not body.strip():
        return []
    try:
        tree = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    links = []
    for anchor in tree.cssselect(".b-grid__title a"):
        href = (anchor.get("href") or "").strip()
        if href:
            title = anchor.get("title") or anchor.text_content()
            links.append(Link(url=urljoin(page_url, href), title=" ".join(title.split()) or None))
    return links


def daily_sitemap_date(url: str) -> date | None:
    """The day a ``sitemap-article-YYYY-MM-DD.xml`` covers."""
    match = _DAILY_SITEMAP.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def days_between(since: date, until: date) -> list[date]:
    """Every day from ``since`` to ``until`` inclusive, newest first (recent news matters most)."""
    count = (until - since).days
    return [until - timedelta(days=offset) for offset in range(count + 1)]


def rebase(url: str, base_url: str, publisher: Publisher) -> str:
    """``url`` moved onto ``base_url`` (same path and query) when the publisher serves it.

    Documents of the real site carry absolute ``https://baonghean.vn/...`` URLs (and m./amp.
    hosts); a crawl of a mirror or local copy must follow them on the mirror, never on the site.
    """
    absolute = urljoin(base_url.rstrip("/") + "/", url.strip())
    if not publisher.owns(absolute) and not _same_origin(absolute, base_url):
        return absolute  # another site: left alone (and not followed by the spider)
    base = urlsplit(base_url)
    parts = urlsplit(absolute)
    prefix = base.path.rstrip("/")
    path = parts.path if parts.path.startswith(prefix + "/") or not prefix else prefix + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


def _same_origin(url: str, base_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def article_url(url: str, base_url: str, publisher: Publisher) -> str | None:
    """The URL to fetch for an article link, or None when the link is not an article of ``publisher``.

    m./amp. hosts and tracking parameters are normalised away first (``Publisher.canonical_url``),
    then the URL is rebased; mirrors (/en/ ...), media, utility and tag pages give None. A malformed
    URL (a sitemap typo such as ``http://[``) gives None rather than failing the whole document.
    """
    try:
        return _article_url(url, base_url, publisher)
    except ValueError:
        return None


def _article_url(url: str, base_url: str, publisher: Publisher) -> str | None:
    absolute = urljoin(base_url.rstrip("/") + "/", url.strip())
    if not (publisher.owns(absolute) or _same_origin(absolute, base_url)):
        return None
    if publisher.article_ref(absolute) is None:
        return None
    canonical = publisher.canonical_url(absolute)
    # canonical_url turns a local http://127.0.0.1 URL into https; rebase restores the mirror's origin.
    path_and_query = urlunsplit(("", "", urlsplit(canonical).path, urlsplit(canonical).query, ""))
    return rebase(path_and_query, base_url, publisher)
