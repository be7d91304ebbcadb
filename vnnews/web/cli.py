"""``vnnews serve``: the archive in Datasette, with our metadata, plugins and safe settings."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archive.cliargs import DatabasePath


def database_problem(path: Path) -> str | None:
    """Why ``path`` cannot be served, in one line; None when it is an archive database. The same
    guard as every command (archive/paths.py); the command line already ran it through DatabasePath."""
    from archive.db import ArchiveError
    from archive.paths import require_archive

    try:
        require_archive(path)
    except ArchiveError as error:
        return str(error)
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
        click.echo(f"vnnews serve: {problem}", err=True)
        sys.exit(2)
    import asyncio

    import uvicorn

    from archive.db import needs_immutable
    from vnnews.web.app import build_datasette

    immutable = immutable or needs_immutable(db)  # an archive copied alone onto read-only media
    datasette = build_datasette(db, immutable=immutable, settings={"sql_time_limit_ms": sql_time_limit_ms})
    asyncio.run(datasette.invoke_startup())
    click.echo(f"Serving {db} at http://{host}:{port}/{db.stem}", err=True)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
