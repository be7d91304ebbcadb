"""An ASGI wrapper around Datasette: caps the size of a whole (non-streaming) response and names our
limits in SQLite's terse error messages (docs/datasette.md, "Limits").

The connection limits (limits.py) bound what a query hands to Python; this is the last line, for any
page that would still come out too large. Streaming responses (CSV with ``_stream=on``, static files)
are passed through chunk by chunk: Datasette bounds those itself (``max_csv_mb``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from typing import Any

from vnnews.web.plugin.limits import MIB, TOO_BIG_MESSAGE, VALUE_MAX_BYTES
from vnnews.web.plugin.sql_functions import FOLD_MAX_CHARS

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

# The largest page or JSON answer sent in one piece. A full page of 1,000 articles as JSON is
# ~10-20 MB. The row data behind a response is already capped (RESULT_MAX_BYTES, 32 MiB) but JSON can
# double it (\u escapes of non-ASCII text), so pages the budget lets through may still be refused here.
RESPONSE_MAX_BYTES = 48 * MIB
# The path of the request being answered: render_cell has no request argument in Datasette 0.65 and
# must tell a row page (every value shown whole) from a table page (cells cut at 300 characters).
# The wrapper and the views run in one asyncio task, so the view sees the value set here.
REQUEST_PATH: ContextVar[str] = ContextVar("vnnews_request_path", default="")

# Error pages are small; only they are searched for SQLite messages to explain.
_ERROR_PAGE_MAX_BYTES = 1 * MIB
# SQLite's messages, which say nothing of the limit behind them, and what we add to them.
_EXPLAINED = {
    TOO_BIG_MESSAGE: (
        f"{TOO_BIG_MESSAGE}: no value may exceed {VALUE_MAX_BYTES // MIB} MiB (VALUE_MAX_BYTES)"
    ),
    "user-defined function raised exception": (
        "user-defined function raised exception (vn_fold refuses values over "
        f"{FOLD_MAX_CHARS:,} characters: FOLD_MAX_CHARS)"
    ),
}


def too_large_message(size: int) -> str:
    return (
        f"response of {size / MIB:.1f} MiB is over the {RESPONSE_MAX_BYTES // MIB} MiB limit "
        "(RESPONSE_MAX_BYTES): ask for fewer rows (_size=, LIMIT) or columns, or stream the CSV "
        "export (_stream=on)"
    )


def _header(start: Message, name: bytes) -> bytes:
    for key, value in start.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return b""


def _with_length(headers: list[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    return [*kept, (b"content-length", str(length).encode())]


def too_large_response(start: Message, size: int) -> tuple[Message, Message]:
    """A 400 in the format the client asked for (Datasette's JSON error shape, or plain text)."""
    message = too_large_message(size)
    if _header(start, b"content-type").startswith(b"application/json"):
        body = json.dumps({"ok": False, "error": message, "status": 400, "title": "Response too large"})
        content_type = b"application/json; charset=utf-8"
    else:
        body = f"Response too large: {message}\n"
        content_type = b"text/plain; charset=utf-8"
    data = body.encode()
    headers = _with_length([(b"content-type", content_type)], len(data))
    return (
        {"type": "http.response.start", "status": 400, "headers": headers},
        {"type": "http.response.body", "body": data},
    )


def explain_errors(start: Message, body: bytes) -> tuple[Message, bytes]:
    """Add our limit's name to SQLite's message in a small 4xx/5xx page."""
    if start.get("status", 200) < 400 or len(body) > _ERROR_PAGE_MAX_BYTES:
        return start, body
    for sqlite_message, explained in _EXPLAINED.items():
        body = body.replace(sqlite_message.encode(), explained.encode())
    start = {**start, "headers": _with_length(list(start.get("headers", [])), len(body))}
    return start, body


def is_row_page(path: str) -> bool:
    """``/news/articles/baonghean~3Ae3~3A1`` (HTML) is a row page; ``/news/articles``, ``/news/search``,
    ``/news/articles/x.json`` and ``/-/...`` are not."""
    parts = path.strip("/").split("/")
    return len(parts) == 3 and not parts[0].startswith("-") and "." not in parts[2]


def limit_responses(app: App, max_bytes: int | None = None) -> App:
    """``app`` with whole responses capped at ``max_bytes`` (RESPONSE_MAX_BYTES when None, read
    per request)."""

    async def limited(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        REQUEST_PATH.set(str(scope.get("path", "")))
        held: Message | None = None

        async def send_limited(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                held = message  # sent with the first body chunk, once we know what the response is
                return
            if message["type"] != "http.response.body" or held is None:
                await send(message)
                return
            start, held = held, None
            body = bytes(message.get("body", b""))
            if message.get("more_body", False):  # streaming: pass every chunk on
                await send(start)
                await send(message)
            elif len(body) > (RESPONSE_MAX_BYTES if max_bytes is None else max_bytes):
                for replacement in too_large_response(start, len(body)):
                    await send(replacement)
            else:
                start, body = explain_errors(start, body)
                await send(start)
                await send({**message, "body": body})

        await app(scope, receive, send_limited)

    return limited
