"""The generic fallback for pages no site template recognises.

Metadata comes from JSON-LD/OpenGraph/meta, the body from trafilatura (imported lazily: it is slow to
import and only needed here), then the same text-pattern boilerplate rules and lead-prefix stripping.
Images, the sapo, a visible date and a bottom sign-off are looked up in the page around the text
trafilatura chose.
"""

from __future__ import annotations

import re

from lxml import etree

from extraction import dates, publishers
from extraction.body import walk_body
from extraction.boxes import is_link_only
from extraction.dom import (
    HtmlElement,
    PageIndex,
    class_contains,
    is_inside,
    remove,
    select_indexed,
    text_of,
)
from extraction.explain import Explanation
from extraction.genericbody import read_body, tidy_line
from extraction.headline import choose_heading, crumb_section, with_time_of_day
from extraction.metadata import PageMeta
from extraction.normalize import (
    has_lead_prefix,
    split_authors,
    strip_lead_prefix,
)
from extraction.rules import SELECTOR_RULES
from extraction.templates.base import (
    Fields,
    meta_authors,
    meta_dates,
    meta_section,
    meta_tags,
    meta_title,
    strip_site_suffix,
)
from extraction.templates.legacy import take_signoff

NAME = "generic"
_BLOCKS = ("p", "div", "h2", "h3", "td", "li", "span", "strong")
# The page's own sapo: the first text in document order that starts with the dateline, not a link.
_DATELINE_NODES = etree.XPath(
    "//body//text()["
    + " or ".join(
        # contains() first: a plain substring test, so normalize-space() (which copies every text
        # node it sees, ~1 ms a page) runs only on the rare nodes holding a dateline at all.
        f"(contains(., '{start}') and starts-with(normalize-space(), '{start}'))"
        for publisher in publishers.PUBLISHERS.values()
        for start in publisher.dateline_starts
    )
    + "][not(ancestor::a)][not(ancestor::script)]"
)
# Selector rules safe on any page before trafilatura reads it: boxes no article text is ever written in.
PRE_CLEAN = tuple(rule for rule in SELECTOR_RULES if rule.id in ("promo-box", "related-cards"))


# A comment or contact form is small; ASP.NET pages wrap the whole page in one <form>, which stays.
MAX_FORM_CHARS = 600
_FORMS = etree.XPath("//form[.//textarea]")
# Blocks the page hides (an unopened comment box, a template): no reader sees them.
_HIDDEN = etree.XPath("//body//div[contains(translate(@style, ' ', ''), 'display:none')]")


def _pre_clean(root: HtmlElement, index: PageIndex, explanation: Explanation) -> None:
    """Remove the boxes trafilatura would keep as text (the paper's promos, embedded article cards,
    comment forms' labels); the page index skips the query on the many pages that have none."""
    for form in _FORMS(root):
        if len(text_of(form)) <= MAX_FORM_CHARS:
            remove(form)
    for hidden in _HIDDEN(root):
        remove(hidden)
    for rule in PRE_CLEAN:
        assert rule.selector is not None
        for element in select_indexed(root, rule.selector, index):
            if element.getparent() is not None and element.tag not in ("body", "html"):
                explanation.rules.record(rule, element)
                remove(element)


_BREADCRUMB = (
    ".breadcrumb a",
    ".breadcrumbs a",
    "[itemtype*='BreadcrumbList'] a",
    "nav[aria-label] a",
    "#nav a",
)
# .author, [rel=author], [itemprop=author], .byline in one scan (document order, first wins).
# A plain contains(@class, …) first: the class-token test copies the class of every element it sees.
_CLASS_TOKEN = "(contains(@class, '{0}') and contains(concat(' ', normalize-space(@class), ' '), ' {0} '))"
_BYLINE_XPATH = etree.XPath(
    f"(//body//*[{_CLASS_TOKEN.format('author')} or @rel='author' or @itemprop='author'"
    f" or {_CLASS_TOKEN.format('byline')}])[1]"
)
# Home crumbs: "Tin tức" (news) names the whole site on some papers (Znews, VnExpress sub-trails).
_HOME = {"trang chủ", "home", "tin tức"}
# Letters only Vietnamese writes (tone marks on ă/â/ê/ô/ơ/ư, đ, dot-below vowels).
_VIETNAMESE = re.compile("[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_SAPO_CLASSES = ("sapo", "summary", "lead", "desc", "intro", "excerpt", "chapeau", "description")


# Tag lists as pages show them: Znews p.the-article-tags (strong/a/span items), EPI .article__tags,
# Báo Cần Thơ .block_tag; the label ("Từ khóa", "Tags:") is no tag.
_TAG_LISTS = ".the-article-tags, .article__tags, .article-tags, .box-tags, .block_tag, .tags-list, .tag-list"
_TAG_LABEL = re.compile(r"^(?:từ khóa|từ khoá|tags?|chủ đề|tag)\s*:?$", re.IGNORECASE)
MAX_TAG_CHARS = 80  # a tag is a few words; longer text in a tag box is something else


def _visible_tags(root: HtmlElement, index: PageIndex) -> list[str]:
    for box in select_indexed(root, _TAG_LISTS, index):
        tags: list[str] = []
        for item in box.iter("a", "span", "strong", "li"):
            if (
                next((child for child in item.iter("a", "span", "strong", "li") if child is not item), None)
                is not None
            ):
                continue  # a wrapper: its items count one by one
            tag = text_of(item).lstrip("#").strip(" ,;")
            if tag and len(tag) <= MAX_TAG_CHARS and not _TAG_LABEL.match(tag) and tag not in tags:
                tags.append(tag)
        if tags:
            return tags
    return []


def _dateline_block(
    root: HtmlElement, after: HtmlElement | None, before: HtmlElement | None
) -> HtmlElement | None:
    """The page's own sapo: the first dateline block between the title and the body's first paragraph
    (other articles' sapos in lists and sidebars come elsewhere)."""
    nodes = _DATELINE_NODES(root)
    if not nodes:  # most pages: no need to number every element
        return None
    # Keep the element proxies alive while their id() is used: lxml may otherwise hand out new ones.
    elements = list(root.iter())
    order = {id(element): position for position, element in enumerate(elements)}
    low = order.get(id(after), -1) if after is not None else -1
    high = order.get(id(before), len(order)) if before is not None else len(order)
    for node in nodes:
        element = node.getparent()
        while element is not None and element.tag not in _BLOCKS:
            element = element.getparent()
        if element is None or len(text_of(element)) < 40 or is_link_only(element):
            continue
        if low < order.get(id(element), -1) <= high:
            return element
    return None


# How far up from a kept <p> its block may be: pages wrap each paragraph in a div or two (VTC News
# writes div.w-full > p for every paragraph), the body is a few levels above.
CONTENT_DEPTH = 4


def _content_element(
    root: HtmlElement, paragraphs: list[str]
) -> tuple[HtmlElement | None, HtmlElement | None]:
    """(the deepest element holding nearly all of the <p> whose text trafilatura kept, the first such <p>)."""
    wanted = set(paragraphs)
    counts: dict[int, tuple[HtmlElement, int, int]] = {}  # id -> (element, kept lines, depth below root)
    first_kept: HtmlElement | None = None
    for p in root.iter("p"):
        # A <p> split by <br> holds several kept lines.
        lines = walk_body(p).paragraphs if next(p.iter("br"), None) is not None else [text_of(p)]
        kept = sum(1 for line in lines if tidy_line(line) in wanted)
        if not kept:
            continue
        first_kept = first_kept if first_kept is not None else p
        for level, ancestor in enumerate(p.iterancestors()):
            if level >= CONTENT_DEPTH or ancestor.tag in ("body", "html"):
                break
            element, count, _ = counts.get(id(ancestor), (ancestor, 0, 0))
            counts[id(ancestor)] = (element, count + kept, -level)
    if not counts:
        return None, None
    best = max(count for _, count, _ in counts.values())
    # The parent holding most kept paragraphs is the body, when it holds at least half of them.
    parents = [(element, count) for element, count, depth in counts.values() if depth == 0]
    parent, held = max(parents, key=lambda item: item[1])
    if held * 2 >= best:
        return parent, first_kept
    # Each paragraph wrapped on its own: the closest ancestor holding nearly all of them is the body,
    # not the page wrapper above it (ancestors hold at least as much as their children).
    near = [(element, count, depth) for element, count, depth in counts.values() if count >= 0.9 * best]
    chosen = max(near, key=lambda item: (item[2], item[1]))
    return chosen[0], first_kept


_NEAR_LINKS = etree.XPath("preceding::a[position() <= 4]")
_SECTION_HREF = re.compile(r"^(?:https?://[^/]+)?/[a-z0-9-]+/?$")


def _section_link(heading: HtmlElement | None) -> str | None:
    """A breadcrumb-like link to a section path just before the title, outside any menu."""
    if heading is None:
        return None
    for link in reversed(_NEAR_LINKS(heading)):
        text = text_of(link)
        in_menu = any(
            a.tag == "nav" or "menu" in (a.get("class") or "").lower() for a in link.iterancestors()
        )
        if text and text.lower() not in _HOME and not in_menu and _SECTION_HREF.match(link.get("href") or ""):
            return text
    return None


def _dated_line(heading: HtmlElement | None) -> tuple[str | None, list[str]]:
    """A short dated line shortly after the title ("Ngân Hạnh - Đình Tuyên - 19/06/2025 19:22",
    "Thứ Ba, 14/10/2025 08:45"): (its date, day first; the names before the date)."""
    if heading is None:
        return None, []
    for count, element in enumerate(heading.itersiblings()):
        if count >= 6:
            break
        text = text_of(element)
        if 0 < len(text) <= 120:
            found = dates.parse_visible(text)
            if found:
                return found, split_authors(text)
    return None, []


_CONTAINS = etree.XPath("//body//text()[contains(., $start)][not(ancestor::script)][not(ancestor::a)]")
SHOWN_PREFIX_WORDS = 4  # enough of a sentence to find where it is shown; libxml2 does the scan


def _shown_at(root: HtmlElement, text: str) -> HtmlElement | None:
    """The element that shows exactly ``text`` (found from its first words, not by reading every block)."""
    start = " ".join(text.split()[:SHOWN_PREFIX_WORDS])
    for node in _CONTAINS(root, start=start):
        element = node.getparent()
        for _ in range(4):
            if element is None:
                break
            if (
                element.tag in ("p", "div", "h2", "h3", "span", "strong", "em", "td")
                and text_of(element) == text
            ):
                return element
            element = element.getparent()
    return None


def _read_lead(
    root: HtmlElement,
    page: PageMeta,
    paragraphs: list[str],
    heading: HtmlElement | None,
    content: HtmlElement | None,
    first_kept: HtmlElement | None,
) -> tuple[str | None, str | None]:
    # The datelines are Vietnamese papers' ("(Baonghean.vn) -", "(VTC News) -"): on a page whose title
    # and first paragraphs have no Vietnamese letter the scan of every text node (~1 ms) is skipped.
    vietnamese = any(_VIETNAMESE.search(text) for text in (page.html_title, *paragraphs[:5]))
    block = _dateline_block(root, heading, first_kept) if vietnamese else None
    if block is not None:
        return strip_lead_prefix(text_of(block)), "(Baonghean.vn) dateline block after the title"
    for line in paragraphs[:3]:
        if has_lead_prefix(line):
            return strip_lead_prefix(line), "paragraph with the (Baonghean.vn) dateline"
    description = page.ld("description")
    value, where = (description, "JSON-LD description") if isinstance(description, str) else (None, None)
    if not value:
        value, where = page.meta("og:description", "description")
    lead = strip_lead_prefix(value) if value else None
    if not lead:
        return None, None
    # Some pages put a body sentence in the description: then it is not a sapo.
    if lead in paragraphs[1:]:
        return None, None
    shown = _shown_at(root, lead)
    if shown is None:  # a description the page never shows is a summary for feeds, not the sapo
        return None, None
    # A Vietnamese paper prints its sapo under the title as the article's first words (every page
    # seen); elsewhere a shown description is a dek that article bodies leave out, unless marked as
    # the lead (on Zyte's benchmark such deks cost 0.0035 of body F1).
    if not _VIETNAMESE.search(lead) and not class_contains(shown, *_SAPO_CLASSES):
        return None, None
    if content is not None and is_inside(shown, content) and not class_contains(shown, *_SAPO_CLASSES):
        return None, None
    return lead, where


def _beside_image(content: HtmlElement) -> set[str]:
    """Texts of <p>s that start with an image and go straight on in the same line
    (``<p><img class="alignleft">Hi! My name is…</p>``): a paragraph flowing around its picture, which
    the body walker files as the picture's caption (a caption is set off by a <br>, its own block or
    italics: ``<p><img><br><em>caption</em></p>``)."""
    found = set()
    for image in content.iter("img"):
        block = image.getparent()
        if block is None or block.tag != "p" or not (image.tail or "").strip():
            continue
        if image.getprevious() is None and not (block.text or "").strip():
            found.add(text_of(block))
    return found


def extract_generic(
    root: HtmlElement, page: PageMeta, explanation: Explanation, index: PageIndex | None = None
) -> Fields:
    index = index or PageIndex(root)
    fields = Fields()
    shared_title, shared_where = meta_title(page)
    heading, crumb = choose_heading(root, shared_title)
    title, where = (text_of(heading), "page heading <h1>") if heading is not None else (None, None)
    if not title:
        title, where = shared_title, shared_where
    fields.title = strip_site_suffix(title or "")
    explanation.source("title", where)

    _pre_clean(root, index, explanation)
    paragraphs = read_body(root, fields.title, explanation)
    content, first_kept = _content_element(root, paragraphs)
    fields.lead, lead_where = _read_lead(root, page, paragraphs, heading, content, first_kept)
    explanation.source("lead", lead_where)
    paragraphs = [p for p in paragraphs if strip_lead_prefix(p) != fields.lead]

    dated, dated_names = _dated_line(heading)
    byline = next(iter(_BYLINE_XPATH(root)), None)
    fields.authors = split_authors(text_of(byline)) if byline is not None else []
    author_where: str | None = "byline element" if fields.authors else None
    if not fields.authors:
        fields.authors, author_where = meta_authors(page)
    if not fields.authors and dated_names:
        fields.authors, author_where = dated_names, "names on the dated line under the title"
    if content is not None:
        signoff = take_signoff(content, bold_is_enough=False)
        if signoff:
            tail = [i for i in range(len(paragraphs) - 1, max(-1, len(paragraphs) - 4), -1)]
            drop = next((i for i in tail if split_authors(paragraphs[i]) == signoff), None)
            paragraphs = [p for i, p in enumerate(paragraphs) if i != drop]
            if not fields.authors:
                fields.authors, author_where = signoff, "sign-off at the bottom of the text"
    explanation.source("authors", author_where)

    (fields.published_at, published_where), (fields.modified_at, modified_where) = meta_dates(page)
    if fields.published_at is None:
        fields.published_at = dated
        published_where = "visible date near the title (day first)" if fields.published_at else None
    if fields.published_at is None:
        times = (dates.parse_iso(element.get("datetime")) for element in root.iter("time"))
        fields.published_at = next((moment for moment in times if moment), None)
        published_where = "time[datetime]" if fields.published_at else None
    timed = with_time_of_day(fields.published_at, root)
    if timed != fields.published_at:
        fields.published_at, published_where = timed, f"{published_where} + time of day from the visible date"
    explanation.source("published_at", published_where)
    explanation.source("modified_at", modified_where)
    fields.section, section_where = meta_section(page, fields.title)
    if fields.section is None:
        for selector in _BREADCRUMB:
            crumbs = [
                text_of(a) for a in select_indexed(root, selector, index) if text_of(a).lower() not in _HOME
            ]
            crumbs = [crumb for crumb in crumbs if crumb != fields.title]  # the article's own crumb
            if crumbs:
                fields.section, section_where = crumbs[-1], f"breadcrumb {selector}"
                break
    if fields.section is None:
        fields.section = crumb_section(crumb, _HOME)
        section_where = "breadcrumb written as an <h1>" if fields.section else None
    if fields.section is None:
        fields.section = _section_link(heading)
        section_where = "section link just before the title" if fields.section else None
    explanation.source("section", section_where)
    tags_where: str | None = "tag list shown on the page"
    fields.tags = _visible_tags(root, index)
    if not fields.tags:
        fields.tags, tags_where = meta_tags(page)
    explanation.source("tags", tags_where)

    fields.paragraphs = paragraphs
    if content is not None:
        for promo in [a for a in content.iter("a") if "news.google.com" in (a.get("href") or "")]:
            remove(promo)  # the "follow us on Google News" logo is no article image
        fields.images = walk_body(content).images
        beside = _beside_image(content)
        for image in fields.images:
            if image.caption in beside:  # the text beside the picture is a paragraph, not its caption
                image.caption = image.credit = None
        captions = tuple(image.caption for image in fields.images if image.caption)
        fields.paragraphs = [p for p in fields.paragraphs if not (captions and p.startswith(captions))]
    return fields
