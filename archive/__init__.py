"""The archive: SQLite (sqlite-utils) + WARC files. Everything captured and everything researchers read.

Imports extraction, never Scrapy. See docs/archive.md for the tables and commands.
"""

from __future__ import annotations

from archive.core import Archive
from archive.db import ArchiveError, ArchiveLockedError, ArchiveReadOnlyError
from archive.ingest import OUTCOMES, IngestResult

__all__ = [
    "OUTCOMES",
    "Archive",
    "ArchiveError",
    "ArchiveLockedError",
    "ArchiveReadOnlyError",
    "IngestResult",
]
