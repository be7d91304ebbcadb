"""Filters of the articles page beyond Datasette's own: a date range and an author or tag.

``?_from=01/05/2025&_to=31/05/2025`` (day first, as Vietnamese dates are written; ISO works too)
keeps the articles published on those days, both included, in Vietnam time (every ``published_at``
is stored with +07:00). ``?_author=Quang An`` and ``?_tag=...`` keep the articles with that author or
tag, through the indexed ``article_authors``/``article_tags`` tables; the reading view's and the
compact rows' links use them. All of them are plain ``WHERE`` clauses on indexed columns, so the
count, the facets and the exports of the page are filtered the same way (docs/datasette.md).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from datasette.utils import await_me_maybe
from datasette.utils.asgi import BadRequest

from archive.export import parse_day

ARTICLES_TABLE = "articles"
FROM_ARG, TO_ARG, AUTHOR_ARG, TAG_ARG = "_from", "_to", "_author", "_tag"
OUR_ARGS = (FROM_ARG, TO_ARG, AUTHOR_ARG, TAG_ARG)


def day_first(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _day(request: Any, name: str) -> date | None:
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    try:
        return parse_day(value)
    except ValueError as error:
        raise BadRequest(f"{name}: {error}") from None


def article_filters(request: Any) -> tuple[list[str], dict[str, Any], list[str]]:
    """(where clauses, params, human descriptions) of our arguments on the articles table."""
    where: list[str] = []
    params: dict[str, Any] = {}
    human: list[str] = []
    since, until = _day(request, FROM_ARG), _day(request, TO_ARG)
    if since and until and until < since:
        raise BadRequest(f"{TO_ARG} ({day_first(until)}) is before {FROM_ARG} ({day_first(since)})")
    if since:
        # published_at is ISO 8601 text with +07:00: a string comparison is a time comparison.
        where.append("published_at >= :vn_from")
        params["vn_from"] = since.isoformat()
        human.append(f"published from {day_first(since)}")
    if until:
        where.append("published_at < :vn_to")
        params["vn_to"] = (until + timedelta(days=1)).isoformat()
        human.append(f"published until {day_first(until)}")
    author = request.args.get(AUTHOR_ARG)
    if author:
        where.append("id in (select article_id from article_authors where author = :vn_author)")
        params["vn_author"] = author
        human.append(f'by "{author}"')
    tag = request.args.get(TAG_ARG)
    if tag:
        where.append("id in (select article_id from article_tags where tag = :vn_tag)")
        params["vn_tag"] = tag
        human.append(f'tagged "{tag}"')
    return where, params, human


async def table_where(datasette: Any, request: Any, database: str, table: str) -> tuple[str, dict[str, Any]]:
    """The WHERE clause (without the word) and params Datasette's table view applies for ``request``:
    column filters, then every filters_from_request hook (search, _where, ours), built the way the
    view builds them, so the phrase block and the export see exactly the page's rows."""
    # Imported here: datasette.plugins loads the plugin entry points, this package among them, so a
    # module-level import would register a half-imported plugin.
    from datasette.filters import Filters
    from datasette.plugins import pm
    from datasette.views.base import ureg

    filter_args = [
        (key, value)
        for key in request.args
        if not (key.startswith("_") and "__" not in key)
        for value in request.args.getlist(key)
    ]
    units = (datasette.table_metadata(database, table) or {}).get("units", {})
    where_clauses, params = Filters(sorted(filter_args), units, ureg).build_where_clauses(table)
    for hook in pm.hook.filters_from_request(
        request=request, table=table, database=database, datasette=datasette
    ):
        arguments = await await_me_maybe(hook)
        if arguments:
            where_clauses.extend(arguments.where_clauses)
            params.update(arguments.params)
    return " and ".join(where_clauses) or "1", params
