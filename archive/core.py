"""``Archive``: the one object the crawler, importers and commands use to read and write the archive."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from archive import schema
from archive.db import ArchiveError, ArchiveNeedsUpgrade, clear_errors, connect, now_iso, to_vn_iso
from archive.ingest import Extracted, IngestResult, body_hash, extract_body, header_value
from archive.store import PreparedBatch, Store, article_row, prepare_batch, resolve_ref
from archive.warc import WarcStore
from vnnews import publishers
from vnnews.article import Article


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


RUN_STATUSES = ("running", "success", "partial", "failed", "interrupted")
_COUNTED = ("pages_fetched", "articles_new", "articles_changed", "articles_unchanged", "errors")


class Archive:
    """An archive database plus its WARC folder (``news.db`` -> ``news.warcs/``)."""

    def __init__(self, path: Path, db: sqlite_utils.Database, readonly: bool = False) -> None:
        self.path = path
        self.db = db
        self.readonly = readonly
        self.warc_dir = path.with_name(f"{path.stem}.warcs")
        self.store = Store(db.conn)
        self._warcs: dict[int | None, WarcStore] = {}

    @classmethod
    def open(cls, path: str | os.PathLike[str], readonly: bool = False) -> Archive:
        """Open (creating and migrating when needed) the archive at ``path``. ``readonly`` never writes."""
        path = Path(path)
        if not readonly and not path.parent.exists():
            raise ArchiveError(f"cannot create database {path}: folder {path.parent} does not exist")
        db = connect(path, readonly=readonly)
        archive = cls(path, db, readonly)
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
        except BaseException:
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

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing write. IMMEDIATE takes the write lock up front, so a concurrent writer waits
        (busy timeout) instead of failing half-way."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # Runs -----------------------------------------------------------------------------------------

    @clear_errors
    def start_run(self, kind: str, args: dict[str, Any] | None = None) -> int:
        with self.transaction():
            cursor = self.db.conn.execute(
                "INSERT INTO runs (kind, started_at, status, args) VALUES (?, ?, 'running', ?)",
                (kind, now_iso(), json.dumps(args or {}, ensure_ascii=False, default=str)),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    @clear_errors
    def finish_run(self, run_id: int, status: str = "success", stats: dict[str, Any] | None = None) -> None:
        if status not in RUN_STATUSES:
            raise ValueError(f"run status must be one of {', '.join(RUN_STATUSES)}, not {status!r}")
        counts = self.run_counts(run_id)
        for name in _COUNTED:
            if stats and isinstance(stats.get(name), int):
                counts[name] = stats[name]
        store = self._warcs.pop(run_id, None)
        if store is not None:
            store.close()
        with self.transaction():
            self.db.conn.execute(
                """UPDATE runs SET finished_at = ?, status = ?, pages_fetched = ?, articles_new = ?,
                       articles_changed = ?, articles_unchanged = ?, errors = ?, summary = ? WHERE id = ?""",
                (
                    now_iso(),
                    status,
                    *(counts[name] for name in _COUNTED),
                    json.dumps(stats or {}, ensure_ascii=False, default=str),
                    run_id,
                ),
            )

    def run_counts(self, run_id: int) -> dict[str, int]:
        by_outcome = dict(
            self.db.conn.execute(
                "SELECT outcome, count(*) FROM captures WHERE run_id = ? GROUP BY outcome", (run_id,)
            ).fetchall()
        )
        failed_downloads = by_outcome.get("fetch_error", 0)
        return {
            "pages_fetched": sum(by_outcome.values()) - failed_downloads,
            "articles_new": by_outcome.get("new", 0),
            "articles_changed": by_outcome.get("changed", 0),
            "articles_unchanged": by_outcome.get("unchanged", 0),
            "errors": by_outcome.get("error", 0) + by_outcome.get("http_error", 0) + failed_downloads,
        }

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
    ) -> IngestResult:
        """Store one fetched page raw (WARC + captures row), then extract and store the article.

        Extraction problems are recorded on the capture, never raised. A capture already archived (same
        WARC-Record-ID, or same url + fetched_at + body) changes nothing and comes back ``duplicate``.
        """
        if self.readonly:
            raise ArchiveError(f"{self.path} was opened read-only")
        when = to_vn_iso(fetched_at)
        header_list = [(str(k), str(v)) for k, v in headers]
        digest = body_hash(body)
        existing = self.find_capture(record_id, url, when, digest)
        if existing is not None:
            capture_id, outcome, key = existing
            stored = "unchanged" if outcome in ("new", "changed", "unchanged") else outcome or "skipped"
            return IngestResult(capture_id, stored, key, duplicate=True)
        written = self._warc_store(run_id).write_response(
            final_url or url, status, header_list, body, when, record_id=record_id
        )
        content_type = header_value(header_list, "Content-Type")
        if extracted is None:  # bulk importers extract in worker processes and pass the result in
            extracted = extract_body(body, final_url or url, when, status, content_type)
        with self.transaction():
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
                    run_id,
                ),
            )
            new_id = cursor.lastrowid
            assert new_id is not None
            result = self.store_extracted(new_id, extracted.article, when, (final_url, url))
            if extracted.article is not None:
                self.record_outcome(new_id, result, extracted.parser)
        if extracted.article is None:
            return IngestResult(new_id, extracted.outcome or "error", None, extracted.error)
        return result

    def store_extracted(
        self, capture_id: int | None, article: Article | None, when: str, urls: tuple[str | None, ...]
    ) -> IngestResult:
        if article is None:
            return IngestResult(capture_id, "", None)
        resolved = resolve_ref(article, *urls)
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
        batch_size: int = 1000,
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

        executor: Executor
        if workers > 0:
            # spawn, not fork: a forked child would inherit this process's threads' locks.
            executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        else:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vnnews-prepare")
        ahead = max(1, workers)  # batches prepared ahead of the writer: bounded memory
        with executor:
            pending: deque[Future[PreparedBatch]] = deque()
            for chunk in _chunks(articles, batch_size):
                pending.append(executor.submit(prepare_batch, chunk))
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
