"""``vnnews backfill``: a publisher's past from a web archive (Wayback / pywb, or Common Crawl).

The CDX index lists the captures of the publisher's domain (archive/cdx.py); the article URLs among
them, one record per run of identical payloads, are fetched one at a time in their original bytes (the
Wayback ``id_`` form, or a Range request into a Common Crawl WARC file) and stored by ``Archive.ingest``
like a crawl's pages, dated by the capture's own time: raw first, then extracted with the era the
capture date calls for, then placed in the article's history in time order (archive/history.py).

Resuming needs no state of its own: a record whose URL and capture time are already in ``captures``
is not fetched again, so running the same command after a stop goes on where it was.
"""

from __future__ import annotations

import email.utils
import io
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archive.cdx import CC_DATA, IA_CDX, IA_WAYBACK, MAX_UNPAGED_ROWS, CdxRecord, Listing, one_per_payload
from archive.core import Archive
from archive.processes import Interrupted, raise_if_stopping
from archive.progress import note
from archive.reprocess import RunSummary, is_article_url
from archive.version import __version__
from extraction import publishers

# Politeness. One request at a time always; between two requests at least --delay seconds.
DEFAULT_DELAY = 1.0
RETRY_STATUSES = frozenset({429, 502, 503, 504})  # "slow down" and passing outages: wait and retry
MAX_ATTEMPTS = 5  # per record; the record is left for the next run after that
BACKOFF_BASE = 5.0  # seconds, doubled per attempt, when the archive gives no Retry-After
MAX_RETRY_AFTER = 900.0  # a longer Retry-After is an outage: stop asking for this record this run
TIMEOUT = 60.0  # seconds per request: archives are slow, but not slower than this when healthy
MAX_BODY_BYTES = 20_000_000  # an article page is < 1 MB; more is not an article (and bounds memory)
# Headers the replay adds about itself, not the original response's.
_REPLAY_HEADERS = {
    "memento-datetime",
    "link",
    "content-location",
    "date",
    "server",
    "connection",
    "transfer-encoding",
    "content-encoding",
    "content-length",
    "preference-applied",
}


class FetchFailed(Exception):
    """A record could not be fetched this time (the reason is the message); a later run retries it."""


@dataclass
class Fetched:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    record_id: str | None = None


# Counts and problems, kept as an import keeps them.
BackfillSummary = RunSummary


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # an archived redirect is the capture itself, never followed to another one


class Client:
    """One request at a time, ``delay`` seconds apart; 429/5xx answers wait (Retry-After when the
    archive gives one, else exponential backoff) and retry, up to MAX_ATTEMPTS."""

    def __init__(
        self, delay: float = DEFAULT_DELAY, backoff: float = BACKOFF_BASE, contact: str = ""
    ) -> None:
        self.delay = delay
        self.backoff = backoff
        self.user_agent = f"vnnews/{__version__} (backfill{'; ' + contact if contact else ''})"
        self.requests = 0
        self.waited = 0.0
        self._next = 0.0
        self._opener = urllib.request.build_opener(_NoRedirects())

    def get(
        self, url: str, headers: dict[str, str] | None = None, retry_connect: bool = True
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """(status, headers, body); ``retry_connect=False``: a refused connection fails at once."""
        for attempt in range(MAX_ATTEMPTS):
            self._pace()
            request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, **(headers or {})})
            self.requests += 1
            try:
                with self._opener.open(request, timeout=TIMEOUT) as response:
                    return response.status, list(response.headers.items()), _read_bounded(response)
            except urllib.error.HTTPError as error:
                if error.code not in RETRY_STATUSES:
                    return error.code, list(error.headers.items()), _read_bounded(error)
                wait = _retry_after(error.headers.get("Retry-After"), self.backoff * 2**attempt)
                if wait > MAX_RETRY_AFTER:
                    raise FetchFailed(f"HTTP {error.code}, Retry-After {wait:.0f} s") from None
                self._sleep(wait)
            except (urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                if attempt == MAX_ATTEMPTS - 1 or not retry_connect:
                    raise FetchFailed(f"{reason}") from None
                self._sleep(self.backoff * 2**attempt)
        raise FetchFailed(f"still refused after {MAX_ATTEMPTS} attempts")

    def _pace(self) -> None:
        now = time.monotonic()
        if now < self._next:
            self._sleep(self._next - now)
        self._next = time.monotonic() + self.delay

    def _sleep(self, seconds: float) -> None:
        self.waited += seconds
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            raise_if_stopping()  # Ctrl-C / SIGTERM during a long Retry-After stops at once
            time.sleep(min(left, 0.5))


def _read_bounded(response: Any) -> bytes:
    body: bytes = response.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise FetchFailed(f"body larger than {MAX_BODY_BYTES} bytes (MAX_BODY_BYTES)")
    return body


def _retry_after(value: str | None, fallback: float) -> float:
    """Retry-After in seconds (a number, or an HTTP date); the fallback when absent or unreadable."""
    if not value:
        return fallback
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return fallback
    return max(0.0, moment.timestamp() - time.time())


def _original_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The archived response's headers: the Internet Archive prefixes them ``X-Archive-Orig-``."""
    kept = []
    for name, value in headers:
        lower = name.lower()
        if lower.startswith("x-archive-orig-"):
            kept.append((name[len("x-archive-orig-") :], value))
        elif lower not in _REPLAY_HEADERS and not lower.startswith("x-archive-"):
            kept.append((name, value))
    return kept


def fetch_wayback(client: Client, wayback: str, record: CdxRecord) -> Fetched:
    """The capture's original bytes from a Wayback replay: ``{wayback}/{timestamp}id_/{url}``."""
    status, headers, body = client.get(f"{wayback.rstrip('/')}/{record.timestamp}id_/{record.url}")
    if record.status.isdigit() and status != int(record.status):
        # Not the capture (a missing WARC, an access rule, a redirect to another capture): storing the
        # archive's own error page would date a false 404 to the capture's time.
        raise FetchFailed(f"the archive answered HTTP {status} for a capture indexed as {record.status}")
    if 300 <= status < 400:
        raise FetchFailed(f"the archive answered HTTP {status} instead of the capture")
    return Fetched(status, _original_headers(headers), body)


def fetch_warc_range(client: Client, prefix: str, record: CdxRecord) -> Fetched:
    """The capture's WARC record by a Range request (Common Crawl: filename, offset, length)."""
    from warcio.archiveiterator import ArchiveIterator

    if record.filename is None or record.offset is None or not record.length:
        raise FetchFailed("the index gives no WARC filename/offset/length for this capture")
    end = record.offset + record.length - 1
    url = f"{prefix.rstrip('/')}/{record.filename}"
    status, _headers, data = client.get(url, {"Range": f"bytes={record.offset}-{end}"})
    if status != 206 or len(data) != record.length:
        raise FetchFailed(f"Range request answered HTTP {status} with {len(data)} of {record.length} bytes")
    for warc in ArchiveIterator(io.BytesIO(data)):
        if warc.rec_type != "response" or warc.http_headers is None:
            raise FetchFailed(f"the WARC record is a {warc.rec_type}, not a response")
        body = warc.content_stream().read()
        code = int(warc.http_headers.get_statuscode() or 0)
        return Fetched(
            code, list(warc.http_headers.headers), body, warc.rec_headers.get_header("WARC-Record-ID")
        )
    raise FetchFailed("no WARC record in the requested range")


def wayback_of(cdx_url: str) -> str:
    """The replay prefix next to a CDX endpoint: IA ``.../cdx/search/cdx`` -> ``.../web``, pywb
    ``.../COLL/cdx`` -> ``.../COLL``."""
    if cdx_url.rstrip("/").endswith("/cdx/search/cdx"):
        return cdx_url.rstrip("/")[: -len("/cdx/search/cdx")] + "/web"
    return cdx_url.rstrip("/").removesuffix("/cdx")


@dataclass
class Options:
    publisher: str
    source: str  # ia | cc
    since: str | None = None
    until: str | None = None
    crawl: str | None = None
    cdx_url: str | None = None
    replay: str | None = None  # Wayback prefix (ia) or WARC download prefix (cc)
    delay: float = DEFAULT_DELAY
    backoff: float = BACKOFF_BASE
    quiet: bool = False

    def fetcher(self) -> Callable[[Client, CdxRecord], Fetched]:
        if self.source == "cc":
            prefix = self.replay or CC_DATA
            return lambda client, record: fetch_warc_range(client, prefix, record)
        wayback = self.replay or (wayback_of(self.cdx_url) if self.cdx_url else IA_WAYBACK)
        return lambda client, record: fetch_wayback(client, wayback, record)


def backfill(archive: Archive, options: Options, listing: Listing | None = None) -> BackfillSummary:
    """Run one backfill (see ``vnnews backfill --help``); a ``runs`` row of kind ``backfill``."""
    publisher = publishers.get(options.publisher)
    listing = listing or Listing(
        options.source, publisher, options.cdx_url, options.crawl, options.since, options.until
    )
    args = {k: v for k, v in vars(options).items() if k != "quiet"}
    client = Client(options.delay, options.backoff)
    with archive.run("backfill", args) as run:
        summary = BackfillSummary(run.id)
        run.stats = summary.counts
        try:
            if options.cdx_url or options.source == "ia":
                probe(client, options.cdx_url or IA_CDX)
            _backfill(archive, options, listing, client, summary)
        except Interrupted as stop:
            stop.run_id = run.id
            raise
        except FetchFailed as error:
            raise FetchFailed(f"CDX query failed: {error}") from error
        except Exception as error:  # the CDX listing itself failed: say so in one line (exit 1)
            if summary.counts["cdx_records"] == 0:
                raise FetchFailed(f"CDX query failed: {type(error).__name__}: {error}") from error
            raise
        if listing.truncated:
            summary.problems.append(
                f"the CDX listing stopped at its limit of {MAX_UNPAGED_ROWS} rows (MAX_UNPAGED_ROWS);"
                " narrow it with --since/--until"
            )
        stored = sum(summary.counts[k] for k in ("new", "changed", "unchanged"))
        summary.counts["requests"] = client.requests + listing.requests
        probed = options.cdx_url or options.source == "ia"
        summary.counts["cdx_requests"] = listing.requests + (1 if probed else 0)
        stats = {
            "fetched": 0,
            **summary.counts,
            "pages_fetched": summary.counts["fetched"],
            "articles_new": summary.counts["new"],
            "articles_changed": summary.counts["changed"],
            "articles_unchanged": summary.counts["unchanged"],
            "errors": summary.counts["fetch_error"] + summary.counts["error"],
            "waited_seconds": round(client.waited, 1),
            "requests_per_article": round(client.requests / stored, 3) if stored else None,
            "problems": summary.problems[:50],
        }
        run.finish(summary.status, stats)
    return summary


PROGRESS_SECONDS = 10.0  # a line this often on stderr, like a crawl's progress log


class ProgressLine:
    """``vnnews backfill: 120 captures listed, 41 fetched, 38 new, 3 changed`` every PROGRESS_SECONDS."""

    def __init__(self, counts: Counter[str], quiet: bool) -> None:
        self.counts = counts
        self.quiet = quiet
        self._next = time.monotonic() + PROGRESS_SECONDS

    def maybe(self) -> None:
        if self.quiet or time.monotonic() < self._next:
            return
        self._next = time.monotonic() + PROGRESS_SECONDS
        c = self.counts
        note(
            f"vnnews backfill: {c['cdx_records']} captures listed, {c['fetched']} fetched, {c['new']} new,"
            f" {c['changed']} changed, {c['already_archived']} already archived, {c['fetch_error']} failed"
        )


def probe(client: Client, cdx_url: str) -> None:
    """One request to the CDX endpoint before cdx-toolkit lists it: cdx-toolkit waits 60 s after each
    failed connection (up to its error limit), so an unreachable or wrong endpoint is told here, at once."""
    status, _headers, _body = client.get(f"{cdx_url}?url=example.invalid&limit=1", retry_connect=False)
    if status not in (200, 400, 404):  # 400/404: pywb's and IA's "no captures" answers
        raise FetchFailed(f"CDX server {cdx_url} answered HTTP {status}")


def _backfill(
    archive: Archive, options: Options, listing: Listing, client: Client, summary: BackfillSummary
) -> None:
    counts = summary.counts
    fetch = options.fetcher()
    conn = archive.db.conn
    progress = ProgressLine(counts, options.quiet)
    for record, represented in one_per_payload(iter(listing)):
        progress.maybe()
        raise_if_stopping()  # SIGTERM / Ctrl-C: stop between two records, the run is interrupted
        counts["cdx_records"] += represented
        counts["same_payload"] += represented - 1
        if not is_article_url(record.url, options.publisher):
            counts["skipped_not_article_url"] += 1
            continue
        # "-": a revisit without its own status in some indexes; its payload is fetched.
        if record.status != "-" and not (record.status.isdigit() and 200 <= int(record.status) < 300):
            counts[f"skipped_status_{record.status}"] += 1
            continue
        when = record.captured_at
        done = conn.execute(
            "SELECT 1 FROM captures WHERE url = ? AND fetched_at = ? LIMIT 1", (record.url, when)
        ).fetchone()
        if done:
            counts["already_archived"] += 1  # an earlier run stored it: no request
            continue
        try:
            fetched = fetch(client, record)
        except FetchFailed as error:
            counts["fetch_error"] += 1
            summary.problems.append(f"{record.url} at {record.timestamp}: {error}")
            continue
        counts["fetched"] += 1
        result = archive.ingest(
            url=record.url,
            final_url=record.url,
            status=fetched.status,
            headers=fetched.headers,
            body=fetched.body,
            fetched_at=when,
            run_id=summary.run_id,
            record_id=fetched.record_id,
        )
        counts["already_archived" if result.duplicate else result.outcome] += 1
