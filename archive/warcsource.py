"""Where a bulk import's WARC records come from: local files and http(s) URLs, read from any record
offset, with FastWARC where it is installed and warcio otherwise.

Both readers report damage the same way as ``archive.warc.iter_responses`` (the offset of a damaged
record, a truncated tail): FastWARC only runs ahead over the records the host filter drops (most of a
Common Crawl file), and every record that is kept, and anything FastWARC stumbles on, is read by
warcio's tolerant reader, so both give the same records, bodies and problems.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import io
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import urljoin

from warcio.archiveiterator import ArchiveIterator

from archive.version import __version__
from archive.warc import (
    _SNIFF_BYTES,
    ReadReport,
    WarcResponse,
    _response,
    scan_record_start,
    why_not_warc,
)

# Seconds to wait for a WARC server to answer or send the next bytes: data servers are slow at
# times, but a healthy one is never a minute silent.
HTTP_TIMEOUT = 60.0
# A kept record's body: an article page is under 1 MB and extraction refuses more than 8 MiB
# (extraction/limits.py); a record larger than this is reported as a problem, not read into memory.
MAX_BODY_BYTES = 32 * 1024 * 1024
# A CC-NEWS month lists a few hundred files; a listing with more lines is not a listing of WARCs.
MAX_LISTING_LINES = 1_000_000
READERS = ("auto", "fastwarc", "warcio")
_URL = re.compile(r"^https?://", re.IGNORECASE)
USER_AGENT = f"vnnews/{__version__} (import-warc)"


class SourceError(OSError):
    """A source could not be read (missing file, HTTP error, connection failure)."""


def is_url(source: str) -> bool:
    return bool(_URL.match(source))


def fastwarc_available() -> bool:
    try:
        import fastwarc.warc  # noqa: F401
    except ImportError:
        return False
    return True


def choose_reader(reader: str) -> str:
    """``auto``: FastWARC when importable, else warcio. Asking for FastWARC without it is an error."""
    if reader == "auto":
        return "fastwarc" if fastwarc_available() else "warcio"
    if reader == "fastwarc" and not fastwarc_available():
        raise ValueError(
            "FastWARC is not installed (pip install 'vnnews[fastwarc]'); use --warc-reader warcio"
        )
    return reader


def listing_sources(listing: Path, prefix: str | None) -> list[str]:
    """The WARCs a listing names (CC-NEWS ``warc.paths``, plain or gzip'd): one path a line, relative
    ones resolved against ``prefix`` (a folder or an http(s) URL). Raises ValueError on misuse."""
    opener: Callable[..., Any] = gzip.open if listing.name.endswith(".gz") else open
    sources: list[str] = []
    with opener(listing, "rt", encoding="utf-8", errors="replace") as lines:
        for number, raw in enumerate(lines, 1):
            if number > MAX_LISTING_LINES:
                raise ValueError(f"{listing}: more than MAX_LISTING_LINES ({MAX_LISTING_LINES:,}) lines")
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            sources.append(resolve(line, prefix, f"{listing} line {number}"))
    return sources


def resolve(entry: str, prefix: str | None, where: str) -> str:
    if is_url(entry) or entry.startswith("/"):
        return entry
    if prefix is None:
        raise ValueError(f"{where}: {entry!r} is a relative path; give --warc-prefix (a folder or an URL)")
    if is_url(prefix):
        return urljoin(prefix.rstrip("/") + "/", entry)
    return str(Path(prefix).resolve() / entry)


# Opening a source at an offset --------------------------------------------------------------------


def open_at(source: str, offset: int) -> tuple[BinaryIO, int | None]:
    """A stream of ``source`` from byte ``offset``, and the source's total size when known."""
    if not is_url(source):
        try:
            stream = open(source, "rb")  # noqa: SIM115 - returned to the caller, who closes it
        except OSError as error:
            raise SourceError(error.errno, error.strerror, source) from error
        size = Path(source).stat().st_size
        stream.seek(offset)
        return stream, size
    request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=HTTP_TIMEOUT)
    except urllib.error.HTTPError as error:
        if error.code == 416:  # nothing at or after offset
            return io.BytesIO(), offset
        raise SourceError(f"HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SourceError(f"{reason}") from error
    total = _http_size(response, offset)
    if offset and response.status == 200:  # the server ignored Range: skip to the offset
        _discard(response, offset)
    return cast(BinaryIO, _Counted(response)), total  # read() and close() are all readers use


class _Counted:
    """An http body that counts what it delivered: a body shorter than the server announced is a
    connection cut short, not a truncated file."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.received = 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.stream.read(size)
        self.received += len(data)
        return data

    def close(self) -> None:
        self.stream.close()


def _check_complete(source: str, stream: Any, begin: int, size: int | None) -> None:
    """Over http, the body must be as long as announced; otherwise the network failed, not the file."""
    if isinstance(stream, _Counted) and size is not None:
        while stream.read(1 << 16):  # what the reader left unread after the last record
            pass
        if begin + stream.received < size:
            raise SourceError(f"the connection closed at offset {begin + stream.received} of {size}")


def _http_size(response: Any, offset: int) -> int | None:
    match = re.search(r"/(\d+)\s*$", response.headers.get("Content-Range") or "")
    if match:
        return int(match.group(1))
    length = response.headers.get("Content-Length")
    if length and length.isdigit():
        return int(length) if response.status == 200 else offset + int(length)
    return None


def _discard(stream: BinaryIO, count: int) -> None:
    while count > 0:
        chunk = stream.read(min(count, 1 << 20))
        if not chunk:
            return
        count -= len(chunk)


def why_not_warc_source(source: str) -> str | None:
    """``archive.warc.not_a_warc`` for any source: why its first bytes are not a WARC, or None."""
    stream, _size = open_at(source, 0)
    with contextlib.closing(stream):
        head = b""
        while len(head) < _SNIFF_BYTES:
            chunk = stream.read(_SNIFF_BYTES - len(head))
            if not chunk:
                break
            head += chunk
    return why_not_warc(head)


def _next_record_start(source: str, after: int) -> int | None:
    """Offset of the next gzip member (or plain WARC record) at or after ``after``."""
    stream, _size = open_at(source, after)
    with contextlib.closing(stream):
        return scan_record_start(stream, after)


# Reading records ----------------------------------------------------------------------------------


def read_records(
    source: str,
    start: int,
    report: ReadReport,
    want: Callable[[str], bool],
    reader: str = "warcio",
    dropped: Callable[[str], None] | None = None,
) -> Generator[WarcResponse, None, None]:
    """Every response record of ``source`` from offset ``start`` whose URL ``want`` keeps; the others
    are counted in ``report`` unread (and passed to ``dropped``), damage is recorded there by offset."""
    drop = dropped or (lambda _url: None)
    # FastWARC seeks in its stream (and panics on one that cannot): local files only; over http,
    # where the network is slower than either reader, warcio reads.
    if reader == "fastwarc" and not is_url(source):
        yield from _fastwarc_records(source, start, report, want, drop)
    else:
        yield from _warcio_records(source, start, report, want, drop)


def _read_body(record: Any) -> bytes:
    body = record.content_stream().read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise ValueError(f"record body over MAX_BODY_BYTES ({MAX_BODY_BYTES:,} bytes)")
    return bytes(body)


def _warcio_records(
    source: str, start: int, report: ReadReport, want: Callable[[str], bool], drop: Callable[[str], None]
) -> Iterator[WarcResponse]:
    begin = start
    while True:
        stream, size = open_at(source, begin)
        end = begin
        try:
            with contextlib.closing(stream):
                iterator = ArchiveIterator(stream, check_digests=False)
                # warcio counts offsets from the file's start when it can ask the stream (a local
                # file), from the stream's start otherwise (an http body from a Range request).
                base = begin - iterator.offset
                for record in iterator:
                    url = record.rec_headers.get_header("WARC-Target-URI") or ""
                    if record.rec_type == "response" and url and not want(url):
                        end = base + iterator.get_record_offset() + (iterator.get_record_length() or 0)
                        report.unwanted += 1
                        drop(url)
                        continue
                    body = _read_body(record)
                    if getattr(record.raw_stream, "limit", 0) > 0:
                        _check_complete(source, stream, begin, size)
                        report.truncated_at = end  # fewer bytes than the record declares: cut here
                        return
                    offset = base + iterator.get_record_offset()
                    end = offset + (iterator.get_record_length() or 0)
                    if record.rec_type != "response" or not url:
                        report.other_records += 1  # requests, metadata, revisits, non-WARC lines
                        continue
                    yield _response(record, offset, end - offset, body)
        except SourceError:
            raise
        except Exception as error:  # warcio and zlib raise many kinds; any of them means damage here
            if is_url(source) and isinstance(error, OSError | http.client.HTTPException):
                # The connection failed (reset, timeout, cut short): not the file's fault.
                raise SourceError(f"reading failed after offset {end}: {error}") from error
            report.damaged.append((end, f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"))
            resume = _next_record_start(source, end + 1)
            if resume is None:
                return
            begin = resume
            continue
        if size is not None and end < size:
            _check_complete(source, stream, begin, size)
            report.truncated_at = end  # stopped before the end without an error: a cut-off last record
        return


def _fastwarc_records(
    source: str, start: int, report: ReadReport, want: Callable[[str], bool], drop: Callable[[str], None]
) -> Iterator[WarcResponse]:
    """FastWARC runs over the records ``want`` drops. A record is settled (counted, or read) only once
    the next one's header is read, so it was whole; kept records are read by warcio (decoded body,
    exact length), and so is the tail from the first record FastWARC leaves unsettled (the last one,
    damage, a cut, an ARC file): warcio's tolerant reader reports damage and truncation by offset."""
    from fastwarc.warc import ArchiveIterator as FastIterator
    from fastwarc.warc import WarcRecordType

    handover = start  # the start of the first record not yet settled: where warcio takes over
    pending: tuple[int, str, str] | None = None  # (offset, kind, url) of the record read last
    stream, _size = open_at(source, start)
    try:
        with contextlib.closing(stream):
            # Like warcio, FastWARC counts from the file's start when the stream can tell where it is.
            base = 0 if _tells(stream) else start
            for record in FastIterator(stream, parse_http=False):
                offset = base + record.stream_pos
                if pending is not None:
                    settled, kind, url = pending
                    if kind == "wanted":
                        one = _read_one(source, settled)
                        if one is None:
                            break  # damaged: warcio reads from here and records it
                        yield one
                    elif kind == "unwanted":
                        report.unwanted += 1
                        drop(url)
                    else:
                        report.other_records += 1
                    handover = offset
                url = record.headers.get("WARC-Target-URI") or ""
                if record.record_type != WarcRecordType.response or not url:
                    pending = (offset, "other", url)
                else:
                    pending = (offset, "wanted" if want(url) else "unwanted", url)
    except (SourceError, KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException:  # FastWARC's errors, and its Rust panics (a BaseException)
        pass  # it stopped on damage: warcio reads on from the handover and says what it was
    yield from _warcio_records(source, handover, report, want, drop)


def _tells(stream: BinaryIO) -> bool:
    try:
        stream.tell()
    except (OSError, ValueError):
        return False
    return True


def _read_one(source: str, offset: int) -> WarcResponse | None:
    """The kept record at ``offset``, by warcio; None when it cannot be read whole."""
    stream, _size = open_at(source, offset)
    with contextlib.closing(stream):
        iterator = ArchiveIterator(stream, check_digests=False)
        try:
            record = next(iter(iterator))
            body = _read_body(record)
            if getattr(record.raw_stream, "limit", 0) > 0:
                return None
            length = iterator.get_record_length() or 0
        except Exception:
            return None  # damaged: the tolerant reader, taking over here, records why
        return _response(record, offset, length, body)
