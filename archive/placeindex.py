"""The ``article_places`` index: the places each article mentions, kept current by content hash.

Like the near-duplicate index (archive/neardup.py), ``update`` tags only articles that are new or whose
``content_hash`` changed since they were tagged, so it runs at the end of every crawl, import and
reparse and the archive is never out of date. A new gazetteer (a ``vietnamadminunits`` release) or new
matching rules change ``version()``, and every article is tagged again by the next update.
"""

from __future__ import annotations

import importlib.metadata
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from archive import gazetteer, places
from archive.db import immediate
from extraction import publishers

# Articles tagged per transaction: bounded memory, and a long update does not block writers for long.
BATCH = 500


def version() -> str:
    """The gazetteer and rules an article was tagged with (cheap: reads no data)."""
    return (
        f"{gazetteer.PACKAGE} {importlib.metadata.version(gazetteer.PACKAGE)}; rules {places.RULES_VERSION}"
    )


@dataclass
class UpdateResult:
    indexed: int = 0
    places: int = 0


def _pending(conn: sqlite3.Connection, current: str) -> Iterator[list[tuple[Any, ...]]]:
    keys = [
        row[0]
        for row in conn.execute(
            """SELECT a.id FROM articles a LEFT JOIN article_places_indexed i ON i.article_id = a.id
               WHERE i.article_id IS NULL OR i.content_hash != a.content_hash OR i.gazetteer != ?""",
            (current,),
        )
    ]
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        marks = ", ".join("?" * len(chunk))
        yield conn.execute(
            f"""SELECT id, content_hash, publisher, published_at, title, lead, text
                FROM articles WHERE id IN ({marks})""",
            chunk,
        ).fetchall()


def _fill_places(conn: sqlite3.Connection, gaz: gazetteer.Gazetteer) -> None:
    conn.execute("DELETE FROM places")
    conn.executemany(
        """INSERT INTO places (place_id, name, full_name, level, unit_type, era, province, old_province,
               district, lat, lon, successor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (p.id, p.name, p.full_name, p.level, p.unit_type, p.era, p.province, p.old_province,
             p.district, p.lat, p.lon, p.successor_id)
            for p in gaz.places.values()
        ],
    )  # fmt: skip


def _text(title: str | None, lead: str | None, text: str | None) -> str:
    # One paragraph per line: a sentence never runs from the title into the lead.
    return "\n".join(part for part in (title, lead, text) if part)


def update(conn: sqlite3.Connection) -> UpdateResult:
    """Tag every article that is new or changed since it was last tagged (or tagged by older rules).

    ``conn`` is in autocommit mode (the archive's); each batch of ``BATCH`` articles is one transaction.
    """
    current = version()
    result = UpdateResult()
    matcher: places.Matcher | None = None
    for rows in _pending(conn, current):
        if matcher is None:  # the gazetteer is only loaded when there is something to tag
            gaz = gazetteer.load()
            matcher = places.Matcher.build(gaz)
            stale = (
                conn.execute("SELECT 1 FROM places LIMIT 1").fetchone() is None
                or conn.execute(
                    "SELECT 1 FROM article_places_indexed WHERE gazetteer != ? LIMIT 1", (current,)
                ).fetchone()
                is not None
            )
            if stale:
                with immediate(conn):
                    _fill_places(conn, gaz)
        with immediate(conn):
            for key, content_hash, publisher, published_at, title, lead, text in rows:
                spec = publishers.PUBLISHERS.get(publisher)
                home = spec.home_province if spec else None
                found = places.count(matcher.find(_text(title, lead, text), published_at, home))
                conn.execute("DELETE FROM article_places WHERE article_id = ?", (key,))
                main = places.main_place(found)
                conn.executemany(
                    """INSERT INTO article_places (article_id, place_id, name, full_name, level, era,
                           province, lat, lon, mentions, first_offset, successor_id, main)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [
                        (key, p.id, p.name, p.full_name, p.level, p.era, p.province, p.lat, p.lon,
                         mentions, first, p.successor_id, int(p.id == main))
                        for p, mentions, first in found
                    ],
                )  # fmt: skip
                conn.execute(
                    """INSERT INTO article_places_indexed (article_id, content_hash, gazetteer, places)
                       VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET
                       content_hash = excluded.content_hash, gazetteer = excluded.gazetteer,
                       places = excluded.places""",
                    (key, content_hash, current, len(found)),
                )
                result.indexed += 1
                result.places += len(found)
    return result
