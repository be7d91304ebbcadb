"""Vietnamese full-text search: a user's query -> a safe FTS5 MATCH expression over the folded index.

Rules (docs/archive.md): case, diacritics, tone-mark placement and đ are ignored (both sides go through
``extraction.text.fold``); an article matches when it contains every word (FTS5's implicit AND); a quoted
phrase matches the phrase. Every term is emitted as an FTS5 string, so no user input is ever FTS syntax:
AND/OR/NOT/NEAR, ``*``, ``:``, ``^`` and unbalanced quotes are plain words and no query raises.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from extraction.text import fold

_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]?")
_TOKEN = re.compile(r"\w+")
# How many of the newest matches are ranked. The ranking is phrase matches first, then by where the
# words are (title, lead, elsewhere), newest first within each (ranked_sql), so that every ranked
# query stops after RANK_WINDOW matches read in rowid order (newest first) and never reads a whole
# posting list: bm25, the ranking used before, asks FTS5 for each term's document count over the
# whole index on every query (35-80 ms for two common words at 350,000 articles, growing with the
# archive; docs/performance.md). Below RANK_WINDOW matches the ranking is exact. ``exhaustive=True``
# ranks all.
RANK_WINDOW = 5000


def window_sql(name: str, match: str, limit: str) -> str:
    """CTEs ``name`` (the newest matches of ``match``, an SQL expression, at most ``limit``: FTS5 stops
    there in rowid order) and ``floor`` (the oldest rowid among them), which ``within_window`` reads."""
    return f"""
    {name} AS MATERIALIZED (
        SELECT rowid AS doc_id FROM articles_fts WHERE articles_fts MATCH {match} ORDER BY rowid DESC {limit}
    ),
    floor AS MATERIALIZED (SELECT coalesce(min(doc_id), 1 << 62) AS doc_id FROM {name})"""


def within_window(name: str, match: str, column: str = "doc_id") -> str:
    """A CTE ``name`` (one column, ``column``): the rowids matching ``match`` in the window's rowid
    range only, so a look-up costs about what the window costs and never reads a whole posting list."""
    return f"""
    {name} AS MATERIALIZED (
        SELECT rowid AS {column} FROM articles_fts WHERE articles_fts MATCH {match}
          AND rowid >= (SELECT doc_id FROM floor)
    )"""


def ranked_sql(window: bool = True) -> str:
    """The window of newest matches of ``:e`` and each one's rank: tier * 3 + place. Tier 0: the whole
    query is in it as a phrase (``:p``; ``:whole`` says the query is that phrase), 1: all words.
    Place 0: every word in the title, 1: in the lead, 2: elsewhere.
    The phrase, title and lead look-ups read only the window's rowid range, so they cost about what
    the window costs. Parameters: e, p, whole, w (unless not window)."""
    return f"""{window_sql("win", ":e", "LIMIT :w" if window else "")},{within_window("phrase", ":p")},
    {within_window("in_title", "'{title} : (' || :e || ')'")},
    {within_window("in_lead", "'{lead} : (' || :e || ')'")},
    ranked AS (
        SELECT doc_id, iif(:whole OR doc_id IN phrase, 0, 3)
          + CASE WHEN doc_id IN in_title THEN 0 WHEN doc_id IN in_lead THEN 1 ELSE 2 END AS rank
        FROM win
    )"""


def search_sql(exhaustive: bool = False) -> str:
    """Rank inside the FTS index, cut to the page, then join only the rows shown: joining every
    match to the large ``articles`` rows before sorting was 5-10x slower. Ties: newest first.
    Parameters: e (match expression), w (window, unless exhaustive), limit, offset."""
    return f"""
    WITH {ranked_sql(window=not exhaustive)},
    hits AS (SELECT doc_id, rank FROM ranked ORDER BY rank, doc_id DESC LIMIT :limit OFFSET :offset)
    SELECT a.id, a.published_at, a.title, a.url, a.section, hits.rank
    FROM hits JOIN articles a ON a.doc_id = hits.doc_id
    ORDER BY hits.rank, hits.doc_id DESC"""


SEARCH_SQL = search_sql()


def _phrase(text: str) -> str | None:
    tokens = _TOKEN.findall(fold(text))
    if not tokens:
        return None
    # Inside an FTS5 string only the double quote is special; \w tokens never contain one.
    return '"' + " ".join(tokens) + '"'


def phrase_expression(query: str) -> str:
    """The whole query as one phrase (its words in order, quotes ignored), the first tier of the
    ranking; the empty phrase (matches nothing) for fewer than two words.

    >>> phrase_expression('Đảng ủy "Nghệ An"')
    '"dang uy nghe an"'
    """
    words = _TOKEN.findall(fold(query))
    return '"' + " ".join(words) + '"' if len(words) >= 2 else '""'


def match_expression(query: str) -> str | None:
    """The MATCH expression for ``query``; None when the query has no searchable word.

    >>> match_expression('Đảng ủy "Nghệ An"')
    '"dang" "uy" "nghe an"'
    """
    terms: list[str] = []
    position = 0
    for quoted in _QUOTED.finditer(query):
        terms.extend(_words(query[position : quoted.start()]))
        phrase = _phrase(quoted.group(1))
        if phrase:
            terms.append(phrase)
        position = quoted.end()
    terms.extend(_words(query[position:]))
    return " ".join(terms) if terms else None


def _words(text: str) -> Iterator[str]:
    # A word like "covid-19" is two index tokens; keeping them as one phrase keeps them adjacent.
    for word in text.split():
        phrase = _phrase(word)
        if phrase:
            yield phrase


def search(
    conn: sqlite3.Connection, query: str, limit: int | None = 20, offset: int = 0, exhaustive: bool = False
) -> Iterator[dict[str, Any]]:
    """Matching articles, best first: id, published_at, title, url, section, rank (ranked_sql: 0-2 the
    whole query as a phrase, 3-5 all words; within each title, lead, elsewhere; then newest first)."""
    expression = match_expression(query)
    if expression is None:
        return
    phrase = phrase_expression(query)
    # A query that is one quoted phrase: every match is a phrase match; not looking it up twice.
    whole = phrase == expression
    page = {
        "e": expression,
        "p": '""' if whole else phrase,
        "whole": whole,
        "limit": -1 if limit is None else limit,
        "offset": offset,
    }
    if exhaustive or limit is None:
        cursor = conn.execute(search_sql(exhaustive=True), page)
    else:
        cursor = conn.execute(SEARCH_SQL, {**page, "w": max(RANK_WINDOW, offset + limit)})
    names = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def count(conn: sqlite3.Connection, query: str) -> int:
    expression = match_expression(query)
    if expression is None:
        return 0
    return int(
        conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (expression,)
        ).fetchone()[0]
    )
