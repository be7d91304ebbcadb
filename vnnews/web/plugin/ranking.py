"""Phrase-first ranking of the articles page's search: the one place its SQL lives.

A search of several words (``dang uy``) finds the articles that have every word anywhere; among them
the ones that have the words as a phrase ("Đảng ủy") are the ones a researcher wants first. Datasette
orders a table page by a column only, so the articles page shows the phrase matches first, above its
list of every match, in a block of their own (docs/datasette.md, "Searching"); the ``search`` canned
query ranks the same way in one list (phrase tier, then bm25).

Bounded (docs/datasette.md, "Limits"): the phrase is looked up in the FTS index in rowid order, newest
first, and only the PHRASE_WINDOW newest phrase matches are ranked (FTS5 stops there; ordering every
match by bm25 cannot stop early), then the page's own filters apply and PHRASE_ROWS are shown.
The index and the FTS SQL of the table search itself are benchmarks/archive.py's (branch million).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from vnnews.web.plugin.sql_functions import NO_MATCH, phrase_words, vn_phrase

PHRASE_WINDOW = 5000  # as archive.search.RANK_WINDOW: ~5 ms of FTS work at any archive size
PHRASE_ROWS = 10  # the block lists this many; its link lists them all (the quoted search)


@dataclass
class PhraseMatches:
    words: list[str]
    rows: list[Any]  # articles rows (id, title, text, ...), best first
    total: int  # phrase matches that pass the page's filters, within the window
    window_full: bool  # the window was full: there may be more
    error: str = ""  # why the block could not be listed (the SQL time limit): the page still shows


def phrase_sql(where: str) -> str:
    """Phrase matches passing ``where`` (the page's own filters, search excluded), best first."""
    return f"""
    with hits as materialized (
      select rowid as vn_rowid, bm25(articles_fts, 10.0, 4.0, 1.0, 1.0) as vn_score
      from articles_fts where articles_fts match :vn_phrase
      order by rowid desc limit :vn_window
    )
    select id, publisher, section, title, lead, text, authors, published_at, format, withdrawn_at,
      count(*) over () as vn_total, (select count(*) from hits) as vn_window_used
    from hits join articles on articles.doc_id = hits.vn_rowid
    where {where}
    order by hits.vn_score, published_at desc
    limit :vn_rows"""


def wants_phrase_block(search: str) -> bool:
    """Only a search of several words, not quoted as a whole already, has a phrase tier to show."""
    stripped = search.strip()
    whole_quote = stripped[:1] in '"“”' and stripped[-1:] in '"“”' and len(stripped) > 1
    return not whole_quote and vn_phrase(search) != NO_MATCH


async def phrase_matches(db: Any, search: str, where: str, params: dict[str, Any]) -> PhraseMatches | None:
    if not wants_phrase_block(search):
        return None
    sql_params = {
        **params,
        "vn_phrase": vn_phrase(search),
        "vn_window": PHRASE_WINDOW,
        "vn_rows": PHRASE_ROWS,
    }
    from datasette.database import QueryInterrupted  # not at import time: see filters.table_where

    try:
        results = await db.execute(phrase_sql(where), sql_params)
    except (QueryInterrupted, sqlite3.Error) as error:
        return PhraseMatches(phrase_words(search), [], 0, False, error=str(error) or type(error).__name__)
    rows = list(results.rows)
    total = rows[0]["vn_total"] if rows else 0
    window_full = bool(rows) and rows[0]["vn_window_used"] >= PHRASE_WINDOW
    return PhraseMatches(phrase_words(search), rows, total, window_full)
