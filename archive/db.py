"""Opening the archive database: pragmas, migrations and clear errors for locked or read-only files."""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import sqlite_utils

from extraction.dates import VN_TZ

# How long a writer waits for another writer (a crawl, an import) before giving up with a clear message.
BUSY_TIMEOUT_MS = 10_000
# Page cache of a bulk save (negative: KiB), 256 MiB: the FTS index of a million articles is ~2 GB and its
# newest segments are rewritten by every merge.
BULK_CACHE_KIB = -262_144


class ArchiveError(Exception):
    """A problem with the archive a user can act on; the CLI prints it as one line.

    ``exit_code`` follows the house rules (docs/architecture.md): 1 when the work failed (locked,
    read-only, damaged, disk full), 2 when the path named on the command line is unusable."""

    exit_code = 1


class UnusableDatabaseError(ArchiveError):
    """The database path is missing, a directory, an empty file, not SQLite or not a vnnews archive."""

    exit_code = 2


class OutputPathError(ArchiveError):
    """An output path would overwrite an input, an archive (or its -wal/-shm, its WARC folder)."""

    exit_code = 2


class ArchiveLockedError(ArchiveError):
    """Another process holds the write lock for longer than the busy timeout."""


class ArchiveNeedsUpgrade(ArchiveError):
    """The archive's schema is older than this vnnews: a writable open applies the migrations."""


class ArchiveReadOnlyError(ArchiveError):
    """The database file (or its directory) cannot be written."""


def now_iso() -> str:
    return datetime.now(VN_TZ).isoformat(timespec="seconds")


def to_vn_iso(value: str | datetime | None) -> str:
    """Any timestamp (ISO string, WARC-Date in UTC, datetime) as ISO 8601 with +07:00; None -> now."""
    if value is None:
        return now_iso()
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return now_iso()
    else:
        parsed = value
    if parsed.tzinfo is None:  # a naive time is taken as UTC, which is what WARC and Scrapy use
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(VN_TZ).isoformat(timespec="seconds")


def translate_sqlite_error(error: sqlite3.Error, path: str | os.PathLike[str]) -> ArchiveError:
    message = str(error)
    if "locked" in message or "busy" in message:
        return ArchiveLockedError(
            f"database {path} is locked by another writer (a crawl or an import?); try again when it ends"
        )
    if "readonly" in message or "read-only" in message:
        return ArchiveReadOnlyError(
            f"database {path} is read-only: check the permissions of the file and its folder"
        )
    if "unable to open" in message:
        return ArchiveError(f"cannot open database {path}: does its folder exist and is it writable?")
    if "not a database" in message or "malformed" in message:
        return ArchiveError(f"{path} is not a vnnews archive (not an SQLite database, or damaged)")
    return ArchiveError(f"database {path}: {message}")


P = ParamSpec("P")
R = TypeVar("R")


def clear_errors(method: Callable[P, R]) -> Callable[P, R]:
    """Turn sqlite3 errors of an ``Archive`` method into ``ArchiveError`` naming the database."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as error:
            path = getattr(args[0], "path", "?") if args else "?"
            raise translate_sqlite_error(error, path) from error

    return wrapper


def needs_immutable(path: Path) -> bool:
    """True for an archive copied alone (no -wal) where it cannot be written (read-only media, a
    read-only file or folder). SQLite's ``mode=ro`` needs to create or write the -shm file of a WAL
    database and fails there with "attempt to write a readonly database"; ``immutable=1`` reads the
    main file as it is. Without a -wal file no writer is active, so nothing newer exists elsewhere."""
    if Path(f"{path}-wal").exists():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def readonly_uri(path: Path) -> str:
    """The URI every read-only opening of an archive uses (commands, status, the serve check)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return f"{uri}&immutable=1" if needs_immutable(path) else uri


def connect(path: Path, readonly: bool = False) -> sqlite_utils.Database:
    """An sqlite-utils Database with the archive's pragmas; WAL so Datasette can read during a crawl."""
    if readonly:
        if not path.exists():
            raise UnusableDatabaseError(f"no archive at {path}")
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        if path.exists() and not os.access(path, os.W_OK):
            raise ArchiveReadOnlyError(
                f"database {path} is read-only: check the permissions of the file and its folder"
            )
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        db = sqlite_utils.Database(conn, execute_plugins=False)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not readonly:
            mode = db.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                with db.ensure_autocommit_on():
                    db.conn.execute("PRAGMA journal_mode = wal")
            # NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last
            # commits, and those captures are still in the WARC files.
            db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        # 64 MiB of page cache: index pages of a large archive stay hot during imports and searches.
        db.execute("PRAGMA cache_size = -65536")
    except sqlite3.Error as error:
        conn.close()
        raise translate_sqlite_error(error, path) from error
    return db


@contextlib.contextmanager
def bulk_pragmas(conn: sqlite3.Connection) -> Iterator[None]:
    """Settings for a bulk save of new articles, put back afterwards whatever happens.

    Foreign-key checks off: a bulk batch inserts an article and its satellites (authors, tags, images)
    together in one transaction, so every check would look up a parent row it has just written (a
    quarter of the write time measured at 100,000 articles). The page cache grows to 256 MiB so the
    FTS index's pages stay in memory between batches. The pragma cannot change inside a transaction,
    hence around the whole bulk save."""
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")


@contextlib.contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """All-or-nothing write on an autocommit connection. IMMEDIATE takes the write lock up front, so a
    concurrent writer waits (busy timeout) instead of failing half-way."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def row_dict(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}
