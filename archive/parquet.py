"""Parquet datasets: the export's rows as typed columns (zstd), one file or a folder partitioned by
publisher and year, with a dataset card, laid out for pandas, DuckDB and Hugging Face ``datasets``.

Rows stream from the archive in Arrow batches, so memory stays bounded at any archive size. The
output is written under a temporary name beside the target and renamed into place only when complete:
a failed export never leaves half a dataset where a good one is expected.
"""

from __future__ import annotations

import io
import os
import queue
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.export import FIELDS, Filters

# Rows per record batch: about 10-20 MB of article text, few enough writes to keep the rate high.
BATCH_ROWS = 2_000
# Row groups of this many rows let readers skip by publisher/date without reading whole files.
ROW_GROUP_ROWS = 50_000
COMPRESSION = "zstd"
# Batches read but not yet written. Reading (SQLite, Arrow conversion) stays on the caller's thread,
# which owns the connection; compressing and writing run on one writer thread and release the GIL, so
# the two overlap on a second core. Two batches bound the memory held between them (~20-40 MB).
PIPELINE_DEPTH = 2
_END = object()
# Dictionary encoding pays for columns of few distinct values; on article text it is tried and dropped,
# which costs time on every page, so only these columns use it.
DICTIONARY_COLUMNS = [
    "publisher",
    "id_scheme",
    "section",
    "language",
    "parser",
    "format",
    "source",
    "published_month",
]


def _writer(path: Any, schema: Any) -> Any:
    import pyarrow.parquet as pq

    return pq.ParquetWriter(path, schema, compression=COMPRESSION, use_dictionary=DICTIONARY_COLUMNS)


_INT_FIELDS = ("word_count", "revision_count", "capture_id")
_LIST_FIELDS = ("authors", "tags", "paragraphs")
_JSON_FIELDS = ("authors", "tags", "images", "paragraphs")  # stored as JSON text in the archive


def arrow_schema() -> Any:
    """The dataset's columns: the export fields, lists as lists, images as structs, times as ISO text
    with +07:00 (exactly as stored; DuckDB and pandas parse them with one cast)."""
    import pyarrow as pa

    image = pa.struct([("url", pa.string()), ("caption", pa.string()), ("credit", pa.string())])
    columns = []
    for name in FIELDS:
        if name in _LIST_FIELDS:
            kind = pa.list_(pa.string())
        elif name == "images":
            kind = pa.list_(image)
        elif name in _INT_FIELDS:
            kind = pa.int64()
        else:
            kind = pa.string()
        columns.append(pa.field(name, kind))
    return pa.schema(columns)


@dataclass
class DatasetSummary:
    """What the card reports: counts, date range, files."""

    rows: int = 0
    first_published: str | None = None
    last_published: str | None = None
    per_publisher: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def add(self, table: Any) -> None:
        import pyarrow.compute as pc

        self.rows += table.num_rows
        for item in pc.value_counts(table.column("publisher")).to_pylist():
            self.per_publisher[item["values"]] = self.per_publisher.get(item["values"], 0) + item["counts"]
        bounds = pc.min_max(table.column("published_at")).as_py()
        if bounds["min"] is not None:
            self.first_published = min(filter(None, (self.first_published, bounds["min"])))
            self.last_published = max(filter(None, (self.last_published, bounds["max"])))


def tables(conn: sqlite3.Connection, filters: Filters, size: int = BATCH_ROWS) -> Iterator[Any]:
    """The export's rows, oldest first, as Arrow tables of ``size`` rows.

    Columnar all the way: scalar columns go from the cursor into Arrow arrays, and the four JSON list
    columns are parsed by Arrow's C JSON reader as one newline-delimited document per batch, instead
    of one ``json.loads`` per cell (the export's per-row path is 2-3 times slower).
    """
    import pyarrow as pa
    import pyarrow.json as pj

    schema = arrow_schema()
    list_schema = pa.schema([schema.field(name) for name in _JSON_FIELDS])
    where, params = filters.where()
    scalars = [name for name in FIELDS if name not in _JSON_FIELDS]
    # SQLite writes each row's four lists as one JSON line (C string concatenation), so Python handles
    # one string per row for them instead of four, and never parses JSON itself.
    cells = (f"'\"{name}\":' || coalesce(nullif(a.{name}, ''), '[]')" for name in _JSON_FIELDS)
    line = " || ',' || ".join(cells)
    columns = ", ".join([f"a.{name}" for name in scalars] + [f"'{{' || {line} || '}}'"])
    cursor = conn.execute(f"SELECT {columns} FROM articles a{where} ORDER BY a.published_at, a.id", params)
    while rows := cursor.fetchmany(size):
        values = list(zip(*rows, strict=True))  # column-wise, transposed in C
        lines = "\n".join(values[-1]).encode("utf-8")
        lists = pj.read_json(
            io.BytesIO(lines),
            read_options=pj.ReadOptions(use_threads=False, block_size=max(1 << 20, len(lines) * 4)),
            parse_options=pj.ParseOptions(explicit_schema=list_schema),
        )
        by_name = dict(zip(scalars, values, strict=False))
        arrays = [
            lists.column(name).combine_chunks()
            if name in _JSON_FIELDS
            else pa.array(by_name[name], type=schema.field(name).type)
            for name in FIELDS
        ]
        yield pa.Table.from_arrays(arrays, schema=schema)


def _partitions(table: Any) -> Iterator[tuple[tuple[str, str], Any]]:
    """(publisher, year) and the rows of ``table`` in that partition ("unknown" year when undated)."""
    import pyarrow.compute as pc

    years = pc.fill_null(pc.utf8_slice_codeunits(table.column("published_at"), 0, 4), "unknown")
    keyed = table.append_column("_year", years)
    for item in pc.unique(pc.binary_join_element_wise(table.column("publisher"), years, "\x1f")).to_pylist():
        publisher, year = item.split("\x1f")
        mask = pc.and_(pc.equal(table.column("publisher"), publisher), pc.equal(years, year))
        yield (publisher, year), keyed.filter(mask).drop_columns(["_year"])


class _Writers:
    """Open ParquetWriters by partition; years arrive in order, so a finished year is closed at once."""

    def __init__(self, root: Path, schema: Any) -> None:
        self.root, self.schema = root, schema
        self.open: dict[tuple[str, str], Any] = {}
        self.paths: list[str] = []

    def write(self, key: tuple[str, str], table: Any) -> None:

        writer = self.open.get(key)
        if writer is None:
            folder = self.root / f"publisher={key[0]}" / f"year={key[1]}"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / "part-0.parquet"
            writer = _writer(path, self.schema)
            self.open[key] = writer
            self.paths.append(str(path.relative_to(self.root)))
        writer.write_table(table, row_group_size=ROW_GROUP_ROWS)

    def close_before(self, year: str) -> None:
        for key in [key for key in self.open if key[1] < year and key[1] != "unknown"]:
            self.open.pop(key).close()

    def close(self) -> None:
        for writer in self.open.values():
            writer.close()
        self.open.clear()


def pipelined(batches: Iterable[Any], consume: Callable[[Any], None], depth: int = PIPELINE_DEPTH) -> None:
    """``consume(batch)`` for every batch, on one writer thread, while this thread reads the next ones.

    At most ``depth`` batches wait between the two. The first error of ``consume`` stops the reading
    and is raised here; an error while reading stops the writer. The thread always ends before this
    returns.
    """
    waiting: queue.Queue[Any] = queue.Queue(maxsize=depth)
    failure: list[BaseException] = []

    def write_all() -> None:
        while (batch := waiting.get()) is not _END:
            if failure:
                continue  # keep draining so the reader is never blocked on a dead writer
            try:
                consume(batch)
            except BaseException as error:  # raised again on the caller's thread
                failure.append(error)

    writer = threading.Thread(target=write_all, name="parquet-writer", daemon=True)
    writer.start()
    try:
        for batch in batches:
            if failure:
                break
            waiting.put(batch)
    finally:
        waiting.put(_END)
        writer.join()
    if failure:
        raise failure[0]


def write_file(batches: Iterable[Any], target: Path, progress: Any = None) -> DatasetSummary:
    """One Parquet file at ``target`` (via a temporary file renamed into place)."""

    summary = DatasetSummary(files=[target.name])
    partial = target.with_name(f".{target.name}.partial")
    try:
        with _writer(partial, arrow_schema()) as writer:

            def write(table: Any) -> None:
                summary.add(table)
                writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
                if progress is not None:
                    progress(table.num_rows)

            pipelined(batches, write)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def write_partitioned(batches: Iterable[Any], target: Path, progress: Any = None) -> DatasetSummary:
    """A folder ``target/publisher=P/year=Y/part-0.parquet`` (hive layout), built beside it and renamed.

    ``batches`` must come oldest first (the export's order), so each year's files close as soon as the
    next year starts. The ``publisher`` column stays in the files, so readers that ignore the folder
    names (Hugging Face ``datasets``) still have it.
    """
    summary = DatasetSummary()
    partial = target.with_name(f".{target.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    writers = _Writers(partial, arrow_schema())

    def write(table: Any) -> None:
        summary.add(table)
        keys = []
        for key, rows in _partitions(table):
            writers.write(key, rows)
            keys.append(key)
        if keys:
            writers.close_before(max(key[1] for key in keys))
        if progress is not None:
            progress(table.num_rows)

    try:
        pipelined(batches, write)
        writers.close()
        summary.files = sorted(writers.paths)
        write_card(summary, partial / "README.md", partitioned=True)
        os.replace(partial, target)
    finally:
        writers.close()
        shutil.rmtree(partial, ignore_errors=True)
    return summary


def card_text(summary: DatasetSummary, partitioned: bool, data_files: str) -> str:
    """A Hugging Face dataset card: YAML header naming the data files, then fields, counts and licence."""
    publishers = "\n".join(f"| {name} | {count:,} |" for name, count in sorted(summary.per_publisher.items()))
    fields = "\n".join(f"- `{name}`" for name in FIELDS)
    layout = (
        "Files are partitioned Hive-style by publisher and year of publication "
        "(`publisher=NAME/year=YYYY/part-0.parquet`); every file also holds the `publisher` column."
        if partitioned
        else "One Parquet file."
    )
    return f"""---
license: other
language:
- vi
pretty_name: vnnews archive export
configs:
- config_name: default
  data_files: "{data_files}"
---

# vnnews archive export

Vietnamese news articles exported by [vnnews](https://github.com/) from its archive: clean text and
metadata as the archive holds them. {layout} Compression: {COMPRESSION}.

- Rows: {summary.rows:,}
- Published from {summary.first_published or "?"} to {summary.last_published or "?"} (ISO 8601, +07:00)

| publisher | articles |
|---|---|
{publishers}

## Fields

The article.schema.json fields, then the archive's own (see docs/archive.md of vnnews). `authors`,
`tags` and `paragraphs` are lists of strings; `images` is a list of `{{url, caption, credit}}`; times
are ISO 8601 text with the +07:00 offset (Asia/Ho_Chi_Minh).

{fields}

## Loading

```python
import pandas as pd
df = pd.read_parquet("THIS_FOLDER_OR_FILE")

import duckdb
duckdb.sql("select publisher, count(*) from read_parquet('{data_files}', hive_partitioning=false) group by 1")

from datasets import load_dataset
ds = load_dataset("parquet", data_files="{data_files}")
```

## Licence

The texts and images belong to their publishers; this export is for research. vnnews's code and the
structure of the data are Apache-2.0.
"""


def write_card(summary: DatasetSummary, path: Path, partitioned: bool) -> None:
    data_files = (
        "publisher=*/year=*/*.parquet" if partitioned else (summary.files[0] if summary.files else "")
    )
    path.write_text(card_text(summary, partitioned, data_files), encoding="utf-8")
