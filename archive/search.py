"""Vietnamese full-text search: a user's query -> a safe FTS5 MATCH expression over the folded index.

Rules (docs/archive.md): case, diacritics, tone-mark placement and đ are ignored (both sides go through
``vnnews.text.fold``); an article matches when it contains every word (FTS5's implicit AND); a quoted
phrase matches the phrase. Every term is emitted as an FTS5 string, so no user input is ever FTS syntax:
AND/OR/NOT/NEAR, ``*``, ``:``, ``^`` and unbalanced quotes are plain words and no query raises.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from vnnews.text import fold

_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]?")
_TOKEN = re.compile(r"\w+")
# Column weights for bm25 (title, lead, text, extra): a hit in the title counts most.
BM25 = "bm25(articles_fts, 10.0, 4.0, 1.0, 1.0)"


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
    conn: sqlite3.Connection, query: str, limit: int | None = 20, offset: int = 0
) -> Iterator[dict[str, Any]]:
    """Matching articles, best first (bm25): id, published_at, title, url, section, rank."""
    expression = match_expression(query)
    if expression is None:
        return
    sql = f"""
        SELECT a.id, a.published_at, a.title, a.url, a.section, {BM25} AS rank
        FROM articles_fts JOIN articles a ON a.doc_id = articles_fts.rowid
        WHERE articles_fts MATCH ?
        ORDER BY rank, a.published_at DESC
        LIMIT ? OFFSET ?"""
    cursor = conn.execute(sql, (expression, -1 if limit is None else limit, offset))
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
