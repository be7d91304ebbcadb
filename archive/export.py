"""Streaming exports (CSV, JSON, JSON Lines) in constant memory: rows go from a cursor to the file.

Fields: the article.schema.json fields, then the archive's own (docs/archive.md lists them all).
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TextIO

from archive.search import match_expression
from extraction.article import ARTICLE_FIELDS

SCHEMA_FIELDS = ARTICLE_FIELDS
ARCHIVE_FIELDS = (
    "id",
    "id_scheme",
    "published_month",
    "word_count",
    "content_hash",
    "first_seen_at",
    "last_fetched_at",
    "last_changed_at",
    "revision_count",
    "capture_id",
    "withdrawn_at",
)
FIELDS = SCHEMA_FIELDS + ARCHIVE_FIELDS
JSON_FIELDS = ("authors", "tags", "images", "paragraphs")
FORMATS = ("csv", "json", "jsonl")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_day(value: str) -> date:
    """DD/MM/YYYY (day first, as Vietnamese dates are written) or ISO YYYY-MM-DD."""
    text = value.strip()
    day_first = _DAY_FIRST.match(text)
    iso = _ISO_DAY.match(text)
    try:
        if day_first:
            return date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass
    raise ValueError(f"not a date: {value!r} (use DD/MM/YYYY or YYYY-MM-DD)")


@dataclass
class Filters:
    since: date | None = None
    until: date | None = None  # inclusive: the whole day
    section: str | None = None
    search: str | None = None
    # Keep one article per near-duplicate group (the group's earliest-published member).
    one_per_group: bool = False
    publisher: str | None = None  # a publisher key (baonghean)

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            clauses.append("a.published_at >= ?")
            params.append(self.since.isoformat())
        if self.until:
            clauses.append("a.published_at < ?")
            params.append((self.until + timedelta(days=1)).isoformat())
        if self.section:
            clauses.append("a.section = ?")
            params.append(self.section)
        if self.publisher:
            clauses.append("a.publisher = ?")
            params.append(self.publisher)
        if self.search is not None:
            expression = match_expression(self.search)
            if expression is None:
                clauses.append("0")
            else:
                clauses.append("a.doc_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
                params.append(expression)
        if self.one_per_group:
            clauses.append(
                "a.id NOT IN (SELECT article_id FROM near_duplicates WHERE article_id != group_id)"
            )
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def count(conn: sqlite3.Connection, filters: Filters) -> int:
    where, params = filters.where()
    return int(conn.execute(f"SELECT count(*) FROM articles a{where}", params).fetchone()[0])


def rows(conn: sqlite3.Connection, filters: Filters) -> Iterator[dict[str, Any]]:
    """Matching articles oldest first, decoded (lists as lists), one at a time from the cursor."""
    where, params = filters.where()
    columns = ", ".join(f"a.{name}" for name in FIELDS if name != "text")
    cursor = conn.execute(
        f"SELECT {columns}, a.text FROM articles a{where} ORDER BY a.published_at, a.id", params
    )
    names = [c[0] for c in cursor.description]
    for values in cursor:
        yield record(dict(zip(names, values, strict=True)))


def record(row: dict[str, Any]) -> dict[str, Any]:
    """An ``articles`` row (FIELDS, JSON lists as stored) as an export record, lists decoded."""
    decoded = {name: row[name] for name in FIELDS}
    for name in JSON_FIELDS:
        decoded[name] = json.loads(row[name]) if row[name] else []
    return decoded


def csv_row(record: dict[str, Any]) -> list[Any]:
    """One CSV line's cells: authors and tags joined by "; ", images and paragraphs as JSON.
    The web export (vnnews/web/plugin/webexport.py) writes its rows with this too."""
    return [csv_cell(name, record[name]) for name in FIELDS]


def csv_cell(name: str, value: Any) -> Any:
    if name in ("authors", "tags"):
        return "; ".join(value)
    if name in ("images", "paragraphs"):
        return json.dumps(value, ensure_ascii=False)
    return value


def write(records: Iterator[dict[str, Any]], out: TextIO, fmt: str, bom: bool = False) -> int:
    """Write ``records`` as ``fmt``; returns how many. ``bom`` starts the file with U+FEFF for Excel."""
    if bom:
        out.write("\ufeff")
    written = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(FIELDS)
        for record in records:
            writer.writerow(csv_row(record))
            written += 1
    elif fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    elif fmt == "json":
        out.write("[")
        for record in records:
            out.write(("\n" if written == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
            written += 1
        out.write("\n]\n" if written else "]\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return written
