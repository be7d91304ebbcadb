"""HTML for article cells and the reading view. Every stored value goes through ``escape``.

Nothing in the archive is trusted: titles and texts come from a web page and may carry ``<script>``
or ``onerror=``; image URLs may be ``javascript:``. Only markup written here is live.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from extraction.dates import VN_TZ
from vnnews.web.plugin.sql_functions import ELLIPSIS, MARK_CLOSE, MARK_OPEN

# What one row may put on a page (docs/datasette.md, "Limits"). An archived article with 100,000
# images made the articles table page 17 MB and its reading view 34 MB; the JSON and CSV exports
# still carry every value whole.
TABLE_MAX_IMAGES = 3  # figures in an images cell (table pages, and the column list of the row page)
READING_MAX_IMAGES = 50  # figures in the reading view; a long photo report has ~30
READING_MAX_PARAGRAPHS = 1_000  # a long article has ~100
READING_MAX_CHARS = 200_000  # characters of paragraphs in the reading view; a long article has ~30,000
READING_MAX_TAGS = 100
CELL_MAX_CHARS = 20_000  # any one text shown on a page: a title, lead, tag, or a column on the row page


def safe_http_url(value: object) -> str | None:
    """``value`` when it is an absolute http(s) URL, else None (no javascript:, data:, relative)."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value.strip()
    return None


# An ArticleRef key: publisher, id scheme, article id (docs/architecture.md, "Identity").
_ARTICLE_KEY = re.compile(r"^[a-z0-9_]+:e\d+:[A-Za-z0-9_-]+$")


def is_article_key(value: object) -> bool:
    return isinstance(value, str) and _ARTICLE_KEY.match(value) is not None


def link_html(url: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(url, text)


def json_list(value: object) -> list[Any]:
    """A JSON array column as a list; anything else (NULL, bad JSON, an object) as []."""
    if isinstance(value, list):
        return value
    if not isinstance(value, str) or not value:
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []


def more_note(count: int, what: str, where: str) -> Markup:
    """``… and 99,997 more images (the JSON and CSV exports have them all)``."""
    return Markup('<p class="vn-more">{} and {:,} more {} ({})</p>').format(ELLIPSIS, count, what, where)


def clip(value: object, limit: int = CELL_MAX_CHARS) -> str:
    """``value`` as text, cut to ``limit`` characters with a note saying how many were left out."""
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}{ELLIPSIS} [{len(text) - limit:,} more characters not shown]"


def long_text_html(value: str, limit: int = CELL_MAX_CHARS) -> Markup:
    """A long plain value on a page, cut to ``limit`` characters, with a note."""
    return Markup('<span class="vn-long">{}</span>{}').format(
        value[:limit], more_note(len(value) - limit, "characters", "the JSON and CSV exports have it whole")
    )


def paragraphs_html(paragraphs: list[Any]) -> Markup:
    """At most READING_MAX_PARAGRAPHS paragraphs and READING_MAX_CHARS characters, then a note."""
    shown: list[Markup] = []
    length = 0
    texts = [str(p) for p in paragraphs if p]
    for paragraph in texts:
        if len(shown) >= READING_MAX_PARAGRAPHS or length >= READING_MAX_CHARS:
            break
        room = READING_MAX_CHARS - length
        shown.append(Markup("<p>{}</p>").format(clip(paragraph, room)))
        length += len(paragraph)
    inner = Markup("").join(shown)
    if len(shown) < len(texts):
        inner += more_note(
            len(texts) - len(shown), "paragraphs", "the text column of the JSON and CSV exports"
        )
    return Markup('<div class="vn-paragraphs" lang="vi">{}</div>').format(inner)


def figure_html(image: Mapping[str, Any]) -> Markup:
    url = safe_http_url(image.get("url"))
    caption, credit = clip(image.get("caption") or ""), clip(image.get("credit") or "")
    picture = (
        Markup('<img src="{}" alt="{}" loading="lazy" referrerpolicy="no-referrer">').format(
            url, caption or ""
        )
        if url
        else Markup('<span class="vn-no-image">(image URL not shown: not http/https)</span>')
    )
    caption_html = Markup("")
    if caption or credit:
        credit_html = Markup(' <span class="vn-credit">Ảnh: {}</span>').format(credit) if credit else ""
        caption_html = Markup("<figcaption>{}{}</figcaption>").format(caption or "", credit_html)
    return Markup('<figure class="vn-figure">{}{}</figure>').format(picture, caption_html)


def figures_html(images: list[Any], limit: int = TABLE_MAX_IMAGES) -> Markup:
    """The first ``limit`` images as figures, and a note saying how many more there are."""
    figures = [image for image in images if isinstance(image, Mapping)]
    inner = Markup("").join(figure_html(image) for image in figures[:limit])
    if len(figures) > limit:
        where = "the images column of the JSON and CSV exports, and the images table"
        inner += more_note(len(figures) - limit, "images", where)
    return Markup('<div class="vn-figures">{}</div>').format(inner)


def marked_html(value: str) -> Markup:
    """Escape, then turn the snippet markers of vn_snippet into <mark> (markers are not HTML)."""
    if len(value) > CELL_MAX_CHARS:
        return long_text_html(value)
    escaped = str(escape(value))
    return Markup(escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def text_paragraphs_html(value: str) -> Markup:
    """A text column whose paragraphs are separated by blank lines, as <p> paragraphs."""
    if len(value) > CELL_MAX_CHARS:
        return long_text_html(value)
    parts = [part for part in value.split("\n\n") if part.strip()]
    inner = Markup("").join(
        Markup('<p class="vn-gap">{}</p>').format(p) if p == ELLIPSIS else Markup("<p>{}</p>").format(p)
        for p in parts
    )
    return Markup('<div class="vn-paragraphs" lang="vi">{}</div>').format(inner)


PREVIEW_CHARS = 280


def paragraphs_preview_html(paragraphs: list[Any]) -> Markup:
    """The first paragraphs, about PREVIEW_CHARS characters, and how many there are in all.

    Table pages show 50 articles at a time and the row page's reading view shows the whole text,
    so a cell needs only enough to recognise the article (a full cell made a page ~0.5 MB).
    """
    shown: list[str] = []
    length = 0
    for paragraph in (str(p) for p in paragraphs if p):
        if length >= PREVIEW_CHARS:
            break
        room = PREVIEW_CHARS - length
        shown.append(paragraph if len(paragraph) <= room else paragraph[:room].rstrip() + ELLIPSIS)
        length += len(paragraph)
    inner = Markup("").join(Markup("<p>{}</p>").format(p) for p in shown)
    more = Markup('<p class="vn-more">{} paragraphs in all</p>').format(len(paragraphs)) if paragraphs else ""
    return Markup('<div class="vn-paragraphs" lang="vi">{}{}</div>').format(inner, more)


def render_article_cell(column: str, value: object) -> Markup | None:
    """render_cell for the ``articles`` table: paragraphs and images; None = Datasette's default."""
    if column == "paragraphs":
        return paragraphs_preview_html(json_list(value))
    if column == "images":
        return figures_html(json_list(value))
    return None


def render_long_cell(value: object) -> Markup | None:
    """Any text over CELL_MAX_CHARS, cut with a note. Table and query pages cut cells at 300
    characters themselves (truncate_cells_html); the row page shows every value whole."""
    if isinstance(value, str) and len(value) > CELL_MAX_CHARS:
        return long_text_html(value)
    return None


# Columns of the canned queries that get special rendering (render_cell sees table=None there).
QUERY_COLUMN_RENDERERS = {
    "snippet": marked_html,
    "text_before": text_paragraphs_html,
    "text_after": text_paragraphs_html,
}


def render_query_cell(column: str, value: object) -> Markup | None:
    renderer = QUERY_COLUMN_RENDERERS.get(column)
    if renderer is None or not isinstance(value, str):
        return None
    return renderer(value)


# Columns holding ISO 8601 times, in tables and canned queries: shown day first, in Vietnam time.
TIME_COLUMNS = frozenset(
    {
        "published_at",
        "modified_at",
        "first_seen_at",
        "last_fetched_at",
        "last_changed_at",
        "withdrawn_at",
        "restored_at",
        "captured_at",
        "superseded_at",
        "fetched_at",
        "started_at",
        "finished_at",
        "first_published",
        "last_published",
        "version_captured_at",
        "replaced_at",
        "first_seen",
        "last_seen",
    }
)


def display_date(value: object) -> str:
    """``2025-10-14T08:45:00+07:00`` -> ``14/10/2025 08:45``: day first, in Vietnam time (a time with
    another offset is converted; one without an offset is shown as stored); ``2025-10-14`` ->
    ``14/10/2025``; anything else -> ''."""
    if not isinstance(value, str) or len(value) < 10:
        return ""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return ""
    if len(value.strip()) == 10:
        return moment.strftime("%d/%m/%Y")
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)
    return moment.strftime("%d/%m/%Y %H:%M")


def time_html(value: object) -> Markup | None:
    """A stored time as ``<time>``, day first; the ISO value stays in its title and datetime."""
    shown = display_date(value)
    if not shown:
        return None
    return Markup('<time datetime="{}" title="{}">{}</time>').format(value, value, shown)


def field(row: Mapping[str, Any] | Any, key: str) -> Any:
    """``row[key]`` for a dict or an sqlite3.Row (which raises IndexError for unknown keys), else None."""
    try:
        return row[key]
    except (KeyError, IndexError):
        return None
