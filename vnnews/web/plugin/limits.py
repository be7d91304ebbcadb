"""Per-connection limits for every SQLite connection Datasette opens (docs/datasette.md, "Limits").

Anyone can send SQL: ``/news.json?sql=select hex(zeroblob(1e9))`` once drove the server to 12 GB.
SQLite's time limit does not bound memory, so each connection also gets:

- a length limit on any one value (SQLite itself refuses to build a longer string or blob),
- a budget for the text and blob data one query hands to Python (checked row by row as rows are
  fetched, before Datasette renders anything),
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
    """A row factory that counts the text and blob data of the current cursor's rows (ASCII text and
    blobs by their length, other text at 3 bytes a character).

    Datasette makes a new cursor for every query, so the count starts again when the cursor changes.
    """

    def __init__(self, max_bytes: int = RESULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._cursor: weakref.ref[sqlite3.Cursor] | None = None
        self._used = 0

    def __call__(self, cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> sqlite3.Row:
        if self._cursor is None or self._cursor() is not cursor:
            self._cursor = weakref.ref(cursor)
            self._used = 0
        for value in values:
            if isinstance(value, bytes) or (isinstance(value, str) and value.isascii()):
                self._used += len(value)
            elif isinstance(value, str):
                # UTF-8 size without encoding: at most 3 bytes a character for Vietnamese (and any BMP
                # text); its JSON (\uXXXX escapes) and Python copies grow with it too.
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
    conn.row_factory = ResultBudget()
    conn.set_authorizer(deny_disabled_functions)
