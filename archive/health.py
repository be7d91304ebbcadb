"""Template health, the part of `vnnews status` that sees a site redesign: the share of recent
articles that fell back to the generic parser, of recent pages that gave no article, and the fill rate
of the fields the templates usually fill, against the older articles (what is usual); archive-wide
and for each publisher on its own row (docs/scheduling.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

# Fields the site templates fill on nearly every article; a drop in their fill rate is the first sign
# of a redesign (the selectors still match the page but find nothing).
TEMPLATE_FIELDS = ("authors", "published_at", "section", "lead")
# Capture outcomes of a 200 page that gave no article: its template is no longer understood.
UNEXTRACTED_OUTCOMES = ("not_article", "error")

WARN_GENERIC_SHARE = 0.10  # more than 1 recent page in 10 on the generic fallback parser
WARN_UNEXTRACTED_SHARE = 0.10  # more than 1 fetched article page in 10 yields no article at all
WARN_FIELD_DROP = 0.20  # a field filled 20 percentage points less often than usual
USUAL_MIN_FILL = 0.80  # only fields the template "usually fills" (>= 80 % of older articles) are judged
MIN_BASELINE = 20  # fewer older articles than this is no basis for "usual"


def _field_filled(column: str) -> str:
    # authors is a JSON array: "[]" means the byline selector found nobody.
    if column == "authors":
        return "(authors is not null and authors not in ('', '[]'))"
    return f"({column} is not null and trim({column}) != '')"


_SHARES_COLUMNS = ", ".join(
    ["count(*) as n", "sum(parser = 'generic') as generic"]
    + [f"sum({_field_filled(field)}) as {field}" for field in TEMPLATE_FIELDS]
)


def _shares(conn: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> dict[str, Any]:
    row = conn.execute(f"select {_SHARES_COLUMNS} from articles where {where}", params).fetchone()
    return _shares_of(row)


def _shares_by_publisher(
    conn: sqlite3.Connection, where: str, params: tuple[Any, ...]
) -> dict[str, dict[str, Any]]:
    rows = conn.execute(
        f"select publisher, {_SHARES_COLUMNS} from articles where {where} group by publisher", params
    )
    return {str(row["publisher"]): _shares_of(row) for row in rows}


def _shares_of(row: Mapping[str, Any] | sqlite3.Row) -> dict[str, Any]:
    count = row["n"] or 0
    if count == 0:
        return {"articles": 0, "generic_share": None, "fill": {field: None for field in TEMPLATE_FIELDS}}
    return {
        "articles": count,
        "generic_share": round((row["generic"] or 0) / count, 3),
        "fill": {field: round((row[field] or 0) / count, 3) for field in TEMPLATE_FIELDS},
    }


def _unextracted_share(conn: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> dict[str, Any]:
    # The crawler requests article URLs only, so a 200 page that yields no article (not_article, error)
    # is a page whose template the extractor no longer understands.
    marks = ",".join("?" * len(UNEXTRACTED_OUTCOMES))
    row = conn.execute(
        f"select count(*), sum(outcome in ({marks})) from captures where status = 200"
        f" and run_id in (select id from runs where kind = 'crawl') and {where}",
        (*UNEXTRACTED_OUTCOMES, *params),
    ).fetchone()
    pages = row[0] or 0
    return {"pages": pages, "unextracted_share": round((row[1] or 0) / pages, 3) if pages else None}


def template_health(conn: sqlite3.Connection, cutoff: str, days: float) -> dict[str, Any]:
    """Recent articles (fetched since ``cutoff``, the last ``days``) against the older ones, which
    tell what is usual."""
    recent = _shares(conn, "last_fetched_at >= ?", (cutoff,))
    usual = _shares(conn, "last_fetched_at < ?", (cutoff,))
    recent.update(_unextracted_share(conn, "fetched_at >= ?", (cutoff,)))
    usual.update(_unextracted_share(conn, "fetched_at < ?", (cutoff,)))
    return {
        "days": days,
        "since": cutoff,
        "recent": recent,
        "usual": usual,
        "warnings": health_warnings(recent, usual),
        "publishers": publisher_health(conn, cutoff),
    }


def publisher_health(conn: sqlite3.Connection, cutoff: str) -> dict[str, dict[str, Any]]:
    """The same shares for each publisher on its own, so a redesign of one site shows on its row
    instead of being averaged away by the others. Pages without an article have no publisher
    column (captures are URLs), so that share stays archive-wide."""
    recent = _shares_by_publisher(conn, "last_fetched_at >= ?", (cutoff,))
    usual = _shares_by_publisher(conn, "last_fetched_at < ?", (cutoff,))
    empty = _shares_of({"n": 0})
    report = {}
    for publisher in sorted({*recent, *usual}):
        mine = {**recent.get(publisher, empty), "pages": 0, "unextracted_share": None}
        before = {**usual.get(publisher, empty), "pages": 0, "unextracted_share": None}
        warnings = [f"{publisher}: {warning}" for warning in health_warnings(mine, before)]
        report[publisher] = {"recent": mine, "usual": before, "warnings": warnings}
    return report


def health_warnings(recent: dict[str, Any], usual: dict[str, Any]) -> list[str]:
    warnings = []
    lost = recent["unextracted_share"]
    lost_usual = usual["unextracted_share"] if usual["pages"] >= MIN_BASELINE else 0.0
    if lost is not None and lost >= WARN_UNEXTRACTED_SHARE and lost > (lost_usual or 0.0) + 0.05:
        warnings.append(
            f"{lost:.0%} of recently fetched article pages gave no article (usually {lost_usual or 0:.0%}):"
            " has the site changed its templates?"
        )
    if recent["articles"] == 0:
        return [*warnings, "no articles fetched in the window"]
    has_baseline = usual["articles"] >= MIN_BASELINE
    generic_usual = usual["generic_share"] if has_baseline else 0.0
    if recent["generic_share"] >= WARN_GENERIC_SHARE and recent["generic_share"] > generic_usual + 0.05:
        warnings.append(
            f"{recent['generic_share']:.0%} of recent articles fell back to the generic parser"
            f" (usually {generic_usual:.0%}): has the site changed its templates?"
        )
    if not has_baseline:
        return warnings
    for field in TEMPLATE_FIELDS:
        before, now_share = usual["fill"][field], recent["fill"][field]
        if before >= USUAL_MIN_FILL and now_share <= before - WARN_FIELD_DROP:
            warnings.append(
                f"{field} filled in {now_share:.0%} of recent articles, usually {before:.0%}:"
                " the template may have changed"
            )
    return warnings


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _with_usual(recent: float | None, usual: float | None) -> str:
    return f"{percent(recent)} ({percent(usual)})"


def render_publishers(publishers: dict[str, dict[str, Any]]) -> list[str]:
    """One row per publisher: recent articles, generic share and fill rates, usual in brackets."""
    if not publishers:
        return []
    heads = ("publisher", "recent", "generic", *TEMPLATE_FIELDS)
    width = max(len("publisher"), *(len(name) for name in publishers))
    lines = ["Per publisher (recent, usual in brackets):"]
    lines.append(f"  {heads[0]:<{width}} {heads[1]:>6}  " + "  ".join(f"{h:<12}" for h in heads[2:]))
    for name, health in publishers.items():
        recent, usual = health["recent"], health["usual"]
        cells = [_with_usual(recent["generic_share"], usual["generic_share"])]
        cells += [_with_usual(recent["fill"][f], usual["fill"][f]) for f in TEMPLATE_FIELDS]
        lines.append(f"  {name:<{width}} {recent['articles']:>6}  " + "  ".join(f"{c:<12}" for c in cells))
    return lines


def render_health(health: dict[str, Any]) -> list[str]:
    recent, usual = health["recent"], health["usual"]
    lines = [
        f"Template health: {recent['articles']} articles fetched in the last {health['days']:g} days,"
        f" {usual['articles']} before (usual)"
    ]
    lost, usual_lost = percent(recent["unextracted_share"]), percent(usual["unextracted_share"])
    lines.append(f"  {'pages, no article':<19} {lost:>5}  usual {usual_lost}  ({recent['pages']} pages)")
    generic, usual_generic = percent(recent["generic_share"]), percent(usual["generic_share"])
    lines.append(f"  {'generic parser':<19} {generic:>5}  usual {usual_generic}")
    for field in TEMPLATE_FIELDS:
        recent_fill, usual_fill = percent(recent["fill"][field]), percent(usual["fill"][field])
        lines.append(f"  {field + ' filled':<19} {recent_fill:>5}  usual {usual_fill}")
    return lines
