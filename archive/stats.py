"""Archive statistics: counts per month, section, author and parser; failures; revisions; a plot."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

_MONTH = re.compile(r"^\d{4}-\d{2}$")

QUERIES: dict[str, str] = {
    "articles per publisher": """SELECT publisher, count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1""",
    "articles per month": """SELECT coalesce(published_month, '(no date)'), count(*) FROM articles
        GROUP BY 1 ORDER BY 1""",
    "articles per section": """SELECT coalesce(section, '(none)'), count(*) FROM articles
        GROUP BY 1 ORDER BY 2 DESC, 1""",
    "articles per author": """SELECT author, count(*) FROM article_authors GROUP BY 1 ORDER BY 2 DESC, 1""",
    "articles per parser": """SELECT coalesce(parser, '(unknown)'), count(*) FROM articles
        GROUP BY 1 ORDER BY 2 DESC, 1""",
    "captures per outcome": """SELECT coalesce(outcome, '(none)'), count(*) FROM captures
        GROUP BY 1 ORDER BY 2 DESC, 1""",
    "extraction failures": """SELECT coalesce(error, '(no reason)'), count(*) FROM captures
        WHERE outcome = 'error' GROUP BY 1 ORDER BY 2 DESC, 1""",
}


def collect(conn: sqlite3.Connection, top: int | None = 20) -> dict[str, Any]:
    """Every statistic as plain data (the ``--json`` output); ``top`` limits the long tables."""
    result: dict[str, Any] = {}
    totals = conn.execute(
        """SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM captures),
                  (SELECT count(*) FROM revisions), (SELECT count(*) FROM articles WHERE revision_count > 0),
                  (SELECT count(*) FROM captures WHERE outcome = 'error'),
                  (SELECT min(published_at) FROM articles), (SELECT max(published_at) FROM articles)"""
    ).fetchone()
    result["totals"] = dict(
        zip(
            (
                "articles",
                "captures",
                "revisions",
                "articles_revised",
                "extraction_failures",
                "oldest",
                "newest",
            ),
            totals,
            strict=True,
        )
    )
    for name, sql in QUERIES.items():
        limit = "" if name == "articles per month" or top is None else f" LIMIT {int(top)}"
        result[name] = [list(row) for row in conn.execute(sql + limit)]
    return result


def render(stats: dict[str, Any]) -> str:
    lines = [f"{name}: {value}" for name, value in stats["totals"].items()]
    for name in QUERIES:
        table = stats[name]
        lines.append("")
        lines.append(f"{name.capitalize()}:")
        if not table:
            lines.append("  (none)")
        width = max((len(str(label)) for label, _ in table), default=0)
        lines.extend(f"  {str(label).ljust(width)}  {number:>8}" for label, number in table)
    return "\n".join(lines) + "\n"


def every_month(counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """(YYYY-MM, count) from the first month to the last, the months without articles as 0: a chart
    that skipped them would draw 2016-02 right beside 2022-01."""
    known = {month: number for month, number in counts if _MONTH.match(str(month))}
    if not known:
        return []
    first, last = min(known), max(known)
    year, month = int(first[:4]), int(first[5:7])
    filled = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        filled.append((key, known.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled


def plot_months(conn: sqlite3.Connection, path: Path) -> int:
    """A bar chart of articles per month as PNG; returns the number of months plotted."""
    import matplotlib  # imported here: heavy, and only this command needs it

    matplotlib.use("Agg")
    from matplotlib import pyplot

    months = every_month(
        conn.execute(
            "SELECT published_month, count(*) FROM articles"
            " WHERE published_month IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).fetchall()
    )
    figure, axes = pyplot.subplots(figsize=(max(6.0, min(24.0, len(months) * 0.3)), 4))
    labels = [month for month, _ in months]
    axes.bar(range(len(months)), [number for _, number in months], color="#2b6cb0")
    step = max(1, len(labels) // 24)
    axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=60, ha="right", fontsize=8)
    axes.set_ylabel("articles")
    axes.set_title("Articles per month (published_at)")
    figure.tight_layout()
    figure.savefig(path, format="png", dpi=100)
    pyplot.close(figure)
    return len(months)
