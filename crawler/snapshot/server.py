"""A real HTTP server on 127.0.0.1 serving a snapshot, with faults injected per path.

    with SnapshotServer(build_snapshot(tmp, articles=30), faults={path: Fault.status(500)}) as server:
        server.base_url        # http://127.0.0.1:<port>
        server.hits(path)      # how many times a path was requested

Faults: ``Fault.status(500, times=1)`` (500 then the page), ``Fault.slow(5, times=1)`` (answer after
5 s: a client timeout), ``Fault.truncated(times=1)`` (Content-Length larger than the body, then
the connection closes), ``Fault.not_found()`` (404 page, always), ``Fault.redirect("/x.html",
hops=2)`` (a 301 chain ending at another path). ``disallow=["/path"]`` adds robots.txt Disallow lines.
"""

from __future__ import annotations

import contextlib
import mimetypes
import socket
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
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


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, like a real site; every answer has a Content-Length

    def log_message(self, format: str, *args: Any) -> None:
        return  # the request log is self.server.log; stderr stays quiet in tests

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path or "/"
        owner = self.server.owner
        owner.arrived(path, self.headers.get("User-Agent", ""))
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
        if path == "/robots.txt":
            self._send(200, path, owner.robots())
            return
        body = owner.read(path)
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
        self._send(200, path, body)

    def _send(self, status: int, path: str, body: bytes) -> None:
        self.server.owner.record(self.path, status)
        self.send_response(status)
        self.send_header("Content-Type", content_type(path))
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
    ) -> None:
        self.snapshot = snapshot
        self.faults: dict[str, Fault] = dict(faults or {})
        self.disallow = list(disallow or [])
        self.log: list[tuple[str, int]] = []  # (path, status) of every answer sent
        self.arrivals: list[str] = []  # path of every request received, in order
        self.user_agents: set[str] = set()  # User-Agent headers seen
        self._served: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

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

    def arrived(self, path: str, user_agent: str = "") -> None:
        with self._lock:
            self.arrivals.append(path)
            self.user_agents.add(user_agent)

    def record(self, raw_path: str, status: int) -> None:
        with self._lock:
            self.log.append((urlsplit(raw_path).path, status))

    def hits(self, path: str) -> int:
        """Requests received for ``path`` (counted on arrival, so a slow answer counts at once)."""
        with self._lock:
            return self.arrivals.count(path)

    def requested_paths(self) -> list[str]:
        with self._lock:
            return list(self.arrivals)

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.arrivals.clear()

    def robots(self) -> bytes:
        text = (self.snapshot.site / "robots.txt").read_text(encoding="utf-8")
        if self.disallow:
            lines = text.splitlines()
            at = lines.index("Allow: /") if "Allow: /" in lines else 1
            lines[at:at] = [f"Disallow: {path}" for path in self.disallow]
            text = "\n".join(lines) + "\n"
        return text.encode("utf-8")

    def read(self, path: str) -> bytes | None:
        site = self.snapshot.site.resolve()
        for candidate in (path, unquote(path)):
            target = (site / candidate.lstrip("/")).resolve()
            if not target.is_relative_to(site):
                return None  # ../ out of the snapshot
            if target.is_dir():
                target = target / "index.html"
            if target.is_file():
                return target.read_bytes()
        return None

    # --- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> SnapshotServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="snapshot-server", daemon=True)
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
