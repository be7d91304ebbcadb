"""Files a command writes (``export -o``, ``stats --plot``, ``crawl --log-file``): never over an input
or an archive, and never half-written over an existing file.

``refuse_output`` is the one check every output option goes through; ``replace_on_success`` writes
to a temporary file in the destination's folder and renames it into place only when the writer
finished and kept it, so a failed or empty export leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.db import OutputPathError
from archive.paths import PathKind, classify

# Files SQLite keeps beside a database (and our crawl lock): writing over one corrupts or unlocks it.
SIDE_FILES = ("-wal", "-shm", "-journal", ".lock")


def warc_folder(db: Path) -> Path:
    return db.with_name(f"{db.stem}.warcs")  # the same rule as Archive.warc_dir


def _same_file(one: Path, other: Path) -> bool:
    if one.resolve() == other.resolve():
        return True
    try:
        return os.path.samefile(one, other)  # hard links: another name of the same inode
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _protected(archives: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    for db in archives:
        yield db, f"the archive {db}"
        for suffix in SIDE_FILES:
            yield Path(f"{db}{suffix}"), f"the archive's {suffix.lstrip('-.')} file {db}{suffix}"


def _database_beside(output: Path) -> Path | None:
    """``x.db`` when ``output`` is ``x.db-wal`` (or -shm, -journal, .lock) of an existing database."""
    for suffix in SIDE_FILES:
        if output.name.endswith(suffix) and len(output.name) > len(suffix):
            owner = output.with_name(output.name[: -len(suffix)])
            if owner.is_file() and classify(owner).kind in (PathKind.ARCHIVE, PathKind.FOREIGN):
                return owner
    return None


def refuse_output(
    output: Path, option: str, *, archives: Iterable[Path] = (), inputs: Iterable[Path] = ()
) -> None:
    """Raise OutputPathError (exit 2) when writing ``output`` would destroy something: an input of the
    command, one of ``archives`` or its -wal/-shm/-journal/.lock files or anything in its WARC
    folder, or any existing SQLite database (a vnnews archive or not)."""
    archives = [Path(db) for db in archives]
    for path, what in _protected(archives):
        if _same_file(output, path):
            raise OutputPathError(f"{option} {output} is {what}; choose another file")
    for db in archives:
        if _inside(output, warc_folder(db)):
            raise OutputPathError(f"{option} {output} is inside the archive's WARC folder {warc_folder(db)}")
    for path in inputs:
        if _same_file(output, Path(path)):
            raise OutputPathError(f"{option} {output} is an input of this command; choose another file")
    if output.is_dir():
        raise OutputPathError(f"{option} {output} is a directory; name a file")
    if not output.parent.is_dir():
        raise OutputPathError(f"{option} {output}: folder {output.parent} does not exist")
    if output.is_file():
        kind = classify(output).kind
        if kind in (PathKind.ARCHIVE, PathKind.FOREIGN):
            raise OutputPathError(
                f"{option} {output} is an existing SQLite database; vnnews never writes over one"
            )
    owner = _database_beside(output)
    if owner is not None:
        raise OutputPathError(f"{option} {output} belongs to the database {owner}; choose another file")


@dataclass
class PendingOutput:
    """Where the writer writes (``path``); ``discard()`` keeps the destination as it was."""

    path: Path
    destination: Path
    keep: bool = True

    def discard(self) -> None:
        self.keep = False


def _is_special(path: Path) -> bool:
    """A FIFO, terminal or /dev/stdout: written in place, since it cannot be renamed onto."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _temporary_beside(destination: Path) -> Path:
    # Created with O_EXCL and mode 0o666 so the umask gives the file the permissions a plain open()
    # would, unlike tempfile's 0o600. The dot keeps it out of globs like *.csv while it is written.
    while True:
        candidate = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return candidate


@contextlib.contextmanager
def replace_on_success(destination: Path) -> Iterator[PendingOutput]:
    """``with replace_on_success(path) as out: write(out.path)``: the file appears at ``path`` (with an
    existing file's permissions) only when the block ends without an exception and without
    ``out.discard()``; otherwise the temporary file is removed and ``path`` is untouched."""
    if _is_special(destination):  # checked before resolving: /dev/stdout resolves to "pipe:[...]"
        yield PendingOutput(destination, destination)
        return
    destination = destination.resolve()  # a symlink's target is replaced, not the link
    temporary = _temporary_beside(destination)
    pending = PendingOutput(temporary, destination)
    try:
        yield pending
        if pending.keep:
            with open(temporary, "rb+") as stream:  # durable before it replaces the old file
                os.fsync(stream.fileno())
            if destination.exists():
                os.chmod(temporary, stat.S_IMODE(destination.stat().st_mode))
            os.replace(temporary, destination)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
