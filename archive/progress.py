"""Progress on stderr: a bar on a terminal, nothing when piped, logged or --quiet."""

from __future__ import annotations

import sys
from typing import Any

import click


class Progress:
    """``with Progress(total, "Importing") as bar: bar.update(n)``; silent unless stderr is a terminal."""

    def __init__(self, total: int | None, label: str, quiet: bool = False) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.total = total
        self.label = label
        self._bar: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            self._bar = click.progressbar(length=self.total, label=self.label, file=sys.stderr, show_pos=True)
            self._bar.__enter__()
        return self

    def update(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def note(message: str, quiet: bool = False) -> None:
    """A one-line notice on stderr (skipped records, summaries) unless --quiet."""
    if not quiet:
        click.echo(message, err=True)
