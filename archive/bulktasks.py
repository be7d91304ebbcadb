"""The tasks of ``vnnews import-warc`` (archive/bulk.py schedules them): what runs in worker processes,
on Dask workers, or in the command's own process (``--workers 0``).

- ``scan``: read a WARC from an offset, drop the records whose host no known publisher serves before
  their HTTP headers or bodies are parsed (most of a Common Crawl file), then records that are not an
  article URL, not 2xx or not HTML; hand back the kept responses (at most ``SCAN_BUDGET_*``) and the
  offset to go on from, so a file is read in bounded pieces and its kept pages spread over workers.
- ``extract_batch``: extract a few kept pages and build their WARC records (the slow part).

Both are plain functions of picklable arguments (a Dask worker elsewhere imports this module) and
never raise for a problem of the data: the result says what it was.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Generator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from archive.db import to_vn_iso
from archive.ingest import Extracted, extract_body, header_value, looks_like_html
from archive.processes import raise_if_stopping
from archive.reprocess import ExtractArgs, is_article_url
from archive.warc import ReadReport, WarcResponse, response_record
from archive.warcsource import read_records, why_not_warc_source
from extraction import publishers

# Kept responses one scan task hands back before it stops and names the offset to go on from: bounds
# a task's answer (memory here, traffic from a Dask worker) and lets the pages of one file be
# extracted on every worker while the next piece is read.
SCAN_BUDGET_RECORDS = 64
SCAN_BUDGET_BYTES = 32 * 1024 * 1024
# Pages per extract task: ~30-80 ms of work, far above a task's own cost (a few ms on Dask).
EXTRACT_BATCH = 8
# gzip level of the WARC records a bulk import writes (a crawl writes at ``archive.warc.GZIP_LEVEL``,
# 6). Measured on 50 KB article pages: level 3 compresses in 0.35 ms of CPU instead of 0.76 ms for
# records 8.5 % larger; the compression was a third of a worker's time after extraction, and a worker
# must spend under 3.3 ms on a page for 300 stored pages/s per process.
BULK_GZIP_LEVEL = 3
# Distinct unclaimed hosts one scan counts (a Common Crawl file has thousands; only 5 are named).
MAX_HOSTS_COUNTED = 10_000


@dataclass(frozen=True)
class ScanTask:
    source: str  # an absolute path or an http(s) URL: a Dask worker elsewhere reads it too
    start: int
    publisher: str | None
    reader: str  # "fastwarc" or "warcio"


@dataclass
class ScanResult:
    source: str
    start: int
    next_offset: int | None = None  # the budget was reached: the rest of the source starts here
    responses: list[WarcResponse] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    unclaimed_hosts: Counter[str] = field(default_factory=Counter)
    damaged: list[tuple[int, str]] = field(default_factory=list)
    truncated_at: int | None = None
    records: int = 0  # WARC records read: kept, dropped or damaged
    refused: str | None = None  # not a WARC
    failed: str | None = None  # could not be read (from ``start`` on)
    seconds: float = 0.0  # the task's own time, in its worker
    cpu_seconds: float = 0.0  # the CPU time it used there: the cost per core, whatever the load


@dataclass
class ExtractResult:
    extracted: list[Extracted]
    records: list[tuple[bytes, str]]  # each page's WARC record for the archive, and its record id
    seconds: float  # the task's own time, in its worker
    cpu_seconds: float


class HostFilter:
    """Which responses to keep: the host first (one set lookup, no URL pattern, no HTTP parsing),
    then the publisher's article URL patterns. Built from the publisher registry, so every publisher
    added there is kept; ``publisher`` keeps that publisher's paths on any host (a mirror's WARC)."""

    def __init__(self, publisher: str | None) -> None:
        self.publisher = publisher
        hosts = {host for spec in publishers.PUBLISHERS.values() for host in spec.hosts}
        self.hosts = frozenset(hosts | {f"www.{host}" for host in hosts})
        self.unclaimed: Counter[str] = Counter()

    def want(self, url: str) -> bool:
        raise_if_stopping()  # in this process (--workers 0): between records that are skipped unread
        if self.publisher is None and _host(url) not in self.hosts:
            return False
        return is_article_url(url, self.publisher)

    def dropped(self, url: str) -> None:
        if self.publisher is not None:
            return
        host = _host(url)  # cached: want() asked for the same URL
        if host not in self.hosts and (host in self.unclaimed or len(self.unclaimed) < MAX_HOSTS_COUNTED):
            self.unclaimed[host or url[:40]] += 1


@functools.lru_cache(maxsize=4)
def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def scan(task: ScanTask) -> ScanResult:
    """Read ``task.source`` from ``task.start`` (in a worker); never raises, the result says why."""
    result = ScanResult(task.source, task.start)
    began, cpu = time.perf_counter(), time.process_time()
    try:
        if task.start == 0:
            result.refused = why_not_warc_source(task.source)
            if result.refused:
                return result
        _scan(task, result)
    except (KeyboardInterrupt, SystemExit):  # Interrupted too
        raise
    except BaseException as error:  # an unreadable source, a dropped connection: named, the run goes on
        result.failed = f"{error}"[:300] or type(error).__name__
    result.seconds = time.perf_counter() - began
    result.cpu_seconds = time.process_time() - cpu
    return result


def _scan(task: ScanTask, result: ScanResult) -> None:
    report = ReadReport()
    keep = HostFilter(task.publisher)
    records = read_records(task.source, task.start, report, keep.want, task.reader, keep.dropped)
    try:
        _keep_pages(records, result)
    finally:  # also when the source fails half-way: what was read is counted and stored
        records.close()
        _fold_report(report, keep, result)


def _keep_pages(records: Generator[WarcResponse, None, None], result: ScanResult) -> None:
    kept_bytes = 0
    for response in records:
        if response.status is None or not 200 <= response.status < 300:
            result.counts["skipped_http_status"] += 1
            continue
        if not looks_like_html(header_value(response.headers, "Content-Type")):
            result.counts["skipped_not_html"] += 1
            continue
        result.responses.append(response)
        kept_bytes += len(response.body)
        if len(result.responses) >= SCAN_BUDGET_RECORDS or kept_bytes >= SCAN_BUDGET_BYTES:
            result.next_offset = response.offset + response.length
            return


def _fold_report(report: ReadReport, keep: HostFilter, result: ScanResult) -> None:
    if report.unwanted:
        result.counts["skipped_not_article_url"] += report.unwanted
    if report.other_records:
        result.counts["skipped_other_records"] += report.other_records
    result.unclaimed_hosts = keep.unclaimed
    result.damaged = report.damaged
    result.truncated_at = report.truncated_at
    result.records = sum(result.counts.values()) + len(result.responses) + len(report.damaged)


def extract_batch(batch: list[WarcResponse]) -> ExtractResult:
    """Extract a few kept pages and build their WARC records (in a worker): all the writer has left to
    do is append and insert. ``extract_body`` never raises."""
    began, cpu = time.perf_counter(), time.process_time()
    extracted = [extract_body(*_extract_args(response)) for response in batch]
    records = [
        response_record(
            r.url, r.status or 200, r.headers, r.body, to_vn_iso(r.date), r.record_id, BULK_GZIP_LEVEL
        )
        for r in batch
    ]
    return ExtractResult(extracted, records, time.perf_counter() - began, time.process_time() - cpu)


def warm_up() -> int:
    """Load the extraction engine in a worker before the clock starts (a spawned process needs about
    a second for it), so the rates measure the work, not the workers' start."""
    import extraction.engine  # noqa: F401

    return 0


def _extract_args(response: WarcResponse) -> ExtractArgs:
    content_type = header_value(response.headers, "Content-Type")
    return (response.body, response.url, to_vn_iso(response.date), response.status, content_type)
