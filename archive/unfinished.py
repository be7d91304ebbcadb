"""Crawl runs whose links were not all followed, and the pages they archived: what the next crawl of
the publisher reads back to follow those links (crawler/relink.py). The archive owns the runs and the
captures, so their SQL lives here; the crawler only parses the pages.

A run records ``"links"`` in its summary: ``complete`` (every link followed), ``incomplete`` (not),
``off`` (VNNEWS_LINK_BUDGET=0). A run killed before it could write a summary counts as incomplete.
"""

from __future__ import annotations

import json
from typing import Any

from archive.crawlstate import FIRST_PUBLISHER, RUN_PUBLISHER

# Crawl runs looked back at: a scheduler's hourly runs cut short one after another.
MAX_RUNS_BACK = 50


def unfinished_runs(conn: Any, publisher: str = FIRST_PUBLISHER) -> list[int]:
    """A publisher's crawl runs, newest first, back to the last one whose links were all followed."""
    runs = []
    rows = conn.execute(
        "SELECT id, summary FROM runs WHERE kind = 'crawl' AND status != 'running'"
        f" AND {RUN_PUBLISHER} = ? ORDER BY id DESC LIMIT ?",
        (publisher, MAX_RUNS_BACK),
    ).fetchall()
    for run_id, summary in rows:
        try:
            data = json.loads(summary) if summary else {}
        except ValueError:
            data = None
        if not isinstance(data, dict):
            break
        links = data.get("links")
        if links is None and (not data or data.get("closed_as_stale")):
            links = "incomplete"  # killed (SIGKILL, power cut): closed by a later run, no summary of its own
        if links != "incomplete":
            break
        runs.append(run_id)
    return runs


def archived_pages(conn: Any, runs: list[int], limit: int) -> list[tuple[str | None, str, int]]:
    """(final URL, WARC file, offset) of the articles ``runs`` archived (200, with a WARC record),
    newest first, at most ``limit``."""
    marks = ",".join("?" * len(runs))
    return conn.execute(
        f"SELECT final_url, warc_file, warc_offset FROM captures WHERE run_id IN ({marks})"
        " AND status = 200 AND article_id IS NOT NULL AND warc_file IS NOT NULL ORDER BY id DESC LIMIT ?",
        (*runs, limit),
    ).fetchall()
