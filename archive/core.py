"""``Archive``: the one object the crawler, importers and commands use to read and write the archive."""

from __future__ import annotations

import contextlib
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from archive import neardup, placeindex, runs, schema
from archive.db import (
    ArchiveError,
    ArchiveNeedsUpgrade,
    bulk_pragmas,
    clear_errors,
    connect,
    immediate,
    to_vn_iso,
)
from archive.ingest import Extracted, IngestPage, IngestResult, body_hash, extract_body, header_value
from archive.paths import hold, release, require_archive
from archive.processes import worker_pool
from archive.store import PreparedBatch, Store, article_row, identity, prepare_batch
from archive.warc import WarcStore
from extraction import publishers
from extraction.article import Article


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


RUN_STATUSES = runs.RUN_STATUSES
# Articles per transaction of a bulk save: 2,000 (~15 MB of rows) halves the commits of 1,000 and keeps a
# batch well inside the page cache; larger batches measured no faster.
BULK_BATCH = 2000


@dataclass
class RunHandle:
    """A started run (``Archive.run``): ``stats`` is what the body has counted so far."""

    archive: Archive
    id: int
    stats: dict[str, Any] = field(default_factory=dict)
    finished: bool = False

    def finish(self, status: str, stats: dict[str, Any] | None = None) -> None:
        self.archive.finish_run(self.id, status, stats)
        self.finished = True


class Archive:
    """An archive database plus its WARC folder (``news.db`` -> ``news.warcs/``)."""

    def __init__(self, path: Path, db: sqlite_utils.Database, readonly: bool = False) -> None:
        self.path = path
        self.db = db
        self.readonly = readonly
        self.warc_dir = path.with_name(f"{path.stem}.warcs")
        self.store = Store(db.conn)
        self._warcs: dict[int | None, WarcStore] = {}
        self._released = True  # Archive.open holds the path; close() gives it back once (paths._HELD)

    @classmethod
    def open(cls, path: str | os.PathLike[str], readonly: bool = False, create: bool = True) -> Archive:
        """Open (creating and migrating when needed) the archive at ``path``. ``readonly`` never writes;
        ``create=False`` refuses a missing file. Whatever is not a vnnews archive (a directory, an
        empty file, another program's SQLite database) is refused untouched: UnusableDatabaseError."""
        path = Path(path)
        require_archive(path, create=create and not readonly)
        db = connect(path, readonly=readonly)
        archive = cls(path, db, readonly)
        hold(path)
        archive._released = False
        try:
            if readonly:
                if not schema.migrations.applied(db):
                    raise ArchiveError(f"{path} is not a vnnews archive")
                if not schema.is_current(db):
                    raise ArchiveNeedsUpgrade(
                        f"{path} was made by an older vnnews; open it writable to upgrade"
                    )
            else:
                archive._migrate()
                archive.close_stale_runs()
        except BaseException:
            release(path)
            db.close()
            raise
        return archive

    @clear_errors
    def _migrate(self) -> None:
        if schema.is_current(self.db):
            return
        schema.migrate(self.db)

    def close(self) -> None:
        for store in self._warcs.values():
            store.close()
        self._warcs.clear()
        self.db.close()
        if not self._released:
            self._released = True
            release(self.path)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """All-or-nothing write (``archive.db.immediate``): a concurrent writer waits, never half-way."""
        return immediate(self.db.conn)

    # Runs -----------------------------------------------------------------------------------------

    @clear_errors
    def start_run(self, kind: str, args: dict[str, Any] | None = None) -> int:
        """A ``running`` row owned by this process (archive/runs.py has the whole life of a run)."""
        with self.transaction():
            return runs.start(self.db.conn, kind, args)

    @clear_errors
    def finish_run(
        self,
        run_id: int,
        status: str = "success",
        stats: dict[str, Any] | None = None,
        index_in_child: bool = False,
    ) -> None:
        """End a run; a completed one first brings the indexes up to date. ``index_in_child``: do that
        in a child process (``update_indexes_in_child``), as a long-lived crawl process does."""
        if status not in runs.FINAL_STATUSES:
            raise ValueError(f"a run ends as one of {', '.join(runs.FINAL_STATUSES)}, not {status!r}")
        store = self._warcs.pop(run_id, None)
        if store is not None:
            store.close()
        # Every run that completes (crawl, import, reparse) ends with the near-duplicate and place indexes
        # up to date; they only index what is new or changed. A stopped or failed run leaves that to the
        # next one, so its row is closed at once.
        if status in ("success", "partial"):
            if index_in_child:
                self.update_indexes_in_child()
            else:
                self.update_near_duplicates()
                self.update_places()
        with self.transaction():
            runs.finish(self.db.conn, run_id, status, stats)

    @contextlib.contextmanager
    def run(self, kind: str, args: dict[str, Any] | None = None) -> Iterator[RunHandle]:
        """A run that always ends in a final state: the body calls ``handle.finish(status, stats)``;
        if it raises instead, the run ends ``interrupted`` (Ctrl-C, SIGTERM) or ``failed`` with the
        counters the body kept in ``handle.stats`` and the error, and the exception goes on."""
        handle = RunHandle(self, self.start_run(kind, args))
        try:
            yield handle
        except BaseException as error:
            if not handle.finished:
                status = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
                reason = f"{type(error).__name__}: {error}".rstrip(": ")
                # Best effort: when the database itself fails (disk full), the row stays running with
                # this process as owner, and the next open closes it as interrupted.
                with contextlib.suppress(Exception):
                    handle.finish(status, {**handle.stats, "error": reason})
            raise
        if not handle.finished:
            handle.finish("success", handle.stats)

    @clear_errors
    def fail_running_run(self, run_id: int, reason: str) -> bool:
        """A run whose process could not close it (a crawl's forced stop or crash) ends ``failed`` now,
        with ``reason``, when it is still ``running``; True when it was."""
        if runs.status(self.db.conn, run_id) != "running":
            return False
        self.finish_run(run_id, "failed", {"reason": reason})
        return True

    @clear_errors
    def close_stale_runs(self, kind_locked: str | None = None) -> list[int]:
        """Mark runs whose process is gone ``interrupted`` (see archive/runs.py); their ids.
        ``kind_locked``: the caller holds that kind's lock, so no other run of that kind is alive."""
        return runs.close_stale(self.db.conn, kind_locked)

    @clear_errors
    def update_near_duplicates(self) -> neardup.UpdateResult:
        """Index new and changed articles for near-duplicates and regroup them (archive/neardup.py)."""
        return neardup.update(self.db.conn)

    @clear_errors
    def update_places(self) -> placeindex.UpdateResult:
        """Tag new and changed articles with the places they mention (archive/placeindex.py)."""
        return placeindex.update(self.db.conn)

    def update_indexes_in_child(self) -> None:
        """Both indexes, updated by a child process that ends with this step (and dies with us).

        Why: the indexing loads datasketch and numpy for the signatures and the gazetteer with its
        matcher for the places (~50 MB together, measured +36 MB of peak RSS at the end of a
        10,000-article crawl); in a crawl's process that memory would only add to its peak. The
        child opens the same file; this process holds no transaction meanwhile."""
        with worker_pool(1) as pool:
            pool.submit(_update_indexes, str(self.path)).result()

    def run_counts(self, run_id: int) -> dict[str, int]:
        return runs.counts_from_captures(self.db.conn, run_id)

    def record_fetch_failure(
        self, url: str, error: str, fetched_at: str | datetime | None = None, run_id: int | None = None
    ) -> int:
        """A page that could not be downloaded at all (timeout, broken connection, retries exhausted).

        There are no bytes to keep, but the failure is a captures row (outcome ``fetch_error``, no
        status, no WARC record) so it is never dropped silently: ``vnnews status`` lists it, and the
        next crawl fetches the URL again because no article came of it.
        """
        if self.readonly:
            raise ArchiveError(f"{self.path} was opened read-only")
        with self.transaction():
            cursor = self.db.conn.execute(
                """INSERT OR IGNORE INTO captures (url, final_url, status, fetched_at, content_hash, size,
                       outcome, error, run_id) VALUES (?, ?, NULL, ?, ?, 0, 'fetch_error', ?, ?)""",
                (url, url, to_vn_iso(fetched_at), body_hash(b""), error, run_id),
            )
        return int(cursor.lastrowid or 0)

    # Captures -------------------------------------------------------------------------------------

    def _warc_store(self, run_id: int | None) -> WarcStore:
        store = self._warcs.get(run_id)
        if store is None:
            if run_id is not None:
                row = self.db.conn.execute("SELECT kind FROM runs WHERE id = ?", (run_id,)).fetchone()
                prefix = f"{row[0] if row else 'run'}-{run_id:05d}"
            else:
                prefix = f"adhoc-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
            store = WarcStore(self.warc_dir, self.path.parent, prefix)
            self._warcs[run_id] = store
        return store

    def find_capture(
        self, record_id: str | None, url: str, fetched_at: str, digest: str
    ) -> tuple[int, str | None, str | None] | None:
        if record_id:
            row = self.db.conn.execute(
                "SELECT id, outcome, article_id FROM captures WHERE warc_record_id = ?", (record_id,)
            ).fetchone()
            if row:
                return row
        return self.db.conn.execute(
            "SELECT id, outcome, article_id FROM captures"
            " WHERE url = ? AND fetched_at = ? AND content_hash = ?",
            (url, fetched_at, digest),
        ).fetchone()

    @clear_errors
    def ingest(
        self,
        url: str,
        final_url: str | None = None,
        status: int = 200,
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        fetched_at: str | datetime | None = None,
        run_id: int | None = None,
        record_id: str | None = None,
        extracted: Extracted | None = None,
        record: tuple[bytes, str] | None = None,
    ) -> IngestResult:
        """Store one fetched page raw (WARC + captures row), then extract and store the article.

        Extraction problems are recorded on the capture, never raised. A capture already archived (same
        WARC-Record-ID, or same url + fetched_at + body) changes nothing and comes back ``duplicate``.
        Bulk importers pass what their workers made of the page: ``extracted``, and ``record`` (the
        page's WARC record and its id, ``archive.warc.response_record`` of the same arguments).
        """
        page = IngestPage(
            url, final_url, status, headers, body, fetched_at, run_id, record_id, extracted, record
        )
        if page.extracted is None and not self.readonly:
            # Extract before the transaction (the write lock is held only for the writes), unless the
            # capture is archived already.
            when, digest = to_vn_iso(fetched_at), body_hash(body)
            page.digest = digest
            if self.find_capture(record_id, url, when, digest) is None:
                content_type = header_value([(str(k), str(v)) for k, v in headers], "Content-Type")
                page.extracted = extract_body(body, final_url or url, when, status, content_type)
        return self.ingest_many([page])[0]

    @clear_errors
    def ingest_many(self, pages: Iterable[IngestPage]) -> list[IngestResult]:
        """``ingest`` for several pages in one transaction: one commit for the batch (the cost of a
        commit is paid once, not per page). Each page is still raw first: its WARC record is appended
        before its rows are written. All or nothing: on an error nothing of the batch is stored (its
        records appended so far stay in the WARC file unreferenced, as after a crash between the two
        steps), so a rerun stores every page once. Pages are stored in order, each seeing the ones
        before it (a second copy of a page in the batch is a ``duplicate``)."""
        if self.readonly:
            raise ArchiveError(f"{self.path} was opened read-only")
        with self.transaction():
            return [self._ingest_one(page) for page in pages]

    def _ingest_one(self, page: IngestPage) -> IngestResult:
        """One page of ``ingest_many``, inside its transaction."""
        url, final_url, status, body = page.url, page.final_url, page.status, page.body
        when = to_vn_iso(page.fetched_at)
        header_list = [(str(k), str(v)) for k, v in page.headers]
        digest = page.digest or body_hash(body)
        existing = self.find_capture(page.record_id, url, when, digest)
        if existing is not None:
            capture_id, outcome, key = existing
            stored = "unchanged" if outcome in ("new", "changed", "unchanged") else outcome or "skipped"
            return IngestResult(capture_id, stored, key, duplicate=True)
        if page.record is not None:
            written = self._warc_store(page.run_id).append_record(*page.record)
        else:
            written = self._warc_store(page.run_id).write_response(
                final_url or url, status, header_list, body, when, record_id=page.record_id
            )
        content_type = header_value(header_list, "Content-Type")
        extracted = page.extracted
        if extracted is None:
            extracted = extract_body(body, final_url or url, when, status, content_type)
        cursor = self.db.conn.execute(
            """INSERT INTO captures (url, final_url, status, fetched_at, content_type, content_hash, size,
                   warc_file, warc_offset, warc_length, warc_record_id, outcome, error, run_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                url,
                final_url or url,
                status,
                when,
                content_type,
                digest,
                len(body),
                written.warc_file,
                written.offset,
                written.length,
                written.record_id,
                extracted.outcome,
                extracted.error,
                page.run_id,
            ),
        )
        new_id = cursor.lastrowid
        assert new_id is not None
        if extracted.article is None:
            return IngestResult(new_id, extracted.outcome or "error", None, extracted.error)
        result = self.store_extracted(new_id, extracted.article, when, (final_url, url))
        self.record_outcome(new_id, result, extracted.parser)
        return result

    def store_extracted(
        self, capture_id: int | None, article: Article | None, when: str, urls: tuple[str | None, ...]
    ) -> IngestResult:
        if article is None:
            return IngestResult(capture_id, "", None)
        resolved = identity(article, *urls)  # extraction's decision; the URLs only when it made none
        if resolved is None:
            return IngestResult(capture_id, "not_article", None, "no article id in the page's URLs")
        ref, canonical = resolved
        outcome = self.store.save(article_row(article, ref, canonical), when, capture_id)
        return IngestResult(capture_id, outcome, ref.key)

    def record_outcome(self, capture_id: int, result: IngestResult, parser: str | None) -> None:
        self.db.conn.execute(
            "UPDATE captures SET outcome = ?, article_id = ?, parser = ?, error = ? WHERE id = ?",
            (result.outcome, result.article_key, parser, result.error, capture_id),
        )

    # Articles -------------------------------------------------------------------------------------

    @clear_errors
    def save_article(
        self, article: Article, capture_id: int | None = None, fetched_at: str | datetime | None = None
    ) -> str:
        """Store an Article directly; returns new / changed / unchanged (not_article without an id)."""
        with self.transaction():
            return self.store_extracted(capture_id, article, to_vn_iso(fetched_at), ()).outcome

    @clear_errors
    def save_articles(
        self,
        articles: Iterable[Article],
        fetched_at: str | datetime | None = None,
        batch_size: int = BULK_BATCH,
        workers: int = 0,
    ) -> Counter[str]:
        """Bulk ``save_article`` (same outcomes): one transaction and one executemany per table per batch
        for articles not yet archived. For imports of extracted JSON and for the benchmark.

        Rows and folded search copies (pure Python, about 40% of the work) are built ahead of the
        writes: on one helper thread by default (SQLite releases the GIL while it writes), or in
        ``workers`` processes, which pays off for large imports on a machine with a core to spare."""
        outcomes: Counter[str] = Counter()
        when = to_vn_iso(fetched_at)

        def write(prepared: PreparedBatch) -> None:
            rows, folded, skipped = prepared
            if skipped:
                outcomes["not_article"] += skipped
            with self.transaction():
                outcomes.update(self.store.save_many(rows, when, folded))

        executor: contextlib.AbstractContextManager[Executor]
        if workers > 0:
            executor = worker_pool(workers)  # processes that end with this one (archive/processes.py)
        else:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vnnews-prepare")
        ahead = max(1, workers)  # batches prepared ahead of the writer: bounded memory
        with executor as pool, bulk_pragmas(self.db.conn):
            pending: deque[Future[PreparedBatch]] = deque()
            for chunk in _chunks(articles, batch_size):
                pending.append(pool.submit(prepare_batch, chunk))
                if len(pending) > ahead:
                    write(pending.popleft().result())
            while pending:
                write(pending.popleft().result())
        return outcomes

    @clear_errors
    def last_fetched(self, publisher: str) -> dict[str, str]:
        """article_id (e.g. "post275412") -> last_fetched_at, for the crawler's incremental runs.

        Ids in the URLs of two more kinds of capture count too, so an incremental crawl does not fetch
        them again on every run (only when a sitemap or feed dates them after the last attempt):
        - captures that resolved to a stored article: an old-id URL that redirects (or points by
          canonical link) to a new-id article;
        - answers that will not change by asking again: 404 and 410, pages that were not an
          article or not HTML, and ``gone`` ones (a listed URL redirecting to a section page).
          Transient failures (5xx, failed downloads, extraction errors) are left out, so the next
          crawl retries them.
        """
        rows = self.db.conn.execute(
            "SELECT article_id, last_fetched_at FROM articles WHERE publisher = ?", (publisher,)
        )
        fetched: dict[str, str] = dict(rows.fetchall())
        spec = publishers.PUBLISHERS.get(publisher)
        if spec is None:
            return fetched
        aliases = self.db.conn.execute(
            "SELECT c.url, max(c.fetched_at) FROM captures c JOIN articles a ON a.id = c.article_id"
            " WHERE a.publisher = ? GROUP BY c.url",
            (publisher,),
        ).fetchall()
        # No article, so no publisher column to filter on: URLs another publisher owns are skipped below.
        settled = self.db.conn.execute(
            "SELECT url, max(fetched_at) FROM captures WHERE article_id IS NULL"
            " AND (status IN (404, 410) OR outcome IN ('not_article', 'skipped', 'gone')) GROUP BY url"
        ).fetchall()
        others = [other for other in publishers.PUBLISHERS.values() if other is not spec]
        for url, fetched_at in [*aliases, *settled]:
            if any(other.owns(url) for other in others):
                continue
            ref = spec.article_ref(url)
            if ref is not None:
                fetched.setdefault(ref.article_id, fetched_at)
        return fetched

    def article(self, key: str) -> dict[str, Any] | None:
        return self.store.current(key)


def _update_indexes(path: str) -> None:
    """In the child of ``Archive.update_indexes_in_child``."""
    archive = Archive.open(path, create=False)
    try:
        archive.update_near_duplicates()
        archive.update_places()
    finally:
        archive.close()
