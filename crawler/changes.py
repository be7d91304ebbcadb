"""Change detection by the site's own signals: which listed articles and daily sitemaps to read again.

The rule is "re-fetch what differs from what the site said at our last capture", never "what the site
dates after our own clock": a CMS whose clock is behind ours, that writes local time as UTC, or a
copy of the site replayed a year later would otherwise never yield its edits. The signals are kept
in the archive (``archive.crawlstate``); these pure functions compare them, unit-tested without Scrapy.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from archive.crawlstate import ArticleSignals
from crawler.discovery import Link, daily_sitemap_date, parse_datetime

# The recheck policy: conditional requests this long after an article was first archived, so that an
# edit made without touching the sitemap (editors fix articles within hours) is still caught.
DEFAULT_RECHECK_AFTER = "1h,6h,24h,7d"
# At most this many rechecks per run: a burst of thousands of new articles must not double a run.
MAX_RECHECKS = 2000
_OFFSET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhd])\s*$")
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
# No recheck point may lie further out than this: the recheck window is the archive query's horizon.
MAX_RECHECK_OFFSET = timedelta(days=366)


def parse_recheck_after(value: str | None) -> list[timedelta]:
    """``"1h,6h,24h,7d"`` -> offsets, sorted; ``""`` or ``"off"`` -> none (rechecks disabled)."""
    text = (value or "").strip().lower()
    if text in ("", "0", "off", "none"):
        return []
    offsets = []
    for part in text.split(","):
        match = _OFFSET.match(part)
        if not match or float(match[1]) <= 0:
            raise ValueError(
                f"VNNEWS_RECHECK_AFTER takes offsets like 1h,6h,24h,7d (m, h or d), not {value!r}"
            )
        offset = float(match[1]) * _UNITS[match[2]]
        if offset > MAX_RECHECK_OFFSET:
            raise ValueError(f"VNNEWS_RECHECK_AFTER offsets are at most 366d, not {part.strip()!r}")
        offsets.append(offset)
    return sorted(set(offsets))


def parse_now(value: str | None) -> datetime | None:
    """``VNNEWS_NOW``: the time the crawl pretends it is (tests, replays), aware; None when unset."""
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value))
    if parsed is None or not re.match(r"^\d{4}-\d{2}-\d{2}", str(value).strip()):
        raise ValueError(
            f"VNNEWS_NOW takes an ISO 8601 time such as 2026-01-02T08:00:00+07:00, not {value!r}"
        )
    return parsed


# One article may be listed with several values of one kind (twice in a sitemap, with two dates): the
# archive keeps them all, space-separated, at most this many (the latest in text order).
MAX_SIGNAL_VALUES = 4


def split_values(stored: str | None) -> list[str]:
    return stored.split() if stored else []


def join_values(values: set[str]) -> str:
    return " ".join(sorted(values)[-MAX_SIGNAL_VALUES:])


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def listing_signals(link: Link, source: str) -> dict[str, str]:
    """The signals a discovery document gives for one article: by kind, as text (compared for
    equality only). Section pages give none."""
    found: dict[str, str | None] = {}
    if source == "sitemap":
        found = {"sitemap_lastmod": _iso(link.lastmod), "news_published": _iso(link.published)}
    elif source == "rss":
        found = {"feed_date": _iso(link.published)}
    return {kind: value for kind, value in found.items() if value is not None}


def fetch_reason(
    listed: dict[str, str],
    known: ArticleSignals | None,
    last_fetched: str | None,
    listed_in: str | None = None,
) -> str | None:
    """Why a listed article must be fetched, or None to leave it.

    - not archived (nor settled as gone): "new";
    - withdrawn and listed again by a daily sitemap that had dropped it: "listed again";
    - a signal that differs from the one seen at the last capture: "<kind> changed";
    - an archived article without any signals recorded (an archive from before they were kept):
      the old rule, once: a listed date after our last capture. Its signals are recorded this run.
    A kind never seen before for the article is taken as the baseline, not as a change.
    """
    if last_fetched is None:
        return "new"
    if known is None:
        fetched = parse_datetime(last_fetched)
        dates = [parse_datetime(value) for value in listed.values()]
        newest = max((d for d in dates if d is not None), default=None)
        return "newer than the last capture" if newest and fetched and newest > fetched else None
    if known.withdrawn_at and listed_in and listed_in != known.listed_in:
        return "listed again"
    for kind, value in listed.items():
        old = known.signal(kind)
        if old is not None and value not in split_values(old):
            return f"{kind} changed"
    return None


def _newest_first(index: list[Link]) -> list[Link]:
    return sorted(
        (link for link in index if daily_sitemap_date(link.url) is not None),
        key=lambda link: daily_sitemap_date(link.url) or date.min,
        reverse=True,
    )


def document_changed(
    lastmod: datetime | None, known: dict[str, str | None], path: str, horizon: datetime | None
) -> bool:
    """Has a sitemap's index ``<lastmod>`` changed since we last read it (``known``: path -> lastmod)?

    A sitemap never read is new, unless the archive has no document signals at all (one made before
    they were kept): then the old rule, a lastmod after the archive's horizon, until the next read."""
    if lastmod is None:
        return False
    if path not in known:
        return bool(known) or (horizon is not None and lastmod > horizon)
    return _iso(lastmod) != known[path]


def pick_changed_daily_sitemaps(
    index: list[Link],
    recent_days: int,
    known: dict[str, str | None],
    path_of: dict[str, str],
    horizon: datetime | None,
    max_changed: int = 30,
    full: bool = False,
) -> list[Link]:
    """Daily sitemaps a crawl without a date window reads, newest first: all of them while the index
    was never read whole (``full``); else the ``recent_days`` newest, plus older ones whose index
    ``<lastmod>`` differs from the one they had when last read, at most ``max_changed`` of them.

    ``known``: document path -> index lastmod when last read; ``path_of``: link URL -> path."""
    daily = _newest_first(index)
    if full:
        return daily
    picked = daily[: max(0, recent_days)]
    changed = [
        link
        for link in daily[max(0, recent_days) :]
        if document_changed(link.lastmod, known, path_of.get(link.url, ""), horizon)
    ]
    return picked + changed[: max(0, max_changed)]
