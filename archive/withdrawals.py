"""Withdrawals as a report: what ``vnnews status`` and the Datasette canned query show.

Why researchers care: an article the paper takes down, or replaces by a redirect, is a finding in
itself (takedowns, corrections, political sensitivity); the archive keeps its text and revisions and
says when it went and, if it did, when it came back. Read-only: a plain sqlite3 connection is enough.
"""

from __future__ import annotations

import sqlite3
from typing import Any

# Shown by `vnnews status` (the newest first); the canned query lists them all.
STATUS_WITHDRAWALS = 10

WITHDRAWALS_SQL = """
select w.article_id, a.title, a.section, a.published_at, w.withdrawn_at, w.reason, w.restored_at, w.url
from withdrawals w join articles a on a.id = w.article_id
order by w.withdrawn_at desc, w.id desc limit ?
"""


def recent_withdrawals(conn: sqlite3.Connection, limit: int = STATUS_WITHDRAWALS) -> dict[str, Any]:
    """{"withdrawn": articles withdrawn now, "items": the newest withdrawals (restored ones too)}."""
    tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    if "withdrawals" not in tables:  # an archive from before withdrawals were recorded
        return {"withdrawn": 0, "items": []}
    withdrawn = conn.execute("select count(*) from articles where withdrawn_at is not null").fetchone()[0]
    cursor = conn.execute(WITHDRAWALS_SQL, (limit,))
    names = [column[0] for column in cursor.description]
    return {"withdrawn": withdrawn, "items": [dict(zip(names, row, strict=True)) for row in cursor]}


def render_withdrawals(report: dict[str, Any], short_time: Any) -> list[str]:
    """Text lines for ``vnnews status``; ``short_time`` formats a timestamp as DD/MM/YYYY HH:MM."""
    items = report["items"]
    if not items:
        return ["Withdrawn articles: none"]
    lines = [f"Withdrawn articles: {report['withdrawn']} withdrawn now; newest withdrawals:"]
    for item in items:
        back = f", back {short_time(item['restored_at'])}" if item["restored_at"] else ""
        lines.append(
            f"  {short_time(item['withdrawn_at'])}  {item['article_id']}  {item['reason']}{back}"
            f"  {item['title'] or ''}"
        )
    return lines
