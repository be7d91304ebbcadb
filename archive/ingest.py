"""From a captured HTTP response to a stored outcome: classify, extract, and describe what happened.

Pure helpers used by ``Archive.ingest`` (crawler), ``import-warc`` and ``reparse``: no database here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import extraction
from extraction.article import Article, ExtractionError, ExtractionFailed, NotAnArticleError, NotHtmlError

# fetch_error: the download itself failed (timeouts, broken connections, retries exhausted): no bytes.
# withdrawn: an archived article answered 404/410 or redirected to a listing (archive/crawlstate.py);
# gone: the same answer for a listed URL never archived. Findings about the site, not errors.
OUTCOMES = (
    "new",
    "changed",
    "unchanged",
    "error",
    "not_article",
    "http_error",
    "skipped",
    "fetch_error",
    "withdrawn",
    "gone",
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class IngestResult:
    capture_id: int | None
    outcome: str  # one of OUTCOMES
    article_key: str | None = None
    error: str | None = None
    duplicate: bool = False  # the capture was already archived (same record id, or url + time + body)


@dataclass
class Extracted:
    """The result of trying to extract one body: an Article, or the outcome and reason it is not one."""

    article: Article | None
    outcome: str | None = None
    error: str | None = None
    parser: str | None = None


@dataclass
class IngestPage:
    """One fetched page for ``Archive.ingest_many``: ``Archive.ingest``'s arguments. ``extracted`` and
    ``record`` (its WARC record and record id) are what a bulk import's workers made of the page;
    without them the writer extracts and builds the record itself. ``digest``: ``body_hash(body)``
    when the caller has it already."""

    url: str
    final_url: str | None = None
    status: int = 200
    headers: Iterable[tuple[str, str]] = ()
    body: bytes = b""
    fetched_at: str | datetime | None = None
    run_id: int | None = None
    record_id: str | None = None
    extracted: Extracted | None = None
    record: tuple[bytes, str] | None = None
    digest: str | None = None


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def header_value(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name.lower():
            return value
    return None


def looks_like_html(content_type: str | None) -> bool:
    if not content_type:
        return True  # unknown: let extraction decide
    return content_type.split(";", 1)[0].strip().lower() in _HTML_TYPES


def extract_body(
    body: bytes, url: str, fetched_at: str, status: int | None, content_type: str | None
) -> Extracted:
    """Run extraction on a captured body; never raises."""
    if status is not None and not 200 <= status < 300:
        return Extracted(None, "http_error", f"HTTP {status}")
    if not looks_like_html(content_type):
        return Extracted(None, "skipped", f"not HTML ({content_type})")

    try:
        article = extraction.extract(body, url=url, captured_at=fetched_at)
    except ExtractionFailed as error:  # the extractor failed, not the page: retry after a fix
        return Extracted(None, "error", error.reason)
    except NotAnArticleError as error:
        return Extracted(None, "not_article", error.reason)
    except NotHtmlError as error:
        return Extracted(None, "skipped", error.reason)
    except ExtractionError as error:
        return Extracted(None, "error", error.reason)
    except Exception as error:  # a bug in a parser must not lose the capture or stop a crawl
        return Extracted(None, "error", f"{type(error).__name__}: {error}"[:500])
    return Extracted(article, parser=article.parser)
