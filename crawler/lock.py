"""One crawl per archive: an exclusive, non-blocking ``flock`` on ``<db>.lock`` beside the database.

The lock dies with the process (even on SIGKILL), so a crashed crawl never leaves a stale lock behind.

A crawl holds it through ``hold``/``release``, whoever starts it: ``vnnews crawl`` (crawler/runner.py)
before Scrapy starts, so a locked archive is exit 75 at once, and the archive pipeline of each crawler
when its spider opens, so ``scrapy crawl`` (Scrapyd) is locked out the same way. In one process the
lock is taken once and shared by every holder (the crawlers of ``vnnews crawl --publisher A
--publisher B``): a second ``flock`` of the file from this process would be refused as if another
crawl held it (flock locks belong to one open file description).
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path


class CrawlLocked(Exception):
    """Another process holds the archive's crawl lock."""


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    return Path(f"{os.fspath(db_path)}.lock")


class CrawlLock:
    """``with CrawlLock(db): ...`` or ``acquire()``/``release()``; raises CrawlLocked when held."""

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> CrawlLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f" (pid {holder})" if holder else ""
            raise CrawlLocked(
                f"another crawl{who} is writing to this archive; lock file {self.path}"
            ) from None
        # The holder's pid, for the message a second crawl prints; informative only.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> CrawlLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


# The crawl locks this process holds: lock file (resolved) -> (the lock, how many holders share it).
_HELD: dict[str, tuple[CrawlLock, int]] = {}
_HELD_GUARD = threading.Lock()


def _key(db_path: str | os.PathLike[str]) -> str:
    return os.path.realpath(lock_path(db_path))


def hold(db_path: str | os.PathLike[str]) -> bool:
    """Hold ``db_path``'s crawl lock for this process; True when this call took it (the first holder),
    False when it joined a holder of this process. Raises CrawlLocked when another process holds it.
    Every ``hold`` is paired with one ``release``."""
    key = _key(db_path)
    with _HELD_GUARD:
        lock, count = _HELD.get(key, (None, 0))
        first = lock is None
        if lock is None:
            lock = CrawlLock(db_path).acquire()
        _HELD[key] = (lock, count + 1)
    return first


def release(db_path: str | os.PathLike[str]) -> None:
    """One holder is done; the last one gives the lock back."""
    key = _key(db_path)
    with _HELD_GUARD:
        if key not in _HELD:
            return
        lock, count = _HELD.pop(key)
        if count > 1:
            _HELD[key] = (lock, count - 1)
        else:
            lock.release()


class Held:
    """``with Held(db): ...``: ``hold`` for the block (raises CrawlLocked at once when another
    process holds the lock)."""

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.db_path = db_path

    def __enter__(self) -> Held:
        hold(self.db_path)
        return self

    def __exit__(self, *exc: object) -> None:
        release(self.db_path)
