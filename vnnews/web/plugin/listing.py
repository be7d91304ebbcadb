"""The articles page as a researcher reads it: one compact row per article (date day first, publisher,
section, title linking to the reading view, authors), a highlighted snippet when searching, a
date-range control, the phrase matches of a search first, and the export as ``vnnews export`` writes it.

``?_columns=all`` shows Datasette's own table with every column instead (the row page always has
them all). Everything stored goes through markupsafe's escaping.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from vnnews.web.plugin import filters, ranking
from vnnews.web.plugin.reading import publisher_name
from vnnews.web.plugin.render import clip, display_date, json_list, marked_html, time_html
from vnnews.web.plugin.sql_functions import highlight, vn_snippet

COLUMNS_ARG = "_columns"  # ?_columns=all: Datasette's table of every column
BOM_ARG = "_bom"
# How many authors a compact row names; the reading view names them all.
ROW_MAX_AUTHORS = 5
# Snippet width in a compact row: two lines of a wide screen.
ROW_SNIPPET_CHARS = 200
# Arguments a new list or a form must not carry over from the page it starts from.
PAGE_ARGS = ("_next", "_size")
# Day first or ISO, as archive.export.parse_day reads them; the browser checks it before sending.
DAY_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"


@dataclass
class Page:
    """What the listing needs of the request: the page's arguments and how to build URLs."""

    args: list[tuple[str, str]]  # the query string's pairs, in order
    table_url: str  # /<db>/articles
    export_url: str  # /<db>/articles.export.csv
    row_url: Any  # article id -> its reading view

    @property
    def search(self) -> str:
        raw = any(key == "_searchmode" and value == "raw" for key, value in self.args)
        return "" if raw else next((value for key, value in self.args if key == "_search"), "")

    def value(self, name: str) -> str:
        return next((value for key, value in self.args if key == name), "")

    def url(self, replace: dict[str, str | None], drop: Iterable[str] = PAGE_ARGS) -> str:
        """This page's URL with ``replace``'s arguments set (None: removed)."""
        gone = {*replace, *drop}
        pairs = [(k, v) for k, v in self.args if k not in gone]
        pairs += [(k, v) for k, v in replace.items() if v is not None]
        return self.table_url + ("?" + urlencode(pairs) if pairs else "")

    def list_url(self, name: str, value: str) -> str:
        """A fresh list: every article with this publisher, section, author or tag."""
        return self.table_url + "?" + urlencode({name: value})

    def hidden_inputs(self, skip: Iterable[str]) -> Markup:
        gone = {*skip, *PAGE_ARGS}
        return Markup("").join(
            Markup('<input type="hidden" name="{}" value="{}">').format(k, v)
            for k, v in self.args
            if k not in gone
        )


def _cell(row: Any, column: str) -> Any:
    try:
        return row[column]
    except (KeyError, IndexError):
        return None


def _link(url: str, text: str, css: str) -> Markup:
    return Markup('<a class="{}" href="{}">{}</a>').format(css, url, clip(text, 300))


def _title_cell(row: Any, page: Page) -> Markup:
    article_id = str(_cell(row, "id") or "")
    title = str(_cell(row, "title") or "(no title)")
    search = page.search
    shown = marked_html(highlight(clip(title, 1000), search)) if search else clip(title, 1000)
    parts = [Markup('<a class="vn-row-title" href="{}">{}</a>').format(page.row_url(article_id), shown)]
    badges = []
    if _cell(row, "format") not in (None, "", "article"):
        badges.append(str(_cell(row, "format")))
    if _cell(row, "withdrawn_at"):
        badges.append("withdrawn " + display_date(_cell(row, "withdrawn_at")))
    parts += [Markup(' <span class="vn-badge">{}</span>').format(badge) for badge in badges]
    if search:
        text = _cell(row, "text") or _cell(row, "lead") or ""
        snippet = vn_snippet(text, search, ROW_SNIPPET_CHARS) or ""
        parts.append(Markup('<div class="vn-snippet" lang="vi">{}</div>').format(marked_html(snippet)))
    return Markup("").join(parts)


def _authors_cell(row: Any, page: Page) -> Markup:
    names = [str(name) for name in json_list(_cell(row, "authors")) if name]
    links = Markup(", ").join(
        _link(page.list_url(filters.AUTHOR_ARG, name), name, "vn-author") for name in names[:ROW_MAX_AUTHORS]
    )
    if len(names) > ROW_MAX_AUTHORS:
        links += Markup(" and {} more").format(len(names) - ROW_MAX_AUTHORS)
    return links


def compact_row(row: Any, page: Page) -> Markup:
    publisher, section = _cell(row, "publisher"), _cell(row, "section")
    cells = [
        time_html(_cell(row, "published_at")) or Markup(""),
        _link(page.list_url("publisher", str(publisher)), publisher_name(publisher), "vn-publisher")
        if publisher
        else Markup(""),
        _link(page.list_url("section", str(section)), str(section), "vn-section") if section else Markup(""),
        _title_cell(row, page),
        _authors_cell(row, page),
    ]
    names = ("published_at", "publisher", "section", "title", "authors")
    return Markup("<tr>{}</tr>").format(
        Markup("").join(
            Markup('<td class="col-{}">{}</td>').format(name, cell)
            for name, cell in zip(names, cells, strict=True)
        )
    )


def _header(page: Page) -> Markup:
    """Column heads; Published sorts (newest first by default, the metadata's sort_desc)."""
    sort, sort_desc = page.value("_sort"), page.value("_sort_desc")
    ascending = sort == "published_at"
    by_date = ascending or sort_desc == "published_at" or not (sort or sort_desc)
    arrow = ("▲" if ascending else "▼") if by_date else ""
    flip = (
        {"_sort": None, "_sort_desc": "published_at"}
        if ascending
        else {"_sort": "published_at", "_sort_desc": None}
    )
    date = Markup('<a href="{}" rel="nofollow">Published&nbsp;{}</a>').format(page.url(flip), arrow)
    heads = [date, "Publisher", "Section", "Title", "Authors"]
    # data-column: Datasette's column menu (the cog: sort, facet by this) works on these heads too.
    names = ("published_at", "publisher", "section", "title", "authors")
    return Markup("<thead><tr>{}</tr></thead>").format(
        Markup("").join(
            Markup(
                '<th scope="col" class="col-{}" data-column="{}" data-column-type="text" '
                'data-column-not-null="0" data-is-pk="0">{}</th>'
            ).format(name, name, head)
            for name, head in zip(names, heads, strict=True)
        )
    )


def range_form(page: Page) -> Markup:
    """From/to, day first; the other arguments of the page ride along."""
    inputs = Markup("").join(
        Markup(
            '<label>{} <input type="text" name="{}" value="{}" placeholder="DD/MM/YYYY" size="11" '
            'inputmode="numeric" pattern="{}"></label> '
        ).format(label, name, page.value(name), DAY_PATTERN)
        for label, name in (("Published from", filters.FROM_ARG), ("to", filters.TO_ARG))
    )
    clear = ""
    if page.value(filters.FROM_ARG) or page.value(filters.TO_ARG):
        clear = Markup(' <a href="{}">all dates</a>').format(
            page.url({filters.FROM_ARG: None, filters.TO_ARG: None})
        )
    return Markup(
        '<form class="vn-range" action="{}" method="get">{}{}'
        '<input type="submit" value="Apply dates">{}</form>'
    ).format(page.table_url, inputs, page.hidden_inputs((filters.FROM_ARG, filters.TO_ARG)), clear)


def export_form(page: Page, count: int | None) -> Markup:
    what = (
        "these articles" if count is None else f"these {count:,} articles" if count != 1 else "this article"
    )
    return Markup(
        '<form class="vn-export" action="{}" method="get"><strong>Download {}</strong> '
        "as CSV with the columns "
        "of <code>vnnews export</code> (authors and tags joined by <code>; </code>, oldest first) "
        '<label><input type="checkbox" name="{}" value="on"> with a BOM, for Excel</label>{}'
        '<input type="submit" value="Download CSV"></form>'
    ).format(
        page.export_url, what, BOM_ARG, page.hidden_inputs((BOM_ARG, COLUMNS_ARG, "_sort", "_sort_desc"))
    )


def phrase_block(page: Page, found: ranking.PhraseMatches | None) -> Markup:
    if found is None:
        return Markup("")
    quoted = '"' + " ".join(found.words) + '"'
    only = page.url({"_search": quoted})
    if found.error:
        return Markup(
            '<p class="vn-phrase">The phrase matches could not be listed ({}); '
            '<a href="{}">list them on their own</a>.</p>'
        ).format(found.error, only)
    if not found.rows:
        return Markup(
            '<p class="vn-phrase">No article has the words as the phrase {}; '
            "below, every article with all of them.</p>"
        ).format(quoted)
    rows = Markup("").join(compact_row(row, page) for row in found.rows)
    more = f"{found.total:,}{'+' if found.window_full else ''}"
    return Markup(
        '<section class="vn-phrase"><h3>Phrase matches first: {} with {} as written '
        '(<a href="{}">show only them</a>)</h3>'
        '<table class="rows-and-columns vn-compact">{}<tbody>{}</tbody></table>'
        "<h3>All matches: every word, anywhere in the article</h3></section>"
    ).format(f"{more} article{'' if more == '1' else 's'}", quoted, only, _header(page), rows)


def listing_html(
    page: Page, rows: list[Any], count: int | None, found: ranking.PhraseMatches | None
) -> Markup:
    parts = [range_form(page), phrase_block(page, found)]
    if rows:
        body = Markup("").join(compact_row(row, page) for row in rows)
        parts.append(
            Markup(
                '<div class="table-wrapper"><table class="rows-and-columns vn-compact">'
                "{}<tbody>{}</tbody></table></div>"
            ).format(_header(page), body)
        )
    else:
        parts.append(Markup('<p class="zero-results">0 articles</p>'))
    parts.append(
        Markup(
            '<p class="vn-views">Compact rows. <a href="{}">Show every column</a>'
            " · open a title for the whole record</p>"
        ).format(page.url({COLUMNS_ARG: "all"}, drop=()))
    )
    parts.append(export_form(page, count))
    return Markup('<div class="vn-listing">{}</div>').format(Markup("").join(parts))
