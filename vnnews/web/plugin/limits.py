"""Per-connection limits for every SQLite connection Datasette opens (docs/datasette.md, "Limits").

Anyone can send SQL: ``/news.json?sql=select hex(zeroblob(1e9))`` once drove the server to 12 GB.
SQLite's time limit does not bound memory, so each connection also gets:

- a length limit on any one value (SQLite itself refuses to build a longer string or blob),
- a budget for the text and blob data one query hands to Python (checked value by value as rows
  are fetched, before Datasette renders anything),
- an authorizer that refuses ``fts3_tokenizer()``, which returns a native pointer and, with two
  arguments, installs one.
"""

from __future__ import annotations

import sqlite3
import weakref
from typing import Any

MIB = 1024 * 1024
# The longest string or blob any query may read or build. Twice the crawler's DOWNLOAD_MAXSIZE
# (16 MiB): nothing the archive stores from one page comes near it, so only built values hit it.
VALUE_MAX_BYTES = 32 * MIB
# Text and blob data one query may return to Python. A page of max_returned_rows (1,000) articles is
# ~7-15 MB. Rendering a result as JSON took ~7x its size in memory (a 64 MB result: +465 MB RSS), so
# this keeps one request near 250 MB. Every chunk of a streamed CSV export is a query of its own.
RESULT_MAX_BYTES = 32 * MIB
# All the memory SQLite itself may hold in the server process (page caches of a dozen connections
# are ~25 MB). A row of many large blobs (2,000 columns of 32 MiB) is built inside SQLite before Python
# sees any of it; this stops it there. SQLite then answers "out of memory" (Python's MemoryError).
SQLITE_HEAP_MAX_BYTES = 128 * MIB
HEAP_MESSAGE = (
    f"the query needs more than the {SQLITE_HEAP_MAX_BYTES // MIB} MiB of memory SQLite may use "
    "(SQLITE_HEAP_MAX_BYTES): select fewer or smaller values"
)
# The SQLite messages the client sees for these limits; the response wrapper adds our names to them.
TOO_BIG_MESSAGE = "string or blob too big"
RESULT_MESSAGE = (
    f"result over {RESULT_MAX_BYTES // MIB} MiB of text and blob data (RESULT_MAX_BYTES): "
    "select fewer rows or columns, or stream the CSV export (_stream=on)"
)
DISABLED_FUNCTIONS = frozenset({"fts3_tokenizer"})


class ResultTooLarge(sqlite3.DataError):
    """Raised from the row factory; Datasette shows a DatabaseError's message as the query's error."""


class ResultBudget:
    """Counts the text and blob data of a query's rows, as its text factory and row factory.

    The row factory counts each completed row (ASCII text and blobs by length, other text at 3 bytes
    a character, the most UTF-8 takes for Vietnamese or any BMP text). The text factory also counts
    the row being fetched, value by value in UTF-8 bytes, so one row of many large text columns is
    stopped part-way (blobs have no hook: the process's SQLite heap limit bounds them). Datasette
    makes a new cursor for every query, so the count starts again when the row factory sees another.
    """

    def __init__(self, max_bytes: int = RESULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._cursor: weakref.ref[sqlite3.Cursor] | None = None
        self._used = 0  # by the completed rows of the current cursor
        # Text of the row being fetched. A fetch aborted part-way (SQLite out of heap) leaves a count
        # behind; it only ever reaches the next row's own check, never the query's total.
        self._row_text = 0

    def text(self, data: bytes) -> str:
        self._row_text += len(data)
        if self._row_text > self.max_bytes:
            self._row_text = 0
            raise ResultTooLarge(RESULT_MESSAGE)
        # Datasette's own text factory: bad UTF-8 in a stored value must not break a page.
        return str(data, "utf-8", "replace")

    def row(self, cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> sqlite3.Row:
        self._row_text = 0
        if self._cursor is None or self._cursor() is not cursor:
            self._cursor = weakref.ref(cursor)
            self._used = 0
        for value in values:
            if isinstance(value, bytes) or (isinstance(value, str) and value.isascii()):
                self._used += len(value)
            elif isinstance(value, str):
                self._used += 3 * len(value)
        if self._used > self.max_bytes:
            raise ResultTooLarge(RESULT_MESSAGE)
        return sqlite3.Row(cursor, values)


def deny_disabled_functions(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
    """sqlite3 authorizer: every statement may run except calls of DISABLED_FUNCTIONS."""
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DISABLED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def limit_connection(conn: sqlite3.Connection) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_MAX_BYTES)
    budget = ResultBudget()
    conn.text_factory = budget.text
    conn.row_factory = budget.row
    conn.set_authorizer(deny_disabled_functions)


def limit_process() -> None:
    """SQLite's heap limit for the whole process (``vnnews serve`` sets it at start-up; it is not a
    per-connection setting, so the plugin leaves it alone in other processes)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"PRAGMA hard_heap_limit = {SQLITE_HEAP_MAX_BYTES}")
    finally:
        conn.close()
