"""Listing a publisher's captures in a web archive's CDX index (cdx-toolkit), one record per payload.

The Wayback CDX API (the Internet Archive, pywb, Common Crawl's index server) answers one line per
capture, sorted by URL (SURT) and then time; each says the capture's time, status, MIME type, payload
digest and, for WARC-backed archives such as Common Crawl, the WARC file, offset and length.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from archive.db import to_vn_iso
from extraction.publishers.spec import Publisher

IA_CDX = "https://web.archive.org/cdx/search/cdx"
IA_WAYBACK = "https://web.archive.org/web"
CC_DATA = "https://data.commoncrawl.org"
# A CDX server without paging (pywb over plain CDXJ ignores ``page``) answers in one response; this
# bounds it. Past it the listing is cut and the run says so: narrow it with --since/--until.
MAX_UNPAGED_ROWS = 200_000
# cdx-toolkit retries a failed connection up to 100 times, 60 s apart; after our own probe of the
# endpoint, 3 failures in a row mean the archive is down for this run.
CDX_MAX_ERRORS = 3


@dataclass(frozen=True)
class CdxRecord:
    url: str
    timestamp: str  # 14 digits, UTC
    status: str  # "200", "404", "-" (revisits in some archives)
    mime: str
    digest: str
    filename: str | None = None  # Common Crawl: the WARC file and the record's place in it
    offset: int | None = None
    length: int | None = None
    urlkey: str = ""  # the index's sort key (SURT): http/https and www. variants of a URL share it

    @property
    def captured_at(self) -> str:
        """The capture's own time, as the archive stores times (+07:00)."""
        moment = datetime.strptime(self.timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S")
        return to_vn_iso(moment.replace(tzinfo=ZoneInfo("UTC")))

    @classmethod
    def from_fields(cls, fields: Any) -> CdxRecord:
        def number(name: str) -> int | None:
            value = fields.get(name)
            return int(value) if value not in (None, "", "-") else None

        return cls(
            url=str(fields.get("url") or fields.get("original") or ""),
            timestamp=str(fields.get("timestamp") or ""),
            status=str(fields.get("status") or fields.get("statuscode") or "-"),
            mime=str(fields.get("mime") or fields.get("mimetype") or ""),
            digest=str(fields.get("digest") or ""),
            filename=fields.get("filename"),
            offset=number("offset"),
            length=number("length"),
            urlkey=str(fields.get("urlkey") or ""),
        )


def domain_of(publisher: Publisher) -> str:
    """The domain every host of the publisher is under (baonghean.vn for m.baonghean.vn and the rest)."""
    return min(publisher.hosts, key=len).removeprefix("www.")


def timestamp_bound(day: str | None, end: bool = False) -> str | None:
    """YYYY-MM-DD -> a 14-digit CDX bound (inclusive), or None."""
    if not day:
        return None
    digits = day.replace("-", "")
    return digits + ("235959" if end else "000000")


class Listing:
    """The CDX records of ``publisher``'s domain, in the index's order, with counters of what was seen."""

    def __init__(
        self,
        source: str,
        publisher: Publisher,
        cdx_url: str | None = None,
        crawl: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> None:
        self.source = source
        self.publisher = publisher
        self.cdx_url = cdx_url
        self.crawl = crawl
        self.since = since
        self.until = until
        self.truncated = False
        self.requests = 0  # requests cdx-toolkit made for this listing (retries included)

    def _fetcher(self) -> Any:
        import cdx_toolkit  # here: `vnnews --help` must not import requests
        import cdx_toolkit.myrequests

        cdx_toolkit.myrequests.MAX_ERRORS = CDX_MAX_ERRORS  # read at each call (a module global)
        original = cdx_toolkit.myrequests.myrequests_get

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.requests += 1
            return original(*args, **kwargs)

        cdx_toolkit.myrequests_get = counted  # the name cdx_toolkit's fetcher calls

        if self.cdx_url:
            return cdx_toolkit.CDXFetcher(source=self.cdx_url)
        if self.source == "cc":
            return cdx_toolkit.CDXFetcher(source="cc", crawl=self.crawl)
        return cdx_toolkit.CDXFetcher(source="ia")

    def __iter__(self) -> Iterator[CdxRecord]:
        fetcher = self._fetcher()
        params: dict[str, Any] = {"matchType": "domain"}
        if self.since:
            params["from_ts"] = timestamp_bound(self.since)
        if self.until:
            params["to"] = timestamp_bound(self.until, end=True)
        if self.cdx_url:
            # One request, bounded: paging is not part of the plain CDX protocol pywb serves.
            if self.crawl:
                params["crawl"] = self.crawl
            rows = fetcher.get(domain_of(self.publisher), limit=MAX_UNPAGED_ROWS, **params)
            self.truncated = len(rows) >= MAX_UNPAGED_ROWS
            captures: Any = rows
        else:
            captures = fetcher.iter(domain_of(self.publisher), **params)
        for capture in captures:
            yield CdxRecord.from_fields(capture.data if hasattr(capture, "data") else capture)


def one_per_payload(records: Iterator[CdxRecord]) -> Iterator[tuple[CdxRecord, int]]:
    """Each record with the number of records it stands for: consecutive captures of one URL with the
    same payload digest are the same bytes (a revisit, an unchanged page), so only the first is
    fetched. A digest that comes back after another (a revert) is kept: it is a revision."""
    kept: CdxRecord | None = None
    count = 0
    for record in records:
        same_url = (record.urlkey or record.url) == (kept.urlkey or kept.url) if kept else False
        if kept is not None and same_url and record.digest and record.digest == kept.digest:
            count += 1
            continue
        if kept is not None:
            yield kept, count
        kept, count = record, 1
    if kept is not None:
        yield kept, count
