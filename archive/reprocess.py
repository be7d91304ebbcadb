"""Bulk work over raw captures: ``reparse`` (our own captures), and what it shares with ``import-warc``
(anyone's WARC files, archive/bulk.py): the run summary, extraction ahead of the writer.

Both only add to the archive and are idempotent: a capture already archived is recognised by its
WARC-Record-ID (or url + time + body hash), and re-extracting unchanged content changes nothing.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from archive.core import Archive
from archive.db import to_vn_iso
from archive.ingest import Extracted, extract_body
from archive.processes import Interrupted, raise_if_stopping, worker_pool
from archive.progress import Progress, note
from archive.warc import read_response
from extraction import publishers


@dataclass
class RunSummary:
    """What a bulk run (import, reparse, backfill) did: ``counts`` of outcomes and skip reasons, and the
    problems that make it partial."""

    run_id: int
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "partial" if self.problems else "success"

    def line(self) -> str:
        parts = [f"{name} {number}" for name, number in sorted(self.counts.items())]
        return ", ".join(parts) if parts else "nothing to do"


@dataclass
class Summary(RunSummary):
    """An import's or reparse's run, with what only a WARC import knows."""

    refused: list[Path] = field(default_factory=list)  # files named on the command line that are not WARC
    unclaimed_hosts: Counter[str] = field(default_factory=Counter)  # hosts of responses no publisher claims
    hint: str | None = None  # advice when nothing was imported; not a problem of the run
    rates: dict[str, Any] = field(default_factory=dict)  # records read per second (archive/bulk.py)


ExtractArgs = tuple[bytes, str, str, int | None, str | None]  # extract_body's arguments
T = TypeVar("T")


def extracted_in_order(
    items: Iterable[tuple[T, ExtractArgs | None]], workers: int
) -> Generator[tuple[T, Extracted | None], None, None]:
    """(item, extract_body(*args)) in the items' order. With ``workers`` > 0 extraction (the slow part
    of an import: ~10 ms a page) runs in that many processes, a few pages ahead of the writer; with 0
    nothing is extracted here (``None``) and ``Archive.ingest`` extracts inline. ``args`` None: skip."""
    if workers <= 0:
        for item, _args in items:
            yield item, None
        return
    with worker_pool(workers) as pool:  # the workers end with this process (archive/processes.py)
        pending: deque[tuple[T, Future[Extracted] | None]] = deque()
        for item, args in items:
            pending.append((item, pool.submit(extract_body, *args) if args else None))
            while len(pending) > 2 * workers:
                done, future = pending.popleft()
                yield done, future.result() if future else None
        while pending:
            done, future = pending.popleft()
            yield done, future.result() if future else None


def is_article_url(url: str, publisher_key: str | None = None) -> bool:
    """An article URL of a known publisher; with ``publisher_key``, that publisher's paths on any host
    (a WARC made from a mirror or a local snapshot)."""
    publisher = publishers.get(publisher_key) if publisher_key else publishers.for_url(url)
    return publisher is not None and publisher.identify(url)[1] is not None


def reparse(archive: Archive, quiet: bool = False, workers: int = 0) -> Summary:
    """Re-extract every article's latest capture (and every failed one) from the WARC files."""
    with archive.run("reparse", {"workers": workers}) as run:
        summary = Summary(run.id)
        run.stats = summary.counts  # Archive.run records these counts if the reparse stops
        try:
            _reparse_all(archive, summary, quiet, workers)
        except Interrupted as stop:
            stop.run_id = run.id
            raise
        missing = summary.counts.get("missing_raw", 0)
        if missing:
            summary.problems.append(f"{missing} captures' raw bytes are missing from {archive.warc_dir}")
        stats = {
            **summary.counts,
            "pages_fetched": 0,
            "articles_new": summary.counts.get("new", 0),
            "articles_changed": summary.counts.get("changed", 0),
            "articles_unchanged": summary.counts.get("unchanged", 0),
            "errors": summary.counts.get("error", 0) + missing,
        }
        run.finish(summary.status, stats)
    return summary


def _reparse_all(archive: Archive, summary: Summary, quiet: bool, workers: int) -> None:
    ids = [
        row[0]
        for row in archive.db.conn.execute(
            """SELECT id FROM captures WHERE warc_file IS NOT NULL
               AND (id IN (SELECT capture_id FROM articles) OR outcome IN ('error', 'not_article'))
               ORDER BY fetched_at, id"""
        )
    ]

    def loaded() -> Iterator[tuple[Capture | None, ExtractArgs | None]]:
        for capture_id in ids:
            capture = _load_capture(archive, capture_id)
            if capture is None:
                yield None, None
            else:
                yield capture, (capture.body, capture.final_url or capture.url, capture.when, *capture.http)

    with (
        Progress(len(ids), "Reparsing", quiet) as bar,
        closing(extracted_in_order(loaded(), workers)) as done,
    ):
        for capture, extracted in done:
            raise_if_stopping()  # SIGTERM / Ctrl-C: stop between two captures, the run is interrupted
            if capture is None:
                summary.counts["missing_raw"] += 1
            else:
                if extracted is None:
                    extracted = extract_body(
                        capture.body, capture.final_url or capture.url, capture.when, *capture.http
                    )
                summary.counts[_store_reparsed(archive, capture, extracted)] += 1
            bar.update()


@dataclass
class Capture:
    id: int
    url: str
    final_url: str | None
    when: str
    http: tuple[int | None, str | None]  # status, content type
    body: bytes


def _load_capture(archive: Archive, capture_id: int) -> Capture | None:
    """The capture's row and raw body from its WARC file; None when the raw bytes are gone."""
    url, final_url, status, fetched_at, content_type, warc_file, offset = archive.db.conn.execute(
        "SELECT url, final_url, status, fetched_at, content_type, warc_file, warc_offset"
        " FROM captures WHERE id = ?",
        (capture_id,),
    ).fetchone()
    try:
        raw = read_response(archive.path.parent / warc_file, offset)
    except (OSError, ValueError):
        return None
    return Capture(capture_id, url, final_url, to_vn_iso(fetched_at), (status, content_type), raw.body)


def _store_reparsed(archive: Archive, capture: Capture, extracted: Extracted) -> str:
    conn = archive.db.conn
    with archive.transaction():
        urls = (capture.final_url, capture.url)
        result = archive.store_extracted(capture.id, extracted.article, capture.when, urls)
        if extracted.article is None:
            conn.execute(
                "UPDATE captures SET outcome = ?, error = ? WHERE id = ?",
                (extracted.outcome, extracted.error, capture.id),
            )
            return extracted.outcome or "error"
        # A capture's outcome is history (what happened when it was fetched); only a capture that had
        # failed gets the new outcome. The parser and article are always brought up to date.
        conn.execute(
            """UPDATE captures SET parser = ?, article_id = ?, error = ?,
                   outcome = CASE WHEN outcome IN ('error', 'not_article') THEN ? ELSE outcome END
               WHERE id = ?""",
            (extracted.parser, result.article_key, result.error, result.outcome, capture.id),
        )
    return result.outcome


def report_problems(summary: Summary, quiet: bool = False, command: str = "") -> None:
    prefix = f"vnnews {command}: " if command else ""
    for problem in summary.problems:
        note(prefix + problem, quiet=False)  # problems are always reported, even with --quiet
    if summary.hint:
        note(prefix + summary.hint, quiet=False)
    note(summary.line(), quiet)
