"""``vnnews crawl`` (and the ``demo`` command, built in crawler/demo.py).

Scrapy is imported inside the command body so ``vnnews --help`` stays fast.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from archive.cliargs import DatabasePath, OutputPath
from archive.db import ArchiveError
from archive.outputs import refuse_output
from crawler import shard as sharding
from crawler.changes import parse_now, parse_recheck_after
from crawler.incremental import today_local
from crawler.lock import CrawlLocked
from crawler.options import UsageError, check_base_url, check_mirrors, check_settings
from crawler.outcome import (
    DISK_FULL_ERRNOS,
    EXIT_FAILURE,
    EXIT_LOCKED,
    EXIT_USAGE,
    exit_code,
    fatal_storage_error,
    summary_line,
)
from crawler.runner import ArchiveUnusable, combined_counts, combined_status, log_file_path, run_crawl
from extraction import publishers
from extraction.publishers import PUBLISHERS


def _fail_usage(message: str) -> None:
    click.echo(f"vnnews crawl: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _parse_setting(value: str) -> tuple[str, str]:
    name, sep, setting = value.partition("=")
    if not sep or not name.strip():
        _fail_usage(f"-s takes NAME=VALUE, not {value!r}")
    return name.strip(), setting


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail_usage(f"{option} must be a date as YYYY-MM-DD, not {value!r}")
    return None


def _check_change_settings(overrides: dict[str, str]) -> None:
    """The recheck policy and the pretend clock are parsed before the crawl starts: a typo is exit 2."""
    try:
        if "VNNEWS_RECHECK_AFTER" in overrides:
            parse_recheck_after(overrides["VNNEWS_RECHECK_AFTER"])
        if "VNNEWS_NOW" in overrides:
            parse_now(overrides["VNNEWS_NOW"])
    except ValueError as error:
        _fail_usage(str(error))


@click.command("crawl")
@click.option(
    "--db",
    "db",
    type=DatabasePath(create=True, path_type=str),
    default="news.db",
    show_default=True,
    help="Archive database to crawl into (created when missing; anything else than an archive is refused).",
)
@click.option("--since", help="Backfill: the daily sitemaps the index lists from this day on (YYYY-MM-DD).")
@click.option("--until", help="Last day of the backfill window (YYYY-MM-DD, default today).")
@click.option(
    "--publisher",
    "publisher_keys",
    multiple=True,
    metavar="NAME",
    help="Publisher to crawl (repeatable; `vnnews publishers` lists them). Default: baonghean.",
)
@click.option("all_publishers", "--all", is_flag=True, help="Crawl every publisher, side by side.")
@click.option("--base-url", help="Crawl a mirror or local copy of the site (needs exactly one publisher).")
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting (repeatable), e.g. -s DOWNLOAD_DELAY=2 -s JOBDIR=crawls/backfill.",
)
@click.option(
    "--log-file",
    type=OutputPath(dir_okay=True, path_type=str),
    help="Write this run's log to a file (or to a new crawl-<time>.log in a folder).",
)
def crawl(
    db: str,
    since: str | None,
    until: str | None,
    publisher_keys: tuple[str, ...],
    all_publishers: bool,
    base_url: str | None,
    settings: tuple[str, ...],
    log_file: str | None,
) -> None:
    """Crawl publishers into an archive: only new and changed articles (the archive is the state).

    Without --publisher or --all, crawls Báo Nghệ An (baonghean). Several publishers crawl side by
    side in one process, each polite on its own domain (one request at a time, its own delay and
    robots.txt), each recorded as its own run; the exit code is the worst of theirs.

    Without --since, reads the news sitemap, the newest daily sitemaps, the feeds and the section
    pages (baonghean's media listings /emagazine, /video, /photo, /podcast too), as each publisher's
    spec names them. With --since/--until, reads
    the sitemap index first, then the daily sitemaps the index lists for days of the window; days the
    index does not reach (newer than its newest day, older than its oldest, or all when it lists none)
    are guessed at the spec's daily sitemap path (baonghean: sitemap-article-YYYY-MM-DD.xml) a week at
    a time (-s VNNEWS_PROBE_DAYS), stopping at a week without any. Either way, article links found in
    the fetched article and section pages (related boxes, old-era URLs in a body) are followed to
    stories nothing lists, at most
    -s VNNEWS_LINK_BUDGET=5000 per run (0: off). Prints a progress line on stderr while it runs and a
    summary at the end; the run is recorded in the runs table.

    Exit codes: 0 success, 3 partial success (some pages failed), 1 failure or interrupted,
    2 wrong usage (also: --db is not a vnnews archive, --log-file would overwrite it),
    75 another crawl holds the archive's lock (nothing done).

    \b
    Example:
      vnnews crawl --db news.db
      vnnews crawl --db news.db --publisher baonghean --publisher baolaocai
      vnnews crawl --db news.db --all
      vnnews crawl --db news.db --since 2025-01-01 --until 2025-01-31 -s JOBDIR=crawls/jan
      vnnews crawl --db demo.db --base-url http://127.0.0.1:8000 -s DOWNLOAD_DELAY=0
    """
    since_day, until_day = _parse_day(since, "--since"), _parse_day(until, "--until")
    if until_day and not since_day:
        _fail_usage("--until needs --since")
    if since_day and until_day and since_day > until_day:
        _fail_usage(f"--since {since_day} is after --until {until_day}")
    overrides = dict(_parse_setting(value) for value in settings)
    keys = _publishers(publisher_keys, all_publishers)
    if base_url is not None and len(keys) != 1:
        _fail_usage(f"--base-url needs exactly one publisher, not {len(keys)} ({', '.join(keys)})")
    try:  # before anything is created or started: wrong usage leaves no trace
        base_url = check_base_url(base_url) if base_url is not None else None
        check_settings(overrides)
        check_mirrors(overrides.get("VNNEWS_BASE_URLS"))
    except UsageError as error:
        _fail_usage(str(error))
    _check_change_settings(overrides)
    log_path = log_file_path(log_file)
    try:
        if log_path:  # the log is truncated when the crawl starts: never the archive or its files
            refuse_output(Path(log_path), "--log-file", archives=[Path(db)])
        results = run_crawl(
            db,
            publishers=keys,
            base_url=base_url,
            since=since_day,
            until=until_day,
            overrides=overrides,
            log_file=log_path,
        )
    except CrawlLocked as error:
        click.echo(f"vnnews crawl: {error}", err=True)
        sys.exit(EXIT_LOCKED)
    except (ArchiveUnusable, ArchiveError) as error:  # exit 2: not an archive; 1: locked, read-only...
        click.echo(f"vnnews crawl: {error}", err=True)
        sys.exit(getattr(error, "exit_code", EXIT_FAILURE))
    except OSError as error:  # e.g. no permission to create the lock file beside the database
        if error.errno in DISK_FULL_ERRNOS:  # worded like a full disk met during the crawl
            click.echo(f"vnnews crawl: {fatal_storage_error(error, db)}", err=True)
        else:
            click.echo(f"vnnews crawl: {error.strerror or error}: {error.filename or db}", err=True)
        sys.exit(EXIT_FAILURE)
    sys.exit(_report(results))


def _publishers(given: tuple[str, ...], every: bool) -> list[str]:
    """The publishers to crawl, in order, each once; baonghean when none is named (every crawl line
    written before there were several publishers keeps its meaning)."""
    if every and given:
        _fail_usage("--all and --publisher exclude each other")
    if every:
        return sorted(PUBLISHERS)
    unknown = [key for key in given if key not in PUBLISHERS]
    if unknown:
        _fail_usage(f"unknown publisher {unknown[0]!r}; known: {', '.join(sorted(PUBLISHERS))}")
    return list(dict.fromkeys(given)) or ["baonghean"]


def _report(results: list[Any]) -> int:
    """One summary line per publisher's run (and a total for several); the exit code of them all."""
    several = len(results) > 1
    for result in results:
        who = f"{result.publisher}: " if several else ""
        if result.fatal:  # the crawl stopped early: the cause on stderr, the run's counters on stdout
            click.echo(f"vnnews crawl: {who}{result.fatal}", err=True)
        run = f"run {result.run_id}" if result.run_id is not None else "no run recorded"
        name = f" {result.publisher}" if several else ""
        click.echo(
            f"crawl{name} {result.status} ({run}, {result.elapsed:.1f}s): "
            f"{summary_line(result.counts, result.elapsed)}"
        )
    status = combined_status([result.status for result in results])
    if several:
        elapsed = max(result.elapsed for result in results)
        click.echo(
            f"crawl {status} ({len(results)} publishers, {elapsed:.1f}s): "
            f"{summary_line(combined_counts(results), elapsed)}"
        )
    return exit_code(status)


def _pairs(values: tuple[str, ...], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"takes NAME=VALUE, not {value!r}", param_hint=option)
        pairs.append((name.strip(), setting))
    return pairs


@click.command("shard")
@click.option(
    "--node", "nodes", multiple=True, required=True, metavar="URL", help="A Scrapyd node (repeatable)."
)
@click.option(
    "--node-archive",
    "template",
    required=True,
    metavar="TEMPLATE",
    help="Archive path on the node (VNNEWS_DB); {node} (its number on this command line), {host} and"
    " {publisher} are filled in, e.g. /var/lib/vnnews/node{node}.db.",
)
@click.option(
    "--publisher", "chosen", multiple=True, metavar="KEY", help="Only these publishers (default: all)."
)
@click.option(
    "--since", help="Backfill window (YYYY-MM-DD): each publisher's window is cut into one slice per node."
)
@click.option("--until", help="Last day of the window (YYYY-MM-DD, default today).")
@click.option(
    "-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting for every job."
)
@click.option(
    "-a", "spider_args", multiple=True, metavar="NAME=VALUE", help="A spider argument, e.g. -a base_url=..."
)
@click.option(
    "--project", default="vnnews", show_default=True, help="The Scrapyd project the egg was added as."
)
@click.option("--dry-run", is_flag=True, help="Print the plan; ask no node.")
def shard(
    nodes: tuple[str, ...],
    template: str,
    chosen: tuple[str, ...],
    since: str | None,
    until: str | None,
    settings: tuple[str, ...],
    spider_args: tuple[str, ...],
    project: str,
    dry_run: bool,
) -> None:
    """Shard the publishers over Scrapyd nodes and schedule each node's share (docs/scaling.md).

    Each publisher goes to one node (rendezvous hashing of node URL and publisher: the same plan every
    time, and adding a node moves only the publishers it takes); with --since, each publisher's window
    is cut into one slice of days per node instead. Every job crawls into its node's own archive
    (VNNEWS_DB from --node-archive); `vnnews merge` folds the node archives into one. Prints one line
    per job: node, spider, publisher, window, archive, job id. Exit 0 all scheduled, 1 a node failed
    (the others were scheduled), 2 wrong usage.

    \b
    Example:
      vnnews shard --node http://10.0.0.1:6800 --node http://10.0.0.2:6800 \\
          --node-archive /var/lib/vnnews/node{node}.db -s VNNEWS_CONTACT_URL=https://example.org/contact
    """
    try:
        urls = list(dict.fromkeys(sharding.node_url(node) for node in nodes))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--node") from None
    unknown = sorted(set(chosen) - set(publishers.PUBLISHERS))
    if unknown:
        known = ", ".join(sorted(publishers.PUBLISHERS))
        raise click.BadParameter(
            f"unknown publisher {unknown[0]!r}; known: {known}", param_hint="--publisher"
        )
    first = _checked_day(since, "--since")
    last = _checked_day(until, "--until")
    if last and not first:
        raise click.BadParameter("needs --since", param_hint="--until")
    if first:
        last = last or today_local()
        if first > last:
            raise click.BadParameter(f"{first} is after --until {last}", param_hint="--since")
    try:
        template.format(node=1, host="h", publisher="p")
    except (KeyError, IndexError, ValueError) as error:
        raise click.BadParameter(f"{template!r}: {error}; use {{node}}, {{host}}, {{publisher}}") from None
    overrides = _pairs(settings, "-s")
    try:
        check_settings(dict(overrides))
    except UsageError as error:
        raise click.BadParameter(str(error), param_hint="-s") from None
    chosen_publishers = sorted(chosen or publishers.PUBLISHERS)
    arguments = _pairs(spider_args, "-a")
    if any(name == "base_url" for name, _ in arguments) and len(chosen_publishers) != 1:
        # One copy's URL for every publisher would crawl one site under several publishers' names.
        raise click.BadParameter("-a base_url=... needs exactly one --publisher", param_hint="-a")
    shards = sharding.plan(chosen_publishers, urls, first, last)
    if dry_run:
        for item in shards:
            click.echo("\t".join((item.node, item.publisher, item.window, item.archive(template))))
        return
    scheduled = sharding.schedule(shards, project, template, overrides, arguments)
    # A dead node fails every job of its share the same way: one line per distinct error, with a count.
    failed: dict[str, int] = {}
    for job in scheduled:
        if job.error:
            failed[job.error] = failed.get(job.error, 0) + 1
        else:
            click.echo(
                "\t".join(
                    (
                        job.shard.node,
                        job.spider,
                        job.shard.publisher,
                        job.shard.window,
                        job.archive,
                        job.job or "",
                    )
                )
            )
    for problem, count in failed.items():
        jobs = f" ({count} jobs not scheduled)" if count > 1 else ""
        click.echo(f"vnnews shard: {problem}{jobs}", err=True)
    if failed:
        sys.exit(EXIT_FAILURE)


def _checked_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"must be a date as YYYY-MM-DD, not {value!r}", param_hint=option) from None
