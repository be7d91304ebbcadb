"""Parsing once and the small DOM helpers every template shares (lxml only: no BeautifulSoup)."""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from functools import lru_cache

from lxml import etree
from lxml.cssselect import CSSSelector

from extraction import limits
from extraction.article import NotHtmlError
from extraction.selectindex import ElementIndex, is_inside
from extraction.text import drop_invisible


def fast_clean(value: str | None) -> str:
    """Exactly ``clean_text`` (invisible characters out, NFC, whitespace collapsed), but cheap on clean
    text: it only pays for the NFC pass when the text needs it (tested equal)."""
    if not value:
        return ""
    value = drop_invisible(value)
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


# Plain lxml elements: lxml.html's HtmlElement costs a Python class lookup each time an element is
# touched, and nothing here needs its extra methods (lxml.html trees are accepted all the same).
HtmlElement = etree._Element

# Tags whose text is never article text.
# fmt: off
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "button", "form", "input", "select", "option", "textarea",
    "svg", "video", "audio", "object", "embed", "template", "head", "link", "meta",
})
# fmt: on

# Elements that separate words in rendered text even without whitespace around them.
# fmt: off
SPACED_TAGS = frozenset({
    "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure",
    "figcaption", "section", "article", "ul", "ol", "table", "dt", "dd", "header", "footer", "img",
})
# fmt: on

_HTML_SIGNS = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|p|div|h[1-6]|article|meta|title|table|span|a)\b", re.IGNORECASE
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([a-z0-9_\-]+)", re.IGNORECASE)


@lru_cache(maxsize=512)
def css(selector: str) -> CSSSelector:
    """A compiled CSS selector (compiled once per process: selector strings are data)."""
    return CSSSelector(selector, translator="html")


_ALTERNATIVE_TOKENS = re.compile(r"\.([\w-]+)|#([\w-]+)|\[id\^=['\"]?([\w-]+)")


class PageIndex:
    """Class tokens and ids present anywhere on the page, read in one XPath pass.

    Lets fingerprints and rules skip a CSS query whose classes/ids the page does not have at all:
    a query costs a tree scan per alternative, a set lookup costs nothing.
    """

    def __init__(self, root: HtmlElement) -> None:
        self.elements = ElementIndex(root)  # the same pass answers most CSS queries (``indexed``)
        self.classes = frozenset(self.elements.by_class)
        self.ids = frozenset(self.elements.by_id)

    def may_match(self, selector: str) -> bool:
        """False only when no alternative of ``selector`` can match (a class/id it needs is absent)."""
        for tokens in _alternative_tokens(selector):
            if not tokens:
                return True  # a tag or attribute selector: the index cannot tell
            if all(self._has(*token) for token in tokens):
                return True
        return False

    def _has(self, cls: str, id_: str, id_prefix: str) -> bool:
        if cls:
            return cls in self.classes
        if id_:
            return id_ in self.ids
        return any(value.startswith(id_prefix) for value in self.ids)

    def narrow(self, selector: str) -> str:
        """Only the alternatives of ``selector`` that may match on this page ("" when none can)."""
        kept = []
        for alternative, tokens in zip(selector.split(","), _alternative_tokens(selector), strict=True):
            if not tokens or all(self._has(*token) for token in tokens):
                kept.append(alternative.strip())
        return ", ".join(kept)


@lru_cache(maxsize=1024)
def _alternative_tokens(selector: str) -> tuple[tuple[tuple[str, str, str], ...], ...]:
    """The class/id tokens each comma alternative of ``selector`` needs (parsed once per selector)."""
    return tuple(tuple(_ALTERNATIVE_TOKENS.findall(alternative)) for alternative in selector.split(","))


def select_indexed(root: HtmlElement, selector: str, index: PageIndex | None) -> list[HtmlElement]:
    """``select`` that first drops the alternatives the page index rules out."""
    if index is not None:
        selector = index.narrow(selector)
        if not selector:
            return []
    return select(root, selector)


# The page whose queries ``select`` answers from its ElementIndex (set by ``indexed``, per thread).
_ACTIVE: ContextVar[ElementIndex | None] = ContextVar("vnnews_element_index", default=None)


@contextlib.contextmanager
def indexed(index: PageIndex) -> Iterator[None]:
    """While the body runs, ``select`` on this page (whatever subtree) uses its element index."""
    token = _ACTIVE.set(index.elements)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def select(root: HtmlElement, selector: str) -> list[HtmlElement]:
    active = _ACTIVE.get()
    if active is not None:
        found = active.select(root, selector)
        if found is not None:
            return found
    return [el for el in css(selector)(root) if isinstance(el.tag, str)]


def first(root: HtmlElement, *selectors: str) -> HtmlElement | None:
    """The first element matched by the first selector that matches anything."""
    for selector in selectors:
        found = select(root, selector)
        if found:
            return found[0]
    return None


def text_of(element: HtmlElement | None) -> str:
    """Visible text of an element, scripts and styles excluded, NFC, whitespace collapsed."""
    if element is None:
        return ""
    if not len(element):  # no children (nor comments): its own text is all (most paragraphs, links)
        tag = element.tag
        return "" if not isinstance(tag, str) or tag in SKIP_TAGS else fast_clean(element.text)
    return fast_clean("".join(iter_text(element)))


def iter_text(element: HtmlElement) -> Iterator[str]:
    """Text pieces of an element in document order (its own tail excluded), skipping SKIP_TAGS.

    Inline markup splits text without spaces ("Nghệ <b>An</b>,"): pieces are joined as they are.
    Blocks and <br> separate words, so they contribute a space. Walked by lxml's iterwalk (C, no
    Python recursion: deep pages cannot overflow the stack).
    """
    if not isinstance(element.tag, str):
        return
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "start":
            tag = node.tag
            if tag in SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag == "br" or tag in SPACED_TAGS:
                yield " "
            if node.text:
                yield node.text
        elif event == "end":
            tag = node.tag
            if tag not in SKIP_TAGS and (tag == "br" or tag in SPACED_TAGS):
                yield " "
            if node is not element and node.tail:
                yield node.tail
        elif node.tail:  # a comment or processing instruction: only its tail is text
            yield node.tail


def texts(elements: Iterable[HtmlElement]) -> list[str]:
    """Non-empty texts of elements, in order, duplicates dropped."""
    out: list[str] = []
    for element in elements:
        value = text_of(element)
        if value and value not in out:
            out.append(value)
    return out


def class_contains(element: HtmlElement, *fragments: str) -> bool:
    value = (element.get("class") or "").lower()
    return any(fragment in value for fragment in fragments)


def wholly_inside(element: HtmlElement, tags: frozenset[str], through: frozenset[str]) -> bool:
    """The element's whole text sits inside ``tags`` (<strong>, <em>...), possibly nested in wrappers
    of ``through``; <br> between them is allowed. Bold sapos and italic captions are found this way."""
    if (element.text or "").strip():
        return False
    children = [child for child in element if isinstance(child.tag, str) and child.tag != "br"]
    if not children or any((child.tail or "").strip() for child in children):
        return False
    return all(
        child.tag in tags or (child.tag in through and wholly_inside(child, tags, through))
        for child in children
    )


def _position(element: HtmlElement) -> list[int]:
    """Child indexes from the root down: tree positions compare in document order."""
    path = []
    node = element
    parent = node.getparent()
    while parent is not None:
        path.append(parent.index(node))
        node, parent = parent, parent.getparent()
    return path[::-1]


def precedes(element: HtmlElement, other: HtmlElement) -> bool:
    """True when ``element`` starts before ``other`` in the document (and is not inside it)."""
    return _position(element) < _position(other) and not is_inside(element, other)


def remove(element: HtmlElement) -> None:
    """Remove an element but keep its tail text (which belongs to the parent)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP/Office file",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"RIFF": "a RIFF (WebP/WAV/AVI) file",
    b"\x1f\x8b": "gzip-compressed data",
    b"WARC/": "a WARC file",
    b"\x7fELF": "an executable",
    b"OggS": "an Ogg audio/video file",
    b"ID3": "an MP3 file",
    b"fLaC": "a FLAC file",
    b"\x1aE\xdf\xa3": "a WebM/Matroska video",
    b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive",
    b"Rar!\x1a\x07": "a RAR archive",
    b"\xfd7zXZ\x00": "xz-compressed data",
    b"\x28\xb5\x2f\xfd": "zstd-compressed data",
    b"wOFF": "a web font",
    b"wOF2": "a web font",
    b"SQLite format 3\x00": "an SQLite database",
}
# ISO media (MP4, MOV, HEIC, AVIF) put their magic after a 4-byte box size.
_FTYP_AT = 4
_FIRST_TAG = re.compile(rb"<\s*([a-zA-Z][\w:.-]*)")
_PROLOGUE = re.compile(rb"^(?:\s|<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)*", re.IGNORECASE | re.DOTALL)
_XML_ROOTS = {b"rss", b"feed", b"urlset", b"sitemapindex", b"rdf:rdf", b"svg", b"opml", b"kml"}
_CONTROL = bytes(range(32)).replace(b"\t", b"").replace(b"\n", b"").replace(b"\r", b"").replace(b"\x0c", b"")
# Binary data has control bytes everywhere; an HTML page may carry a stray NUL or two (dropped before
# parsing). More than this share of the first 4 KB is not text.
MAX_CONTROL_SHARE = 0.05


def _not_html_reason(raw: bytes) -> str | None:
    """Why these bytes are not an HTML page (binary, a feed or sitemap, plain text), or None."""
    head = raw[:4096]
    stripped = head.lstrip()
    for magic, kind in _MAGIC.items():
        if stripped.startswith(magic):
            return f"{kind}, not HTML"
    if head[_FTYP_AT : _FTYP_AT + 4] == b"ftyp":
        return "an MP4/QuickTime/HEIF file, not HTML"
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    controls = len(head) - len(head.translate(None, _CONTROL))
    if not utf16 and controls > len(head) * MAX_CONTROL_SHARE:
        return "binary data, not HTML"
    if not utf16:
        first = _FIRST_TAG.match(raw, _PROLOGUE.match(raw[:65536]).end())  # type: ignore[union-attr]
        if first and first.group(1).lower() in _XML_ROOTS:
            return f"an XML document (<{first.group(1).decode('ascii', 'replace')}>), not HTML"
    if not _HTML_SIGNS.search(raw[:65536]):
        return "no HTML markup found"
    return None


def _declared_encoding(data: bytes) -> str:
    """The page's encoding: BOM, then its meta charset, else UTF-8 (what the site serves)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    match = _META_CHARSET.search(data[:4096])
    encoding = match.group(1).decode("ascii").lower() if match else "utf-8"
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return "utf-8"


def decode(data: bytes) -> str:
    """Bytes to text in the page's encoding (errors replaced)."""
    return data.decode(_declared_encoding(data), errors="replace")


def _utf8_bytes(html: bytes | str) -> bytes:
    """The page as valid UTF-8 bytes: lxml parses bytes with a fixed encoding faster than str."""
    if isinstance(html, str):
        return html.encode("utf-8", errors="replace")
    encoding = _declared_encoding(html)
    if encoding == "utf-8":
        try:
            html.decode("utf-8")
            return html
        except UnicodeDecodeError:
            pass
    return html.decode(encoding, errors="replace").encode("utf-8")


# huge_tree: libxml2 otherwise cuts documents nested deeper than 256 levels (some CMS wrappers are).
_UTF8_PARSER = etree.HTMLParser(encoding="utf-8", huge_tree=True)


def parse(html: bytes | str) -> HtmlElement:
    """Parse a page once; NotHtmlError when it is empty, binary or not HTML at all, LimitExceeded when
    it is beyond a bound of extraction/limits.py (checked before lxml sees it wherever possible)."""
    if html is None:
        raise NotHtmlError("empty input")
    if isinstance(html, str):
        limits.check_input_size(len(html))  # characters: a cheap lower bound on the bytes
        raw = html.encode("utf-8", errors="replace")
    else:
        raw = bytes(html)
    limits.check_input_size(len(raw))
    if not raw.strip():
        raise NotHtmlError("empty input")
    reason = _not_html_reason(raw)
    if reason:
        raise NotHtmlError(reason)
    # NUL bytes: libxml2 stops reading at one; a stray NUL must not cut the page.
    data = (raw if isinstance(html, str) else _utf8_bytes(raw)).replace(b"\x00", b"")
    tags = limits.check_markup(data)
    try:
        root = etree.fromstring(data, _UTF8_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise NotHtmlError(f"unreadable HTML: {error}") from None
    if root is None or not isinstance(root.tag, str):
        raise NotHtmlError("unreadable HTML")
    limits.check_tree(root, tags)
    limits.check_page_text(root, len(data))
    return root
