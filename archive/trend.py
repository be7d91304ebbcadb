"""Term trends: how many articles mention a word or phrase per month or year, like an n-gram viewer.

A trend counts *articles that mention the term* (document frequency, with the archive's search rules:
diacritics, case and đ ignored, "a quoted phrase" as a phrase) next to all articles of the same period,
so a researcher can read both the raw count and the share. Every period between the first and the last
one of the archive (or of the window) is listed, empty periods included, so a chart's time axis is true.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from archive.search import match_expression

PERIODS = {"month": 7, "year": 4}  # prefix length of published_at that names the period
GROUPS = ("publisher", "section")


@dataclass(frozen=True)
class TrendRow:
    period: str  # "2025-03" or "2025"
    group: str | None  # the publisher or section, when grouped
    articles: int  # articles of the period (and group) that mention the term
    total: int  # all articles of the period (and group)

    @property
    def share(self) -> float:
        return self.articles / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "group": self.group,
            "articles": self.articles,
            "total": self.total,
            "share": round(self.share, 6),
        }


class TrendError(ValueError):
    """A query or option a trend cannot use; the message is one line for the user."""


def _where(since: date | None, until: date | None) -> tuple[str, list[Any]]:
    clauses = ["a.published_at IS NOT NULL"]
    params: list[Any] = []
    if since:
        clauses.append("a.published_at >= ?")
        params.append(since.isoformat())
    if until:
        clauses.append("a.published_at < ?")
        params.append((until + timedelta(days=1)).isoformat())
    return " AND ".join(clauses), params


def _counts(
    conn: sqlite3.Connection, width: int, group: str | None, where: str, params: list[Any]
) -> dict[tuple[str, str | None], int]:
    group_sql = f"a.{group}" if group else "NULL"
    sql = (
        f"SELECT substr(a.published_at, 1, {width}) AS period, {group_sql} AS grp, count(*) "
        f"FROM articles a WHERE {where} GROUP BY period, grp"
    )
    return {(period, grp): n for period, grp, n in conn.execute(sql, params)}


def _next_period(period: str) -> str:
    if len(period) == 4:
        return f"{int(period) + 1:04d}"
    year, month = int(period[:4]), int(period[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def periods_between(first: str, last: str) -> Iterator[str]:
    """Every period from ``first`` to ``last`` inclusive ("2024-11", "2024-12", "2025-01", ...)."""
    period = first
    while period <= last:
        yield period
        period = _next_period(period)


def trend(
    conn: sqlite3.Connection,
    query: str,
    by: str = "month",
    group: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[TrendRow]:
    """Articles mentioning ``query`` per period (and per ``group``), every period listed, oldest first."""
    if by not in PERIODS:
        raise TrendError(f"--by must be one of {', '.join(PERIODS)}, not {by!r}")
    if group is not None and group not in GROUPS:
        raise TrendError(f"--group must be one of {', '.join(GROUPS)}, not {group!r}")
    expression = match_expression(query)
    if expression is None:
        raise TrendError(f"the query {query!r} has no word to look for")
    width = PERIODS[by]
    where, params = _where(since, until)
    totals = _counts(conn, width, group, where, params)
    if not totals:
        return []
    hits = _counts(
        conn,
        width,
        group,
        f"{where} AND a.doc_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)",
        [*params, expression],
    )
    groups = sorted({grp for _, grp in totals}, key=lambda g: (g is None, g or ""))
    known = sorted(period for period, _ in totals)
    return [
        TrendRow(period, grp, hits.get((period, grp), 0), totals.get((period, grp), 0))
        for period in periods_between(known[0], known[-1])
        for grp in groups
    ]


def plot(rows: list[TrendRow], query: str, path: Any, share: bool = False) -> None:
    """A line per group (one line when ungrouped) of articles (or share) per period, as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(10, 4), dpi=100)
    try:
        periods = list(dict.fromkeys(row.period for row in rows))
        for grp in dict.fromkeys(row.group for row in rows):
            values = {
                row.period: (row.share * 100 if share else row.articles) for row in rows if row.group == grp
            }
            axes.plot(periods, [values.get(p, 0) for p in periods], marker=".", label=grp or query)
        axes.set_title(f"“{query}”: {'% of articles' if share else 'articles'} per period")
        axes.set_ylabel("% of articles" if share else "articles mentioning it")
        step = max(1, len(periods) // 12)
        axes.set_xticks(range(0, len(periods), step), periods[::step], rotation=45, ha="right")
        if any(row.group for row in rows):
            axes.legend(fontsize="small")
        figure.tight_layout()
        figure.savefig(path, format="png")
    finally:
        plt.close(figure)
