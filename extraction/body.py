"""Body blocks in reading order: paragraphs, subheadings, quotes, table rows, and figures.

One walk over the (already cleaned) body element. Figures become ``Image`` records (caption and
credit split); their captions, alt texts and file names never reach the paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extraction.article import Image
from extraction.dom import (
    SKIP_TAGS,
    HtmlElement,
    class_contains,
    fast_clean,
    iter_text,
    select,
    text_of,
    wholly_inside,
)
from extraction.normalize import split_credit, strip_digest_marker

# fmt: off
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "blockquote", "ul", "ol", "li", "table", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "footer", "aside", "main", "pre", "dl", "dt", "dd", "center", "hr", "tbody",
    "thead", "tr", "td", "th", "figcaption", "nav",
})
# fmt: on
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Figures: <figure>, E2 table.picture, E1 table.image, div.image and friends (class lists may have more).
FIGURE_CLASSES = ("picture", "image", "photo", "figure", "img-wrap", "expnoedit")
CAPTION_SELECTOR = (
    "figcaption, .image_desc, td.caption, .caption, .pCaption, .PhotoCMS_Caption, .fig-caption, "
    ".image-caption, .img-caption, .desc_image, .note"
)
MAX_CAPTION_CHARS = 300
LAZY_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-srcset", "srcset")


@dataclass
class Blocks:
    paragraphs: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


_PLACEHOLDER_WORDS = (
    "placeholder",
    "blank.gif",
    "lazy.gif",
    "loading.gif",
    "1x1",
    "no-image",
    "noimage",
    "no_image",
    "spacer",
    "transparent",
    "pixel.gif",
    "grey.gif",
    "gray.gif",
    "default-image",
    "img-default",
)


def _real_url(value: str | None) -> str | None:
    if not value:
        return None
    url = value.strip().split(",")[0].strip().split(" ")[0]
    lowered = url.lower()
    if not url or lowered.startswith(("data:", "about:", "javascript:")):
        return None
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return None
    return url


def image_url(img: HtmlElement) -> str | None:
    """A real ``src`` first; lazy-loading attributes otherwise; never a data: URI or a placeholder.

    A lazy image (class "lazy…", "lazyload") keeps a stand-in picture in ``src`` whatever its name:
    its lazy attribute wins.
    """
    lazy = next((url for url in (_real_url(img.get(name)) for name in LAZY_ATTRIBUTES) if url), None)
    if lazy and "lazy" in (img.get("class") or "").lower():
        return lazy
    return _real_url(img.get("src")) or lazy or _picture_source(img)


def _picture_source(img: HtmlElement) -> str | None:
    """The first candidate of a ``<picture>``'s ``<source>`` (VnExpress: the real URL is only in
    ``source[data-srcset]`` when the img's own attributes hold stand-ins)."""
    # lxml's HTML parser does not know <source> is empty: the <img> may end up inside it.
    parent = img.getparent()
    while parent is not None and parent.tag == "source":
        parent = parent.getparent()
    if parent is None or parent.tag != "picture":
        return None
    for source in parent.iter("source"):
        for name in ("srcset", "data-srcset"):
            url = _real_url(source.get(name))
            if url:
                return url
    return None


def _images(element: HtmlElement, enough: int | None = None) -> list[HtmlElement]:
    """The <img> inside an element (the first ``enough`` of them), not counting <noscript> copies of lazy
    images. Ancestors are looked at up to ``element`` only, and the walk stops at ``enough``: on deeply
    wrapped pages each level asks this again (the walker never enters a <noscript>, so nothing above
    ``element`` can be one)."""
    found: list[HtmlElement] = []
    for img in element.iter("img"):
        node = img.getparent()
        while node is not None and node is not element and node.tag != "noscript":
            node = node.getparent()
        if node is None or node is element:
            found.append(img)
            if enough is not None and len(found) >= enough:
                break
    return found


def _is_figure(element: HtmlElement) -> bool:
    """One image with its caption: <figure>, table.picture/table.image, div.image, <p><img>…</p>.

    A wrapper holding several images (a photo-story block, a gallery) is not one figure: the walker
    goes inside it and meets each image (and its caption) on its own.
    """
    tag = element.tag
    if tag not in ("figure", "table", "div", "p", "center"):
        return False
    count = len(_images(element, enough=2))
    if count != 1:
        return False
    if tag in ("table", "div") and class_contains(element, *FIGURE_CLASSES):
        # A wrapper around a <figure> and the paragraph beside it (VTC News: div.expNoEdit > figure +
        # div > p) is not the figure: the walker goes inside and meets both.
        if tag == "div" and next(element.iter("figure"), None) is not None:
            return False
        return tag == "div" or not _has_data_rows(element)
    return tag != "table" and _is_image_paragraph(element)


def _is_image_paragraph(element: HtmlElement) -> bool:
    """<p><img …><br><em>caption</em></p>: one image and at most a short caption, no blocks."""
    return not _has_block_child(element) and len(text_of(element)) <= MAX_CAPTION_CHARS


def _has_data_rows(table: HtmlElement) -> bool:
    return any(not select(row, "img") and len(select(row, "td")) > 1 for row in select(table, "tr"))


def _figure_image(figure: HtmlElement) -> Image | None:
    url = next((u for u in (image_url(img) for img in figure.iter("img")) if u), None)
    if url is None:
        return None
    captions = [el for el in select(figure, CAPTION_SELECTOR) if not select(el, "img")]
    # No caption element: whatever text the figure holds is its caption (never the alt text).
    caption_text = text_of(captions[0]) if captions else text_of(figure)
    caption, credit = split_credit(caption_text)
    return Image(url=url, caption=caption, credit=credit)


def _single_cell(table: HtmlElement) -> HtmlElement | None:
    """A one-cell table is a box (a quote, a note), not data: its content is read as blocks."""
    cells = [cell for cell in table.iter("td", "th")]
    return cells[0] if len(cells) == 1 else None


def _table_rows(table: HtmlElement) -> list[str]:
    rows = []
    for row in select(table, "tr"):
        cells = [text_of(cell) for cell in row if isinstance(cell.tag, str) and cell.tag in ("td", "th")]
        cells = [cell for cell in cells if cell]
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _has_block_child(element: HtmlElement) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in element)


class BodyWalker:
    """Collect paragraphs and images from one body element (no state survives a page)."""

    def __init__(self) -> None:
        self.blocks = Blocks()
        self._inline: list[str] = []
        # The last image when nothing has followed it yet: a caption-like block right after it is
        # its caption (E1/E2 pages write "<p><img></p><p><em>caption</em></p>").
        self._open_image: Image | None = None

    def walk(self, body: HtmlElement) -> Blocks:
        self._children(body)
        self._flush()
        return self.blocks

    # -- text runs -------------------------------------------------------------------------------
    def _add(self, text: str) -> None:
        text = strip_digest_marker(fast_clean(text))
        if text:
            self.blocks.paragraphs.append(text)
            self._open_image = None

    def _add_image(self, image: Image) -> None:
        self.blocks.images.append(image)
        self._open_image = image if image.caption is None and image.credit is None else None

    def _flush(self) -> None:
        if self._inline:
            for line in "".join(self._inline).split("\n"):
                self._add(line)
            self._inline = []

    def _children(self, element: HtmlElement) -> None:
        if element.text:
            self._inline.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                self._element(child)
            if child.tail:
                self._inline.append(child.tail)

    # -- elements --------------------------------------------------------------------------------
    def _element(self, element: HtmlElement) -> None:
        tag = element.tag
        if tag in SKIP_TAGS:
            return
        if tag == "br":
            self._inline.append("\n")
            return
        if tag == "img":
            self._flush()
            url = image_url(element)
            if url:
                self._add_image(Image(url=url))
            return
        if tag not in BLOCK_TAGS:
            if select(element, "img") or _has_block_child(element):
                self._children(element)  # an inline wrapper around a figure or blocks
            else:
                self._inline.append("".join(iter_text(element)))
            return
        self._flush()
        if _is_figure(element):
            image = _figure_image(element)
            if image is not None:
                self._add_image(image)
            return
        if tag == "figcaption" or (class_contains(element, "caption", "image_desc") and self.blocks.images):
            if self.blocks.images:
                self._late_caption(element)
            return  # a caption is never body text, even one whose image is gone
        if self._open_image is not None and tag in ("p", "div") and _looks_like_caption(element):
            self._open_image.caption, self._open_image.credit = split_credit(text_of(element))
            self._open_image = None
            return
        if tag == "table":
            cell = _single_cell(element)
            if cell is not None:
                self._children(cell)
                self._flush()
                return
            for row in _table_rows(element):
                self._add(row)
            return
        # Lines broken by <br> inside one <p> are separate blocks (old editors wrote whole articles
        # as one <p> with <br><br> between paragraphs): such a <p> goes to the walk below.
        if (
            tag in ("p", *HEADINGS)
            and not select(element, "img")
            and not _has_block_child(element)
            and next(element.iter("br"), None) is None
        ):
            self._add(text_of(element))
            return
        self._children(element)
        self._flush()

    def _late_caption(self, element: HtmlElement) -> None:
        """A caption written as its own block after the image (<p class="pCaption">)."""
        last = self.blocks.images[-1]
        if last.caption is None and last.credit is None:
            last.caption, last.credit = split_credit(text_of(element))


_ITALIC = frozenset({"em", "i"})
_ITALIC_WRAPPERS = frozenset({"span", "strong", "b"})
_CENTER = ("text-align:center", "text-align: center")


def _only_italic(element: HtmlElement) -> bool:
    return wholly_inside(element, _ITALIC, _ITALIC_WRAPPERS)


def _looks_like_caption(element: HtmlElement) -> bool:
    """A short block right after an image that is italic, centred, or ends with a photo credit."""
    if select(element, "img") or _has_block_child(element):
        return False
    text = text_of(element)
    if not text or len(text) > MAX_CAPTION_CHARS:
        return False
    style = (element.get("style") or "").lower()
    centred = any(mark in style for mark in _CENTER) or (element.get("align") or "").lower() == "center"
    return _only_italic(element) or centred or split_credit(text)[1] is not None


def walk_body(body: HtmlElement) -> Blocks:
    try:
        return BodyWalker().walk(body)
    except RecursionError:
        return _flat_blocks(body)


def _flat_blocks(body: HtmlElement) -> Blocks:
    """Pathologically nested bodies (hundreds of wrappers) overflow the walker: read the paragraphs
    and headings flat, in document order, rather than lose the article."""
    blocks = Blocks()
    for element in body.iter("p", "h2", "h3", "h4", "blockquote", "li"):
        if any(ancestor.tag in ("p", "blockquote", "li") for ancestor in element.iterancestors()):
            continue
        text = strip_digest_marker(text_of(element))
        if text:
            blocks.paragraphs.append(text)
    return blocks
