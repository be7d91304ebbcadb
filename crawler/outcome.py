"""How a crawl went, from its counters: the run status stored in the archive and the exit code.

Pure functions: the pipeline records the status, ``vnnews crawl`` turns it into the exit code, the
progress line and the summary print the same counters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

# Scrapy close reasons that mean "someone stopped us" rather than "the work is done".
_INTERRUPTED_REASONS = {"shutdown", "cancelled"}


def counters(stats: Mapping[str, Any]) -> dict[str, int]:
    """The crawl's counters from Scrapy's stats (keys set by the spider and the pipeline)."""

    def get(key: str) -> int:
        return int(stats.get(f"vnnews/{key}", 0) or 0)

    outcomes = {
        name: get(f"outcome/{name}")
        for name in ("new", "changed", "unchanged", "error", "not_article", "http_error", "skipped")
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
        # Every HTTP request the crawl made (robots.txt, documents, articles, retries, redirect hops).
        "requests": int(stats.get("downloader/request_count", 0) or 0),
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
        f"found by links {counts.get('articles_new_from_links', 0)} | "
        f"errors {error_count(counts)}"
    )
