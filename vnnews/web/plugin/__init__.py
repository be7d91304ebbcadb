"""The vnnews Datasette plugin: Vietnamese-folding search, article reading view, safe rendering.

A package (not a module) so that Datasette finds ``templates/`` and ``static/`` beside it.
``vnnews serve`` registers it; the ``datasette`` entry point in pyproject.toml lets plain
``datasette news.db -m datasette-metadata.json`` load it too.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup

from vnnews.web.plugin import exports, facets, limits, render, responses, search, sql_functions

STATIC_DIR = Path(__file__).parent / "static"
ARTICLES_TABLE = "articles"
REVISIONS_QUERY = "article_revisions"
ARTICLE_KEY_COLUMNS = ("id", "article_id", "article")


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    # trylast: pluggy calls later hooks last, so our escape_fts replaces the one Datasette's
    # built-in sql_functions plugin registered a moment earlier on the same connection, and our
    # row factory replaces the sqlite3.Row Datasette set.
    limits.limit_connection(conn)
    conn.create_function("vn_fold", 1, sql_functions.vn_fold, deterministic=True)
    conn.create_function("escape_fts", 1, sql_functions.folding_escape_fts, deterministic=True)
    conn.create_function("vn_match", 1, sql_functions.vn_match, deterministic=True)
    conn.create_function("vn_snippet", 2, sql_functions.vn_snippet, deterministic=True)
    conn.create_function("vn_diff", 3, sql_functions.vn_diff, deterministic=True)


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        app = search.skip_costly_counts(app, datasette)
        return responses.limit_responses(exports.complete_csv_streams(app, datasette))

    return wrap


@hookimpl
def register_facet_classes() -> list[type]:
    return [facets.BoundedFacet]


@hookimpl(trylast=True)
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    # trylast: Datasette's own search filter (which finds no fts_table on opted-in tables) says
    # supports_search=False; ours comes after it, so its True wins.
    async def inner() -> Any:
        return await search.filters(request, database, table, datasette)

    return inner


@hookimpl
def handle_exception(request: Any, exception: Exception) -> Any:
    """SQLite over its heap limit raises MemoryError, which Datasette would answer with a bare 500."""
    if not isinstance(exception, MemoryError):
        return None
    if request.path.endswith(".json"):
        return Response.json({"ok": False, "error": limits.HEAP_MESSAGE, "status": 400}, status=400)
    return Response.text(f"Query too large: {limits.HEAP_MESSAGE}\n", status=400)


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    if table == ARTICLES_TABLE:
        rendered = render.render_article_cell(column, value)
        if rendered is not None:
            return rendered
    if table is not None:
        # Only row pages show values whole; table pages cut every cell at truncate_cells_html.
        on_row_page = responses.is_row_page(responses.REQUEST_PATH.get())
        return render.render_long_cell(value) if on_row_page else None
    if column in ARTICLE_KEY_COLUMNS and render.is_article_key(value):
        # Query results (search, per author...) link each article to its reading view.
        url = datasette.urls.row(database, ARTICLES_TABLE, tilde_encode(str(value)))
        return render.link_html(url, str(value))
    return render.render_query_cell(column, value)


@functools.cache
def _static_name() -> str:
    """Our plugin's name in /-/static-plugins/<name>/: the distribution name when loaded through the
    entry point, the module name when ``vnnews serve`` registered it. Plugins are registered before
    the first page is served and never change after, so the answer is computed once."""
    from datasette.plugins import get_plugins

    for plugin in get_plugins():
        if plugin["static_path"] and Path(plugin["static_path"]) == STATIC_DIR:
            return str(plugin["name"])
    return __name__


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.static_plugins(_static_name(), "vnnews.css")]


@hookimpl
def extra_template_vars(view_name: str, database: str | None, datasette: Any) -> dict[str, Any]:
    if view_name != "row" or not database:
        return {}

    def vn_article(row: Any) -> Markup:
        article_id = render.field(row, "id")
        revisions_url = (
            datasette.urls.path(f"/{database}/{REVISIONS_QUERY}?" + _query_string(article=article_id))
            if article_id
            else None
        )
        return render.article_html(row, revisions_url)

    return {"vn_article": vn_article}


def _query_string(**params: Any) -> str:
    return urlencode(params)
