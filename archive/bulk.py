"""``vnnews import-warc``: WARC files (local, or over http) on many cores, or on a Dask cluster.

The work is two kinds of task (archive/bulktasks.py), run by worker processes (``--workers N``) or
Dask workers (``--dask-scheduler``), or in this process (``--workers 0``): ``scan`` reads a piece of a
WARC and keeps the article pages of known publishers, ``extract_batch`` extracts a few of them and
builds their WARC records for the archive.

This process is the archive's one writer (SQLite keeps a single writer): it skips records already
archived (WARC-Record-ID, or URL + capture time + payload digest) before they are sent to extraction,
and stores the extracted pages in batches, one transaction each (``Archive.ingest_many``: each page
raw first, then its article; a batch is stored whole or not at all). What any task reports, damaged
records by offset, a truncated file, an unreadable source, is a problem of the run, never dropped;
the records of a source that failed half-way stay stored, and running the command again goes on
where it stopped.
"""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.bulktasks import (
    EXTRACT_BATCH,
    SCAN_BUDGET_RECORDS,
    ExtractResult,
    ScanResult,
    ScanTask,
    extract_batch,
    scan,
    warm_up,
)
from archive.core import Archive
from archive.db import to_vn_iso
from archive.ingest import OUTCOMES, Extracted, IngestPage, body_hash
from archive.processes import Interrupted, raise_if_stopping
from archive.progress import Progress, note
from archive.reprocess import Summary
from archive.runners import InlineRunner, Runner
from archive.warc import WarcResponse
from extraction import publishers

# Kept pages read but not yet stored, per worker: past it, no further piece of a file is read until
# the writer catches up (extraction is the slow part when a WARC is all articles).
MAX_WAITING_PER_SLOT = 2 * SCAN_BUDGET_RECORDS
# And in all, however many workers a cluster has: ~100 MB of typical pages, a few seconds of the one
# writer's work, so more would only cost memory.
MAX_WAITING_PAGES = 1024
# Pages stored per transaction, at most: the extracted pages that came back since the last write go
# into one commit (a commit per page was a third of the writer's time). 256 pages are well under a
# second of writing, so a stop (Ctrl-C) is never held long, and a failed batch is redone whole by a rerun.
WRITE_BATCH = 256
PROGRESS_SECONDS = 10.0  # a progress line on stderr this often when no bar is shown


@dataclass
class _Waiting:
    """Kept pages sent to extraction, waiting for their articles to be stored."""

    responses: list[WarcResponse]
    digests: list[str]  # body_hash of each, computed once for the look-up and the capture row


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
    ready: list[IngestPage] = field(default_factory=list)  # extracted, to be stored in the next batch
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
            self._write()  # what came back in this round, one transaction per WRITE_BATCH pages
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
        fresh, digests = [], []
        for response in result.responses:
            digest = body_hash(response.body)
            if not self._already_archived(response, digest):
                fresh.append(response)
                digests.append(digest)
        for begin in range(0, len(fresh), EXTRACT_BATCH):
            batch = fresh[begin : begin + EXTRACT_BATCH]
            self.in_flight[self.runner.submit(extract_batch, batch)] = _Waiting(
                batch, digests[begin : begin + EXTRACT_BATCH]
            )
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

    def _already_archived(self, response: WarcResponse, digest: str) -> bool:
        when = to_vn_iso(response.date)
        if self.archive.find_capture(response.record_id, response.url, when, digest):
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
        except Exception:  # the worker died with the batch: the writer extracts them, nothing is lost
            results = [None] * len(job.responses)
            records = [None] * len(job.responses)
        run_id = self.summary.run_id
        for response, digest, extracted, record in zip(
            job.responses, job.digests, results, records, strict=True
        ):
            self.ready.append(
                IngestPage(
                    url=response.url,
                    final_url=response.url,
                    status=response.status or 200,
                    headers=response.headers,
                    body=response.body,
                    fetched_at=response.date,
                    run_id=run_id,
                    record_id=response.record_id,
                    extracted=extracted,
                    record=record,
                    digest=digest,
                )
            )
        if len(self.ready) >= WRITE_BATCH:
            self._write()

    def _write(self) -> None:
        """Store the pages extracted so far, ``WRITE_BATCH`` per transaction. A stop (Ctrl-C, SIGTERM)
        is seen between two batches: what was committed is skipped by a rerun, the rest stored then."""
        while self.ready:
            raise_if_stopping()
            batch, self.ready = self.ready[:WRITE_BATCH], self.ready[WRITE_BATCH:]
            counts = self.summary.counts
            for result in self.archive.ingest_many(batch):
                counts["already_archived" if result.duplicate else result.outcome] += 1
            self.waiting -= len(batch)

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
        here = time.process_time() - self.cpu_started
        cpu = max(here if isinstance(self.runner, InlineRunner) else here + self.cpu_seconds, 1e-6)
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
            # This process's share: the writer (and, inline, the tasks too).
            "writer_cpu_seconds": round(here, 3),
            "records_per_cpu_second": round(self.records / cpu, 1),
            "pages_stored_per_cpu_second": round(stored / cpu, 1),
        }


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
