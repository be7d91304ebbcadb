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
# Column weights for bm25 (title, lead, text, extra): a hit in the title counts most.
BM25 = "bm25(articles_fts, 10.0, 4.0, 1.0, 1.0)"
# How many of the newest matches bm25 ranks. FTS5 cannot stop early when ordering by bm25: it scores
# every match, and "nghe an" matches nearly every article of Báo Nghệ An (170 ms at 200k articles).
# It can stop early in rowid order, so the ranking considers the RANK_WINDOW newest matches (by doc_id,
# i.e. archive order); below that many matches the ranking is exact. ``exhaustive=True`` ranks all.
RANK_WINDOW = 5000


def search_sql(exhaustive: bool = False) -> str:
    """Rank inside the FTS index, cut to the page, then join only the rows shown: joining every
    match to the large ``articles`` rows before sorting was 5-10x slower. Ties: newest first.
    Parameters: (match expression, limit, offset) and, unless exhaustive, the window first."""
    window = "" if exhaustive else "ORDER BY rowid DESC LIMIT ?"
    return f"""
    SELECT a.id, a.published_at, a.title, a.url, a.section, hits.rank
    FROM (
        SELECT rowid, rank FROM (
            SELECT rowid, {BM25} AS rank FROM articles_fts WHERE articles_fts MATCH ? {window}
        )
        ORDER BY rank, rowid DESC LIMIT ? OFFSET ?
    ) AS hits
    JOIN articles a ON a.doc_id = hits.rowid
    ORDER BY hits.rank, hits.rowid DESC"""


SEARCH_SQL = search_sql()


def _phrase(text: str) -> str | None:
    tokens = _TOKEN.findall(fold(text))
    if not tokens:
        return None
    # Inside an FTS5 string only the double quote is special; \w tokens never contain one.
    return '"' + " ".join(tokens) + '"'


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
    """Matching articles, best first (bm25): id, published_at, title, url, section, rank."""
    expression = match_expression(query)
    if expression is None:
        return
    page = (-1 if limit is None else limit, offset)
    if exhaustive or limit is None:
        cursor = conn.execute(search_sql(exhaustive=True), (expression, *page))
    else:
        cursor = conn.execute(SEARCH_SQL, (expression, max(RANK_WINDOW, offset + limit), *page))
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
