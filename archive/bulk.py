"""``vnnews import-warc``: WARC files (local, or over http) on many cores, or on a Dask cluster.

The work is two kinds of task, run by worker processes (``--workers N``) or Dask workers
(``--dask-scheduler``), or in this process (``--workers 0``):

- ``scan``: read a WARC from an offset, drop the records whose host no known publisher serves before
  their HTTP headers or bodies are parsed (most of a Common Crawl file), then records that are not an
  article URL, not 2xx or not HTML; hand back the kept responses (at most ``SCAN_BUDGET_*``) and the
  offset to go on from, so a file is read in bounded pieces and its kept pages spread over workers.
- ``extract_batch``: extract a few kept pages (the slow part: ~10 ms a page).

This process is the archive's one writer (SQLite keeps a single writer): it skips records already
archived (WARC-Record-ID, or URL + capture time + payload digest) before they are sent to extraction,
and stores each page raw first, then its article, through ``Archive.ingest``. What any task reports,
damaged records by offset, a truncated file, an unreadable source, is a problem of the run, never
dropped; the records of a source that failed half-way stay stored, and running the command again goes
on where it stopped.
"""

from __future__ import annotations

import functools
import time
from collections import Counter, deque
from collections.abc import Generator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archive.core import Archive
from archive.db import to_vn_iso
from archive.ingest import OUTCOMES, Extracted, body_hash, extract_body, header_value, looks_like_html
from archive.processes import Interrupted, raise_if_stopping
from archive.progress import Progress, note
from archive.reprocess import ExtractArgs, Summary, is_article_url
from archive.runners import InlineRunner, Runner
from archive.warc import ReadReport, WarcResponse, response_record
from archive.warcsource import read_records, why_not_warc_source
from extraction import publishers

# Kept responses one scan task hands back before it stops and names the offset to go on from: bounds
# a task's answer (memory here, traffic from a Dask worker) and lets the pages of one file be
# extracted on every worker while the next piece is read.
SCAN_BUDGET_RECORDS = 64
SCAN_BUDGET_BYTES = 32 * 1024 * 1024
# Pages per extract task: ~80 ms of work, far above a task's own cost (a few ms on Dask).
EXTRACT_BATCH = 8
# Kept pages read but not yet stored, per worker: past it, no further piece of a file is read until
# the writer catches up (extraction is the slow part when a WARC is all articles).
MAX_WAITING_PER_SLOT = 2 * SCAN_BUDGET_RECORDS
# And in all, however many workers a cluster has: ~100 MB of typical pages, several seconds of the one
# writer's work (it stores ~150 pages/s), so more would only cost memory.
MAX_WAITING_PAGES = 1024
# Distinct unclaimed hosts one scan counts (a Common Crawl file has thousands; only 5 are named).
MAX_HOSTS_COUNTED = 10_000
PROGRESS_SECONDS = 10.0  # a progress line on stderr this often when no bar is shown


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
        response_record(r.url, r.status or 200, r.headers, r.body, to_vn_iso(r.date), r.record_id)
        for r in batch
    ]
    return ExtractResult(extracted, records, time.perf_counter() - began, time.process_time() - cpu)


def warm_up() -> int:
    """Load the extraction engine in a worker before the clock starts (a spawned process needs about
    a second for it), so the rates measure the work, not the workers' start."""
    import extraction.engine  # noqa: F401

    return 0


@dataclass
class _Waiting:
    """Kept pages sent to extraction, waiting for their articles to be stored."""

    responses: list[WarcResponse]


@dataclass
class BulkImport:
    """One import's scheduling: which pieces of which sources are read, extracted and stored."""

    archive: Archive
    summary: Summary
    runner: Runner
    publisher: str | None
    reader: str
    bar: Progress
    quiet: bool
    sources: deque[str] = field(default_factory=deque)
    continuations: deque[ScanTask] = field(default_factory=deque)
    in_flight: dict[Future[Any], ScanTask | _Waiting] = field(default_factory=dict)
    waiting: int = 0  # kept pages sent to extraction and not stored yet
    records: int = 0
    busy_seconds: float = 0.0  # time the tasks themselves took, summed over workers
    cpu_seconds: float = 0.0  # CPU time they used
    sources_done: int = 0
    started: float = field(default_factory=time.monotonic)
    cpu_started: float = field(default_factory=time.process_time)
    last_note: float = field(default_factory=time.monotonic)

    def run(self) -> None:
        if not isinstance(self.runner, InlineRunner):
            warming = {self.runner.submit(warm_up) for _ in range(self.runner.slots)}
            while warming:
                raise_if_stopping()
                warming -= self.runner.wait(warming)
        self.started, self.cpu_started = time.monotonic(), time.process_time()
        while self.sources or self.continuations or self.in_flight:
            raise_if_stopping()  # SIGTERM / Ctrl-C: stop between two steps; the run is interrupted
            self._submit_scans()
            for future in self.runner.wait(list(self.in_flight)):
                job = self.in_flight.pop(future)
                if isinstance(job, ScanTask):
                    self._scanned(job, future)
                else:
                    self._extracted(job, future)
            self._progress()

    def _submit_scans(self) -> None:
        """Keep every worker busy, but read no further while too many kept pages wait to be stored."""
        slots = self.runner.slots
        scans = sum(1 for job in self.in_flight.values() if isinstance(job, ScanTask))
        most = min(MAX_WAITING_PER_SLOT * slots, MAX_WAITING_PAGES)
        while scans < slots and self.waiting < most:
            if self.continuations:
                task = self.continuations.popleft()
            elif self.sources:
                task = ScanTask(self.sources.popleft(), 0, self.publisher, self.reader)
            else:
                return
            self.in_flight[self.runner.submit(scan, task)] = task
            scans += 1

    def _scanned(self, task: ScanTask, future: Future[Any]) -> None:
        try:
            result: ScanResult = future.result()
        except Interrupted:
            raise
        except Exception as error:  # the worker itself died (a Dask worker lost): name it, go on
            result = ScanResult(task.source, task.start, failed=f"{type(error).__name__}: {error}"[:300])
        self._account(result)
        if result.next_offset is not None:
            self.continuations.append(ScanTask(task.source, result.next_offset, task.publisher, task.reader))
        else:
            self.sources_done += 1
            self.bar.update()
        fresh = [response for response in result.responses if not self._already_archived(response)]
        for begin in range(0, len(fresh), EXTRACT_BATCH):
            batch = fresh[begin : begin + EXTRACT_BATCH]
            self.in_flight[self.runner.submit(extract_batch, batch)] = _Waiting(batch)
            self.waiting += len(batch)

    def _account(self, result: ScanResult) -> None:
        summary = self.summary
        self.records += result.records
        self.busy_seconds += result.seconds
        self.cpu_seconds += result.cpu_seconds
        summary.counts.update(result.counts)
        summary.unclaimed_hosts.update(result.unclaimed_hosts)
        name = result.source
        if result.refused:
            summary.refused.append(Path(name))
            summary.problems.append(f"{name}: {result.refused}; skipped")
        if result.failed:
            summary.counts["source_failed"] += 1
            where = f" at offset {result.start}" if result.start else ""
            summary.problems.append(f"{name}: could not be read{where} ({result.failed}); run again")
        for offset, reason in result.damaged:
            summary.problems.append(f"{name}: damaged record at offset {offset} skipped ({reason})")
        if result.truncated_at is not None:
            summary.problems.append(
                f"{name}: truncated after offset {result.truncated_at}; the rest was imported"
            )

    def _already_archived(self, response: WarcResponse) -> bool:
        when = to_vn_iso(response.date)
        if self.archive.find_capture(response.record_id, response.url, when, body_hash(response.body)):
            self.summary.counts["already_archived"] += 1
            return True
        return False

    def _extracted(self, job: _Waiting, future: Future[Any]) -> None:
        try:
            done: ExtractResult = future.result()
            results: list[Extracted | None] = list(done.extracted)
            records: list[tuple[bytes, str] | None] = list(done.records)
            self.busy_seconds += done.seconds
            self.cpu_seconds += done.cpu_seconds
        except Interrupted:
            raise
        except Exception:  # the worker died with the batch: extract here, nothing is lost
            results = [None] * len(job.responses)
            records = [None] * len(job.responses)
        for response, extracted, record in zip(job.responses, results, records, strict=True):
            raise_if_stopping()
            self._store(response, extracted, record)
            self.waiting -= 1

    def _store(
        self, response: WarcResponse, extracted: Extracted | None, record: tuple[bytes, str] | None
    ) -> None:
        result = self.archive.ingest(
            url=response.url,
            final_url=response.url,
            status=response.status or 200,
            headers=response.headers,
            body=response.body,
            fetched_at=response.date,
            run_id=self.summary.run_id,
            record_id=response.record_id,
            extracted=extracted,
            record=record,
        )
        self.summary.counts["already_archived" if result.duplicate else result.outcome] += 1

    def _progress(self) -> None:
        now = time.monotonic()
        if self.quiet or self.bar.enabled or now - self.last_note < PROGRESS_SECONDS:
            return
        self.last_note = now
        counts = self.summary.counts
        note(
            f"vnnews import-warc: {self.sources_done} files done, {self.records} records read,"
            f" {counts['new']} new, {counts['changed']} changed,"
            f" {counts['already_archived']} already archived"
        )

    def rates(self) -> dict[str, Any]:
        """Records read per second, in all and per worker (process or Dask thread)."""
        seconds = max(time.monotonic() - self.started, 1e-6)
        # All the CPU the import used: this process (the writer; inline, the tasks too) and the workers.
        cpu = time.process_time() - self.cpu_started
        cpu = max(cpu if isinstance(self.runner, InlineRunner) else cpu + self.cpu_seconds, 1e-6)
        stored = sum(self.summary.counts[name] for name in OUTCOMES)
        return {
            "records": self.records,
            "seconds": round(seconds, 3),
            "workers": self.runner.slots,
            "records_per_second": round(self.records / seconds, 1),
            "records_per_second_per_worker": round(self.records / seconds / self.runner.slots, 1),
            "pages_stored_per_second": round(stored / seconds, 1),
            "busy_seconds": round(self.busy_seconds, 3),
            "records_per_busy_second": round(self.records / max(self.busy_seconds, 1e-6), 1),
            "cpu_seconds": round(cpu, 3),
            "records_per_cpu_second": round(self.records / cpu, 1),
            "pages_stored_per_cpu_second": round(stored / cpu, 1),
        }


def _extract_args(response: WarcResponse) -> ExtractArgs:
    content_type = header_value(response.headers, "Content-Type")
    return (response.body, response.url, to_vn_iso(response.date), response.status, content_type)


def rate_line(rates: dict[str, Any]) -> str:
    return (
        f"{rates['records']} records read in {rates['seconds']:.1f} s: {rates['records_per_second']:.0f}"
        f" records/s, {rates['records_per_second_per_worker']:.0f} per worker ({rates['workers']} workers)"
    )


def import_warc(
    archive: Archive,
    sources: list[str],
    runner: Runner,
    quiet: bool = False,
    publisher: str | None = None,
    reader: str = "warcio",
) -> Summary:
    """Import every article response of ``sources`` (see ``vnnews import-warc --help``)."""
    if publisher:
        publishers.get(publisher)  # fail early on an unknown key
    args = {"files": sources, "publisher": publisher, "workers": runner.slots, "runner": runner.name}
    with archive.run("import", {**args, "reader": reader}) as run:
        summary = Summary(run.id)
        run.stats = summary.counts  # Archive.run records these counts if the import stops
        try:
            with Progress(len(sources), "Importing", quiet) as bar:
                job = BulkImport(archive, summary, runner, publisher, reader, bar, quiet, deque(sources))
                job.run()
        except Interrupted as stop:
            stop.run_id = run.id
            raise
        summary.hint = unclaimed_hint(summary, publisher)
        summary.rates = job.rates()
        stats = {**summary.counts, **summary.rates, "problems": summary.problems, "hint": summary.hint}
        run.finish(summary.status, stats)
    return summary


SHOWN_HOSTS = 5  # hosts named in the hint; a Common Crawl file has thousands


def unclaimed_hint(summary: Summary, publisher: str | None) -> str | None:
    """When no article was found and responses came from hosts no publisher claims, say which hosts and
    how to import them (a mirror or a local snapshot of a known site needs ``--publisher``)."""
    if publisher or not summary.unclaimed_hosts:
        return None
    found = sum(summary.counts[name] for name in (*OUTCOMES, "already_archived"))
    if found:
        return None
    hosts = ", ".join(f"{host} {number}" for host, number in summary.unclaimed_hosts.most_common(SHOWN_HOSTS))
    more = len(summary.unclaimed_hosts) - SHOWN_HOSTS
    hosts += f" and {more} more hosts" if more > 0 else ""
    known = ", ".join(sorted(publishers.PUBLISHERS))
    return (
        f"no article imported: the responses come from hosts no publisher claims ({hosts}); "
        f"if they are a copy of a known site, import with --publisher KEY (known: {known})"
    )
