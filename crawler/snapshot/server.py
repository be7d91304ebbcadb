"""A real HTTP server on 127.0.0.1 serving a snapshot, with faults injected per path.

    with SnapshotServer(build_snapshot(tmp, articles=30), faults={path: Fault.status(500)}) as server:
        server.base_url        # http://127.0.0.1:<port>
        server.hits(path)      # how many times a path was requested

Faults: ``Fault.status(500, times=1)`` (500 then the page), ``Fault.slow(5, times=1)`` (answer after
5 s: a client timeout), ``Fault.truncated(times=1)`` (Content-Length larger than the body, then
the connection closes), ``Fault.not_found()`` (404 page, always), ``Fault.redirect("/x.html",
hops=2)`` (a 301 chain ending at another path), ``Fault.gzip_bomb(17 << 20)`` (the page gzip'd,
padded to that size unpacked; ``encoded=False``: a .gz file without Content-Encoding),
``Fault.padded(300_000)`` (the page plus that many incompressible bytes in an HTML comment).
``disallow=["/path"]`` adds robots.txt Disallow lines.

Real HTTP validators: every 200 answer carries an ``ETag`` (a hash of the body) and a
``Last-Modified`` (the file's modification time); a GET with ``If-None-Match`` naming the current ETag,
or else with ``If-Modified-Since`` at or after Last-Modified, is answered ``304 Not Modified`` with no
body (RFC 9110 13.1). ``validators=False`` serves a site without them.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import mimetypes
import os
import socket
import sys
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from crawler.snapshot.build import Snapshot

REDIRECT_HOP = "/__hop/"


@dataclass
class Fault:
    kind: str  # status / slow / truncated / redirect
    times: int | None = 1  # requests affected before the path behaves; None: every request
    code: int = 500  # HTTP status of "status" and "redirect" faults
    delay: float = 0.0
    location: str = ""
    hops: int = 1
    size: int = 0  # gzip_bomb: bytes unpacked; padded: bytes added
    encoded: bool = True  # gzip_bomb: sent with Content-Encoding: gzip (else as a .gz file)
    _bodies: dict[bytes, bytes] = field(default_factory=dict, repr=False)  # page -> faulty body, built once

    @classmethod
    def status(cls, code: int, times: int | None = 1) -> Fault:
        return cls("status", times=times, code=code)

    @classmethod
    def not_found(cls) -> Fault:
        return cls("status", times=None, code=404)

    @classmethod
    def slow(cls, seconds: float, times: int | None = 1) -> Fault:
        return cls("slow", times=times, delay=seconds)

    @classmethod
    def truncated(cls, times: int | None = 1) -> Fault:
        return cls("truncated", times=times)

    @classmethod
    def redirect(cls, location: str, hops: int = 1, status: int = 301) -> Fault:
        return cls("redirect", times=None, code=status, location=location, hops=max(1, hops))

    @classmethod
    def gzip_bomb(cls, unpacked: int, encoded: bool = True, times: int | None = None) -> Fault:
        return cls("gzip_bomb", times=times, size=unpacked, encoded=encoded)

    @classmethod
    def padded(cls, extra: int, times: int | None = None) -> Fault:
        return cls("padded", times=times, size=extra)

    def body(self, page: bytes) -> bytes:
        """The page as this fault serves it (built in code, in memory, once per page)."""
        if page not in self._bodies:
            self._bodies[page] = _bomb(page, self.size) if self.kind == "gzip_bomb" else _pad(page, self.size)
        return self._bodies[page]


def _bomb(page: bytes, unpacked: int) -> bytes:
    """``page`` then spaces up to ``unpacked`` bytes, gzip'd: a few KB per 16 MiB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts, left, chunk = [packer.compress(page)], unpacked - len(page), b" " * (1 << 20)
    while left > 0:
        parts.append(packer.compress(chunk[: min(left, len(chunk))]))
        left -= len(chunk)
    parts.append(packer.flush())
    return b"".join(parts)


def _pad(page: bytes, extra: int) -> bytes:
    noise = base64.b64encode(os.urandom(extra * 3 // 4 + 3))[:extra]  # does not compress away in a WARC
    return page + b"<!-- " + noise + b" -->"


def content_type(path: str) -> str:
    if path.startswith("/rss/"):
        return "application/rss+xml; charset=utf-8"
    if path.endswith(".xml"):
        return "application/xml; charset=utf-8"
    if path.endswith(".txt"):
        return "text/plain; charset=utf-8"
    guessed = mimetypes.guess_type(path)[0]
    if guessed and not guessed.startswith("text/html"):
        return guessed
    return "text/html; charset=utf-8"


def entity_tag(body: bytes) -> str:
    """A strong ETag: the same bytes always give the same tag, other bytes another one."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag: str, modified: datetime | None
) -> bool:
    """RFC 9110 13.1.2-13.1.3 for GET: If-None-Match (weak comparison) decides when present;
    otherwise If-Modified-Since at or after Last-Modified (whole seconds) means not modified."""
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if if_modified_since is None or modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False  # an unreadable date is ignored, as the RFC says
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return modified.replace(microsecond=0) <= since


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, like a real site; every answer has a Content-Length

    # Requests being answered at once (``SnapshotServer.most_busy``): from a request parsed to its
    # answer flushed, so an idle keep-alive connection does not count.
    def handle_one_request(self) -> None:
        self._busy = False
        try:
            super().handle_one_request()
        finally:
            if self._busy:
                self.server.owner.in_flight(-1)

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        if parsed:
            self._busy = True
            self.server.owner.in_flight(+1)
        return parsed

    def log_message(self, format: str, *args: Any) -> None:
        return  # the request log is self.server.log; stderr stays quiet in tests

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path or "/"
        owner = self.server.owner
        owner.arrived(path, self.headers.get("User-Agent", ""), self.headers.get("If-None-Match"))
        fault = owner.take_fault(path)
        if path.startswith(REDIRECT_HOP):
            self._hop(path)
            return
        if fault is not None and fault.kind == "redirect":
            self._redirect(REDIRECT_HOP + f"1{path}" if fault.hops > 1 else fault.location, fault.code)
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
        moved = owner.snapshot.redirects.get(path)
        if moved is not None and fault is None:  # an old-era URL of a story: 301 to its E3 URL
            self._redirect(moved, 301)
            return
        body = owner.robots() if path == "/robots.txt" else owner.read(path)
        if fault is not None and fault.kind == "status":
            status = fault.code
            if status == 404:
                body = owner.read("/404.html") or b"not found"
            elif body is None or status >= 400:
                body = f"<html><body><h1>{status}</h1></body></html>".encode()
            self._send(status, "/error.html", body)
            return
        if body is None:
            self._send(404, "/404.html", owner.read("/404.html") or b"not found")
            return
        if fault is not None and fault.kind == "truncated":
            self._truncated(path, body)
            return
        if fault is not None and fault.kind == "gzip_bomb":
            extra = {"Content-Encoding": "gzip"} if fault.encoded else {"Content-Type": "application/gzip"}
            self._send(200, path, fault.body(body), extra)
            return
        if fault is not None and fault.kind == "padded":
            body = fault.body(body)
        self._send_validated(path, body)

    def _send_validated(self, path: str, body: bytes) -> None:
        """200 with ETag and Last-Modified, or 304 when the client's validators still match."""
        owner = self.server.owner
        if not owner.validators:
            self._send(200, path, body)
            return
        etag = entity_tag(body)
        modified = owner.modified(path)
        extra = {"ETag": etag}
        if modified is not None:
            extra["Last-Modified"] = format_datetime(modified, usegmt=True)
        if not_modified(
            self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, modified
        ):
            owner.record(self.path, 304)
            self.send_response(304)
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self._send(200, path, body, extra)

    def _send(self, status: int, path: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.server.owner.record(self.path, status)
        self.send_response(status)
        headers = {"Content-Type": content_type(path), **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _truncated(self, path: str, body: bytes) -> None:
        self.server.owner.record(self.path, 200)
        self.send_response(200)
        self.send_header("Content-Type", content_type(path))
        self.send_header("Content-Length", str(len(body) + 4096))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client may have gone already
            self.connection.shutdown(socket.SHUT_RDWR)

    def _redirect(self, location: str, status: int) -> None:
        self.server.owner.record(self.path, status)
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _hop(self, path: str) -> None:
        number, _, origin = path[len(REDIRECT_HOP) :].partition("/")
        origin = "/" + origin
        fault = self.server.owner.faults.get(origin)
        if fault is None or fault.kind != "redirect" or not number.isdigit():
            self._send(404, "/404.html", self.server.owner.read("/404.html") or b"")
            return
        hop = int(number)
        location = fault.location if hop + 1 >= fault.hops else f"{REDIRECT_HOP}{hop + 1}{origin}"
        self._redirect(location, fault.code)


STOP_POLL_SECONDS = 0.05  # how often the serving loop looks for stop() (socketserver's default: 0.5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: SnapshotServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A crawler that gave up on a slow response closes the connection: expected, not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SnapshotServer:
    """Serve ``snapshot`` on 127.0.0.1 (``port=0``: any free port) in a background thread."""

    def __init__(
        self,
        snapshot: Snapshot,
        faults: dict[str, Fault] | None = None,
        disallow: list[str] | None = None,
        port: int = 0,
        host: str = "127.0.0.1",
        validators: bool = True,
    ) -> None:
        self.snapshot = snapshot
        self.validators = validators
        self.faults: dict[str, Fault] = dict(faults or {})
        self.disallow = list(disallow or [])
        self.log: list[tuple[str, int]] = []  # (path, status) of every answer sent
        self.arrivals: list[str] = []  # path of every request received, in order
        self.user_agents: set[str] = set()  # User-Agent headers seen
        self.conditional: list[str] = []  # path of every request that carried If-None-Match
        self._served: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None
        self.busy = 0  # requests being answered now
        self.most_busy = 0  # the most ever answered at once: a polite crawler keeps it at 1

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- state shared with the handler threads ----------------------------------------------------

    def load(self, snapshot: Snapshot) -> None:
        """Serve another snapshot (e.g. version 2) from now on, at the same address."""
        with self._lock:
            self.snapshot = snapshot

    def take_fault(self, path: str) -> Fault | None:
        with self._lock:
            fault = self.faults.get(path)
            if fault is None:
                return None
            if fault.times is not None:
                if self._served[path] >= fault.times:
                    return None
                self._served[path] += 1
            return fault

    def arrived(self, path: str, user_agent: str = "", if_none_match: str | None = None) -> None:
        with self._lock:
            self.arrivals.append(path)
            self.user_agents.add(user_agent)
            if if_none_match:
                self.conditional.append(path)

    def record(self, raw_path: str, status: int) -> None:
        with self._lock:
            self.log.append((urlsplit(raw_path).path, status))

    def hits(self, path: str) -> int:
        """Requests received for ``path`` (counted on arrival, so a slow answer counts at once)."""
        with self._lock:
            return self.arrivals.count(path)

    def in_flight(self, change: int) -> None:
        with self._lock:
            self.busy += change
            self.most_busy = max(self.most_busy, self.busy)

    def requested_paths(self) -> list[str]:
        with self._lock:
            return list(self.arrivals)

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.arrivals.clear()
            self.conditional.clear()

    def robots(self) -> bytes:
        text = (self.snapshot.site / "robots.txt").read_text(encoding="utf-8")
        if self.disallow:
            lines = text.splitlines()
            at = lines.index("Allow: /") if "Allow: /" in lines else 1
            lines[at:at] = [f"Disallow: {path}" for path in self.disallow]
            text = "\n".join(lines) + "\n"
        return text.encode("utf-8")

    def file(self, path: str) -> Path | None:
        site = self.snapshot.site.resolve()
        for candidate in (path, unquote(path)):
            target = (site / candidate.lstrip("/")).resolve()
            if not target.is_relative_to(site):
                return None  # ../ out of the snapshot
            if target.is_dir():
                target = target / "index.html"
            if target.is_file():
                return target
        return None

    def read(self, path: str) -> bytes | None:
        target = self.file(path)
        return target.read_bytes() if target is not None else None

    def modified(self, path: str) -> datetime | None:
        """Last-Modified of a served file: its modification time (robots.txt is built: none)."""
        target = self.file(path) if path != "/robots.txt" else None
        if target is None:
            return None
        return datetime.fromtimestamp(int(target.stat().st_mtime), UTC)

    # --- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> SnapshotServer:
        # A short poll: stop() waits for the loop to notice, and the demo stops nine of these at its end.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(STOP_POLL_SECONDS,), name="snapshot-server", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SnapshotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_directory(root: str | Path, port: int = 0) -> SnapshotServer:
    """A server for a snapshot built earlier (``python -m crawler.snapshot build DIR``)."""
    return SnapshotServer(Snapshot.load(root), port=port)


__all__ = ["Fault", "SnapshotServer", "serve_directory"]
