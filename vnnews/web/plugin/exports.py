"""A streamed CSV export of a table returns every row, once.

Datasette 0.65 streams a table in chunks of max_returned_rows, each chunk continuing after the last
row of the one before (keyset pagination on the sort column, then the primary key). But its first
chunk is ordered by the sort column alone, so rows that tie on it (articles published the same
minute) come in index order there and by primary key afterwards: at a chunk boundary inside a tie,
rows were skipped (332 of 2,000 articles in a test). For an export of a table sorted only by its
metadata default (``sort_desc: published_at``), we sort by the primary key instead, which has no
ties. An explicit ``_sort``/``_sort_desc`` is kept as asked (docs/datasette.md, "Exporting").
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode

from datasette.utils import tilde_decode

from vnnews.web.plugin.responses import App, Receive, Scope, Send

_TABLE_CSV = re.compile(r"^/([^/]+)/([^/]+)\.csv$")


async def stream_sort_key(datasette: Any, scope: Scope) -> str | None:
    """The primary key to sort a streamed CSV export by, when the export needs one; else None."""
    match = _TABLE_CSV.match(str(scope.get("path", "")))
    if not match:
        return None
    args = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if not args.get("_stream", [""])[0] or "_sort" in args or "_sort_desc" in args:
        return None
    database, table = tilde_decode(match[1]), tilde_decode(match[2])
    if database not in datasette.databases:
        return None
    metadata = datasette.table_metadata(database, table) or {}
    if not (metadata.get("sort") or metadata.get("sort_desc")):
        return None
    db = datasette.get_database(database)
    if not await db.table_exists(table):
        return None
    primary_keys = await db.primary_keys(table)
    return str(primary_keys[0]) if len(primary_keys) == 1 else None


def complete_csv_streams(app: App, datasette: Any) -> App:
    async def complete(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            key = await stream_sort_key(datasette, scope)
            if key is not None:
                query = scope.get("query_string", b"").decode("latin-1")
                extra = urlencode({"_sort": key})
                scope = {**scope, "query_string": f"{query}&{extra}".encode("latin-1")}
        await app(scope, receive, send)

    return complete
