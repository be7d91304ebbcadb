"""Discovery parsers: robots.txt, sitemaps, RSS and section pages in, links out.

Pure functions over bytes/str, no Scrapy: the spider feeds them response bodies, the tests feed them
the shared samples. Scrapy's SitemapSpider is not used because it drops the Google News fields
(``news:publication_date``, ``news:title``) that let an incremental crawl skip unchanged articles.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree, html
from protego import Protego

from extraction.dates import VN_TZ as LOCAL_TZ
from extraction.publishers import Publisher

# Vietnam has no daylight saving time: a fixed offset is exact.

# Hostile or broken XML must not stop a crawl: recover what parses, never fetch DTDs or entities.
_XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
_DAILY_SITEMAP = re.compile(r"sitemap-article-(\d{4})-(\d{2})-(\d{2})\.xml(?:\.gz)?$")
# A gzip'd sitemap (.xml.gz served as a file, without Content-Encoding) is at most this big unpacked:
# the sitemap protocol caps a file at 50 MB; more is a zip bomb, not a sitemap.
MAX_UNPACKED = 64 * 1024 * 1024
# Last path segments that look like an old-id article but are topic, tag or utility pages.
_NOT_ARTICLE_SEGMENT = re.compile(r"(-event-?\d+\.html?$|-ptag\d*\.html?$|^am-duong-lich-)")
# "14/10/2025 21:00" (day first, local time): how the site itself writes dates.
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


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
    parsed: datetime | None = _day_first(value)
    if parsed is not None:
        return parsed
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


def _day_first(value: str) -> datetime | None:
    match = _DAY_FIRST.match(value)
    if not match:
        return None
    day, month, year, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=LOCAL_TZ)
    except ValueError:
        return None


def gunzip_if_packed(data: bytes) -> bytes:
    """The unpacked bytes of a gzip file (a ``.xml.gz`` sitemap), else ``data`` unchanged.

    Scrapy already unpacks ``Content-Encoding: gzip``; a ``.gz`` file served as a plain download is
    not, so the magic bytes decide. A broken or oversized archive gives what could be unpacked.
    """
    if not data.startswith(b"\x1f\x8b"):
        return data
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return unpacker.decompress(data, MAX_UNPACKED)
    except zlib.error:
        return b""


class TooLarge(ValueError):
    """A gzip'd document that unpacks past the size limit (a zip bomb, or a runaway sitemap)."""


def gunzip_within(data: bytes, limit: int) -> bytes:
    """Like ``gunzip_if_packed``, but a file that unpacks past ``limit`` bytes raises ``TooLarge``
    instead of being cut: the spider must count the document as failed, not read half of it."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        unpacked = unpacker.decompress(data, limit)
    except zlib.error:
        return b""
    if unpacker.unconsumed_tail:
        raise TooLarge(f"unpacks to more than {limit} bytes")
    return unpacked


def _local_name(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _xml_root(body: bytes | str) -> etree._Element | None:
    data = body.encode("utf-8") if isinstance(body, str) else gunzip_if_packed(body)
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


def _clean_url(value: str | None) -> str | None:
    """A URL as written in XML, whitespace (a ``<loc>`` wrapped over lines) removed."""
    return "".join(value.split()) or None if value else None


def _text_sitemap(body: bytes | str) -> list[Link]:
    """A plain-text sitemap (the protocol allows one URL per line): its http(s) lines."""
    data = body if isinstance(body, str) else gunzip_if_packed(body).decode("utf-8", "replace")
    if data.lstrip().startswith("<"):
        return []  # HTML or broken XML, not a URL list
    return [
        Link(url=line.strip())
        for line in data.splitlines()
        if line.strip().startswith(("http://", "https://"))
    ]


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


def parse_robots_crawl_delay(text: str | bytes, user_agent: str) -> float | None:
    """The ``Crawl-delay`` (seconds) robots.txt asks of ``user_agent`` (or of ``*``), if any."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        delay = Protego.parse(text).crawl_delay(user_agent)
    except (ValueError, TypeError):
        return None
    return float(delay) if delay is not None and delay >= 0 else None


def parse_sitemap_index(body: bytes | str) -> list[Link]:
    """``<sitemap><loc>`` entries of a sitemap index with their ``<lastmod>``."""
    root = _xml_root(body)
    if root is None:
        return []
    links = []
    for node in root:
        if _local_name(node.tag) != "sitemap":
            continue
        loc = _clean_url(_child_text(node, "loc"))
        if loc:
            links.append(Link(url=loc, lastmod=parse_datetime(_child_text(node, "lastmod"))))
    return links


def parse_urlset(body: bytes | str) -> list[Link]:
    """``<url>`` entries of a sitemap: ``<lastmod>``, and the Google News publication date and title."""
    root = _xml_root(body)
    if root is None:
        return _text_sitemap(body)
    links = []
    for node in root:
        if _local_name(node.tag) != "url":
            continue
        loc = _clean_url(_child_text(node, "loc"))
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
        name = _local_name(item.tag)
        if name == "item":
            url = _clean_url(_child_text(item, "link") or _child_text(item, "guid"))
            published = parse_datetime(_child_text(item, "pubDate") or _child_text(item, "date"))
        elif name == "entry":  # an Atom feed in place of RSS: <link href>, <updated>/<published>
            url = _atom_link(item) or _clean_url(_child_text(item, "id"))
            dates = [parse_datetime(_child_text(item, key)) for key in ("updated", "published")]
            published = max((d for d in dates if d is not None), default=None)
        else:
            continue
        if url:
            links.append(Link(url=url, published=published, title=_child_text(item, "title")))
    return links


def _atom_link(entry: etree._Element) -> str | None:
    for node in entry:
        if _local_name(node.tag) == "link" and node.get("rel", "alternate") == "alternate":
            return _clean_url(node.get("href"))
    return None


def parse_section_page(body: bytes | str, page_url: str) -> list[Link]:
    """Article links of a section page (``.b-grid__title a``, ``.b-grid__img a``), absolute, in page order.

    Title and image links usually point to the same article (listed once, with the title); a list
    item may have only one of them. A page in another template (no ``b-grid`` or ``onecms`` class at
    all) gives every link of the page: the spider keeps only article URLs.
    """
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not body.strip():
        return []
    try:
        tree = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    base = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
    page_url = urljoin(page_url, base.strip()) if base else page_url
    anchors = tree.cssselect(".b-grid__title a, .b-grid__img a")
    if not anchors and not tree.xpath("//*[contains(@class, 'b-grid') or contains(@class, 'onecms')]"):
        # Another template altogether: every link (the spider keeps article URLs). Not on a site
        # template page without items: its "tin mới" and sidebar links are not this section's list.
        anchors = tree.cssselect("a[href]")
    found: dict[str, str | None] = {}
    for anchor in anchors:
        href = _clean_url(anchor.get("href"))
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(page_url, href)
        title = " ".join((anchor.get("title") or anchor.text_content()).split()) or None
        if found.get(url) is None:
            found[url] = title  # first title wins; an image link's empty text never hides it
    return [Link(url=url, title=title) for url, title in found.items()]


def daily_sitemap_date(url: str) -> date | None:
    """The day a ``sitemap-article-YYYY-MM-DD.xml`` covers."""
    match = _DAILY_SITEMAP.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def listing_documents(publisher: Publisher) -> list[tuple[str, str]]:
    """The feeds and listing pages a crawl reads besides sitemaps, as (kind, path or URL), from the
    spec: its announced ``feeds``, one ``rss_path`` per section, its section pages (``section_path``;
    "" when the site has none worth reading) and its media listings."""
    documents: list[tuple[str, str]] = [("rss", feed) for feed in publisher.feeds]
    for section in publisher.sections:
        if publisher.rss_path:
            documents.append(("rss", publisher.rss_path.format(section=section.slug)))
        if publisher.section_path:
            documents.append(("section", publisher.section_path.format(section=section.slug)))
    documents += [("section", f"/{media.segment}") for media in publisher.media_sections]
    return documents


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


def _looks_like_article(url: str) -> bool:
    """False for topic (``-event<id>``), tag (``-ptag``) and lunar-calendar pages whose names end in
    digits like an article's; the id schemes alone would let some of them through."""
    last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].lower()
    return not _NOT_ARTICLE_SEGMENT.search(last)


def _article_url(url: str, base_url: str, publisher: Publisher) -> str | None:
    absolute = urljoin(base_url.rstrip("/") + "/", url.strip())
    if not (publisher.owns(absolute) or _same_origin(absolute, base_url)):
        return None
    if publisher.article_ref(absolute) is None or not _looks_like_article(absolute):
        return None
    canonical = publisher.canonical_url(absolute)
    # canonical_url turns a local http://127.0.0.1 URL into https; rebase restores the mirror's origin.
    path_and_query = urlunsplit(("", "", urlsplit(canonical).path, urlsplit(canonical).query, ""))
    return rebase(path_and_query, base_url, publisher)
