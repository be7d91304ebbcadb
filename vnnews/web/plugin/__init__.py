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
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Request, Response
from markupsafe import Markup

from vnnews.web.plugin import (
    exports,
    facets,
    filters,
    limits,
    listing,
    ranking,
    reading,
    render,
    responses,
    search,
    sql_functions,
    webexport,
)

STATIC_DIR = Path(__file__).parent / "static"
ARTICLES_TABLE = "articles"
REVISIONS_QUERY = "article_revisions"
SEARCH_QUERY = "search"
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
    conn.create_function("vn_phrase", 1, sql_functions.vn_phrase, deterministic=True)


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        app = search.skip_costly_counts(app, datasette)
        return responses.limit_responses(webexport.csv_bom(exports.complete_csv_streams(app, datasette)))

    return wrap


@hookimpl
def canned_queries(datasette: Any, database: str) -> dict[str, Any] | None:
    """The ``search`` query's SQL, built from the ranking's own SQL (ranking.canned_search_sql) rather
    than a copy in the metadata, which describes it (title, description) without ``sql``. A metadata
    that gives its own SQL keeps it."""
    described = (datasette.metadata("queries", database=database, fallback=False) or {}).get(SEARCH_QUERY)
    sql = ranking.canned_search_sql()
    if not isinstance(described, dict) or described.get("sql", sql) != sql:
        return None
    return {SEARCH_QUERY: {**described, "sql": sql}}


@hookimpl
def register_facet_classes() -> list[type]:
    return [facets.BoundedFacet]


@hookimpl(trylast=True, specname="filters_from_request")
def search_filter_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    # Its own name: the date range and author/tag filters below implement the same hook. trylast:
    # Datasette's own search filter (which finds no fts_table on opted-in tables) says
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
    if column in render.TIME_COLUMNS:
        shown = render.time_html(value)
        if shown is not None:
            return shown
    if table is not None:
        # Only row pages show values whole; table pages cut every cell at truncate_cells_html.
        on_row_page = responses.is_row_page(responses.REQUEST_PATH.get())
        return render.render_long_cell(value) if on_row_page else None
    if column in ARTICLE_KEY_COLUMNS and render.is_article_key(value):
        # Query results (search, per author...) link each article to its reading view.
        url = datasette.urls.row(database, ARTICLES_TABLE, tilde_encode(str(value)))
        return render.link_html(url, str(value))
    return render.render_query_cell(column, value)


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """The date range (_from, _to, day first) and _author/_tag of the articles page."""
    if table != ARTICLES_TABLE:
        return None
    from datasette.filters import FilterArguments  # see filters.table_where: not at import time

    where, params, human = filters.article_filters(request)
    return FilterArguments(where, params, human) if where else None


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(webexport.ROUTE, webexport.export_view)]


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
def extra_template_vars(
    view_name: str, database: str | None, table: str | None, request: Any, datasette: Any
) -> Any:
    if not database or table != ARTICLES_TABLE or request is None:
        return {}
    if view_name == "row":
        return _reading_vars(datasette, database, request)
    if view_name == "table":
        return _listing_vars(datasette, database, request)
    return {}


def _list_url(datasette: Any, database: str) -> Any:
    table_url = datasette.urls.table(database, ARTICLES_TABLE)
    return lambda name, value: table_url + "?" + urlencode({name: value})


async def _reading_vars(datasette: Any, database: str, request: Any) -> dict[str, Any]:
    article_id = tilde_decode(request.url_vars.get("pks", ""))
    db = datasette.get_database(database)
    results = await db.execute(
        reading.REVISIONS_SQL, {"article": article_id, "limit": reading.READING_MAX_REVISIONS}
    )
    revisions = [
        reading.Revision(
            revision=row["revision"],
            captured_at=row["captured_at"],
            changed=str(row["changed"] or "").split(),
            url=datasette.urls.row(database, "revisions", tilde_encode(str(row["row_id"]))),
        )
        for row in results.rows
    ]
    links = reading.ReadingLinks(
        list_url=_list_url(datasette, database),
        revisions_url=datasette.urls.path(
            f"/{database}/{REVISIONS_QUERY}?" + urlencode({"article": article_id})
        ),
        revisions=revisions,
    )
    return {"vn_article": lambda row: reading.article_html(row, links)}


def _listing_vars(datasette: Any, database: str, request: Any) -> dict[str, Any]:
    page = listing.Page(
        args=[(key, value) for key in request.args for value in request.args.getlist(key)],
        table_url=datasette.urls.table(database, ARTICLES_TABLE),
        export_url=datasette.urls.path(webexport.export_path(database)),
        row_url=lambda article_id: datasette.urls.row(database, ARTICLES_TABLE, tilde_encode(article_id)),
    )

    async def vn_listing(rows: list[Any], count: int | None) -> Markup:
        found = None
        if ranking.wants_phrase_block(page.search):
            # The page's own filters without its search: the phrase implies every word.
            scope = {
                **request.scope,
                "query_string": urlencode([p for p in page.args if p[0] != "_search"]).encode(),
            }
            where, params = await filters.table_where(
                datasette, Request(scope, None), database, ARTICLES_TABLE
            )
            found = await ranking.phrase_matches(datasette.get_database(database), page.search, where, params)
        return listing.listing_html(page, rows, count, found)

    return {
        "vn_listing": vn_listing,
        "vn_all_columns": request.args.get(listing.COLUMNS_ARG) == "all",
        "vn_compact_url": page.url({listing.COLUMNS_ARG: None}, drop=()),
    }
