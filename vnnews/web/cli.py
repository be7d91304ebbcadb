"""``vnnews serve``: the archive in Datasette, with our metadata, plugins and safe settings."""

from __future__ import annotations

import socket
import sqlite3
import sys
from pathlib import Path
from typing import NoReturn

import click

from archive.cli import open_for_reading
from archive.cliargs import DatabasePath
from archive.db import ArchiveError, needs_immutable, translate_sqlite_error


def database_problem(path: Path) -> str | None:
    """Why ``path`` cannot be served, in one line; None when it is an archive database. The same
    guard as every command (archive/paths.py); the command line already ran it through DatabasePath.
    An archive made by an older vnnews is upgraded first when the file is writable, as every read
    command does (archive.cli.open_for_reading): the search reads the indexes of the newest
    migrations. One that cannot be upgraded is refused rather than served with a search that fails."""
    try:
        with open_for_reading(path):  # Archive.open runs the archive guard (require_archive) first
            pass
    except ArchiveError as error:
        return str(error)
    except sqlite3.Error as error:
        return str(translate_sqlite_error(error, path))
    return None


@click.command("serve")
@click.argument("db", type=DatabasePath())
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option(
    "--immutable",
    is_flag=True,
    help="Open the database immutable (faster counts, cached pages) instead of read-only. "
    "Only for a finished copy: a crawl writing to it at the same time is not seen and may show errors.",
)
@click.option(
    "--sql-time-limit",
    "sql_time_limit_ms",
    default=3000,
    show_default=True,
    type=click.IntRange(1),
    help="Milliseconds any one SQL query may run.",
)
def serve(db: Path, host: str, port: int, immutable: bool, sql_time_limit_ms: int) -> None:
    """Browse, search and export an archive DB in Datasette.

    The database is opened read-only, so a crawl may keep writing to it and new articles appear on
    the next page load. Facets, canned queries (search, per month, per section, author, revision
    history, failures, runs), a dashboard at /-/dashboards/articles, and CSV/JSON links on every page.

    \b
    Example:
      vnnews serve news.db --port 8001
      # then open http://127.0.0.1:8001/news/articles?_search=nghe+an
    """
    problem = database_problem(db)
    if problem:
        fail(problem)
    try:
        sock = listening_socket(host, port)
    except OSError as error:
        fail(f"cannot listen on {host_port(host, port)}: {error.strerror or error}")
    import asyncio

    import uvicorn

    from vnnews.web.app import build_datasette
    from vnnews.web.plugin.limits import limit_process

    limit_process()
    immutable = immutable or needs_immutable(db)  # an archive copied alone onto read-only media
    with sock:
        datasette = build_datasette(
            db, immutable=immutable, settings={"sql_time_limit_ms": sql_time_limit_ms}
        )
        asyncio.run(datasette.invoke_startup())
        bound = host_port(host, sock.getsockname()[1])
        click.echo(f"Serving {db} at http://{bound}/{db.stem}", err=True)
        config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on", workers=1)
        uvicorn.Server(config).run(sockets=[sock])


def fail(message: str) -> NoReturn:
    """Wrong use: one line on stderr and exit status 2 (the project's error convention)."""
    click.echo(f"vnnews serve: {message}", err=True)
    sys.exit(2)


def host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port``, handed to uvicorn: a busy port or a host that is not
    ours fails here, in one line, before anything says "Serving" (and no other process can take
    the port between a check and uvicorn's own bind). socket.gaierror is an OSError."""
    # The family as uvicorn chooses it: IPv6 for an address with a colon, else IPv4 ("localhost").
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, family=family, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        # As uvicorn does: a restarted server can rebind while old connections are in TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock
