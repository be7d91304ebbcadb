"""`vnnews status DB`: what an operator checks in the morning.

Reads the archive's public tables (runs, captures, articles; see docs/architecture.md) through a
read-only SQLite connection, so it is safe to run while a crawl is writing and never creates or
migrates a database by accident. Its one write: runs left ``running`` by a process that is gone are
recorded as interrupted (archive/runs.py), when the file is writable; otherwise they are only shown so.
`build_status` returns plain data (the `--json` output);
`render_text` turns it into the compact human report.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import click

from archive import runs as run_lifecycle
from archive.cliargs import DatabasePath
from archive.db import ArchiveError, readonly_uri
from archive.health import render_health, render_publishers, template_health
from archive.paths import require_archive
from archive.withdrawals import recent_withdrawals, render_withdrawals
from extraction.dates import VN_TZ as LOCAL_TZ  # every timestamp in the archive uses +07:00

# Runs that count as "crawling works" for --max-age: a partial run (exit 3) still archived articles.
SUCCESSFUL_STATUSES = ("success", "partial")
FAILED_OUTCOMES = ("error", "http_error", "fetch_error")


class StatusError(Exception):
    """The file is not an archive the status report can read."""


def connect_readonly(db_path: Path) -> sqlite3.Connection:
    try:  # the guard every command runs (the command line already ran it through DatabasePath)
        require_archive(db_path)
    except ArchiveError as error:
        raise StatusError(str(error)) from None
    conn = sqlite3.connect(readonly_uri(db_path), uri=True)  # immutable=1 on read-only media
    conn.row_factory = sqlite3.Row
    try:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StatusError(f"{db_path} is not an SQLite database ({error})") from None
    missing = {"runs", "captures", "articles"} - tables
    if missing:
        conn.close()
        raise StatusError(f"{db_path} is not a vnnews archive (missing tables: {', '.join(sorted(missing))})")
    return conn


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    # A naive timestamp would be a bug elsewhere; read it as local time rather than crash the report.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL_TZ)


def hours_between(earlier: str | None, now: datetime) -> float | None:
    moment = parse_time(earlier)
    return None if moment is None else round((now - moment).total_seconds() / 3600, 2)


def recent_runs(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        "select id, kind, started_at, finished_at, status, pages_fetched, articles_new, articles_changed,"
        " articles_unchanged, errors from runs order by started_at desc, id desc limit ?",
        (limit,),
    ).fetchall()
    return [dict(row) for row in rows]


def last_successful_crawl(conn: sqlite3.Connection, now: datetime) -> dict[str, Any] | None:
    marks = ",".join("?" * len(SUCCESSFUL_STATUSES))
    row = conn.execute(
        f"select id, status, finished_at from runs where kind = 'crawl' and status in ({marks})"
        " and finished_at is not null order by finished_at desc, id desc limit 1",
        SUCCESSFUL_STATUSES,
    ).fetchone()
    if row is None:
        return None
    return {**dict(row), "age_hours": hours_between(row["finished_at"], now)}


def newest_article(conn: sqlite3.Connection, now: datetime) -> dict[str, Any] | None:
    row = conn.execute(
        "select id, title, published_at, first_seen_at from articles"
        " where published_at is not null order by published_at desc limit 1"
    ).fetchone()
    if row is None:
        return None
    return {**dict(row), "age_hours": hours_between(row["published_at"], now)}


def failures_of_run(conn: sqlite3.Connection, run_id: int | None, examples: int = 5) -> dict[str, Any]:
    if run_id is None:
        return {"run_id": None, "count": 0, "by_outcome": {}, "examples": []}
    marks = ",".join("?" * len(FAILED_OUTCOMES))
    where = f"from captures where run_id = ? and outcome in ({marks})"
    params = (run_id, *FAILED_OUTCOMES)
    by_outcome = {
        row[0]: row[1] for row in conn.execute(f"select outcome, count(*) {where} group by outcome", params)
    }
    sample = conn.execute(
        f"select url, status, outcome, error {where} order by id limit ?", (*params, examples)
    )
    return {
        "run_id": run_id,
        "count": sum(by_outcome.values()),
        "by_outcome": by_outcome,
        "examples": [dict(row) for row in sample],
    }


def gone_of_run(conn: sqlite3.Connection, run_id: int | None, examples: int = 3) -> dict[str, Any]:
    """URLs never archived that answered 404/410 in the run (a listed article taken down before we
    came, a dead link in a page's body): findings about the site, shown apart from failures."""
    if run_id is None:
        return {"run_id": None, "count": 0, "examples": []}
    where = "from captures where run_id = ? and outcome = 'gone'"
    (count,) = conn.execute(f"select count(*) {where}", (run_id,)).fetchone()
    sample = conn.execute(f"select url, status, error {where} order by id limit ?", (run_id, examples))
    return {"run_id": run_id, "count": count, "examples": [dict(row) for row in sample]}


# How long status waits for a writer before it leaves closing stale runs to the next writer: the morning
# check must not hang behind a long import.
CLOSE_STALE_TIMEOUT = 2.0


def close_stale_runs(db_path: Path, conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Runs left ``running`` by a process that is gone (archive/runs.py): closed as interrupted when
    the archive can be written, else only reported. Each: id, kind, reason, recorded."""
    stale = run_lifecycle.stale_runs(conn)
    if not stale:
        return []
    closed: list[int] = []
    if os.access(db_path, os.W_OK) and os.access(db_path.parent, os.W_OK):
        writer = sqlite3.connect(str(db_path), timeout=CLOSE_STALE_TIMEOUT)
        try:
            closed = run_lifecycle.close_stale(writer)
        except sqlite3.Error:
            pass  # locked or read-only after all: the next writer closes them; show them as interrupted
        finally:
            writer.close()
    return [{**run, "recorded": run["id"] in closed} for run in stale]


def build_status(
    db_path: Path, now: datetime | None = None, runs: int = 5, days: float = 7, close_stale: bool = True
) -> dict[str, Any]:
    """The report as plain data. ``close_stale``: record runs whose process is gone as interrupted
    when the archive is writable (the only write status makes); they are shown interrupted either way."""
    now = now or datetime.now(LOCAL_TZ)
    conn = connect_readonly(db_path)
    try:
        stale = close_stale_runs(db_path, conn) if close_stale else run_lifecycle.stale_runs(conn)
        stale_ids = {run["id"] for run in stale}
        run_rows = recent_runs(conn, runs)
        for run in run_rows:
            if run["id"] in stale_ids and run["status"] == "running":
                run["status"] = "interrupted"  # its process is gone; not recorded (read-only archive)
        totals = conn.execute(
            "select (select count(*) from articles) as articles, (select count(*) from captures) as captures"
        ).fetchone()
        return {
            "db": str(db_path),
            "now": now.astimezone(LOCAL_TZ).isoformat(timespec="seconds"),
            "articles": totals["articles"],
            "captures": totals["captures"],
            "runs": run_rows,
            "stale_runs": [{**run, "recorded": run.get("recorded", False)} for run in stale],
            "last_success": last_successful_crawl(conn, now),
            "newest_article": newest_article(conn, now),
            "failures": failures_of_run(conn, run_rows[0]["id"] if run_rows else None),
            "gone": gone_of_run(conn, run_rows[0]["id"] if run_rows else None),
            "health": template_health(conn, _cutoff(now, days), days),
            "withdrawals": recent_withdrawals(conn),
        }
    finally:
        conn.close()


def _cutoff(now: datetime, days: float) -> str:
    return (now - timedelta(days=days)).astimezone(LOCAL_TZ).isoformat(timespec="seconds")


def is_stale(report: dict[str, Any], max_age_hours: float) -> bool:
    last = report["last_success"]
    return last is None or last["age_hours"] is None or last["age_hours"] > max_age_hours


def _short_time(value: str | None) -> str:
    moment = parse_time(value)
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M") if moment else "-"


def _age(hours: float | None) -> str:
    if hours is None:
        return "?"
    if abs(hours) < 1:
        return f"{round(hours * 60)} min"
    return f"{hours:.1f} h" if abs(hours) < 48 else f"{hours / 24:.1f} days"


def render_runs(runs: list[dict[str, Any]]) -> list[str]:
    header = ("run", "kind", "started", "status", "pages", "new", "chg", "err")
    lines = ["  {:>4}  {:<7} {:<16}  {:<11} {:>6} {:>5} {:>4} {:>4}".format(*header)]
    for run in runs:
        lines.append(
            f"  {run['id']:>4}  {run['kind'] or '-':<7} {_short_time(run['started_at']):<16}  "
            f"{run['status'] or '-':<11} {run['pages_fetched'] or 0:>6} {run['articles_new'] or 0:>5} "
            f"{run['articles_changed'] or 0:>4} {run['errors'] or 0:>4}"
        )
    return lines


def render_text(report: dict[str, Any], max_age_hours: float | None = None) -> str:
    lines = [f"vnnews status {report['db']}  (now {_short_time(report['now'])} +07:00)"]
    last = report["last_success"]
    if last is None:
        lines.append("Last successful crawl: none")
    else:
        lines.append(
            f"Last successful crawl: run {last['id']} ({last['status']}), finished "
            f"{_short_time(last['finished_at'])}, {_age(last['age_hours'])} ago"
        )
    if max_age_hours is not None:
        verdict = "STALE" if is_stale(report, max_age_hours) else "OK"
        lines[-1] += f"  [{verdict}: limit {max_age_hours:g} h]"
    newest = report["newest_article"]
    if newest is None:
        lines.append("Newest article: none")
    else:
        published, age = _short_time(newest["published_at"]), _age(newest["age_hours"])
        lines.append(f"Newest article: published {published} ({age} ago): {newest['title']}")
    lines.append(f"Archive: {report['articles']} articles, {report['captures']} captures")
    lines.append("")
    lines.append("Recent runs (new = articles added):" if report["runs"] else "Recent runs: none")
    if report["runs"]:
        lines.extend(render_runs(report["runs"]))
    for run in report.get("stale_runs", []):
        done = "recorded as interrupted" if run["recorded"] else "shown as interrupted (archive not writable)"
        lines.append(f"Run {run['id']} ({run['kind']}): {run['reason']}; {done}")
    failures = report["failures"]
    if failures["count"]:
        kinds = ", ".join(f"{outcome} {count}" for outcome, count in sorted(failures["by_outcome"].items()))
        lines.append(f"Failed pages in run {failures['run_id']}: {failures['count']} ({kinds})")
        for example in failures["examples"]:
            reason = example["error"] or f"HTTP {example['status']}"
            lines.append(f"  {example['outcome']:<10} {example['url']}  {reason}")
    gone = report.get("gone") or {"count": 0}
    if gone["count"]:
        lines.append(
            f"Gone in run {gone['run_id']}: {gone['count']} (never archived, answered 404/410: not failures)"
        )
        for example in gone["examples"]:
            lines.append(f"  gone       {example['url']}  {example['error'] or example['status']}")
    lines.extend(render_withdrawals(report["withdrawals"], _short_time))
    lines.append("")
    lines.extend(render_health(report["health"]))
    publishers = report["health"].get("publishers", {})
    lines.extend(render_publishers(publishers))
    warnings = [
        *report["health"]["warnings"],
        *(warning for health in publishers.values() for warning in health["warnings"]),
    ]
    if warnings:
        lines.append("Warnings:")
        lines.extend(f"  ! {warning}" for warning in warnings)
    return "\n".join(lines)


@click.command("status")
@click.argument("db", type=DatabasePath())
@click.option(
    "--runs", default=5, show_default=True, type=click.IntRange(1), help="How many recent runs to list."
)
@click.option(
    "--days",
    default=7.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Window of 'recent' articles for the template-health check.",
)
@click.option(
    "--max-age",
    "max_age",
    type=click.FloatRange(min=0),
    metavar="HOURS",
    help="Exit 1 when the last successful crawl finished more than HOURS ago (or never): for monitoring.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON for machines.")
def status(db: Path, runs: int, days: float, max_age: float | None, as_json: bool) -> None:
    """Report the health of the archive DB: what to check in the morning.

    Lists the last runs (pages fetched, articles added, errors; a run whose process was killed is
    recorded as interrupted when DB is writable, and shown so anyway), the failed pages of the latest run,
    the newest withdrawals (articles the site took down, with dates), the age of the newest article and
    of the last successful crawl (success or partial), and the share of recent articles that fell back
    to the generic parser or lost a field the site template usually fills (authors, published_at,
    section, lead) -- a site redesign shows there first.

    Exit status: 0, or 1 with --max-age when the last successful crawl is older than HOURS
    (or there is none), 2 when DB is not a readable archive.

    \b
    Example:
      vnnews status news.db
      vnnews status news.db --max-age 3 --json
    """
    try:
        report = build_status(db, runs=runs, days=days)
    except (StatusError, sqlite3.Error) as error:
        click.echo(f"vnnews status: {error}", err=True)
        sys.exit(2)
    if max_age is not None:
        report["max_age_hours"], report["stale"] = max_age, is_stale(report, max_age)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(report, max_age))
    if max_age is not None and is_stale(report, max_age):
        if as_json:  # the text report already says STALE; keep stdout valid JSON and say it on stderr
            click.echo(f"stale: no successful crawl in the last {max_age:g} hours", err=True)
        sys.exit(1)
