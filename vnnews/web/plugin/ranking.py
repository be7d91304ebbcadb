"""Phrase-first ranking of the articles page's search: the one place its SQL lives.

A search of several words (``dang uy``) finds the articles that have every word anywhere; among them
the ones that have the words as a phrase ("Đảng ủy") are the ones a researcher wants first. Datasette
orders a table page by a column only, so the articles page shows the phrase matches first, above its
list of every match, in a block of their own (docs/datasette.md, "Searching"); the ``search`` canned
query ranks the same way in one list (phrase tier, then all words; title, lead, elsewhere; newest).

Bounded (docs/datasette.md, "Limits"): the PHRASE_WINDOW newest matches of all the words are read from
the FTS index in rowid order (FTS5 stops there), and the phrase is looked for only in their rowid
range; then the page's own filters apply and PHRASE_ROWS are shown. Looking the phrase up in the whole
index instead reads both words' position lists to the end when few articles have it, and bm25 reads
every term's list to count it (docs/performance.md): both grow with the archive.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from typing import Any

from archive.search import RANK_WINDOW, title_and_lead, window_sql, within_window
from vnnews.web.plugin.sql_functions import NO_MATCH, phrase_words, vn_match, vn_phrase

PHRASE_WINDOW = RANK_WINDOW  # the phrase is looked for among this many newest matches of all the words
PHRASE_ROWS = 10  # the block lists this many; its link lists them all (the quoted search)


@dataclass
class PhraseMatches:
    words: list[str]
    rows: list[Any]  # articles rows (id, title, text, ...), best first
    total: int  # phrase matches that pass the page's filters, among the window's matches of all words
    window_full: bool  # the window was full: older articles may have the phrase too
    error: str = ""  # why the block could not be listed (the SQL time limit): the page still shows


def phrase_sql(where: str) -> str:
    """Phrase matches passing ``where`` (the page's own filters, search excluded) among the
    PHRASE_WINDOW newest matches of all the words, best first: the phrase in the title, then in the
    lead, then elsewhere; newest first within each. Every look-up reads only the window's rowid range."""
    return f"""
    with {window_sql("words", ":vn_words", ":vn_window")},
    {within_window("hits", ":vn_phrase", "vn_rowid")},
    {title_and_lead(":vn_phrase")}
    select id, publisher, section, title, lead, text, authors, published_at, format, withdrawn_at,
      count(*) over () as vn_total, (select count(*) from words) as vn_window_used
    from hits join articles on articles.doc_id = hits.vn_rowid
    where {where}
    order by case when vn_rowid in in_title then 0 when vn_rowid in in_lead then 1 else 2 end,
      published_at desc
    limit :vn_rows"""


CANNED_ROWS = 50  # the search query lists this many, best first
# The search query's filters, inside the window: its newest matches in the section, not the section's
# share of the archive's newest matches. An empty value means any.
_CANNED_FILTERS = (
    "(:section = '' OR rowid IN (SELECT doc_id FROM articles WHERE section = :section))"
    " AND (:publisher = '' OR rowid IN (SELECT doc_id FROM articles WHERE publisher = :publisher))"
)


@functools.cache  # the canned_queries hook asks for it on every page Datasette serves
def canned_search_sql() -> str:
    """The ``search`` canned query's SQL (datasette-metadata.json describes it; the canned_queries hook
    gives it this): the ranking of ``vnnews search`` (archive.search.ranked_sql: phrase tier, then
    title, lead, elsewhere, newest first, among the RANK_WINDOW newest matches) in one list, with a
    highlighted snippet and the tier and place spelled out. Parameters: q, publisher, section."""
    whole = "vn_phrase(:q) = vn_match(:q)"  # the query is one quoted phrase: every match is a phrase match
    return f"""
with {window_sql("word_win", "vn_match(:q)", str(RANK_WINDOW), where=_CANNED_FILTERS)},
{within_window("phrase", f"iif({whole}, '{NO_MATCH}', vn_phrase(:q))")},
{title_and_lead("vn_match(:q)")},
hits as materialized (
  select doc_id,
    iif({whole} or doc_id in phrase, 0, 1) as tier,
    case when doc_id in in_title then 0 when doc_id in in_lead then 1 else 2 end as place
  from word_win
  order by tier, place, doc_id desc
  limit {CANNED_ROWS}
)
select
  a.id,
  a.publisher,
  a.title,
  vn_snippet(a.text, :q) as snippet,
  a.published_at,
  a.section,
  a.authors,
  iif(hits.tier = 0, 'phrase', 'all words') as matched,
  case hits.place when 0 then 'title' when 1 then 'lead' else 'text' end as found_in,
  hits.tier * 3 + hits.place as rank
from hits
join articles a on a.doc_id = hits.doc_id
order by hits.tier, hits.place, hits.doc_id desc"""


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
        "vn_words": vn_match(search),
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
