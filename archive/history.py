"""An article's revision history as a timeline of captures, so captures may arrive in any order.

A crawl sees an article's captures in time order; a backfill from a web archive (or an old WARC
imported after a crawl) brings older ones later. ``Store.save`` hands every capture older than the
article's newest one to ``place_past``, which rebuilds the article's history as if the captures had
come in time order:

- the captures of an article, sorted by capture time, fall into *runs* of equal content hash;
- every run but the last is a revision (numbered 1, 2, ... in time order): its content is the run's
  first capture's, ``captured_at`` its first capture's time, ``superseded_at`` the next run's start,
  ``capture_id`` its last capture (what an in-order crawl leaves there);
- the last run is the article's current text: ``last_changed_at`` is its start, ``first_seen_at`` the
  first capture, ``last_fetched_at`` and ``capture_id`` the newest capture.

So an older capture arriving later becomes an earlier revision (or splits a run it interrupts), never
the current text. The existing history is read back from the ``revisions`` rows, the ``articles`` row
and the article's linked captures (each belongs to the run whose interval holds its time).
"""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import dataclass
from typing import Any

# The columns of a version kept in ``revisions`` (and read from ``articles`` for the current one).
VERSION_COLUMNS = (
    "title",
    "lead",
    "text",
    "authors",
    "tags",
    "section",
    "published_at",
    "modified_at",
    "content_hash",
    "paragraphs",
    "images",
    "parser",
    "source",
    "format",
)


@dataclass
class Entry:
    """One capture on the timeline: its time, content hash, row (the run's first only) and id."""

    at: str
    digest: str
    row: dict[str, Any] | None
    capture_id: int | None
    order: int  # ties at the same second keep arrival order, as an in-order crawl would


@dataclass
class Run:
    entries: list[Entry]

    @property
    def start(self) -> str:
        return self.entries[0].at

    @property
    def row(self) -> dict[str, Any]:
        for entry in self.entries:  # the earliest capture that carries a row defines the version
            if entry.row is not None:
                return entry.row
        raise AssertionError("a run without content")

    @property
    def last_capture(self) -> int | None:
        ids = [entry.capture_id for entry in self.entries if entry.capture_id is not None]
        return ids[-1] if ids else None


def _existing(conn: sqlite3.Connection, old: dict[str, Any]) -> list[Entry]:
    """The article's timeline as stored: one entry per version start, plus every linked capture."""
    key = old["id"]
    columns = ", ".join(VERSION_COLUMNS)
    cursor = conn.execute(
        f"SELECT {columns}, captured_at, capture_id FROM revisions WHERE article_id = ?"
        " ORDER BY captured_at, revision",
        (key,),
    )
    versions: list[tuple[str, dict[str, Any], int | None]] = []
    for values in cursor.fetchall():
        row = dict(zip(VERSION_COLUMNS, values[: len(VERSION_COLUMNS)], strict=True))
        versions.append((values[-2], row, values[-1]))
    current = {name: old.get(name) for name in VERSION_COLUMNS}
    versions.append((old["last_changed_at"], current, None))
    starts = [start for start, _row, _capture in versions]
    entries: list[Entry] = []
    for index, (start, row, capture_id) in enumerate(versions):
        entries.append(Entry(start, row["content_hash"], row, None, 0))
        if capture_id is not None and index < len(versions) - 1:
            # The revision's last capture, in case it is not linked (rows written before captures were).
            entries.append(Entry(start, row["content_hash"], None, capture_id, 1))
    entries.append(Entry(old["last_fetched_at"], old["content_hash"], None, old["capture_id"], 2))
    captures = conn.execute(
        "SELECT fetched_at, id FROM captures WHERE article_id = ? ORDER BY fetched_at, id", (key,)
    ).fetchall()
    for at, capture_id in captures:
        # The capture belongs to the last version that started at or before it.
        owner = max((i for i, start in enumerate(starts) if start <= at), default=0)
        entries.append(Entry(at, versions[owner][1]["content_hash"], None, capture_id, 3))
    return entries


def _runs(entries: list[Entry]) -> list[Run]:
    ordered = sorted(entries, key=lambda e: (e.at, e.order))
    # A capture id known twice (a revision's capture_id that is also a linked capture, or the article's
    # capture_id) counts at its latest place: the linked capture's own time.
    last = {e.capture_id: i for i, e in enumerate(ordered) if e.capture_id is not None}
    ordered = [
        e if e.capture_id is None or last[e.capture_id] == i else Entry(e.at, e.digest, e.row, None, e.order)
        for i, e in enumerate(ordered)
    ]
    runs: list[Run] = []
    for entry in ordered:
        if runs and runs[-1].entries[-1].digest == entry.digest:
            runs[-1].entries.append(entry)
        else:
            runs.append(Run([entry]))
    # A run split off by a capture that interrupted it holds only the stored version's later captures:
    # its content is that version's (same content hash; the row is stored once per version).
    rows = {e.digest: e.row for e in reversed(ordered) if e.row is not None}
    for run in runs:
        if all(e.row is None for e in run.entries):
            first = run.entries[0]
            run.entries[0] = Entry(first.at, first.digest, rows[first.digest], first.capture_id, first.order)
    return runs


def place_past(
    conn: sqlite3.Connection,
    old: dict[str, Any],
    row: dict[str, Any],
    fetched_at: str,
    capture_id: int | None,
    write_current: Any,
) -> str:
    """Put a capture older than the article's newest one into its history; new history rows, same
    current text. ``write_current(row)`` rewrites the articles row's content (and its satellites) when
    the current version's first capture is now this one. Returns ``changed`` when the capture made or
    split a version, else ``unchanged``."""
    entries = _existing(conn, old)
    before = len(_runs(entries))
    arrival = max(entry.order for entry in entries) + 1
    entries.append(Entry(fetched_at, row["content_hash"], row, capture_id, arrival))
    runs = _runs(entries)
    current = runs[-1]
    key = old["id"]
    conn.execute("DELETE FROM revisions WHERE article_id = ?", (key,))
    for number, (run, following) in enumerate(itertools.pairwise(runs), start=1):
        version = run.row
        columns = ", ".join(VERSION_COLUMNS)
        marks = ", ".join("?" * len(VERSION_COLUMNS))
        conn.execute(
            f"""INSERT INTO revisions (article_id, revision, {columns}, captured_at, superseded_at,
                    capture_id) VALUES (?, ?, {marks}, ?, ?, ?)""",
            (
                key,
                number,
                *(version.get(name) for name in VERSION_COLUMNS[:-1]),
                version.get("format") or "article",
                run.start,
                following.start,
                run.last_capture,
            ),
        )
    if current.row is row:
        write_current(row)
    conn.execute(
        """UPDATE articles SET first_seen_at = ?, last_fetched_at = ?, last_changed_at = ?,
               revision_count = ?, capture_id = ? WHERE id = ?""",
        (
            runs[0].start,
            current.entries[-1].at,
            current.start,
            len(runs) - 1,
            current.last_capture if current.last_capture is not None else old["capture_id"],
            key,
        ),
    )
    return "changed" if len(runs) > before else "unchanged"
