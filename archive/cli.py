"""Archive commands: ``import-warc``, ``reparse``, ``search``, ``export``, ``stats`` (thin click wrappers).

Errors are one line (see the house rules in docs/architecture.md): exit 2 for wrong use and for an
unusable database or output path named on the command line (refused before anything is opened,
by archive.cliargs), exit 1 when the work fails (locked, read-only, damaged, disk full).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from archive import export as exporting
from archive import parquet
from archive import stats as statistics
from archive import trend as trends
from archive.bulk import import_warc as run_import
from archive.bulk import rate_line
from archive.cliargs import CommandError, DatabasePath, OutputPath
from archive.core import Archive
from archive.db import ArchiveError, ArchiveNeedsUpgrade, translate_sqlite_error
from archive.export import parse_day
from archive.outputs import refuse_output, replace_on_success
from archive.processes import Interrupted, graceful_signals
from archive.progress import Progress, note
from archive.reprocess import reparse as run_reparse
from archive.reprocess import report_problems
from archive.runners import DaskUnavailable, make_runner, valid_dask_address
from archive.search import search as run_search
from archive.warcsource import READERS, choose_reader, is_url, listing_sources
from extraction import publishers

F = TypeVar("F", bound=Callable[..., Any])
DB_PATH = DatabasePath()  # must already be a vnnews archive
NEW_OR_DB_PATH = DatabasePath(create=True)  # created when missing


def _friendly_errors(command: F) -> F:
    """Archive and file problems become one line on stderr (exit 1, or the error's own code), never a
    traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            # `vnnews export DB | head`: the reader left. Stop quietly like other Unix tools (exit 141 =
            # 128 + SIGPIPE), and keep Python from complaining while it flushes stdout at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except ArchiveError as error:
            raise CommandError(str(error), error.exit_code) from error
        except sqlite3.Error as error:
            raise CommandError(str(translate_sqlite_error(error, kwargs.get("db", "?")))) from error
        except OSError as error:
            raise CommandError(f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")) from error

    return wrapper  # type: ignore[return-value]


def open_for_reading(db: Path) -> Any:
    """Read commands never change an archive, except to upgrade an older vnnews archive's schema."""
    try:
        return Archive.open(db, readonly=True)
    except ArchiveNeedsUpgrade:
        if not os.access(db, os.W_OK):
            raise
        return Archive.open(db)


@contextlib.contextmanager
def _interruptible(command: str) -> Iterator[None]:
    """SIGTERM or Ctrl-C: the bulk command stops between two records and its run is recorded as
    interrupted (archive/processes.py); one line on stderr and exit 1, like an interrupted crawl."""
    try:
        with graceful_signals():
            yield
    except Interrupted as stop:
        done = f"run {stop.run_id} recorded as interrupted" if stop.run_id else "no run recorded"
        click.echo(
            f"vnnews {command}: stopped by {stop.signal_name}; {done}, what it stored stays"
            " (run the same command again to finish)",
            err=True,
        )
        sys.exit(1)


def _day_first(published_at: str | None) -> str:
    if not published_at or len(published_at) < 10:
        return "??/??/????"
    return f"{published_at[8:10]}/{published_at[5:7]}/{published_at[0:4]}"


@click.command("import-warc")
@click.argument("db", type=NEW_OR_DB_PATH)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--listing",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file naming WARCs one a line (CC-NEWS warc.paths, or warc.paths.gz); relative ones are"
    " resolved against --warc-prefix.",
)
@click.option(
    "--warc-prefix",
    metavar="DIR|URL",
    help="Where the listing's relative paths live: a folder, or an http(s) URL such as a mirror of"
    " Common Crawl's data.",
)
@click.option(
    "--publisher",
    metavar="KEY",
    help="Treat every URL as this publisher's (e.g. baonghean), whatever its host: for WARCs of a mirror.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes that read, filter and extract in parallel (0: all in this process).",
)
@click.option(
    "--dask-scheduler",
    metavar="ADDRESS",
    help="Run the reading and extraction on this Dask cluster (tcp://HOST:PORT) instead of local"
    " processes; this process stays the archive's one writer. Needs vnnews[dask].",
)
@click.option(
    "--warc-reader",
    type=click.Choice(READERS),
    default="auto",
    show_default=True,
    help="auto: FastWARC when installed (faster at skipping other sites' records), else warcio.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
@_friendly_errors
def import_warc(
    db: Path,
    files: tuple[Path, ...],
    listing: Path | None,
    warc_prefix: str | None,
    publisher: str | None,
    workers: int,
    dask_scheduler: str | None,
    warc_reader: str,
    quiet: bool,
) -> None:
    """Import WARC files made by anyone (ours, a web archive's, Common Crawl's) into DB.

    Records are filtered by host first: only the hosts of known publishers are parsed, and of
    those, every HTML response whose URL is an article is stored raw, extracted and saved; the
    others are counted and skipped. Damaged records are skipped with their offset reported, a
    truncated file imports what is whole. Importing the same file twice changes nothing, so an
    interrupted import is finished by running it again. A file that is not a WARC is named on
    stderr and skipped, the others are imported, and the command exits 2; a file that cannot be
    read (missing, HTTP error) is named and the command exits 1. When nothing was imported because
    no publisher claims the WARC's hosts, the hosts are named: a mirror or local copy of a known
    site needs --publisher. The summary says how many records were read per second per worker.

    \b
    Example:
      vnnews import-warc news.db crawl-2025-10.warc.gz CC-MAIN-*.warc.gz
      vnnews import-warc news.db --publisher baonghean demo.warcs/*.warc.gz
      vnnews import-warc news.db --workers 2 CC-MAIN-*.warc.gz
      vnnews import-warc news.db --listing warc.paths.gz --warc-prefix https://data.example.org/ --workers 8
      vnnews import-warc news.db --listing warc.paths --warc-prefix /data/cc --dask-scheduler tcp://HOST:8786
    """
    from concurrent.futures.process import BrokenProcessPool

    if publisher and publisher not in publishers.PUBLISHERS:
        known = ", ".join(sorted(publishers.PUBLISHERS))
        raise click.BadParameter(f"unknown publisher {publisher!r}; known: {known}", param_hint="--publisher")
    if dask_scheduler is not None and not valid_dask_address(dask_scheduler):
        raise click.BadParameter(
            f"{dask_scheduler!r} is not a scheduler address (tcp://HOST:PORT)", param_hint="--dask-scheduler"
        )
    if dask_scheduler is not None and workers:
        raise click.UsageError("--workers and --dask-scheduler exclude each other (Dask has its own workers)")
    if warc_prefix is not None and not is_url(warc_prefix) and not Path(warc_prefix).is_dir():
        raise click.BadParameter(
            f"{warc_prefix!r} is neither a folder nor an http(s) URL", param_hint="--warc-prefix"
        )
    if warc_prefix is not None and listing is None:
        raise click.UsageError("--warc-prefix resolves the paths of a --listing; give the listing")
    try:
        reader = choose_reader(warc_reader)
        sources = [str(path.resolve()) for path in files]
        if listing is not None:
            sources += listing_sources(listing, warc_prefix)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    if not sources:
        raise click.UsageError("name WARC files, or a --listing of them")
    try:
        with (
            _interruptible("import-warc"),
            Archive.open(db) as archive,
            make_runner(workers, dask_scheduler) as runner,
        ):
            summary = run_import(archive, sources, runner, quiet, publisher, reader)
    except DaskUnavailable as error:
        raise CommandError(str(error)) from error
    except BrokenProcessPool as error:  # a worker was killed (OOM killer, kill -9): the run is failed
        raise CommandError(f"a worker process died ({error}); run the same command again") from error
    report_problems(summary, quiet, "import-warc")
    note(rate_line(summary.rates), quiet)
    if summary.refused:  # each was named on its own line above; the others were imported
        sys.exit(2)
    if summary.counts.get("source_failed"):
        sys.exit(1)


@click.command()
@click.argument("db", type=DB_PATH)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes that extract pages in parallel (0: extract in this process). 2 on a 2-core machine.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
@_friendly_errors
def reparse(db: Path, workers: int, quiet: bool) -> None:
    """Re-extract every article of DB from its raw capture (WARC), without refetching.

    Run it after the extraction engine improves. Content that comes out different is stored as a new
    revision of the article (the old text stays readable in `revisions`); running it twice changes
    nothing the second time.

    \b
    Example:
      vnnews reparse news.db
      vnnews reparse news.db --workers 2
    """
    with _interruptible("reparse"), Archive.open(db, create=False) as archive:
        summary = run_reparse(archive, quiet, workers)
    report_problems(summary, quiet, "reparse")


@click.command()
@click.argument("db", type=DB_PATH)
@click.argument("query")
@click.option(
    "--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="Most matches shown."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per match instead of text lines.")
@click.option(
    "--exhaustive",
    is_flag=True,
    help="Rank every match, not only the 5,000 newest (slower when a query matches most of the archive).",
)
@_friendly_errors
def search(db: Path, query: str, limit: int, as_json: bool, exhaustive: bool) -> None:
    """Search DB's articles; prints date, title and URL of the best matches.

    Case, diacritics, tone-mark placement and đ are ignored ("nghe an" finds "Nghệ An", "dang uy"
    finds "Đảng ủy"). Every word must occur; "a quoted phrase" must occur as a phrase. Best matches
    first among the 5,000 newest matches (or all with --exhaustive): the whole query as a phrase
    first, then every word in the title, in the lead, elsewhere; newest first within each.

    \b
    Example:
      vnnews search news.db "dang uy" --limit 5
      vnnews search news.db '"Nghệ An" lũ lụt'
    """
    with open_for_reading(db) as archive:
        found = 0
        for match in run_search(archive.db.conn, query, limit=limit, exhaustive=exhaustive):
            found += 1
            if as_json:
                click.echo(json.dumps(match, ensure_ascii=False))
            else:
                click.echo(f"{_day_first(match['published_at'])}\t{match['title']}\t{match['url']}")
        if not found:
            click.echo(f"no articles match {query!r}", err=True)


def _day_option(value: str | None, name: str) -> Any:
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=name) from error


@click.command()
@click.argument("db", type=DB_PATH)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "jsonl", "parquet"]),
    default="jsonl",
    show_default=True,
    help="parquet needs -o and writes a dataset card beside it (pyarrow, zstd).",
)
@click.option(
    "--partition",
    is_flag=True,
    help="With parquet: -o is a new folder, one file per publisher and year (publisher=P/year=Y/).",
)
@click.option("--since", help="Published on or after this day (DD/MM/YYYY or YYYY-MM-DD).")
@click.option("--until", help="Published on or before this day (DD/MM/YYYY or YYYY-MM-DD).")
@click.option("--section", help='Only this section, by its display name, e.g. "Thời sự".')
@click.option("--publisher", help="Only this publisher's articles, by its key, e.g. baonghean.")
@click.option("--search", "query", help="Only articles matching this search (same rules as `vnnews search`).")
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    help="File to write (default stdout). Written only when at least one article matches, and only"
    " once complete: an existing file is never left half-written or emptied.",
)
@click.option(
    "--bom", is_flag=True, help="Start with a UTF-8 byte-order mark, so Excel reads Vietnamese CSV right."
)
@click.option(
    "--one-per-group",
    is_flag=True,
    help="Of near-duplicates (reprints, wire copy, re-published ids) keep only each group's first article.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
@_friendly_errors
def export(
    db: Path,
    fmt: str,
    since: str | None,
    until: str | None,
    section: str | None,
    query: str | None,
    output: Path | None,
    bom: bool,
    quiet: bool,
    partition: bool = False,
    one_per_group: bool = False,
    publisher: str | None = None,
) -> None:
    """Export DB's articles as CSV, one JSON array, JSON Lines (UTF-8) or Parquet, oldest first.

    Streams in constant memory at any archive size. Fields: the article.schema.json fields plus the
    archive's own (id, id_scheme, published_month, word_count, content_hash, first_seen_at,
    last_fetched_at, last_changed_at, revision_count, capture_id); see docs/archive.md. In CSV,
    authors and tags are joined with "; ", images and paragraphs are JSON text.

    \b
    Example:
      vnnews export news.db --format csv --bom --since 01/01/2025 --section "Thời sự" -o thoi-su.csv
      vnnews export news.db --format jsonl --search "dang uy" > dang-uy.jsonl
      vnnews export news.db --format parquet --partition -o news-dataset
    """
    filters = exporting.Filters(
        _day_option(since, "--since"), _day_option(until, "--until"), section, query, one_per_group, publisher
    )
    if partition and fmt != "parquet":
        raise click.UsageError("--partition goes with --format parquet")
    if output:
        refuse_output(output, "--output", archives=[db], inputs=[db])
    if fmt == "parquet":
        if output is None:
            raise click.UsageError("--format parquet needs -o FILE (or -o FOLDER with --partition)")
        _export_parquet(db, filters, output, partition, quiet)
        return
    with open_for_reading(db) as archive:
        conn = archive.db.conn

        def write(stream: Any) -> int:
            with Progress(exporting.count(conn, filters), "Exporting", quiet) as bar:

                def counted() -> Any:
                    for record in exporting.rows(conn, filters):
                        yield record
                        bar.update()

                return exporting.write(counted(), stream, fmt, bom=bom)

        if output is None:
            write(sys.stdout)
            return
        newline = "" if fmt == "csv" else None  # csv writes its own \r\n line ends
        with replace_on_success(output) as pending:
            with open(pending.path, "w", encoding="utf-8", newline=newline) as stream:
                written = write(stream)
            in_place = pending.path == pending.destination  # a pipe or a terminal, written as it goes
            if written == 0 and not in_place:
                pending.discard()
    if written == 0 and not in_place:
        # Nothing matched: an existing file keeps its content (and no empty file appears); exit 1 so
        # a script sees that the file it asked for was not (re)written.
        raise CommandError(f"no articles match these filters; {output} not written")
    note(f"wrote {written} articles to {output}", quiet)


def _export_parquet(db: Path, filters: Any, output: Path, partition: bool, quiet: bool) -> None:
    if output.exists():
        raise click.UsageError(f"{output} exists; a Parquet export writes a new file or folder")
    card = None if partition else output.with_name(f"{output.stem}.README.md")
    with open_for_reading(db) as archive:
        total = exporting.count(archive.db.conn, filters)
        with Progress(total, "Exporting", quiet) as bar:
            batches = parquet.tables(archive.db.conn, filters)
            write = parquet.write_partitioned if partition else parquet.write_file
            summary = write(batches, output, progress=bar.update)
    if card is not None:
        parquet.write_card(summary, card, partitioned=False)
    note(f"wrote {summary.rows} articles to {output} ({len(summary.files)} Parquet files)", quiet)


@click.command()
@click.argument("db", type=DB_PATH)
@click.option("--plot", type=OutputPath(), help="Also draw articles per month as PNG.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Rows per long table.")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as one JSON object.")
@_friendly_errors
def stats(db: Path, plot: Path | None, top: int, as_json: bool) -> None:
    """Statistics of DB: articles per month, section, author and parser; failures; revisions.

    \b
    Example:
      vnnews stats news.db
      vnnews stats news.db --plot months.png
    """
    if plot:
        refuse_output(plot, "--plot", archives=[db], inputs=[db])
    with open_for_reading(db) as archive:
        collected = statistics.collect(archive.db.conn, top)
        if as_json:
            click.echo(json.dumps(collected, ensure_ascii=False, indent=2))
        else:
            click.echo(statistics.render(collected), nl=False)
        if plot:
            with replace_on_success(plot) as pending:  # a failed drawing leaves an old PNG as it was
                months = statistics.plot_months(archive.db.conn, pending.path)
            click.echo(f"wrote {plot} ({months} months)", err=True)


@click.command()
@click.argument("db", type=DB_PATH)
@click.argument("query")
@click.option("--by", type=click.Choice(["month", "year"]), default="month", show_default=True)
@click.option(
    "--group", type=click.Choice(["publisher", "section"]), help="One series per publisher or per section."
)
@click.option("--since", help="Published on or after this day (DD/MM/YYYY or YYYY-MM-DD).")
@click.option("--until", help="Published on or before this day (DD/MM/YYYY or YYYY-MM-DD).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table: aligned text; csv: period,group,articles,total,share; json: one array.",
)
@click.option("--plot", type=OutputPath(), help="Also draw the trend as PNG.")
@click.option("--share", is_flag=True, help="Plot the share of all articles instead of the count.")
@_friendly_errors
def trend(
    db: Path,
    query: str,
    by: str,
    group: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    plot: Path | None,
    share: bool,
) -> None:
    """How many articles of DB mention QUERY per month or year, like an n-gram viewer.

    Counts articles that mention the word or phrase (search rules: diacritics, case and đ ignored;
    "a quoted phrase" as a phrase) next to all articles of the period, every period listed, empty
    ones included.

    \b
    Example:
      vnnews trend news.db "chuyen doi so" --by month
      vnnews trend news.db '"chuyển đổi số"' --by year --group publisher --plot trend.png
    """
    import csv

    if plot:
        refuse_output(plot, "--plot", archives=[db], inputs=[db])

    with open_for_reading(db) as archive:
        try:
            rows = trends.trend(
                archive.db.conn,
                query,
                by,
                group,
                _day_option(since, "--since"),
                _day_option(until, "--until"),
            )
        except trends.TrendError as error:
            raise click.UsageError(str(error)) from error
    if fmt == "json":
        click.echo(json.dumps([row.to_dict() for row in rows], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["period", "group", "articles", "total", "share"])
        for row in rows:
            writer.writerow([row.period, row.group or "", row.articles, row.total, f"{row.share:.6f}"])
    else:
        for row in rows:
            label = f"{row.period}  {row.group}" if group else row.period
            click.echo(f"{label}\t{row.articles:>6} of {row.total:<6} {row.share * 100:6.2f}%")
    if not rows:
        click.echo("the archive has no dated articles in that window", err=True)
    if plot:
        with replace_on_success(plot) as pending:  # a failed drawing leaves an old PNG as it was
            trends.plot(rows, query, pending.path, share)
        click.echo(f"wrote {plot}", err=True)
