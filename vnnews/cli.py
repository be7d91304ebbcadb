"""The ``vnnews`` command: a thin click group over the library.

Each capability keeps its commands in its own module, imported here by name so the arrows show; the
command modules import heavy libraries (Scrapy, Datasette) inside the command body, so that
``vnnews --help`` stays fast.
"""

from __future__ import annotations

from typing import Any

import click

from archive.backfill_cli import backfill
from archive.cli import export, import_warc, reparse, search, stats, trend
from archive.merge_cli import merge
from archive.status import status
from crawler.cli import crawl, shard
from crawler.demo import demo
from crawler.publishers_cli import publishers
from vnnews import __version__
from vnnews.commands.extract import extract
from vnnews.web.cli import serve

# Every subcommand, in the order --help lists them.
COMMANDS: tuple[click.Command, ...] = (
    extract,
    crawl,
    publishers,
    demo,
    shard,
    import_warc,
    backfill,
    merge,
    reparse,
    search,
    export,
    stats,
    trend,
    status,
    serve,
)


class OneLineError(click.ClickException):
    """``vnnews <command>: <message>`` on stderr, nothing else (the house rules, docs/architecture.md)."""

    def __init__(self, prefix: str, message: str, exit_code: int) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever click composed
        self.prefix = prefix
        self.exit_code = exit_code  # type: ignore[misc]  # click has a class default; ours is per error

    def show(self, file: Any = None) -> None:
        click.echo(f"{self.prefix}: {self.message}", err=True)


def _one_line(error: click.ClickException, command: str | None) -> OneLineError:
    prefix = f"vnnews {command}" if command else "vnnews"
    message = error.format_message()
    if isinstance(error, click.UsageError):  # wrong use: say where the help is, on the same line
        message += f" (see '{prefix} --help')"
    return OneLineError(prefix, message, error.exit_code)


class _OrderedGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        # Every click error of a subcommand (bad option, unusable database, CommandError) becomes one
        # line; click's own format is three lines (usage, hint, "Error: ...").
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise  # `vnnews crawl` alone: the help is the answer, not an error line
        except OneLineError:
            raise
        except click.ClickException as error:
            raise _one_line(error, ctx.invoked_subcommand) from error


@click.group(cls=_OrderedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vnnews")
def main() -> None:
    """Scrape, archive, search and export Vietnamese news (Báo Nghệ An first).

    \b
    Example:
      vnnews crawl --db news.db
      vnnews search news.db "nghe an"
    """


for command in COMMANDS:
    main.add_command(command)
