"""The crawl's memory of what the site said: change signals, validators, rechecks and withdrawals.

An incremental crawl must find edits without ever comparing the site's clock with ours (a CMS whose
clock is behind, local time written as UTC, a copy replayed a year later). So for every listed article
(``article_signals``, keyed by the ArticleRef key of the listed URL) and every discovery document
(``document_signals``, keyed by path) the archive keeps the site's own signals as last seen: sitemap
``<lastmod>``, ``news:publication_date``, the feed's pubDate/updated, the index ``<lastmod>`` of a
daily sitemap, and the HTTP validators (ETag, Last-Modified). The crawler re-fetches what *differs*.

Withdrawals: an archived article that answers 404/410 or redirects to the home or a section page is
marked (``articles.withdrawn_at``, a ``withdrawals`` row, the capture's outcome ``withdrawn``), its
text and revisions kept; when it answers again the mark is cleared and the row gets ``restored_at``.
A listed URL never archived that answers so is ``gone``. Neither is an error.

Functions take an ``Archive`` (no Scrapy here) and run in their own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from archive.db import clear_errors, to_vn_iso
from archive.ingest import IngestResult, body_hash, header_value

if TYPE_CHECKING:
    from archive.core import Archive

SIGNAL_KINDS = ("sitemap_lastmod", "news_published", "feed_date")
# Statuses that say "this article is no longer here" (a redirect to a listing is told by the crawler).
GONE_STATUSES = (404, 410)
# Longest ETag / Last-Modified kept: real ones are < 100 characters; more is garbage, not a validator.
MAX_VALIDATOR = 200


@dataclass(slots=True)  # one per listed article held in memory during a crawl: keep them small
class ArticleSignals:
    """What the archive knows about one listed article URL (a row of ``article_signals``)."""

    key: str
    path: str
    article_id: str | None = None  # articles.id it resolved to; None: never archived
    sitemap_lastmod: str | None = None
    news_published: str | None = None
    feed_date: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    listed_in: str | None = None  # the daily sitemap (path) that listed it when last read
    last_status: int | None = None
    last_checked_at: str | None = None
    withdrawn_at: str | None = None

    def signal(self, kind: str) -> str | None:
        value = getattr(self, kind)
        return value if isinstance(value, str) else None


@dataclass
class Recheck:
    """An archived article due for a conditional recheck."""

    article_id: str  # articles.id
    url: str  # its canonical URL
    point: str  # the recheck point (first_seen_at + offset) it is due for


@dataclass
class CrawlState:
    """What the archive knows of one publisher's site when a crawl of it starts, read once
    (``load_state``) and handed to the spider, which only reads it: the archive owns it, and the
    crawl's findings come back through ``save_listing_signals``/``save_document_signals``."""

    publisher: str
    last_fetched: dict[str, str]  # article_id ("post275412") -> last_fetched_at
    index_read_whole: bool  # has a finished crawl read every daily sitemap of its index?
    article_signals: dict[str, ArticleSignals]  # listed key -> signals as last seen
    document_lastmods: dict[str, str | None]  # discovery document path -> index <lastmod>
    rechecks: list[Recheck]  # archived articles due for a conditional recheck, newest first


@clear_errors
def load_state(
    archive: Archive, publisher: str, now: datetime, recheck_after: list[timedelta], max_rechecks: int
) -> CrawlState:
    """Everything a crawl of ``publisher`` starts from (see ``CrawlState``)."""
    return CrawlState(
        publisher=publisher,
        last_fetched=dict(archive.last_fetched(publisher)),
        index_read_whole=index_read_whole(archive, publisher),
        article_signals=load_article_signals(archive, publisher),
        document_lastmods=load_document_signals(archive, publisher),
        rechecks=due_rechecks(archive, publisher, now, recheck_after, max_rechecks),
    )


def _validator(headers: list[tuple[str, str]], name: str) -> str | None:
    value = header_value(headers, name)
    return value.strip()[:MAX_VALIDATOR] if value and value.strip() else None


@clear_errors
def load_article_signals(archive: Archive, publisher: str) -> dict[str, ArticleSignals]:
    """Every listed article of ``publisher`` the archive has signals for, by ArticleRef key."""
    cursor = archive.db.conn.execute(
        """SELECT s.key, s.path, s.article_id, s.sitemap_lastmod, s.news_published, s.feed_date, s.etag,
                  s.last_modified, s.listed_in, s.last_status, s.last_checked_at, a.withdrawn_at
           FROM article_signals s LEFT JOIN articles a ON a.id = s.article_id
           WHERE s.key >= ? AND s.key < ?""",
        (publisher + ":", publisher + ";"),
    )
    return {row[0]: ArticleSignals(*row) for row in cursor}


# The first publisher: archives written before there were several keep its document paths bare
# (``/sitemap.xml``) and its crawl runs without a ``publisher`` argument.
FIRST_PUBLISHER = "baonghean"
# A crawl run's publisher: runs recorded before there were several publishers crawled the first one.
RUN_PUBLISHER = f"coalesce(json_extract(args, '$.publisher'), '{FIRST_PUBLISHER}')"


def document_key(publisher: str, path: str) -> str:
    """``document_signals.path`` of one publisher's discovery document: two sites both have a
    ``/sitemap.xml``. The first publisher's stay bare paths (archives written before), others'
    are ``<publisher>:<path>``."""
    return path if publisher == FIRST_PUBLISHER else f"{publisher}:{path}"


@clear_errors
def load_document_signals(archive: Archive, publisher: str = FIRST_PUBLISHER) -> dict[str, str | None]:
    """Discovery document path -> the index ``<lastmod>`` it had when last read whole (one publisher's)."""
    rows = archive.db.conn.execute("SELECT path, index_lastmod FROM document_signals").fetchall()
    if publisher == FIRST_PUBLISHER:
        return {path: lastmod for path, lastmod in rows if path.startswith("/")}
    prefix = document_key(publisher, "")
    return {path[len(prefix) :]: lastmod for path, lastmod in rows if path.startswith(prefix)}


@clear_errors
def index_read_whole(archive: Archive, publisher: str = FIRST_PUBLISHER) -> bool:
    """Has a finished crawl of ``publisher`` read every daily sitemap of its index (``discovery: full``)?
    Until one has, a crawl reads the whole index again."""
    row = archive.db.conn.execute(
        "SELECT 1 FROM runs WHERE kind = 'crawl' AND status IN ('success', 'partial')"
        f" AND json_extract(summary, '$.discovery') = 'full' AND {RUN_PUBLISHER} = ? LIMIT 1",
        (publisher,),
    ).fetchone()
    return row is not None


@clear_errors
def due_rechecks(
    archive: Archive, publisher: str, now: datetime, after: list[timedelta], limit: int
) -> list[Recheck]:
    """Archived articles due for a recheck at ``now``: one of the points first_seen_at + ``after``
    has passed since the article was last fetched or checked. Newest first, at most ``limit``.

    Both times are our own clock (first capture, last check), never the site's."""
    if not after or limit <= 0:
        return []
    horizon = to_vn_iso(now - max(after) - timedelta(days=1))
    rows = archive.db.conn.execute(
        """SELECT a.id, a.url, a.first_seen_at, a.last_fetched_at, max(s.last_checked_at)
           FROM articles a LEFT JOIN article_signals s ON s.article_id = a.id
           WHERE a.publisher = ? AND a.first_seen_at >= ?
           GROUP BY a.id ORDER BY a.first_seen_at DESC""",
        (publisher, horizon),
    ).fetchall()
    due: list[Recheck] = []
    for key, url, first_seen, last_fetched, last_checked in rows:
        point = latest_point(first_seen, after, now)
        checked = max(v for v in (last_fetched, last_checked, first_seen) if v)
        if point is not None and datetime.fromisoformat(checked) < point:
            due.append(Recheck(key, url, to_vn_iso(point)))
            if len(due) >= limit:
                break
    return due


def latest_point(first_seen: str, after: list[timedelta], now: datetime) -> datetime | None:
    """The latest recheck point (first_seen + offset) at or before ``now``, or None."""
    start = datetime.fromisoformat(first_seen)
    passed = [start + offset for offset in after if start + offset <= now]
    return max(passed) if passed else None


def _archived(conn: Any, key: str) -> str | None:
    """The archived article a listed key stands for: the one it resolved to, or the article itself."""
    row = conn.execute(
        "SELECT a.id FROM article_signals s JOIN articles a ON a.id = s.article_id WHERE s.key = ?", (key,)
    ).fetchone()
    if row is None:
        row = conn.execute("SELECT id FROM articles WHERE id = ?", (key,)).fetchone()
    return row[0] if row else None


def _restore(conn: Any, article_id: str, capture_id: int | None, when: str) -> bool:
    """Clear a withdrawal mark: the article answers again. True when it was withdrawn."""
    changed = conn.execute(
        "UPDATE articles SET withdrawn_at = NULL WHERE id = ? AND withdrawn_at IS NOT NULL", (article_id,)
    ).rowcount
    if changed:
        conn.execute(
            "UPDATE withdrawals SET restored_at = ?, restored_capture_id = ?"
            " WHERE article_id = ? AND restored_at IS NULL",
            (when, capture_id, article_id),
        )
    return bool(changed)


def _withdraw(conn: Any, article_id: str, url: str, capture_id: int, when: str, reason: str) -> None:
    conn.execute(
        "UPDATE articles SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL", (when, article_id)
    )
    open_row = conn.execute(
        "SELECT 1 FROM withdrawals WHERE article_id = ? AND restored_at IS NULL", (article_id,)
    ).fetchone()
    if open_row is None:
        conn.execute(
            "INSERT INTO withdrawals (article_id, url, withdrawn_at, reason, capture_id)"
            " VALUES (?, ?, ?, ?, ?)",
            (article_id, url, when, reason, capture_id),
        )


def _touch(
    conn: Any,
    key: str,
    path: str,
    article_id: str | None,
    status: int | None,
    when: str,
    validators: tuple[str | None, str | None] | None,
) -> None:
    """Record a capture of a listed key: status, check time, the article, validators (None: keep)."""
    etag, modified = validators or (None, None)
    keep = validators is None
    conn.execute(
        """INSERT INTO article_signals
               (key, path, article_id, etag, last_modified, last_status, last_checked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(key) DO UPDATE SET path = excluded.path,
               article_id = coalesce(excluded.article_id, article_id),
               etag = CASE WHEN ? THEN etag ELSE excluded.etag END,
               last_modified = CASE WHEN ? THEN last_modified ELSE excluded.last_modified END,
               last_status = excluded.last_status,
               last_checked_at = max(coalesce(last_checked_at, ''), excluded.last_checked_at)""",
        (key, path, article_id, etag, modified, status, when, keep, keep),
    )


@clear_errors
def after_capture(
    archive: Archive,
    result: IngestResult,
    key: str,
    path: str,
    url: str,
    status: int,
    headers: list[tuple[str, str]],
    fetched_at: str | None,
    gone_reason: str | None = None,
) -> IngestResult:
    """After ``Archive.ingest`` stored a fetched article URL: withdrawals, returns and validators.

    ``gone_reason`` (set by the crawler for 404/410 and redirects to a listing page): an archived
    article becomes ``withdrawn``, a never-archived URL ``gone``; both replace the capture's outcome.
    A capture that yields an article clears its withdrawal. Returns the (possibly new) result."""
    when = to_vn_iso(fetched_at)
    conn = archive.db.conn
    with archive.transaction():
        if gone_reason and result.capture_id and not result.duplicate:
            article = _archived(conn, key)
            outcome = "withdrawn" if article else "gone"
            conn.execute(
                "UPDATE captures SET outcome = ?, article_id = ?, error = ? WHERE id = ?",
                (outcome, article, gone_reason, result.capture_id),
            )
            if article:
                _withdraw(conn, article, url, result.capture_id, when, gone_reason)
            _touch(conn, key, path, article, status, when, (None, None))
            return IngestResult(result.capture_id, outcome, article, gone_reason)
        if result.outcome in ("http_error", "error"):
            return result  # not a check: a recheck that failed is asked again by the next run
        if result.article_key and result.outcome in ("new", "changed", "unchanged"):
            _restore(conn, result.article_key, result.capture_id, when)
        validators = (_validator(headers, "ETag"), _validator(headers, "Last-Modified"))
        kept = validators if status == 200 else None
        _touch(conn, key, path, result.article_key, status, when, kept)
        if result.article_key and result.article_key != key:
            # Reached through another URL (an old-era link that 301s, a redirected listing): the
            # validators are the article URL's own, and its rechecks ask for that URL by the article's
            # key, so they are recorded under that key too.
            _touch_article(conn, result.article_key, status, when, kept)
    return result


def _touch_article(
    conn: Any, article_id: str, status: int, when: str, validators: tuple[str | None, str | None] | None
) -> None:
    row = conn.execute("SELECT url FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return
    parts = urlsplit(row[0])
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    _touch(conn, article_id, path, article_id, status, when, validators)


@clear_errors
def record_not_modified(
    archive: Archive,
    key: str,
    path: str,
    url: str,
    headers: list[tuple[str, str]],
    fetched_at: str | None,
    run_id: int | None,
) -> IngestResult:
    """A 304 answer to a conditional request: an ``unchanged`` capture with no body (no WARC record,
    nothing to extract). The article's ``last_fetched_at`` moves on; a withdrawn one is back."""
    when = to_vn_iso(fetched_at)
    conn = archive.db.conn
    with archive.transaction():
        article = _archived(conn, key)
        cursor = conn.execute(
            """INSERT OR IGNORE INTO captures (url, final_url, status, fetched_at, content_hash, size,
                   article_id, outcome, run_id) VALUES (?, ?, 304, ?, ?, 0, ?, 'unchanged', ?)""",
            (url, url, when, body_hash(b""), article, run_id),
        )
        capture_id = cursor.lastrowid if cursor.rowcount else None
        if article:
            conn.execute(
                "UPDATE articles SET last_fetched_at = max(last_fetched_at, ?) WHERE id = ?", (when, article)
            )
            _restore(conn, article, capture_id, when)
        etag, modified = _validator(headers, "ETag"), _validator(headers, "Last-Modified")
        _touch(conn, key, path, article, 304, when, (etag, modified) if etag or modified else None)
    return IngestResult(capture_id, "unchanged", article)


@clear_errors
def save_listing_signals(archive: Archive, seen: dict[str, dict[str, Any]], when: str | None = None) -> int:
    """Store the signals the discovery documents gave for each listed key in this run.

    ``seen``: key -> {"path", any of SIGNAL_KINDS (one value, or several space-separated), optionally
    "listed_in" ("" = dropped from it)}. Kinds not in an entry keep their stored value. Returns the
    number of keys written."""
    stamp = to_vn_iso(when)
    rows = []
    for key, entry in seen.items():
        rows.append(
            (
                key,
                entry["path"],
                *(entry.get(kind) for kind in SIGNAL_KINDS),
                "listed_in" in entry,
                entry.get("listed_in") or None,
                stamp,
            )
        )
    with archive.transaction():
        archive.db.conn.executemany(
            """INSERT INTO article_signals (key, path, article_id, sitemap_lastmod, news_published, feed_date,
                   listed_in, signals_seen_at)
               VALUES (?1, ?2, (SELECT id FROM articles WHERE id = ?1), ?3, ?4, ?5, ?7, ?8)
               ON CONFLICT(key) DO UPDATE SET
                   article_id = coalesce(article_id, excluded.article_id),
                   sitemap_lastmod = coalesce(excluded.sitemap_lastmod, sitemap_lastmod),
                   news_published = coalesce(excluded.news_published, news_published),
                   feed_date = coalesce(excluded.feed_date, feed_date),
                   listed_in = CASE WHEN ?6 THEN excluded.listed_in ELSE listed_in END,
                   signals_seen_at = excluded.signals_seen_at""",
            rows,
        )
    return len(rows)


@clear_errors
def save_document_signals(
    archive: Archive, documents: dict[str, dict[str, Any]], publisher: str = FIRST_PUBLISHER
) -> None:
    """Store what each discovery document of ``publisher`` read whole in this run said: path ->
    {"kind", "index_lastmod", "etag", "last_modified", "status", "read_at"}."""
    rows = [
        (
            document_key(publisher, path),
            entry.get("kind"),
            entry.get("index_lastmod"),
            entry.get("etag"),
            entry.get("last_modified"),
            entry.get("status"),
            to_vn_iso(entry.get("read_at")),
        )
        for path, entry in documents.items()
    ]
    with archive.transaction():
        archive.db.conn.executemany(
            """INSERT INTO document_signals (path, kind, index_lastmod, etag, last_modified, last_status,
                   last_read_at) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(path) DO UPDATE SET kind = excluded.kind,
                   index_lastmod = coalesce(excluded.index_lastmod, index_lastmod),
                   etag = excluded.etag, last_modified = excluded.last_modified,
                   last_status = excluded.last_status, last_read_at = excluded.last_read_at""",
            rows,
        )


def publisher_history(conn: Any) -> dict[str, dict[str, Any]]:
    """Per publisher key: ``articles``, ``newest`` (published_at), ``last_crawl`` (finished_at of its
    last successful crawl run) and ``last_run`` (that run's id). ``conn``: any connection, read-only
    is enough (``vnnews publishers --db``)."""
    history: dict[str, dict[str, Any]] = {}
    for key, count, newest in conn.execute(
        "SELECT publisher, count(*), max(published_at) FROM articles GROUP BY publisher"
    ):
        history.setdefault(key, {}).update(articles=count, newest=newest)
    for key, finished, run_id in conn.execute(
        f"SELECT {RUN_PUBLISHER} AS publisher, max(finished_at), max(id) FROM runs"
        " WHERE kind = 'crawl' AND status = 'success' GROUP BY publisher"
    ):
        history.setdefault(key, {}).update(last_crawl=finished, last_run=run_id)
    return history
