"""``vnnews merge CENTRAL NODE...`` (archive/merge.py; the topology in docs/scaling.md)."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import _friendly_errors, _interruptible
from archive.cliargs import DatabasePath
from archive.core import Archive
from archive.merge import merge as run_merge
from archive.progress import note


@click.command("merge")
@click.argument("db", metavar="CENTRAL", type=DatabasePath(create=True))
@click.argument("nodes", metavar="NODE...", nargs=-1, required=True, type=DatabasePath())
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
@_friendly_errors
def merge(db: Path, nodes: tuple[Path, ...], quiet: bool) -> None:
    """Fold the archives of crawl nodes (NODE...) into the archive CENTRAL, created when missing.

    CENTRAL gets every capture (its raw WARC record copied as it is), article, revision, withdrawal
    and crawl signal of each node; captures of the same article from several nodes build the history
    they would have built in time order. Merging the same node again changes nothing. Nodes are read,
    never written; a NODE that is not a vnnews archive is refused (exit 2) before anything is merged.
    Exit 0 when all was merged, 1 when some raw records could not be copied (their rows were merged;
    the run is partial) or the work failed.

    \b
    Example:
      vnnews merge central.db node1/news.db node2/news.db
    """
    with _interruptible("merge"), Archive.open(db) as archive:
        summary = run_merge(archive, list(nodes), quiet)
    for problem in summary.problems:
        note(f"vnnews merge: {problem}", quiet=False)
    note(f"run {summary.run_id}: {summary.line()}", quiet)
    if summary.problems:
        raise SystemExit(1)
