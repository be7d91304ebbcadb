"""``vnnews merge CENTRAL NODE...``: fold the archives of several crawl nodes into one (docs/scaling.md).

Each Scrapyd node crawls its share of the publishers into its own archive; the central archive gets
every capture, article, revision, withdrawal and crawl signal of each node:

- Raw first. A node capture's WARC record is copied byte for byte (each record is its own gzip member)
  into the central archive's WARC files, so it keeps its WARC-Record-ID; the copy is checked against
  the capture's body hash before it is written.
- Extraction results are copied, not recomputed: a capture that yielded an article brings the version
  of the article the node stored for it (the node's revision whose interval holds the capture's time,
  or its current text), and ``Store.save`` files it, so out-of-order captures build the history they
  would have built in time order (archive/history.py). Nodes run the same egg, so re-extracting would
  give the same rows at ~10x the cost; after a parser fix, ``vnnews reparse CENTRAL`` re-extracts from
  the copied raw bytes.
- Captures of all nodes are merged in one stream ordered by capture time (a heap over one cursor per
  node), so the central archive sees them as one crawl would have: memory stays bounded by the batch.
- Withdrawals are replayed from each touched article's captures in time order: a ``withdrawn`` capture
  opens one, the next capture that yielded the article closes it (what the crawl does, archive/crawlstate.py).
- Idempotent: a capture already in the central archive (same WARC-Record-ID, or url + time + body hash)
  is skipped, so merging a node twice changes nothing.

Nodes are opened read-only and never written; node run rows stay on the nodes (the merge is one run).
"""

from __future__ import annotations

import heapq
import io
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from archive.core import Archive
from archive.db import ArchiveNeedsUpgrade, UnusableDatabaseError
from archive.history import VERSION_COLUMNS
from archive.ingest import body_hash
from archive.processes import Interrupted, raise_if_stopping
from archive.progress import Progress
from archive.reprocess import RunSummary

# Node archives in one merge. All are open at once (a connection and a few WARC files each) for the
# time-ordered stream of their captures: far beyond a Scrapyd cluster's size, far below 1,024 open files.
MAX_NODES = 64
# Captures written per transaction: commits cost little, and a crash loses seconds of work (running the
# merge again redoes it: it is idempotent).
BATCH_CAPTURES = 500
# Largest raw record copied: the crawler's DOWNLOAD_MAXSIZE (16 MiB) with headers and gzip slack. A
# bigger one is no record a vnnews node wrote: the capture is merged without its raw bytes (reported).
MAX_RECORD_BYTES = 32 * 1024 * 1024
# Raw-copy problems named one by one; the rest are counted (a node whose WARC folder was lost would
# otherwise print a line for every capture).
SHOWN_PROBLEMS = 20
# WARC files kept open per node: a time-ordered stream moves back and forth between a node's run files.
OPEN_WARCS = 4

PRESENT = ("new", "changed", "unchanged")  # capture outcomes that yielded the article
NOT_MODIFIED = 304
CAPTURE_COLUMNS = (
    "id",
    "url",
    "final_url",
    "status",
    "fetched_at",
    "content_type",
    "content_hash",
    "size",
    "warc_file",
    "warc_offset",
    "warc_length",
    "warc_record_id",
    "article_id",
    "outcome",
    "parser",
    "error",
)
SIGNAL_COLUMNS = (
    "key",
    "path",
    "article_id",
    "sitemap_lastmod",
    "news_published",
    "feed_date",
    "etag",
    "last_modified",
    "listed_in",
    "last_status",
    "last_checked_at",
    "signals_seen_at",
)
# JSON list columns an old revision row may hold as NULL; the articles table needs a list.
_LISTS = ("authors", "tags", "images", "paragraphs")


class Node:
    """One node archive, opened read-only: its captures in time order, their raw records and versions."""

    def __init__(self, index: int, archive: Archive) -> None:
        self.index = index
        self.archive = archive
        self.conn: sqlite3.Connection = archive.db.conn
        self.folder = archive.path.parent.resolve()
        self._files: OrderedDict[str, BinaryIO] = OrderedDict()

    @property
    def name(self) -> str:
        return str(self.archive.path)

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM captures").fetchone()[0])

    def captures(self) -> Iterator[tuple[tuple[str, int, int], Node, dict[str, Any]]]:
        columns = ", ".join(CAPTURE_COLUMNS)
        cursor = self.conn.execute(f"SELECT {columns} FROM captures ORDER BY fetched_at, id")
        for values in cursor:
            capture = dict(zip(CAPTURE_COLUMNS, values, strict=True))
            yield (capture["fetched_at"], self.index, capture["id"]), self, capture

    def _open(self, warc_file: str) -> BinaryIO | None:
        handle = self._files.get(warc_file)
        if handle is not None:
            self._files.move_to_end(warc_file)
            return handle
        path = (self.folder / warc_file).resolve()
        if not path.is_relative_to(self.folder):  # a node's rows never point outside its own folder
            return None
        handle = open(path, "rb")  # noqa: SIM115 - kept open across captures, closed in close()
        self._files[warc_file] = handle
        if len(self._files) > OPEN_WARCS:
            self._files.popitem(last=False)[1].close()
        return handle

    def raw(self, capture: dict[str, Any]) -> tuple[bytes | None, str | None]:
        """(the capture's WARC record as stored, None) or (None, why it cannot be copied)."""
        where = f"{self.name}: capture {capture['id']} ({capture['url']})"
        length, offset = capture["warc_length"] or 0, capture["warc_offset"] or 0
        if length <= 0 or length > MAX_RECORD_BYTES:
            return None, f"{where}: WARC record of {length} bytes (MAX_RECORD_BYTES {MAX_RECORD_BYTES})"
        try:
            handle = self._open(capture["warc_file"])
            if handle is None:
                return None, f"{where}: WARC file {capture['warc_file']} is outside the node's folder"
            handle.seek(offset)
            data = handle.read(length)
            body = _record_body(data)
        except OSError as error:
            return None, f"{where}: raw bytes unreadable ({error.strerror or error})"
        except Exception as error:  # warcio and zlib raise many kinds; any of them means damage
            return None, f"{where}: damaged WARC record ({type(error).__name__})"
        if body is None or body_hash(body) != capture["content_hash"]:
            return None, f"{where}: the WARC record does not hold the captured body"
        return data, None

    def version(self, key: str, at: str) -> dict[str, Any] | None:
        """The article row (as ``store.article_row`` makes it) of the version the node stored for a
        capture of ``key`` at ``at``; None when the node has no such article."""
        cursor = self.conn.execute("SELECT * FROM articles WHERE id = ?", (key,))
        values = cursor.fetchone()
        if values is None:
            return None
        article = dict(zip([c[0] for c in cursor.description], values, strict=True))
        version = article
        if at < article["last_changed_at"]:
            columns = ", ".join(VERSION_COLUMNS)
            query = f"SELECT {columns} FROM revisions WHERE article_id = ? AND captured_at <= ?"
            found = self.conn.execute(query + " ORDER BY captured_at DESC, revision DESC LIMIT 1", (key, at))
            revision = (
                found.fetchone()
                or self.conn.execute(
                    f"SELECT {columns} FROM revisions WHERE article_id = ?"
                    " ORDER BY captured_at, revision LIMIT 1",
                    (key,),
                ).fetchone()
            )
            if revision is not None:
                version = dict(zip(VERSION_COLUMNS, revision, strict=True))
        return article_version(article, version)

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files.clear()


def _record_body(data: bytes) -> bytes | None:
    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type != "response":
            return None
        return bytes(record.content_stream().read())
    return None


def article_version(article: dict[str, Any], version: dict[str, Any]) -> dict[str, Any]:
    """An ``articles`` row of the node's article with the content of one of its versions."""
    row = {name: version.get(name) for name in VERSION_COLUMNS}
    for name in _LISTS:
        row[name] = row[name] if row[name] is not None else "[]"
    text = row["text"] or ""
    published = row["published_at"]
    row.update(
        id=article["id"],
        publisher=article["publisher"],
        id_scheme=article["id_scheme"],
        article_id=article["article_id"],
        url=article["url"],
        language=article["language"],
        title=row["title"] or "",
        text=text,
        format=row["format"] or "article",
        published_month=published[:7] if published and len(published) >= 7 else None,
        word_count=article["word_count"] if version is article else len(text.split()),
    )
    return row


def open_nodes(stack: ExitStack, central: Path, paths: list[Path]) -> list[Node]:
    """Every node opened read-only, or a refusal (exit 2) before anything is merged."""
    if len(paths) > MAX_NODES:
        raise UnusableDatabaseError(f"{len(paths)} node archives; at most {MAX_NODES} (MAX_NODES) per merge")
    nodes: list[Node] = []
    for path in paths:
        if _same_file(path, central):
            raise UnusableDatabaseError(f"{path} is the central archive itself; a node is merged into it")
        if any(_same_file(path, node.archive.path) for node in nodes):
            continue  # named twice: merging a node twice changes nothing anyway
        try:
            archive = stack.enter_context(Archive.open(path, readonly=True))
        except ArchiveNeedsUpgrade:
            raise UnusableDatabaseError(
                f"{path} was made by an older vnnews; upgrade it on its node first (any writing vnnews"
                " command, e.g. a crawl) and merge again: merge never writes to a node"
            ) from None
        node = Node(len(nodes), archive)
        stack.callback(node.close)
        nodes.append(node)
    return nodes


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return one.resolve() == other.resolve()


def merge(central: Archive, paths: list[Path], quiet: bool = False) -> RunSummary:
    """Merge the node archives at ``paths`` into ``central`` (see the module's docstring)."""
    with ExitStack() as stack:
        nodes = open_nodes(stack, central.path, paths)
        total = sum(node.count() for node in nodes)
        with central.run("merge", {"nodes": [node.name for node in nodes]}) as run:
            summary = RunSummary(run.id)
            run.stats = summary.counts  # Archive.run records these counts if the merge stops
            try:
                with Progress(total, "Merging", quiet) as bar:
                    for node in nodes:
                        _articles_without_captures(central, node, summary)
                    _merge_captures(central, nodes, summary, bar)
                    for node in nodes:
                        _merge_signals(central, node, summary)
            except Interrupted as stop:
                stop.run_id = run.id
                raise
            hidden = summary.counts["raw_not_copied"] - SHOWN_PROBLEMS
            if hidden > 0:
                summary.problems.append(f"{hidden} more captures merged without their raw bytes")
            run.finish(summary.status, {**summary.counts, "problems": summary.problems})
    return summary


def _merge_captures(central: Archive, nodes: list[Node], summary: RunSummary, bar: Progress) -> None:
    stream = heapq.merge(*(node.captures() for node in nodes), key=lambda item: item[0])
    batch: list[tuple[Node, dict[str, Any]]] = []
    for _order, node, capture in stream:
        raise_if_stopping()  # SIGTERM / Ctrl-C: stop between two batches, the run is interrupted
        batch.append((node, capture))
        if len(batch) >= BATCH_CAPTURES:
            _write_batch(central, batch, summary)
            bar.update(len(batch))
            batch = []
    if batch:
        _write_batch(central, batch, summary)
        bar.update(len(batch))


def _write_batch(central: Archive, batch: list[tuple[Node, dict[str, Any]]], summary: RunSummary) -> None:
    touched: set[str] = set()
    with central.transaction():
        for node, capture in batch:
            summary.counts[_merge_capture(central, node, capture, summary, touched)] += 1
        for key in sorted(touched):
            replay_withdrawals(central.db.conn, key)


def _merge_capture(
    central: Archive, node: Node, capture: dict[str, Any], summary: RunSummary, touched: set[str]
) -> str:
    conn = central.db.conn
    at = capture["fetched_at"]
    if central.find_capture(capture["warc_record_id"], capture["url"], at, capture["content_hash"]):
        return "already_archived"
    written = None
    if capture["warc_file"]:
        data, problem = node.raw(capture)
        if data is not None:
            written = central._warc_store(summary.run_id).append_record(data, capture["warc_record_id"])
        elif problem:
            summary.counts["raw_not_copied"] += 1
            if summary.counts["raw_not_copied"] <= SHOWN_PROBLEMS:
                summary.problems.append(problem + "; its row was merged without them")
    key = capture["article_id"]
    outcome = capture["outcome"]
    present = key is not None and outcome in PRESENT and capture["status"] != NOT_MODIFIED
    version = node.version(key, at) if present and key else None
    known = key is not None and conn.execute("SELECT 1 FROM articles WHERE id = ?", (key,)).fetchone()
    values = {**capture, "article_id": key if known and version is None else None, "run_id": summary.run_id}
    if written is not None:
        values.update(warc_file=written.warc_file, warc_offset=written.offset, warc_length=written.length)
    elif capture["warc_file"]:
        values.update(warc_file=None, warc_offset=None, warc_length=None)
    del values["id"]
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    capture_id = conn.execute(f"INSERT INTO captures ({columns}) VALUES ({marks})", values).lastrowid
    if version is not None:
        outcome = central.store.save(version, at, capture_id)
        conn.execute(
            "UPDATE captures SET outcome = ?, article_id = ? WHERE id = ?", (outcome, key, capture_id)
        )
        touched.add(version["id"])
    elif outcome == "gone" and key is None:
        # Gone on this node, which never had the article; another node may have archived it before.
        archived = _article_of_url(conn, capture["url"])
        if archived is not None:
            touched.add(archived)  # replay_withdrawals turns the capture into a withdrawal
    elif known and key is not None:
        if capture["status"] == NOT_MODIFIED:  # a 304 says the article was still there, unchanged
            conn.execute(
                "UPDATE articles SET last_fetched_at = max(last_fetched_at, ?) WHERE id = ?", (at, key)
            )
        touched.add(key)
    return outcome or "error"


def _article_of_url(conn: sqlite3.Connection, url: str) -> str | None:
    """The archived article an earlier capture of ``url`` yielded (captures_identity index: by url)."""
    row = conn.execute(
        "SELECT article_id FROM captures WHERE url = ? AND article_id IS NOT NULL LIMIT 1", (url,)
    ).fetchone()
    return row[0] if row else None


def _claim_gone(conn: sqlite3.Connection, key: str) -> None:
    """``gone`` captures of the article's URLs taken after it was first archived are withdrawals: the
    node that took them had never archived the article, but the merged archive had (one crawl in one
    place would have called them so)."""
    first = conn.execute(
        "SELECT min(fetched_at) FROM captures"
        " WHERE article_id = ? AND outcome IN ('new', 'changed', 'unchanged')",
        (key,),
    ).fetchone()[0]
    if first is None:
        return
    urls = conn.execute(
        "SELECT url FROM captures WHERE article_id = ? UNION SELECT url FROM articles WHERE id = ?",
        (key, key),
    ).fetchall()
    for (url,) in urls:  # url by url, so the captures_identity index answers (not a scan of every gone one)
        conn.execute(
            """UPDATE captures SET outcome = 'withdrawn', article_id = ?
               WHERE url = ? AND fetched_at > ? AND outcome = 'gone' AND article_id IS NULL""",
            (key, url, first),
        )


def replay_withdrawals(conn: sqlite3.Connection, key: str) -> None:
    """An article's withdrawals rebuilt from its captures in time order, as a crawl records them: a
    ``withdrawn`` capture opens one (unless one is open), the next capture that yielded the article
    (a 304 included) closes it; ``articles.withdrawn_at`` is the open one's time."""
    _claim_gone(conn, key)
    found = conn.execute(
        "SELECT 1 FROM captures WHERE article_id = ? AND outcome = 'withdrawn' LIMIT 1", (key,)
    ).fetchone()
    if found is None:
        return
    captures = conn.execute(
        "SELECT id, url, fetched_at, outcome, error FROM captures WHERE article_id = ?"
        " ORDER BY fetched_at, id",
        (key,),
    ).fetchall()
    conn.execute("DELETE FROM withdrawals WHERE article_id = ?", (key,))
    open_id: int | None = None
    open_at: str | None = None
    for capture_id, url, at, outcome, error in captures:
        if outcome == "withdrawn" and open_id is None:
            open_id = conn.execute(
                "INSERT INTO withdrawals (article_id, url, withdrawn_at, reason, capture_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (key, url, at, error or "withdrawn", capture_id),
            ).lastrowid
            open_at = at
        elif outcome in PRESENT and open_id is not None:
            conn.execute(
                "UPDATE withdrawals SET restored_at = ?, restored_capture_id = ? WHERE id = ?",
                (at, capture_id, open_id),
            )
            open_id = open_at = None
    conn.execute("UPDATE articles SET withdrawn_at = ? WHERE id = ?", (open_at, key))


def _articles_without_captures(central: Archive, node: Node, summary: RunSummary) -> None:
    """Articles a node stored without a capture that yielded them (``save_article``, JSON imports):
    their versions are filed in time order, as they were on the node."""
    keys = node.conn.execute(
        """SELECT id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM captures c WHERE c.article_id = a.id
               AND c.outcome IN ('new', 'changed', 'unchanged') AND coalesce(c.status, 0) != 304)"""
    )
    columns = ", ".join(VERSION_COLUMNS)
    for (key,) in keys:
        raise_if_stopping()
        if central.db.conn.execute("SELECT 1 FROM articles WHERE id = ?", (key,)).fetchone():
            continue
        cursor = node.conn.execute("SELECT * FROM articles WHERE id = ?", (key,))
        article = dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))
        revisions = node.conn.execute(
            f"SELECT {columns}, captured_at FROM revisions WHERE article_id = ?"
            " ORDER BY captured_at, revision",
            (key,),
        ).fetchall()
        with central.transaction():
            for values in revisions:
                version = dict(zip(VERSION_COLUMNS, values, strict=False))
                central.store.save(
                    article_version(article, version), values[-1] or article["first_seen_at"], None
                )
            current = article_version(article, article)
            central.store.save(current, article["last_changed_at"], None)
            central.store.save(current, article["last_fetched_at"], None)
            conn = central.db.conn
            conn.execute(
                "UPDATE articles SET first_seen_at = min(first_seen_at, ?), withdrawn_at = ? WHERE id = ?",
                (article["first_seen_at"], article["withdrawn_at"], key),
            )
        summary.counts["articles_without_captures"] += 1


_ARTICLE_SIGNALS_UPSERT = """
INSERT INTO article_signals (key, path, article_id, sitemap_lastmod, news_published, feed_date, etag,
    last_modified, listed_in, last_status, last_checked_at, signals_seen_at)
VALUES (?1, ?2, (SELECT id FROM articles WHERE id = ?3), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
ON CONFLICT(key) DO UPDATE SET
    article_id = coalesce(article_id, excluded.article_id),
    path = CASE WHEN {checked} THEN excluded.path ELSE path END,
    etag = CASE WHEN {checked} THEN excluded.etag ELSE etag END,
    last_modified = CASE WHEN {checked} THEN excluded.last_modified ELSE last_modified END,
    last_status = CASE WHEN {checked} THEN excluded.last_status ELSE last_status END,
    last_checked_at = CASE WHEN {checked} THEN excluded.last_checked_at ELSE last_checked_at END,
    sitemap_lastmod = CASE WHEN {seen} THEN coalesce(excluded.sitemap_lastmod, sitemap_lastmod)
        ELSE coalesce(sitemap_lastmod, excluded.sitemap_lastmod) END,
    news_published = CASE WHEN {seen} THEN coalesce(excluded.news_published, news_published)
        ELSE coalesce(news_published, excluded.news_published) END,
    feed_date = CASE WHEN {seen} THEN coalesce(excluded.feed_date, feed_date)
        ELSE coalesce(feed_date, excluded.feed_date) END,
    listed_in = CASE WHEN {seen} THEN excluded.listed_in ELSE listed_in END,
    signals_seen_at = CASE WHEN {seen} THEN excluded.signals_seen_at ELSE signals_seen_at END
""".format(
    # The newer observation wins, column group by column group (an upsert's SET reads the old row):
    # what a check answered by last_checked_at, what the listings said by signals_seen_at.
    checked="coalesce(excluded.last_checked_at, '') > coalesce(last_checked_at, '')",
    seen="coalesce(excluded.signals_seen_at, '') > coalesce(signals_seen_at, '')",
)
_DOCUMENT_COLUMNS = ("path", "kind", "index_lastmod", "etag", "last_modified", "last_status", "last_read_at")
_DOCUMENT_SIGNALS_UPSERT = """
INSERT INTO document_signals (path, kind, index_lastmod, etag, last_modified, last_status, last_read_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(path) DO UPDATE SET kind = excluded.kind, index_lastmod = excluded.index_lastmod,
    etag = excluded.etag, last_modified = excluded.last_modified, last_status = excluded.last_status,
    last_read_at = excluded.last_read_at
WHERE coalesce(excluded.last_read_at, '') > coalesce(document_signals.last_read_at, '')
"""


def _merge_signals(central: Archive, node: Node, summary: RunSummary) -> None:
    """The node's crawl signals, the newer observation winning (so merging twice changes nothing)."""
    for table, columns, upsert in (
        ("article_signals", SIGNAL_COLUMNS, _ARTICLE_SIGNALS_UPSERT),
        ("document_signals", _DOCUMENT_COLUMNS, _DOCUMENT_SIGNALS_UPSERT),
    ):
        cursor = node.conn.execute(f"SELECT {', '.join(columns)} FROM {table}")
        while rows := cursor.fetchmany(BATCH_CAPTURES):
            raise_if_stopping()
            with central.transaction():
                central.db.conn.executemany(upsert, rows)
            summary.counts[f"{table}_read"] += len(rows)
