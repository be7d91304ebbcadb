"""The click parameter types every command uses for a database and for a file it writes.

``DatabasePath`` runs the one database guard (archive/paths.py) while the command line is parsed, so
no command can forget it: a missing path, a directory, an empty file, a file that is not SQLite and
another program's SQLite database are refused with one line and exit 2 before anything is opened.
``OutputPath`` marks an option as an output; the command passes it through ``refuse_output``
(archive/outputs.py) once it knows its inputs. tests/ops/test_house_rules.py walks every command
and finds both types by introspection, so a new command is held to the same rules.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from archive.db import ArchiveError
from archive.paths import require_archive


class CommandError(click.ClickException):
    """One line on stderr and a chosen exit code (``vnnews <command>: <message>`` under the group)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click has a class default; ours is per error


class DatabasePath(click.ParamType):
    """An archive database. ``create=True``: a missing file is created (crawl, demo, import-warc);
    otherwise it must already be a vnnews archive."""

    name = "database"

    def __init__(self, create: bool = False, path_type: type = Path) -> None:
        self.create = create
        self.path_type = path_type

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(os.fspath(value))
        if ctx is None or not ctx.resilient_parsing:  # shell completion must not touch the file
            try:
                require_archive(path, create=self.create)
            except ArchiveError as error:
                raise CommandError(str(error), error.exit_code) from None
        return path if self.path_type is Path else self.path_type(path)


class OutputPath(click.Path):
    """A file the command writes; checked with archive.outputs.refuse_output against its inputs."""

    def __init__(self, dir_okay: bool = False, path_type: type = Path) -> None:
        super().__init__(dir_okay=dir_okay, path_type=path_type)
