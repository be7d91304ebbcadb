"""Raw captures in standard WARC 1.1 files (warcio): a rotating writer and a reader that survives damage.

Each record is its own gzip member, so a record can be read back by (file, offset, length) and a
damaged member costs only that record: the reader skips to the next member and reports the offset.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROTATE_BYTES = 1_000_000_000
# The stored body is already decoded (Scrapy and warcio both undo transfer and content encodings), so
# headers describing an encoding would make replay tools decode it a second time.
_ENCODING_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
_GZIP_MAGIC = b"\x1f\x8b\x08"
_PLAIN_MAGIC = b"WARC/1."


@dataclass
class WrittenRecord:
    warc_file: str  # relative to the database's folder
    offset: int
    length: int
    record_id: str


@dataclass
class WarcResponse:
    """One HTTP response found in a WARC file."""

    url: str
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes
    date: str | None
    record_id: str | None
    offset: int
    length: int


@dataclass
class ReadReport:
    """What a tolerant read skipped: (offset, reason) of damaged records, and a truncated tail."""

    damaged: list[tuple[int, str]] = field(default_factory=list)
    truncated_at: int | None = None
    other_records: int = 0
    unwanted: int = 0


def warc_date(fetched_at: str) -> str:
    moment = datetime.fromisoformat(fetched_at).astimezone(ZoneInfo("UTC"))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


class WarcStore:
    """Appends response records to ``<folder>/<prefix>-NNN.warc.gz``, rotating near ROTATE_BYTES."""

    def __init__(
        self, folder: Path, relative_to: Path, prefix: str, rotate_bytes: int = ROTATE_BYTES
    ) -> None:
        self.folder = folder
        self.relative_to = relative_to
        self.prefix = prefix
        self.rotate_bytes = rotate_bytes
        self._file: BinaryIO | None = None
        self._path: Path | None = None

    def _open_next(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        number = 1
        while (self.folder / f"{self.prefix}-{number:03d}.warc.gz").exists():
            number += 1
        self._path = self.folder / f"{self.prefix}-{number:03d}.warc.gz"
        # Unbuffered: each record is built in memory and written with one call, so a failed write (disk
        # full) leaves no bytes pending in a buffer that a later flush would append after the cut.
        self._file = open(self._path, "ab", buffering=0)  # noqa: SIM115 - kept open, closed in close()

    def write_response(
        self,
        url: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        fetched_at: str,
        record_id: str | None = None,
    ) -> WrittenRecord:
        return self.append_record(*response_record(url, status, headers, body, fetched_at, record_id))

    def append_record(self, data: bytes, record_id: str) -> WrittenRecord:
        """Append one gzip'd record as it is: built by ``response_record`` (here, or in a bulk import's
        worker), or copied byte for byte from another archive's WARC (``vnnews merge``, so the copy keeps
        its WARC-Record-ID, headers and digests)."""
        if self._file is None or self._file.tell() >= self.rotate_bytes:
            self._open_next()
        assert self._file is not None and self._path is not None
        offset = self._file.tell()
        self._append(data, offset)
        relative = os.path.relpath(self._path, self.relative_to)
        return WrittenRecord(relative, offset, self._file.tell() - offset, record_id)

    def _append(self, data: bytes, offset: int) -> None:
        """Write the whole record, or nothing: on an error (disk full, file too large) the file is cut
        back to ``offset``, so no partial record is left, and the error names the file."""
        assert self._file is not None
        try:
            view = memoryview(data)
            while view:
                written = self._file.write(view)
                if not written:  # a regular file never does this; never loop on it
                    raise OSError(errno.EIO, "write made no progress")
                view = view[written:]
        except OSError as error:
            with contextlib.suppress(OSError):
                os.ftruncate(self._file.fileno(), offset)
                self._file.seek(offset)
            raise OSError(error.errno, error.strerror, str(self._path)) from error

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None


def response_record(
    url: str,
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    fetched_at: str,
    record_id: str | None = None,
    level: int | None = None,
) -> tuple[bytes, str]:
    """One gzip'd WARC 1.1 response record, whole in memory (a failed write can be cut back whole),
    and its WARC-Record-ID. Compressing is most of a write's cost, so a bulk import's workers build
    the records and its one writer only appends them. ``level``: gzip's, ``GZIP_LEVEL`` by default."""
    kept = [(k, v) for k, v in headers if k.lower() not in _ENCODING_HEADERS]
    kept.append(("Content-Length", str(len(body))))
    http_headers = StatusAndHeaders(status_line(status), kept, protocol="HTTP/1.1")
    record_id = record_id or f"<urn:uuid:{uuid.uuid4()}>"
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False, warc_version="1.1")  # gzipped by ``_gzip_member`` (warcio: level 9)
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": warc_date(fetched_at), "WARC-Record-ID": record_id},
    )
    writer.write_record(record)
    return _gzip_member(out.getvalue(), GZIP_LEVEL if level is None else level), record_id


def _response(record: Any, offset: int, length: int, body: bytes) -> WarcResponse:
    http = record.http_headers
    status: int | None = None
    if http is not None:
        try:
            status = int(http.get_statuscode())
        except (TypeError, ValueError):
            status = None
    return WarcResponse(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        status=status,
        headers=list(http.headers) if http is not None else [],
        body=body,
        date=record.rec_headers.get_header("WARC-Date"),
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        offset=offset,
        length=length,
    )


def read_response(path: Path, offset: int) -> WarcResponse:
    """The response record starting at ``offset`` (as stored in captures.warc_offset)."""
    with open(path, "rb") as stream:
        stream.seek(offset)
        iterator = ArchiveIterator(stream)
        for record in iterator:
            body = record.content_stream().read()
            return _response(record, offset, iterator.get_record_length() or 0, body)
    raise ValueError(f"no WARC record at {path}:{offset}")


def _next_record_start(stream: BinaryIO, after: int) -> int | None:
    """Offset of the next gzip member (or plain WARC record) after ``after``, scanning forward."""
    stream.seek(after)
    return scan_record_start(stream, after)


def scan_record_start(stream: BinaryIO, position: int) -> int | None:
    """Offset of the next gzip member (or plain WARC record) in ``stream``, read forward from where it
    stands, at file offset ``position`` (a local file or an http body: no seeking)."""
    carry = b""
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            return None
        data = carry + chunk
        hits = [i for i in (data.find(_GZIP_MAGIC), data.find(_PLAIN_MAGIC)) if i >= 0]
        if hits:
            return position - len(carry) + min(hits)
        carry = data[-8:]
        position += len(chunk)


def iter_responses(
    path: Path, report: ReadReport, want: Callable[[str], bool] | None = None
) -> Iterator[WarcResponse]:
    """Every response record of ``path``; damaged records are skipped and recorded in ``report``.

    Records whose target URL ``want`` rejects are counted in ``report.unwanted`` without decoding their
    bodies (a Common Crawl file holds a few wanted pages among tens of thousands)."""
    size = path.stat().st_size
    with open(path, "rb") as stream:
        start = 0
        while start < size:
            stream.seek(start)
            iterator = ArchiveIterator(stream, check_digests=False)
            end = start
            try:
                for record in iterator:
                    url = record.rec_headers.get_header("WARC-Target-URI") or ""
                    if record.rec_type == "response" and want is not None and not want(url):
                        end = start + iterator.get_record_offset() + (iterator.get_record_length() or 0)
                        report.unwanted += 1
                        continue
                    body = record.content_stream().read()
                    if getattr(record.raw_stream, "limit", 0) > 0:
                        # Fewer bytes than the record declares: the file was cut inside this record.
                        report.truncated_at = end
                        return
                    # Asking for offset/length reads the record to its end, so ask after reading the body.
                    offset = start + iterator.get_record_offset()
                    length = iterator.get_record_length() or 0
                    end = offset + length
                    if record.rec_type != "response" or not url:
                        # Requests, metadata, revisits; and lines of a non-WARC file that warcio's ARC
                        # fallback reads as URL-less "records".
                        report.other_records += 1
                        continue
                    yield _response(record, offset, length, body)
            except Exception as error:  # warcio and zlib raise many kinds; any of them means damage here
                report.damaged.append((end, f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"))
                resume = _next_record_start(stream, end + 1)
                if resume is None:
                    return
                start = resume
                continue
            if end < size:
                # The iterator stopped before the end of the file without an error: a cut-off last record.
                report.truncated_at = end
            return


# Enough of a file's start to see its first record's "WARC/1.x" line, even behind a gzip header.
_SNIFF_BYTES = 64 * 1024
_ARC_MAGIC = b"filedesc://"  # the older ARC format, which warcio also reads


def not_a_warc(path: Path) -> str | None:
    """Why ``path`` is not a WARC (or ARC) file, in a few words; None when its first record says it is.

    warcio reads any text as URL-less "records" and skips them, so without this check a CSV or an
    SQLite file named on the command line would be "imported" with nothing to show, exit 0."""
    with open(path, "rb") as stream:
        head = stream.read(_SNIFF_BYTES)
    return why_not_warc(head)


def why_not_warc(head: bytes) -> str | None:
    """``not_a_warc`` on a file's first ``_SNIFF_BYTES`` bytes (a local file's or a URL's)."""
    if not head:
        return "an empty file, not a WARC"
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, len(_PLAIN_MAGIC) + 16)
        except zlib.error as error:
            return f"not a WARC file (gzip data damaged at its start: {error})"
    if head.lstrip(b"\r\n").startswith((_PLAIN_MAGIC, b"WARC/0.", _ARC_MAGIC)):
        return None
    return f"not a WARC file (it starts with {head[:16]!r})"


# zlib's default level. warcio gzips at 9: on news pages 9 saves 0.5 % of the bytes for ~15 % more
# time, and gzip is a tenth of a crawl's CPU per page.
GZIP_LEVEL = 6


def _gzip_member(record: bytes, level: int = GZIP_LEVEL) -> bytes:
    """One WARC record as its own gzip member (what readers seek to by offset)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return compressor.compress(record) + compressor.flush()
