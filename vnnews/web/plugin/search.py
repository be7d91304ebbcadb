"""The articles page's search box (``?_search=``), planned for a million articles (docs/performance.md).

Datasette's own clause, ``doc_id in (select rowid from articles_fts where articles_fts match ...)``,
leaves SQLite one plan whatever the search: fetch every matching article row, then sort them all by
date for the 50 shown. For a word in a third of the archive that is hundreds of thousands of rows of
5-10 KB (seconds). The plugin first counts the matches up to a bound (FTS rowids only, cheap) and
writes the same condition in the form whose plan suits that many:

- at most PROBE_MAX matches: ``doc_id in (matches)``: fetch those rows, sort them;
- at most WALK_MAX: ``+doc_id in (matches)``: walk the published_at index newest first (it holds
  doc_id, migration 008) keeping the rows whose doc_id matched, until the page is full;
- more: the same walk asking the FTS index about each row (``exists (... rowid = doc_id)``), so the
  matches are never listed: a common word fills a page within a few hundred rows.

The three select the same rows, so the page, its order, links and exports are Datasette's; only the
plan differs. Counting: Datasette's ``count(*)`` costs a look-up per match, so past PROBE_MAX the
plugin has Datasette skip it (``_nocount``, see ``skip_costly_counts``) and states the number in the
page's description: exact up to WALK_MAX, "more than WALK_MAX" beyond.

Tables opt in through metadata, ``"plugins": {"vnnews": {"fts_table": ..., "fts_pk": ...}}`` (and
then carry no ``fts_table`` of their own, which would add Datasette's clause as well). The words are
folded by ``vn_match`` as everywhere else; ``?_searchmode=raw`` passes FTS5 syntax through.
"""

from __future__ import annotations

import collections
import os
import threading
from typing import Any
from urllib.parse import parse_qsl

from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, tilde_decode
from datasette.utils.asgi import BadRequest

# Searches matching at most this many articles are fetched and sorted whole: ~2 ms per 100 matches.
# Datasette counts them exactly (a look-up each) and the facets count them all.
PROBE_MAX = 2_000
# Up to this share of the archive, the matches are listed (FTS rowids, ~0.2 us each) and the newest
# found by walking the date index; above it, asking the FTS index row by row (~150 us a row) is cheaper
# because a page fills within 51/share rows. Measured crossover at a million articles: ~10%.
WALK_MAX_SHARE = 0.10
WALK_MAX_MIN = 20_000
COUNT_CACHE_ENTRIES = 256

_counts: collections.OrderedDict[tuple[Any, ...], int] = collections.OrderedDict()
_lock = threading.Lock()


def database_state(path: str | None) -> tuple[int, ...] | None:
    """Changes whenever the database is written: size and mtime of the file and of its WAL."""
    if not path:
        return None
    state: list[int] = []
    for name in (path, f"{path}-wal"):
        try:
            stat = os.stat(name)
        except OSError:
            state += [-1, -1]
        else:
            state += [stat.st_size, stat.st_mtime_ns]
    return tuple(state)


def table_config(datasette: Any, database: str, table: str) -> dict[str, str] | None:
    config = datasette.plugin_config("vnnews", database=database, table=table) or {}
    return config if config.get("fts_table") else None


class Search:
    """One page's search: which FTS table and column, the MATCH argument, its parameters."""

    def __init__(
        self, table: str, fts_table: str, fts_pk: str, target: str, argument: str, param: str
    ) -> None:
        self.table = table
        self.fts_table = fts_table
        self.fts_pk = fts_pk
        self.target = target  # the FTS table (all columns) or one column of it
        self.argument = argument
        self.param = param

    def matches(self, suffix: str = "") -> str:
        fts = escape_sqlite(self.fts_table)
        return f"select rowid from {fts} where {escape_sqlite(self.target)} match {self.argument}{suffix}"

    def sample(self, rows: int) -> str:
        """The newest ``rows`` matches (archive order): what facets count when there are more."""
        return f"{escape_sqlite(self.fts_pk)} in ({self.matches(f' order by rowid desc limit {rows}')})"

    def large_forms(self, walk_max: int) -> list[str]:
        """The clauses ``clause`` writes for more than PROBE_MAX matches."""
        return [self.clause(PROBE_MAX + 1, walk_max), self.clause(walk_max + 1, walk_max)]

    def clause(self, count: int, walk_max: int) -> str:
        pk = escape_sqlite(self.fts_pk)
        if count <= PROBE_MAX:
            return f"{pk} in ({self.matches()})"
        if count <= walk_max:
            return f"+{pk} in ({self.matches()})"
        return f"exists ({self.matches(f' and rowid = {escape_sqlite(self.table)}.{pk}')})"


def searches(
    request: Any, table: str, config: dict[str, str]
) -> tuple[list[tuple[Search, str]], dict[str, str]]:
    """The page's searches (Datasette's rules: ``_search``, else each ``_search_<column>``)."""
    args = {key: request.args[key] for key in request.args if key.startswith("_search")}
    args.pop("_searchmode", None)
    raw = (request.args.get("_searchmode") or config.get("searchmode")) == "raw"
    fts_table, fts_pk = config["fts_table"], config.get("fts_pk", "rowid")
    if "_search" in args:
        args = {"_search": args["_search"]}
    found, params = [], {}
    for i, (key, text) in enumerate(args.items()):
        param = "search" if key == "_search" else f"search_{i}"
        target = fts_table if key == "_search" else key.split("_search_", 1)[1]
        argument = f":{param}" if raw else f"vn_match(:{param})"
        found.append((Search(table, fts_table, fts_pk, target, argument, param), text))
        params[param] = text
    return found, params


async def match_count(datasette: Any, database: str, search: Search, params: dict[str, str]) -> int:
    """How many articles ``search`` matches, counted up to the archive's walk bound (cached per
    database state). A raw query that is not valid FTS5 counts 0: the page then shows SQLite's error."""
    db = datasette.get_database(database)
    bound = await walk_max(datasette, database)
    sql = f"select count(*) from ({search.matches(f' limit {bound + 1}')})"
    key = (database, database_state(db.path), sql, params.get(search.param))
    with _lock:
        if key in _counts:
            _counts.move_to_end(key)
            return _counts[key]
    try:
        count = int((await db.execute(sql, {search.param: params[search.param]})).rows[0][0])
    except Exception:  # an invalid raw query: Datasette reports it on the page
        return 0
    with _lock:
        _counts[key] = count
        while len(_counts) > COUNT_CACHE_ENTRIES:
            _counts.popitem(last=False)
    return count


async def walk_max(datasette: Any, database: str) -> int:
    """WALK_MAX_SHARE of the archive (its highest doc_id: one index step), once per database state."""
    db = datasette.get_database(database)
    key = (database, database_state(db.path), "walk_max")
    with _lock:
        if key in _counts:
            return _counts[key]
    try:
        top = (await db.execute("select max(doc_id) from articles")).rows[0][0] or 0
    except Exception:  # a database without our articles table
        top = 0
    bound = max(WALK_MAX_MIN, int(top * WALK_MAX_SHARE))
    with _lock:
        _counts[key] = bound
    return bound


async def filters(request: Any, database: str, table: str, datasette: Any) -> FilterArguments | None:
    config = table_config(datasette, database, table)
    if config is None:
        return None
    db = datasette.get_database(database)
    found, params = searches(request, table, config)
    clauses, descriptions = [], []
    bound = await walk_max(datasette, database)
    for search, text in found:
        if search.target != config["fts_table"] and search.target not in await db.table_columns(
            config["fts_table"]
        ):
            raise BadRequest("Cannot search by that column")
        count = await match_count(datasette, database, search, params)
        clauses.append(search.clause(count, bound))
        where = "search" if search.param == "search" else f'search column "{search.target}"'
        description = f'{where} matches "{text}"'
        if count > PROBE_MAX:
            amount = f"more than {bound:,}" if count > bound else f"{count:,}"
            description += f" ({amount} articles)"
        descriptions.append(description)
    context: dict[str, Any] = {"supports_search": True}
    if found:
        context["search"] = found[-1][1]
    return FilterArguments(clauses, params, descriptions, context)


def _page(path: str, datasette: Any) -> tuple[str, str] | None:
    """(database, table) of a table page path such as /news/articles or /news/articles.json."""
    parts = path.strip("/").split("/")
    if len(parts) != 2:
        return None
    database = tilde_decode(parts[0])
    table = tilde_decode(parts[1].rsplit(".", 1)[0] if "." in parts[1] else parts[1])
    if database not in datasette.databases:
        return None
    return database, table


def skip_costly_counts(app: Any, datasette: Any) -> Any:
    """ASGI middleware: a search of a configured table with more than PROBE_MAX matches gets
    ``_nocount=1`` before Datasette reads the request, so Datasette does not count every match (the
    description states the number instead, see ``filters``)."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and b"_search" in scope.get("query_string", b""):
            scope = await _with_nocount(scope, datasette)
        await app(scope, receive, send)

    return wrapped


async def _with_nocount(scope: dict[str, Any], datasette: Any) -> dict[str, Any]:
    page = _page(scope.get("path", ""), datasette)
    if page is None:
        return scope
    config = table_config(datasette, *page)
    if config is None:
        return scope
    pairs = parse_qsl(scope["query_string"].decode("ascii", "replace"), keep_blank_values=True)
    if any(key == "_nocount" for key, _ in pairs):
        return scope

    class Args:
        def __init__(self) -> None:
            self.args = _MultiDict(pairs)

    found, params = searches(Args(), page[1], config)
    for search, _text in found:
        if await match_count(datasette, page[0], search, params) > PROBE_MAX:
            return {**scope, "query_string": scope["query_string"] + b"&_nocount=1"}
    return scope


class _MultiDict(dict[str, str]):
    """The one-value view of a query string that ``searches`` reads (``request.args``-like)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__()
        for key, value in pairs:
            self.setdefault(key, value)
