"""Facets that stay fast on a million articles (docs/performance.md, docs/datasette.md "Facets").

Datasette's own facets count every row the page matches, one query per facet: its array facet selects
every column of every row through ``json_each``, so at 200,000 articles a search page spent 0.6-1.2 s in
facets, and at a million each facet hits the facet time limit. The ``vn`` facets
(``{"vn": "section"}``, ``{"vn": {"array": "authors"}}`` in metadata) count:

- the whole table (no search, no filter): exactly, per column (arrays from their indexed satellite
  tables, ``article_authors``, ``article_tags``), once per state of the database file; the result is
  kept in this process until the file or its WAL changes;
- a search or filter matching at most FACET_SCAN_ROWS rows: exactly, all facets from one query;
- a larger one: over FACET_SCAN_ROWS of its rows (for a search: its newest matches in archive order),
  and the facet says so: ``"sample": true`` and ``"counted_rows"`` in JSON, each count "at least".

Clicking a value filters as Datasette's facets do (``section=...``, ``authors__arraycontains=...``).
"""

from __future__ import annotations

import collections
import json
import threading
import time
from collections import Counter
from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from vnnews.web.plugin import search

# Rows the facets of one filtered page count together. 2,000 rows are one query of ~10-20 ms at a
# million articles; counting all of a common word's 300,000 matches took seconds. Equal to the
# search's PROBE_MAX, so every search Datasette counts exactly gets exact facets too.
FACET_SCAN_ROWS = search.PROBE_MAX
# Whole-table counts read every row of an index (~1-2 s for all five at a million articles), so they
# are kept: until the database changes, and while a crawl writes, for this long at least, so a live
# archive pays for them once a minute, not on every page. The counts then lag the crawl by that much.
WHOLE_TABLE_MAX_AGE_SECONDS = 60.0
CACHE_ENTRIES = 256  # facet results kept per process (each a few dozen values)
# Array columns of the archive whose values also live one per row in an indexed table.
ARRAY_TABLES = {
    ("articles", "authors"): ("article_authors", "author"),
    ("articles", "tags"): ("article_tags", "tag"),
}

_cache: collections.OrderedDict[tuple[Any, ...], Any] = collections.OrderedDict()
_lock = threading.Lock()


def _cached(key: tuple[Any, ...]) -> Any:
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def _remember(key: tuple[Any, ...], value: Any) -> None:
    with _lock:
        _cache[key] = value
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)


def _column(config: dict[str, Any]) -> tuple[str, bool]:
    if "array" in config:
        return str(config["array"]), True
    return str(config.get("column") or config["simple"]), False


def _array_values(value: Any) -> list[str]:
    try:
        items = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return []
    # One count per row even when a value repeats within it, as Datasette's array facet does.
    return (
        list(dict.fromkeys(item for item in items if isinstance(item, str)))
        if isinstance(items, list)
        else []
    )


class BoundedFacet(Facet):
    type = "vn"

    def _filtered(self) -> bool:
        return " where " in self.sql

    async def _whole_table(self, column: str, array: bool, limit: int, state: Any) -> list[tuple[Any, int]]:
        satellite = ARRAY_TABLES.get((self.table, column)) if array else None
        if satellite is not None:
            table, value = satellite
            # count(*) over the value's index, not count(distinct article): 10x cheaper, and the
            # extractor never lists a name twice in one article.
            sql = (
                f"select {value} as value, count(*) as count from {table} "
                f"group by {value} order by count desc, value limit {limit}"
            )
        elif array:
            sql = (
                f"select j.value as value, count(*) as count from [{self.table}], "
                f"json_each(case when json_valid({escape_sqlite(column)}) then {escape_sqlite(column)} "
                "else '[]' end) j where j.type = 'text' "
                f"group by j.value order by count desc, value limit {limit}"
            )
        else:
            col = escape_sqlite(column)
            sql = (
                f"select {col} as value, count(*) as count from [{self.table}] where {col} is not null "
                f"group by {col} order by count desc, value limit {limit}"
            )
        key = (self.database, sql)
        now = time.monotonic()
        found = _cached(key)
        if found is not None and (found[0] == state or now - found[1] < WHOLE_TABLE_MAX_AGE_SECONDS):
            return list(found[2])
        # Datasette caps any query at sql_time_limit_ms; a whole-table count is worth all of it.
        result = await self.ds.execute(
            self.database, sql, [], truncate=False, custom_time_limit=self.ds.setting("sql_time_limit_ms")
        )
        rows = [(row["value"], int(row["count"])) for row in result.rows]
        _remember(key, (state, now, rows))
        return rows

    async def _sampled_sql(self) -> tuple[str, bool]:
        """The page's SQL with a large search's clause replaced by its newest FACET_SCAN_ROWS matches
        (the walking forms would visit many rows, or ask the FTS index row by row, to find them), and
        whether it was: the counts are then a sample even when other filters leave few rows."""
        sql = self.sql
        config = search.table_config(self.ds, self.database, self.table) if self.table else None
        if config is None:
            return sql, False
        bound = await search.walk_max(self.ds, self.database)
        for found, _text in search.searches(self.request, self.table, config)[0]:
            for form in found.large_forms(bound):
                sql = sql.replace(form, found.sample(FACET_SCAN_ROWS + 1))
        return sql, sql != self.sql

    async def _filtered_counts(
        self, columns: list[tuple[str, bool]], state: Any
    ) -> tuple[dict[str, Counter[Any]], int, bool]:
        picked = ", ".join(f"{escape_sqlite(column)}" for column, _ in columns)
        rows_sql, sampled = await self._sampled_sql()
        sql = f"select {picked} from ({rows_sql}) limit {FACET_SCAN_ROWS + 1}"
        key = (self.database, state, sql, repr(self.params))
        found = _cached(key)
        if found is None:
            result = await self.ds.execute(
                self.database,
                sql,
                self.params,
                truncate=False,
                custom_time_limit=self.ds.setting("facet_time_limit_ms"),
            )
            counts: dict[str, Counter[Any]] = {column: Counter() for column, _ in columns}
            for row in result.rows[:FACET_SCAN_ROWS]:  # the one more only tells that there are more
                for index, (column, array) in enumerate(columns):
                    value = row[index]
                    if array:
                        counts[column].update(_array_values(value))
                    elif value is not None:
                        counts[column][value] += 1
            found = (counts, len(result.rows), sampled or len(result.rows) > FACET_SCAN_ROWS)
            _remember(key, found)
        return found

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        configs = [(c, _column(c["config"])) for c in self.get_configs()]
        if not configs:
            return [], []
        facet_size = self.get_facet_size()
        state = search.database_state(self.ds.get_database(self.database).path)
        columns = [column for _, column in configs]
        try:
            if self._filtered():
                counts, scanned, sample = await self._filtered_counts(columns, state)
                rows_by_column = {
                    column: sorted(counts[column].items(), key=lambda item: (-item[1], str(item[0])))
                    for column, _ in columns
                }
            else:
                scanned, sample = None, False
                rows_by_column = {
                    column: await self._whole_table(column, array, facet_size + 1, state)
                    for column, array in columns
                }
        except QueryInterrupted:
            return [], [column for column, _ in columns]
        results = []
        for source_and_config, (column, array) in configs:
            rows = rows_by_column[column]
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {f"_facet_{self.type}": column})
                    ),
                    "results": self._values(column, array, rows[:facet_size]),
                    "truncated": len(rows) > facet_size,
                    # Counted over the first FACET_SCAN_ROWS matching rows only: each count is "at least".
                    "sample": sample,
                    "counted_rows": min(scanned, FACET_SCAN_ROWS) if scanned is not None else None,
                }
            )
        return results, []

    def _values(self, column: str, array: bool, rows: list[tuple[Any, int]]) -> list[dict[str, Any]]:
        selection = (
            f"{column}__arraycontains"
            if array
            else (f"{column}__exact" if column.startswith("_") else column)
        )
        pairs = self.get_querystring_pairs()
        # Datasette's URL helpers read the merged metadata on every call (~0.3 ms each, 150 links a
        # page): the page's absolute root is worked out once and each link appended to it.
        root = self.ds.absolute_url(self.request, self.ds.urls.path("/"))
        values = []
        for value, count in rows:
            selected = (selection, str(value)) in pairs
            change = path_with_removed_args if selected else path_with_added_args
            values.append(
                {
                    "value": value,
                    "label": value,
                    "count": count,
                    "toggle_url": root + change(self.request, {selection: str(value)}).lstrip("/"),
                    "selected": selected,
                }
            )
        return values
