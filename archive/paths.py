"""What a database path on the command line is, decided once for every command (the house rules in
docs/architecture.md): a vnnews archive is opened; anything else is refused with one line, exit 2,
and left byte-identical.

A vnnews archive is recognised by its migration history: every archive any vnnews version created
has a ``_sqlite_migrations`` table with rows of the migration set ``vnnews.archive``, written in the
same transaction as the first tables. That marker needs no schema change (older archives are
recognised as they are) and no other program writes it; our table names alone (``articles``,
``runs``) are common words another project could use.
"""

from __future__ import annotations

import enum
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from archive.db import (
    BUSY_TIMEOUT_MS,
    ArchiveError,
    UnusableDatabaseError,
    readonly_uri,
    translate_sqlite_error,
)

SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite 3 database file
MIGRATION_SET = "vnnews.archive"  # archive.schema.migrations' name; the marker of our archives
TABLES_NAMED = 3  # a foreign database's message names this many of its tables, enough to recognise it


class PathKind(enum.Enum):
    MISSING = "missing"
    DIRECTORY = "directory"
    EMPTY = "empty file"
    NOT_SQLITE = "not an SQLite database"
    FOREIGN = "SQLite database, not a vnnews archive"
    ARCHIVE = "vnnews archive"


@dataclass(frozen=True)
class Classified:
    kind: PathKind
    detail: str = ""  # the foreign database's tables, or why the file is not SQLite


def _wal_has_data(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.is_file() and wal.stat().st_size > 0


# Archives this process holds open (by device and inode, with how many times). Reading such a file's
# header with open()/close() would be a disaster: closing any descriptor of a file drops every POSIX
# lock this process holds on it, the locks SQLite's connections rely on (sqlite.org/howtocorrupt.html,
# 2.2), so another process (an index child, a second crawl of several publishers) could then reset
# the WAL under them. A file this process opened as an archive is one: it is not read again.
_HELD: dict[tuple[int, int], int] = {}


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def hold(path: str | os.PathLike[str]) -> None:
    """``path`` is open as an archive in this process (until ``release``): ``classify`` trusts it."""
    key = _identity(Path(path))
    if key is not None:
        _HELD[key] = _HELD.get(key, 0) + 1


def release(path: str | os.PathLike[str]) -> None:
    key = _identity(Path(path))
    if key is not None and key in _HELD:
        _HELD[key] -= 1
        if not _HELD[key]:
            del _HELD[key]


def classify(path: str | os.PathLike[str]) -> Classified:
    """What ``path`` is, read without writing anything (``mode=ro``, or ``immutable=1`` where the
    file cannot be written). Raises ``ArchiveError`` (exit 1) when it cannot be read at all."""
    path = Path(path)
    if not path.exists():
        return Classified(PathKind.MISSING)
    if path.is_dir():
        return Classified(PathKind.DIRECTORY)
    if _identity(path) in _HELD:
        return Classified(PathKind.ARCHIVE)  # never open()ed here again: see _HELD
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise UnusableDatabaseError(f"cannot read {path}: {error.strerror or error}") from None
    if not head and not _wal_has_data(path):
        # A 0-byte file is refused, not adopted: it is what `touch`, a failed copy or a truncating
        # tool leaves behind, and silently turning it into an archive hides that loss.
        return Classified(PathKind.EMPTY)
    if head and head != SQLITE_MAGIC:
        return Classified(PathKind.NOT_SQLITE)
    return _classify_sqlite(path)


def _classify_sqlite(path: Path) -> Classified:
    # Without a -wal file no WAL writer is active and the main file is all there is: read it immutable,
    # which creates no -wal/-shm beside someone else's database. With one, read it like any reader.
    wal = Path(f"{path}-wal").exists()
    uri = readonly_uri(path) if wal else f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise translate_sqlite_error(error, path) from None
    try:
        tables = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        if "_sqlite_migrations" in tables:
            marked = conn.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", (MIGRATION_SET,)
            ).fetchone()
            if marked:
                return Classified(PathKind.ARCHIVE)
    except sqlite3.DatabaseError as error:
        message = str(error)
        if "not a database" in message or "malformed" in message or "encrypted" in message:
            return Classified(PathKind.NOT_SQLITE, message)
        raise translate_sqlite_error(error, path) from None
    finally:
        conn.close()
    shown = ", ".join(tables[:TABLES_NAMED]) + (", ..." if len(tables) > TABLES_NAMED else "")
    return Classified(PathKind.FOREIGN, f"tables: {shown}" if tables else "no tables")


def problem(path: str | os.PathLike[str], found: Classified, create: bool = False) -> str | None:
    """Why ``path`` cannot be used as an archive, in one line; None when it can. ``create``: a missing
    file is fine (the command creates the archive) when its folder exists."""
    kind = found.kind
    if kind is PathKind.ARCHIVE:
        return None
    if kind is PathKind.MISSING:
        folder = Path(path).parent
        if not create:
            return f"no archive at {path} (no such file)"
        if not folder.is_dir():
            return f"cannot create an archive at {path}: folder {folder} does not exist"
        return None
    if kind is PathKind.DIRECTORY:
        return f"{path} is a directory, not a vnnews archive"
    if kind is PathKind.EMPTY:
        return f"{path} is an empty file, not a vnnews archive (remove it to start a new archive there)"
    if kind is PathKind.NOT_SQLITE:
        why = f": {found.detail}" if found.detail else ""
        return f"{path} is not a vnnews archive (not an SQLite database{why})"
    return f"{path} is not a vnnews archive (an SQLite database with {found.detail}); left untouched"


def require_archive(path: str | os.PathLike[str], create: bool = False) -> PathKind:
    """The one guard every command runs before opening a database; raises UnusableDatabaseError."""
    found = classify(path)
    reason = problem(path, found, create)
    if reason:
        raise UnusableDatabaseError(reason)
    return found.kind


def is_archive(path: str | os.PathLike[str]) -> bool:
    try:
        return classify(path).kind is PathKind.ARCHIVE
    except ArchiveError:
        return False
