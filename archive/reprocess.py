"""Bulk work over raw captures: ``import-warc`` (anyone's WARC files) and ``reparse`` (our own captures).

Both only add to the archive and are idempotent: a capture already archived is recognised by its
WARC-Record-ID (or url + time + body hash), and re-extracting unchanged content changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from archive.core import Archive
from archive.db import to_vn_iso
from archive.ingest import extract_body, header_value, looks_like_html
from archive.progress import Progress, note
from archive.warc import ReadReport, iter_responses, read_response
from vnnews import publishers


@dataclass
class Summary:
    """What a bulk run did; ``counts`` has article outcomes and the reasons records were skipped."""

    run_id: int
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "partial" if self.problems else "success"

    def line(self) -> str:
        parts = [f"{name} {number}" for name, number in sorted(self.counts.items())]
        return ", ".join(parts) if parts else "nothing to do"


def is_article_url(url: str, publisher_key: str | None = None) -> bool:
    """An article URL of a known publisher; with ``publisher_key``, that publisher's paths on any host
    (a WARC made from a mirror or a local snapshot)."""
    publisher = publishers.get(publisher_key) if publisher_key else publishers.for_url(url)
    return publisher is not None and publisher.article_ref(publisher.canonical_url(url)) is not None


def import_warc(
    archive: Archive, paths: list[Path], quiet: bool = False, publisher: str | None = None
) -> Summary:
    """Import every article response of ``paths`` (see ``vnnews import-warc --help``)."""
    if publisher:
        publishers.get(publisher)  # fail early on an unknown key
    run_id = archive.start_run("import", {"files": [str(p) for p in paths], "publisher": publisher})
    summary = Summary(run_id)
    total = sum(p.stat().st_size for p in paths)
    try:
        with Progress(total, "Importing", quiet) as bar:
            for path in paths:
                _import_file(archive, path, summary, bar, publisher)
    except KeyboardInterrupt:
        archive.finish_run(run_id, "interrupted", dict(summary.counts))
        raise
    stats = {**summary.counts, "problems": summary.problems}
    archive.finish_run(run_id, summary.status, stats)
    return summary


def _import_file(
    archive: Archive, path: Path, summary: Summary, bar: Progress, publisher: str | None
) -> None:
    report = ReadReport()
    done = 0
    for response in iter_responses(path, report, want=lambda url: is_article_url(url, publisher)):
        bar.update(response.offset + response.length - done)
        done = response.offset + response.length
        counts = summary.counts
        if response.status is None or not 200 <= response.status < 300:
            counts["skipped_http_status"] += 1
            continue
        if not looks_like_html(header_value(response.headers, "Content-Type")):
            counts["skipped_not_html"] += 1
            continue
        result = archive.ingest(
            url=response.url,
            final_url=response.url,
            status=response.status,
            headers=response.headers,
            body=response.body,
            fetched_at=response.date,
            run_id=summary.run_id,
            record_id=response.record_id,
        )
        counts["already_archived" if result.duplicate else result.outcome] += 1
    bar.update(max(0, path.stat().st_size - done))
    if report.unwanted:
        summary.counts["skipped_not_article_url"] += report.unwanted
    if report.other_records:
        summary.counts["skipped_other_records"] += report.other_records
    for offset, reason in report.damaged:
        summary.problems.append(f"{path}: damaged record at offset {offset} skipped ({reason})")
    if report.truncated_at is not None:
        summary.problems.append(
            f"{path}: truncated after offset {report.truncated_at}; the rest was imported"
        )


def reparse(archive: Archive, quiet: bool = False) -> Summary:
    """Re-extract every article's latest capture (and every failed one) from the WARC files."""
    run_id = archive.start_run("reparse", {})
    summary = Summary(run_id)
    ids = [
        row[0]
        for row in archive.db.conn.execute(
            """SELECT id FROM captures WHERE warc_file IS NOT NULL
               AND (id IN (SELECT capture_id FROM articles) OR outcome IN ('error', 'not_article'))
               ORDER BY fetched_at, id"""
        )
    ]
    try:
        with Progress(len(ids), "Reparsing", quiet) as bar:
            for capture_id in ids:
                summary.counts[_reparse_capture(archive, capture_id)] += 1
                bar.update()
    except KeyboardInterrupt:
        archive.finish_run(run_id, "interrupted", dict(summary.counts))
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
    archive.finish_run(run_id, summary.status, stats)
    return summary


def _reparse_capture(archive: Archive, capture_id: int) -> str:
    conn = archive.db.conn
    url, final_url, status, fetched_at, content_type, warc_file, offset = conn.execute(
        "SELECT url, final_url, status, fetched_at, content_type, warc_file, warc_offset"
        " FROM captures WHERE id = ?",
        (capture_id,),
    ).fetchone()
    try:
        raw = read_response(archive.path.parent / warc_file, offset)
    except (OSError, ValueError):
        return "missing_raw"
    when = to_vn_iso(fetched_at)
    extracted = extract_body(raw.body, final_url or url, when, status, content_type)
    with archive.transaction():
        result = archive.store_extracted(capture_id, extracted.article, when, (final_url, url))
        if extracted.article is None:
            conn.execute(
                "UPDATE captures SET outcome = ?, error = ? WHERE id = ?",
                (extracted.outcome, extracted.error, capture_id),
            )
            return extracted.outcome or "error"
        # A capture's outcome is history (what happened when it was fetched); only a capture that had
        # failed gets the new outcome. The parser and article are always brought up to date.
        conn.execute(
            """UPDATE captures SET parser = ?, article_id = ?, error = ?,
                   outcome = CASE WHEN outcome IN ('error', 'not_article') THEN ? ELSE outcome END
               WHERE id = ?""",
            (extracted.parser, result.article_key, result.error, result.outcome, capture_id),
        )
    return result.outcome


def report_problems(summary: Summary, quiet: bool = False) -> None:
    for problem in summary.problems:
        note(problem, quiet=False)  # problems are always reported, even with --quiet
    note(summary.line(), quiet)
