"""Links a cut-short run did not follow, found again from what it archived.

A run that was interrupted (Ctrl-C, SIGTERM, SIGKILL) or ran out of link budget leaves linked stories
unfollowed, and the pages that link them are archived, so no later run fetches them again. The next
crawl reads those pages back from the WARC files (captures of the runs since the last one whose links
were all followed) and follows their links like its own. A run records ``"links"`` in its summary:
``complete`` (every link followed), ``incomplete`` (not), ``off`` (VNNEWS_LINK_BUDGET=0).

Runs from before link discovery (no ``links`` in the summary) are not read again: their pages' links
are followed when those pages are fetched again. Which runs and pages: archive/unfinished.py.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from archive.unfinished import archived_pages, unfinished_runs
from archive.warc import read_response
from crawler.discovery import rebase
from crawler.links import article_links
from extraction.publishers import Publisher

logger = logging.getLogger(__name__)

# Archived pages read back per run: a cut-short first crawl of the real site may leave tens of
# thousands; reading 20,000 WARC records takes a few seconds and bounds the start of a run. The newest
# come first; older ones wait for a later run (their run stays incomplete until then).
MAX_REREAD_PAGES = 20_000


def carried_links(archive: Any, base_url: str, publisher: Publisher) -> tuple[list[str], bool]:
    """Article links of the pages the unfinished runs archived, rebased onto ``base_url``, and whether
    some pages were left for a later run (more than MAX_REREAD_PAGES)."""
    conn = archive.db.conn
    try:
        runs = unfinished_runs(conn, publisher.key)
        if not runs:
            return [], False
        rows = archived_pages(conn, runs, MAX_REREAD_PAGES + 1)
    except sqlite3.Error as error:  # the crawl itself does not depend on this: say so and go on
        logger.warning("could not look for links of unfinished runs: %s", error)
        return [], True

    partial = len(rows) > MAX_REREAD_PAGES
    rows = rows[:MAX_REREAD_PAGES]
    found: dict[str, None] = {}
    cache: dict[bytes, str | None] = {}
    for final_url, warc_file, offset in rows:
        try:
            body = read_response(archive.path.parent / warc_file, offset).body
        except (OSError, ValueError) as error:  # a WARC file moved away: its links are lost, not the run
            logger.info("could not read back %s: %s", final_url, error)
            continue
        parts = urlsplit(final_url or "")
        page_url = rebase(urlunsplit(("", "", parts.path, parts.query, "")), base_url, publisher)
        found.update(dict.fromkeys(article_links(body, page_url, base_url, publisher, cache)))
    logger.info("%d links of %d pages from unfinished runs %s", len(found), len(rows), runs)
    return list(found), partial
