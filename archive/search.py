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
# The FTS5 query that is valid and matches nothing at once (an empty phrase): MATCH '' is a syntax error.
NO_MATCH = '""'
# How many of the newest matches are ranked. The ranking is phrase matches first, then by where the
# words are (title, lead, elsewhere), newest first within each (ranked_sql), so that every ranked
# query stops after RANK_WINDOW matches read in rowid order (newest first) and never reads a whole
# posting list: bm25, the ranking used before, asks FTS5 for each term's document count over the
# whole index on every query (35-80 ms for two common words at 350,000 articles, growing with the
# archive; docs/performance.md). Below RANK_WINDOW matches the ranking is exact. ``exhaustive=True``
# ranks all.
RANK_WINDOW = 5000
# The window is read forwards: FTS5 reads a phrase backwards (ORDER BY rowid DESC) 30-45% slower, and
# a phrase of three words backwards from a rowid bound reads the whole index before stopping. So the
# newest PROBE_ROWS articles are read forwards first; from how many of them match, the rest is either
# read forwards whole (a rare query: fewer matches in the archive than the window, expected) or
# backwards until the window is full (a common one, which stops early). PROBE_ROWS is the window's
# size, so the probe never holds more than a window. docs/performance.md has the measurements.
PROBE_ROWS = RANK_WINDOW


def window_sql(name: str, match: str, size: str | None, where: str = "", probe: int = PROBE_ROWS) -> str:
    """CTEs ``name`` (the newest ``size`` matches of ``match``, both SQL expressions, that pass
    ``where``, a condition on ``rowid``; every match when ``size`` is None) and ``floor`` (the oldest
    rowid among them), which ``within_window`` reads. Its helper CTEs are named ``name`` + _bounds,
    _probe, _probed, _older; ``probe``: how many of the newest rowids are read first (PROBE_ROWS)."""
    where = f" AND ({where})" if where else ""
    if size is None:
        window = f"SELECT rowid AS doc_id FROM articles_fts WHERE articles_fts MATCH {match}{where}"
        return f"""
    {name} AS MATERIALIZED ({window}),
    floor AS MATERIALIZED (SELECT coalesce(min(doc_id), 1 << 62) AS doc_id FROM {name})"""
    # NO_MATCH switches off the branch not taken: a constant condition beside MATCH would not stop FTS5
    # from reading.
    nothing = f"'{NO_MATCH}'"
    return f"""
    {name}_bounds AS MATERIALIZED (
        SELECT coalesce(max(doc_id), 0) AS top, coalesce(max(doc_id), 0) - {probe} AS cut FROM article_search
    ),
    {name}_probe AS MATERIALIZED (
        SELECT rowid AS doc_id FROM articles_fts
        WHERE articles_fts MATCH {match} AND rowid > (SELECT cut FROM {name}_bounds){where}
    ),
    {name}_probed AS MATERIALIZED (
        SELECT count(*) AS n, count(*) < {size} AS short,
          count(*) * (SELECT top FROM {name}_bounds) < {size} * {probe} AS rare
        FROM {name}_probe
    ),
    {name}_older AS MATERIALIZED (
        SELECT rowid AS doc_id FROM articles_fts
        WHERE articles_fts MATCH iif((SELECT short AND rare FROM {name}_probed), {match}, {nothing})
          AND rowid <= (SELECT cut FROM {name}_bounds){where}
        UNION ALL
        SELECT doc_id FROM (
            SELECT rowid AS doc_id FROM articles_fts
            WHERE articles_fts MATCH iif((SELECT short AND NOT rare FROM {name}_probed), {match}, {nothing})
              AND rowid <= (SELECT cut FROM {name}_bounds){where}
            ORDER BY rowid DESC LIMIT max(0, {size} - (SELECT n FROM {name}_probed))
        )
    ),
    {name} AS MATERIALIZED (
        SELECT doc_id FROM (SELECT doc_id FROM {name}_probe UNION ALL SELECT doc_id FROM {name}_older)
        ORDER BY doc_id DESC LIMIT {size}
    ),
    floor AS MATERIALIZED (SELECT coalesce(min(doc_id), 1 << 62) AS doc_id FROM {name})"""


def within_window(name: str, match: str, column: str = "doc_id", table: str = "articles_fts") -> str:
    """A CTE ``name`` (one column, ``column``): the rowids of ``table`` matching ``match`` in the
    window's rowid range only, so a look-up costs about what the window costs and never reads a whole
    posting list. ``table`` is articles_fts or articles_head_fts (title and lead only: a fifth of the
    words, so title and lead look-ups read a fifth as much; archive/schema.py)."""
    return f"""
    {name} AS MATERIALIZED (
        SELECT rowid AS {column} FROM {table} WHERE {table} MATCH {match}
          AND rowid >= (SELECT doc_id FROM floor)
    )"""


def title_and_lead(expression: str) -> str:
    """CTEs in_title and in_lead: the window's rowids whose title (lead) has all of ``expression``,
    an SQL expression giving an FTS5 query, looked up in the title-and-lead index."""
    title = within_window("in_title", f"'{{title}} : (' || {expression} || ')'", table="articles_head_fts")
    lead = within_window("in_lead", f"'{{lead}} : (' || {expression} || ')'", table="articles_head_fts")
    return f"{title},{lead}"


def ranked_sql(window: bool = True) -> str:
    """The window of newest matches of ``:e`` and each one's rank: tier * 3 + place. Tier 0: the whole
    query is in it as a phrase (``:p``; ``:whole`` says the query is that phrase), 1: all words.
    Place 0: every word in the title, 1: in the lead, 2: elsewhere.
    The phrase, title and lead look-ups read only the window's rowid range, so they cost about what
    the window costs. Parameters: e, p, whole, w (unless not window)."""
    return f"""{window_sql("win", ":e", ":w" if window else None)},{within_window("phrase", ":p")},
    {title_and_lead(":e")},
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
    return '"' + " ".join(words) + '"' if len(words) >= 2 else NO_MATCH


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
        "p": NO_MATCH if whole else phrase,
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
