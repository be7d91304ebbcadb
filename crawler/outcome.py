"""How a crawl went, from its counters: the run status stored in the archive and the exit code.

Pure functions: the pipeline records the status, ``vnnews crawl`` turns it into the exit code, the
progress line and the summary print the same counters.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from typing import Any

from archive.ingest import OUTCOMES

EXIT_SUCCESS = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_LOCKED = 75  # EX_TEMPFAIL: another crawl holds the archive; try again later

EXIT_CODES = {
    "success": EXIT_SUCCESS,
    "partial": EXIT_PARTIAL,
    "failed": EXIT_FAILURE,
    "interrupted": EXIT_FAILURE,
}

# The system refused a write because there is no room: the disk, the quota or RLIMIT_FSIZE. Alike: the
# crawl must stop, since every further page would fail the same way.
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}

# Scrapy close reasons that mean "someone stopped us" rather than "the work is done".
_INTERRUPTED_REASONS = {"shutdown", "cancelled"}


def counters(stats: Mapping[str, Any]) -> dict[str, int]:
    """The crawl's counters from Scrapy's stats (keys set by the spider and the pipeline)."""

    def get(key: str) -> int:
        return int(stats.get(f"vnnews/{key}", 0) or 0)

    outcomes = {
        name: get(f"outcome/{name}")
        # A fetch_error is not a stored page: the spider counts those as download_errors.
        for name in OUTCOMES
        if name != "fetch_error"
    }
    return {
        # A dead link's answer (crawler/links.py) is a page fetched and stored, not an HTTP error.
        "pages_fetched": sum(outcomes.values()) + get("links_dead"),
        "articles_new": outcomes["new"],
        "articles_changed": outcomes["changed"],
        "articles_unchanged": outcomes["unchanged"],
        "not_article": outcomes["not_article"],
        "extraction_errors": outcomes["error"],
        "http_errors": outcomes["http_error"],
        "skipped": outcomes["skipped"],
        # Findings about the site, not errors: an archived article gone (404/410, redirected to a
        # listing), a listed URL never archived that is gone. Neither makes a run partial.
        "articles_withdrawn": outcomes["withdrawn"],
        "gone": outcomes["gone"],
        # Conditional requests answered 304 (no body, not in pages_fetched), and why articles were asked.
        "not_modified": get("not_modified"),
        "conditional_requests": get("conditional_requests"),
        "rechecks_requested": get("rechecks_requested"),
        "unlisted_rechecks": get("unlisted_rechecks"),
        "download_errors": get("download_errors"),
        "storage_errors": get("storage_errors"),
        "discovery_documents": get("discovery_documents"),
        "discovery_errors": get("discovery_errors"),
        "articles_requested": get("articles_requested"),
        "articles_skipped_unchanged": get("articles_skipped_unchanged"),
        "articles_disallowed": get("articles_disallowed"),
        # Articles only links reach (crawler/links.py): requested, archived as new, dead, left over.
        "articles_from_links": get("articles_from_links"),
        "articles_new_from_links": get("articles_new_from_links"),
        "links_dead": get("links_dead"),
        "links_over_budget": get("links_over_budget"),
        "links_carried": get("links_carried"),  # links of unfinished earlier runs (crawler/relink.py)
        # Daily sitemaps a --since window asked for beyond the index's reach (crawler/backfill.py).
        "window_days_guessed": get("window_days_guessed"),
    }


def error_count(counts: Mapping[str, int]) -> int:
    """Pages that failed: HTTP errors, failed downloads, failed extraction or storage, lost documents."""
    return sum(
        counts.get(key, 0)
        for key in (
            "http_errors",
            "download_errors",
            "extraction_errors",
            "storage_errors",
            "discovery_errors",
        )
    )


def run_status(reason: str, counts: Mapping[str, int]) -> str:
    """success / partial / failed / interrupted, as stored in ``runs.status``."""
    if reason in _INTERRUPTED_REASONS:
        return "interrupted"
    if reason not in ("finished",) and not reason.startswith("closespider_"):
        return "failed"
    if counts.get("discovery_documents", 0) == 0 and counts.get("pages_fetched", 0) == 0:
        # Not one sitemap, feed or section page could be read: the site (or the base URL) is wrong.
        return "failed" if counts.get("discovery_errors", 0) else "success"
    return "partial" if error_count(counts) else "success"


def fatal_storage_error(error: BaseException, db: str) -> str | None:
    """The one-line reason to stop a crawl for this storage error, or None to count it and go on.

    Disk full (ENOSPC, EFBIG, EDQUOT, SQLite's "database or disk is full") and any other write the
    system refused (an OSError, SQLite's "disk I/O error") stop the crawl; anything else is one page.
    """
    if isinstance(error, OSError):
        path = error.filename or db
        if error.errno in DISK_FULL_ERRNOS:
            return f"disk full writing {path}: {error.strerror or error}"
        return f"cannot write {path}: {error.strerror or error}"
    message = str(error)
    if "database or disk is full" in message:
        return f"disk full writing {db}: database or disk is full"
    if "disk I/O error" in message:
        return f"cannot write {db}: disk I/O error"
    return None


def exit_code(status: str) -> int:
    return EXIT_CODES.get(status, EXIT_FAILURE)


def summary_line(counts: Mapping[str, int], elapsed: float) -> str:
    """One human line: what was fetched, what changed in the archive, what failed."""
    rate = counts.get("pages_fetched", 0) / elapsed if elapsed > 0 else 0.0
    return (
        f"pages {counts.get('pages_fetched', 0)} ({rate:.1f}/s) | "
        f"new {counts.get('articles_new', 0)} changed {counts.get('articles_changed', 0)} "
        f"unchanged {counts.get('articles_unchanged', 0)} | "
        f"skipped (archived, not changed) {counts.get('articles_skipped_unchanged', 0)} | "
        f"rechecked {counts.get('rechecks_requested', 0) + counts.get('unlisted_rechecks', 0)}, "
        f"304 {counts.get('not_modified', 0)} | "
        f"withdrawn {counts.get('articles_withdrawn', 0)} gone {counts.get('gone', 0)} | "
        f"found by links {counts.get('articles_new_from_links', 0)} | "
        f"errors {error_count(counts)}"
    )
