"""The ``vnnews backfill`` command (a thin click wrapper over archive/backfill.py)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from archive.backfill import FetchFailed, Options
from archive.backfill import backfill as run_backfill
from archive.cli import NEW_OR_DB_PATH, _friendly_errors, _interruptible
from archive.cliargs import CommandError
from archive.core import Archive
from archive.progress import note
from extraction import publishers

_CRAWL = re.compile(r"^CC-MAIN-\d{4}-\d{2}$")


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD")
    return value


@click.command()
@click.option("--db", required=True, type=NEW_OR_DB_PATH, help="The archive (created when missing).")
@click.option("--publisher", required=True, metavar="KEY", help="Whose articles to backfill, e.g. baonghean.")
@click.option(
    "--source",
    type=click.Choice(["ia", "cc"]),
    required=True,
    help="ia: a Wayback CDX server (the Internet Archive, pywb); cc: Common Crawl's index and WARC files.",
)
@click.option("--since", callback=_day, metavar="YYYY-MM-DD", help="Only captures from this day (UTC) on.")
@click.option("--until", callback=_day, metavar="YYYY-MM-DD", help="Only captures up to this day (UTC).")
@click.option("--crawl", metavar="CC-MAIN-YYYY-WW", help="With --source cc: one Common Crawl crawl.")
@click.option("--cdx", "cdx_url", metavar="URL", help="Another CDX endpoint, e.g. a pywb collection's /cdx.")
@click.option(
    "--replay",
    metavar="URL",
    help="ia: the Wayback prefix for {timestamp}id_/{url} (default: next to --cdx);"
    " cc: where WARC filenames are downloaded from (default: https://data.commoncrawl.org).",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between two requests to the archive (always one at a time). Be slower, never faster.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
@_friendly_errors
def backfill(
    db: Path,
    publisher: str,
    source: str,
    since: str | None,
    until: str | None,
    crawl: str | None,
    cdx_url: str | None,
    replay: str | None,
    delay: float,
    quiet: bool,
) -> None:
    """Fill DB with a publisher's past captures from a web archive.

    Lists the captures of the publisher's domain in the archive's CDX index, keeps its article URLs
    (one capture per run of identical payloads), fetches each capture's original bytes one request at
    a time (waiting on 429/503, honouring Retry-After) and stores them like a crawl's pages, dated by
    the capture's own time: an older capture becomes an earlier revision, never the current text.
    Running it again after a stop fetches only what is not archived yet. Exit 0 done, 1 failed (or
    some captures could not be fetched: run it again), 2 wrong usage.

    \b
    Example:
      vnnews backfill --db news.db --publisher baonghean --source ia --since 2019-01-01
      vnnews backfill --db news.db --publisher baonghean --source cc --crawl CC-MAIN-2024-33
      vnnews backfill --db news.db --publisher baonghean --source ia --cdx http://127.0.0.1:8080/coll/cdx
    """
    if publisher not in publishers.PUBLISHERS:
        known = ", ".join(sorted(publishers.PUBLISHERS))
        raise click.BadParameter(f"unknown publisher {publisher!r}; known: {known}", param_hint="--publisher")
    if crawl and source != "cc":
        raise click.BadParameter("--crawl needs --source cc", param_hint="--crawl")
    if crawl and not _CRAWL.match(crawl):
        raise click.BadParameter(f"{crawl!r} is not a crawl name like CC-MAIN-2024-33", param_hint="--crawl")
    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    for name, value in (("--cdx", cdx_url), ("--replay", replay)):
        if value and not value.startswith(("http://", "https://")):
            raise click.BadParameter(f"{value!r} is not an http(s) URL", param_hint=name)
    options = Options(publisher, source, since, until, crawl, cdx_url, replay, delay, quiet=quiet)
    try:
        with _interruptible("backfill"), Archive.open(db) as archive:
            summary = run_backfill(archive, options)
    except FetchFailed as error:
        raise CommandError(str(error), 1) from error
    for problem in summary.problems:
        note(f"vnnews backfill: {problem}", quiet=False)
    note(f"run {summary.run_id}: {summary.line()}", quiet)
    if summary.problems:
        raise SystemExit(1)
