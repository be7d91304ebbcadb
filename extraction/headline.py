"""The parts of a page around the article that every reader finds the same way: the headline (never
a breadcrumb written as an <h1>), that breadcrumb's section, and a publication time of day that the
machine-readable date left out."""

from __future__ import annotations

import re

from extraction import dates
from extraction.boxes import is_link_only
from extraction.dom import HtmlElement, text_of
from extraction.text import fold

# "THỜI SỰ > Cần Thơ", "Kinh tế » Đầu tư", "Trang chủ / Thời sự": a trail of sections, not a headline.
_TRAIL = re.compile(r"\s[>»›/|]\s")
# Page parts that hold the visible date and time (class or id words, SEEN on Vietnamese papers).
_DATE_HOLDERS = re.compile(r"date|time|publish|ngay|thoigian", re.IGNORECASE)
MAX_DATE_TEXT = 80  # a date line; longer text is a paragraph that merely mentions a date


def is_breadcrumb_heading(heading: HtmlElement) -> bool:
    """An <h1> that is a trail of section links ("THỜI SỰ > Cần Thơ"), as some papers write it."""
    links = [a for a in heading.iter("a") if text_of(a)]
    return bool(links) and (is_link_only(heading) or bool(_TRAIL.search(text_of(heading))))


def _same_title(text: str, wanted: str) -> bool:
    a, b = fold(text), fold(wanted)
    return bool(a) and (a == b or a.startswith(b) or b.startswith(a))


def choose_heading(
    root: HtmlElement, meta_title: str | None
) -> tuple[HtmlElement | None, HtmlElement | None]:
    """(the article's headline <h1>, a breadcrumb <h1> passed over). The <h1> that reads as the
    page's og:title / headline wins; breadcrumbs written as <h1> are never the headline."""
    headline: HtmlElement | None = None
    crumb: HtmlElement | None = None
    for heading in root.iter("h1"):
        if not text_of(heading):
            continue
        if is_breadcrumb_heading(heading):
            crumb = crumb if crumb is not None else heading
            continue
        if meta_title and _same_title(text_of(heading), meta_title):
            return heading, crumb
        headline = headline if headline is not None else heading
    return headline, crumb


def crumb_section(crumb: HtmlElement | None, home: set[str]) -> str | None:
    """The last section named in a breadcrumb heading."""
    if crumb is None:
        return None
    names = [text_of(a) for a in crumb.iter("a") if text_of(a) and text_of(a).lower() not in home]
    return names[-1] if names else None


def with_time_of_day(published: str | None, root: HtmlElement) -> str | None:
    """A date-only publication time (midnight) gets its time of day from a visible date line of the
    same day ("08/01/2026 - 18:21"), when the page shows one."""
    if not published or not published.endswith("T00:00:00+07:00"):
        return published
    day = published[:10]
    for element in root.xpath("//body//*[@class or @id]"):
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if not _DATE_HOLDERS.search(marks):
            continue
        text = text_of(element)
        if not text or len(text) > MAX_DATE_TEXT:
            continue
        shown = dates.parse_visible(text)
        if shown and shown[:10] == day and not shown.endswith("T00:00:00+07:00"):
            return shown
    return published
