"""Is this page an article at all? Section pages, the 404 page, utility pages and media URLs are not.

Markup signals come first (a 404 page may be served at an article URL), then the URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from extraction.dom import HtmlElement, PageIndex, select, text_of
from extraction.metadata import PageMeta
from extraction.publishers import Publisher

_404_TITLES = ("không tìm thấy trang", "trang không tồn tại", "404 not found", "page not found", "lỗi 404")
_LISTING_BODY_CLASSES = (
    "page-cate",
    "page-category",
    "page-home",
    "page-tag",
    "page-search",
    "page-event",
    "page-list",
    "page-topic",
)


def _has(root: HtmlElement, index: PageIndex, selector: str) -> bool:
    return index.may_match(selector) and bool(select(root, selector))


def markup_reason(root: HtmlElement, page: PageMeta, index: PageIndex | None = None) -> str | None:
    """A reason when the markup says the page is a 404, utility or listing page."""
    index = index or PageIndex(root)
    body_classes = page.body_classes.lower().split()
    title = page.html_title.lower()
    canonical_path = urlsplit(page.canonical or "").path.rstrip("/")
    if (
        "page-404" in body_classes
        or canonical_path == "/404"
        or _has(root, index, ".c-404, .page-404, #error-404")
    ):
        return "a 404 'page not found' page"
    if any(title.startswith(t) for t in _404_TITLES):
        return f"a 404 page (title {page.html_title!r})"
    if "page-utility" in body_classes or _has(root, index, ".c-lunar-page, .lunar-calendar, .c-lunar-table"):
        return "a utility page (lunar calendar), not an article"
    if title.startswith(("lịch âm dương", "lịch âm", "lịch vạn niên", "giá vàng hôm nay", "thời tiết")):
        return f"a utility page (title {page.html_title!r})"
    if any(name in body_classes for name in _LISTING_BODY_CLASSES) or _has(root, index, ".c-cate-head"):
        teasers = len(select(root, ".b-grid, .story, article"))
        return f"a section/listing page ({teasers} article teasers, no article body)"
    return None


def url_reason(url: str | None, publisher: Publisher | None) -> str | None:
    """A reason when the URL is one of the publisher's non-article paths."""
    if not url or publisher is None:
        return None
    path = urlsplit(url).path or "/"
    if path.rstrip("/") == "":
        return "the home page, not an article"
    if publisher.is_mirror_path(path):
        return f"URL path {path!r} is a translated mirror, a non-article page for this archive"
    if publisher.is_excluded_path(path):
        prefix = next(
            (p for p in publisher.excluded_prefixes if path.lower().startswith(p.rstrip("/"))), path
        )
        return f"URL path {path!r} is a non-article page ({prefix.strip('/')})"
    if publisher.is_section_path(path):
        return f"URL path {path!r} is a section page"
    return None


def listing_reason(root: HtmlElement) -> str | None:
    """No template matched: a page that is mostly teaser lists is a listing, not an article."""
    teasers = select(root, ".b-grid, .story, .box-category-item, li[pid]")
    if len(teasers) < 8:  # the paragraph count below reads every <p>: only when it can matter
        return None
    long_paragraphs = [p for p in select(root, "p") if len(text_of(p)) > 200]
    if len(long_paragraphs) < 3:
        return f"a listing page ({len(teasers)} article teasers and no article body)"
    return None


def declares_article(page: PageMeta) -> bool:
    """The page's metadata says it is one article: og:type "article" with article:published_time, or a
    JSON-LD Article (NewsArticle, BlogPosting ...) with datePublished. Section, tag, search and error
    pages are typed "website" or not at all, and have no publication time."""
    og_type, _ = page.meta("og:type")
    published, _ = page.meta("article:published_time")
    if og_type and og_type.lower() == "article" and published:
        return True
    return bool(page.article_ld and page.ld("datePublished"))
