"""How to cite an archived article: APA (7th edition) and Chicago (notes-bibliography) references.

Vietnamese names are given as printed (family name first, often a pen name such as "Quang An"):
inverting them the English way would misname the author, and the styles allow names as the person
writes them. Every reference ends with where the copy is kept: "Archived by vnnews on <capture time>"
(day first, +07:00), the time the archive captured the version being read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Work:
    """What a reference needs, all plain text (escaped when rendered)."""

    title: str
    authors: tuple[str, ...]
    publisher: str  # the paper's name, e.g. Báo Nghệ An
    published_at: str | None  # ISO 8601
    url: str | None
    archived: str  # the capture time, already day first


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _names(authors: tuple[str, ...], last_joiner: str) -> str:
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + f"{',' if len(authors) > 2 else ''} {last_joiner} " + authors[-1]


def _sentence(text: str) -> str:
    """``text`` ending in one full stop (a title may end in ? or !)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def _archived(work: Work) -> Markup:
    return (
        Markup(" Archived by vnnews on {} (+07:00).").format(work.archived) if work.archived else Markup("")
    )


def _url(work: Work) -> Markup:
    return Markup(" {}").format(work.url) if work.url else Markup("")


def apa(work: Work) -> Markup:
    """Author, A., & Author, B. (2025, October 14). Title. *Publisher*. URL"""
    moment = _date(work.published_at)
    when = f"({moment.year}, {MONTHS[moment.month - 1]} {moment.day})" if moment else "(n.d.)"
    title = _sentence(work.title)
    if work.authors:
        head = Markup("{} {}. {}").format(_sentence(_names(work.authors, "&")), when, title)
    else:  # APA: without an author the title takes the author's place
        head = Markup("{} {}.").format(title, when)
    return Markup("{} <i>{}</i>.{}{}").format(head, work.publisher, _url(work), _archived(work))


def chicago(work: Work) -> Markup:
    """Author, and Author. "Title." *Publisher*, October 14, 2025. URL."""
    moment = _date(work.published_at)
    when = f"{MONTHS[moment.month - 1]} {moment.day}, {moment.year}" if moment else "n.d."
    authors = Markup("{} ").format(_sentence(_names(work.authors, "and"))) if work.authors else Markup("")
    url = Markup(" {}.").format(work.url) if work.url else Markup("")
    return Markup("{}&ldquo;{}&rdquo; <i>{}</i>, {}.{}{}").format(
        authors, _sentence(work.title), work.publisher, when, url, _archived(work)
    )


def citation_html(work: Work) -> Markup:
    return Markup(
        '<section class="vn-cite" lang="en"><h3>Cite this article</h3>'
        '<p><span class="vn-cite-style">APA</span> {}</p>'
        '<p><span class="vn-cite-style">Chicago</span> {}</p></section>'
    ).format(apa(work), chicago(work))
