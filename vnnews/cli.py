"""The ``vnnews`` command: a thin click group over the library.

Each capability keeps its commands in its own module; they import heavy libraries (Scrapy,
Datasette) inside the command body so that ``vnnews --help`` stays fast and extraction-only use
never imports Scrapy.
"""

from __future__ import annotations

import importlib

import click

from vnnews import __version__

# (module, attribute) of every subcommand, in the order --help lists them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("vnnews.commands.extract", "extract"),
    ("crawler.cli", "crawl"),
    ("crawler.cli", "demo"),
    ("archive.cli", "import_warc"),
    ("archive.cli", "reparse"),
    ("archive.cli", "search"),
    ("archive.cli", "export"),
    ("archive.cli", "stats"),
    ("archive.cli", "trend"),
    ("archive.status", "status"),
    ("vnnews.web.cli", "serve"),
)


class _OrderedGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=_OrderedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vnnews")
def main() -> None:
    """Scrape, archive, search and export Vietnamese news (Báo Nghệ An first).

    \b
    Example:
      vnnews crawl --db news.db
      vnnews search news.db "nghe an"
    """


def _register() -> None:
    # No try/except: a command module that fails to import is a bug to see, not a command to hide.
    for module_name, attribute in COMMANDS:
        main.add_command(getattr(importlib.import_module(module_name), attribute))


_register()
