"""The web CSV as ``vnnews export`` writes it, and a BOM for Excel on any CSV.

``/<db>/articles.export.csv?<the articles page's arguments>`` streams every article the page lists
(its filters, facets, search, date range) with the columns of ``vnnews export`` in its order and its
cells (authors and tags joined by ``; ``, images and paragraphs as JSON; archive.export.csv_row),
oldest first as the command writes them. ``_bom=on`` on any CSV URL (that one, a table's, a
query's) starts the file with a UTF-8 byte order mark, without which Excel reads Vietnamese as
mojibake (docs/datasette.md, "Exporting CSV and JSON").

Bounded as Datasette's own CSV stream: each chunk is one query of EXPORT_CHUNK_ROWS rows under the
SQL time limit and the per-query result budget, and the whole file stops at ``max_csv_mb``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import AsgiStream, NotFound, Request

from archive.export import FIELDS, csv_row, record
from vnnews.web.plugin import filters
from vnnews.web.plugin.responses import App, Message, Receive, Scope, Send

ROUTE = r"^/(?P<database>[^/]+)/articles\.export\.csv$"
# Rows per query: the same as Datasette's max_returned_rows (1,000 articles are ~7-15 MB of text,
# inside the plugin's 32 MiB per-query budget).
EXPORT_CHUNK_ROWS = 1000
BOM = "\ufeff"
BOM_VALUES = ("on", "1", "true", "yes")

# Oldest first, as vnnews export: articles without a date (NULL sorts first) by id, then the rest by
# (published_at, id). Each chunk starts after the last row of the one before (keyset, no OFFSET).
_COLUMNS = ", ".join(FIELDS)
_AFTER = (
    "((:vn_last_at is null and (published_at is not null or id > :vn_last_id))"
    " or (published_at > :vn_last_at or (published_at = :vn_last_at and id > :vn_last_id)))"
)


def export_path(database: str) -> str:
    return f"/{tilde_encode(database)}/articles.export.csv"


def chunk_sql(where: str, first: bool) -> str:
    after = "1" if first else _AFTER
    return (
        f"select {_COLUMNS} from articles where ({where}) and {after}"
        " order by published_at, id limit :vn_chunk"
    )


async def export_view(datasette: Any, request: Request) -> AsgiStream:
    route = tilde_decode(request.url_vars["database"])
    try:
        db = datasette.get_database(route=route)
    except KeyError:
        raise NotFound("Database not found") from None
    if not await db.table_exists("articles"):
        raise NotFound("Table not found")
    where, params = await filters.table_where(datasette, request, db.name, "articles")
    limit_bytes = int(datasette.setting("max_csv_mb") or 0) * 1024 * 1024

    async def stream(out: Any) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(FIELDS)
        written, last, first = 0, None, True
        while True:
            page = {**params, "vn_chunk": EXPORT_CHUNK_ROWS}
            if last is not None:
                page.update(vn_last_at=last[0], vn_last_id=last[1])
            try:
                results = await db.execute(chunk_sql(where, first), page)
            except Exception as error:  # the headers are sent: say it in the file and stop
                buffer.write(f"# export stopped: {error}\r\n")
                await out.write(buffer.getvalue())
                return
            rows = list(results.rows)
            for row in rows:
                writer.writerow(csv_row(record(dict(zip(FIELDS, row, strict=True)))))
            chunk = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            written += len(chunk.encode("utf-8"))
            if limit_bytes and written > limit_bytes:
                await out.write(f"# export stopped: over max_csv_mb ({limit_bytes // (1024 * 1024)} MB)\r\n")
                return
            await out.write(chunk)
            if len(rows) < EXPORT_CHUNK_ROWS:
                return
            last, first = (rows[-1]["published_at"], rows[-1]["id"]), False

    headers = {"content-disposition": 'attachment; filename="articles.csv"'}
    return AsgiStream(stream, headers=headers, content_type="text/csv; charset=utf-8")


def wants_bom(scope: Scope) -> bool:
    if scope.get("type") != "http" or not str(scope.get("path", "")).endswith(".csv"):
        return False
    args = Request(scope, None).args
    return (args.get("_bom") or "").lower() in BOM_VALUES


def csv_bom(app: App) -> App:
    """``_bom=on`` on a CSV URL: U+FEFF before the first byte of the body (a Content-Length grows by 3)."""

    async def with_bom(scope: Scope, receive: Receive, send: Send) -> None:
        if not wants_bom(scope):
            await app(scope, receive, send)
            return
        started = {"ok": False, "sent": False}

        async def send_with_bom(message: Message) -> None:
            if message["type"] == "http.response.start":
                started["ok"] = message.get("status") == 200
                headers = []
                for key, value in message.get("headers", []):
                    if bytes(key).lower() == b"content-length" and started["ok"]:
                        value = str(int(value) + len(BOM.encode())).encode()
                    headers.append([key, value])
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and started["ok"] and not started["sent"]:
                started["sent"] = True
                message = {**message, "body": BOM.encode() + bytes(message.get("body", b""))}
            await send(message)

        await app(scope, receive, send_with_bom)

    return with_bom
