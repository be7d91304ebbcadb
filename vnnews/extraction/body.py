"""Body blocks in reading order: paragraphs, subheadings, quotes, table rows, and figures.

One walk over the (already cleaned) body element. Figures become ``Image`` records (caption and
credit split); their captions, alt texts and file names never reach the paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vnnews.article import Image
from vnnews.extraction.dom import (
    SKIP_TAGS,
    HtmlElement,
    class_contains,
    fast_clean,
    iter_text,
    select,
    text_of,
)
from vnnews.extraction.normalize import split_credit, strip_digest_marker
from vnnews.text import clean_text

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "blockquote",
        "ul",
        "ol",
        "li",
        "table",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "footer",
        "aside",
        "main",
        "pre",
        "dl",
        "dt",
        "dd",
        "center",
        "hr",
        "tbody",
        "thead",
        "tr",
        "td",
        "th",
        "figcaption",
        "nav",
    }
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Figures: <figure>, E2 table.picture, E1 table.image, div.image and friends (class lists may have more).
FIGURE_CLASSES = ("picture", "image", "photo", "figure", "img-wrap", "expnoedit")
CAPTION_SELECTOR = (
    "figcaption, .image_desc, td.caption, .caption, .pCaption, .PhotoCMS_Caption, .fig-caption, "
    ".image-caption, .img-caption, .desc_image, .note"
)
LAZY_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-srcset", "srcset")


@dataclass
class Blocks:
    paragraphs: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


def image_url(img: HtmlElement) -> str | None:
    """A real ``src`` first; lazy-loading attributes otherwise; never a data: URI or a placeholder."""
    candidates = [img.get("src")] + [img.get(name) for name in LAZY_ATTRIBUTES]
    for value in candidates:
        if not value:
            continue
        url = value.strip().split(",")[0].strip().split(" ")[0]
        lowered = url.lower()
        if not url or lowered.startswith(("data:", "about:", "javascript:")):
            continue
        if any(word in lowered for word in ("placeholder", "blank.gif", "lazy.gif", "loading.gif", "1x1")):
            continue
        return url
    return None


def _is_figure(element: HtmlElement) -> bool:
    tag = element.tag
    if tag == "figure":
        return not (class_contains(element, "table") and not select(element, "img"))
    if tag in ("table", "div") and class_contains(element, *FIGURE_CLASSES) and select(element, "img"):
        return tag == "div" or not _has_data_rows(element)
    return False


def _has_data_rows(table: HtmlElement) -> bool:
    return any(not select(row, "img") and len(select(row, "td")) > 1 for row in select(table, "tr"))


def _figure_image(figure: HtmlElement) -> Image | None:
    imgs = select(figure, "img")
    url = next((u for u in (image_url(img) for img in imgs) if u), None)
    if url is None:
        return None
    captions = [el for el in select(figure, CAPTION_SELECTOR) if not select(el, "img")]
    caption_text = clean_text(" ".join(text_of(el) for el in captions[:1]))
    caption, credit = split_credit(caption_text)
    return Image(url=url, caption=caption, credit=credit)


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

    def walk(self, body: HtmlElement) -> Blocks:
        self._children(body)
        self._flush()
        return self.blocks

    # -- text runs -------------------------------------------------------------------------------
    def _add(self, text: str) -> None:
        text = strip_digest_marker(fast_clean(text))
        if text:
            self.blocks.paragraphs.append(text)

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
                self.blocks.images.append(Image(url=url))
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
                self.blocks.images.append(image)
            return
        if class_contains(element, "caption", "image_desc") and self.blocks.images:
            self._late_caption(element)
            return
        if tag == "table":
            for row in _table_rows(element):
                self._add(row)
            return
        if tag in ("p", *HEADINGS) and not select(element, "img") and not _has_block_child(element):
            self._add(text_of(element))
            return
        self._children(element)
        self._flush()

    def _late_caption(self, element: HtmlElement) -> None:
        """A caption written as its own block after the image (<p class="pCaption">)."""
        last = self.blocks.images[-1]
        if last.caption is None and last.credit is None:
            last.caption, last.credit = split_credit(text_of(element))


def walk_body(body: HtmlElement) -> Blocks:
    return BodyWalker().walk(body)
