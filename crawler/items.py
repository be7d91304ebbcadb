"""Items are plain data: what the spider fetched, handed to the archive pipeline unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FailedFetch:
    """An article URL that could not be downloaded after all retries: recorded, never dropped."""

    url: str
    error: str
    fetched_at: str | None = None  # ISO 8601, +07:00: when the last attempt failed
    key: str = ""  # the ArticleRef key of the listed URL (its change signals stay unsaved: retried)


@dataclass
class CapturedPage:
    """One HTTP response for an article URL, whatever its status (non-200 is kept as an http_error)."""

    url: str  # the URL requested (the original one when redirects were followed)
    final_url: str  # the URL that answered, after redirects
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    fetched_at: str | None = None  # ISO 8601, +07:00
    source: str = ""  # the discovery document that listed the URL (for the log and stats)
    key: str = ""  # the ArticleRef key of the listed URL: its change signals (archive/crawlstate.py)
    path: str = ""  # the listed URL's path on the site (the same on any mirror)
    gone_reason: str | None = None  # "HTTP 404", "redirected to /thoi-su": withdrawn or gone
