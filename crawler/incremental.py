"""The incremental rule: which discovered articles a crawl fetches, given what the archive holds.

The archive is the crawl's state (``Archive.last_fetched``): no separate state file to lose or to
disagree with the data. Pure functions, unit-tested without Scrapy.
"""

from __future__ import annotations

from datetime import date, datetime

from crawler.discovery import LOCAL_TZ, Link, daily_sitemap_date, parse_datetime


def should_fetch(article_id: str, changed_at: datetime | None, last_fetched: dict[str, str]) -> bool:
    """Fetch an article the archive lacks, or one whose listed date is newer than its last capture.

    An article listed without any date (section pages) and already archived is not fetched again.
    """
    fetched = last_fetched.get(article_id)
    if fetched is None:
        return True
    if changed_at is None:
        return False
    fetched_at = parse_datetime(fetched)
    return fetched_at is None or changed_at > fetched_at


def archive_horizon(last_fetched: dict[str, str]) -> datetime | None:
    """When the archive last captured anything: sitemaps modified after it may list changes."""
    dates = [d for d in (parse_datetime(v) for v in last_fetched.values()) if d is not None]
    return max(dates) if dates else None


def pick_daily_sitemaps(
    index: list[Link], recent_days: int, horizon: datetime | None, max_changed: int = 30, full: bool = False
) -> list[Link]:
    """Daily sitemaps a crawl without a date window reads, newest first.

    ``full``: every daily sitemap the index lists. A crawl reads them all until one crawl has done so
    to the end (the archive lacks what they list; see ``index_complete`` in the pipeline), so a first
    run, or one that was cut short, brings the archive up to the whole index.

    Otherwise the most recent ``recent_days`` days (new articles) plus the older days whose
    ``<lastmod>`` in the index is after the archive's horizon (articles edited since the last crawl),
    at most ``max_changed`` of them, newest first: a site that regenerates every sitemap must not turn
    each run into a full backfill.
    """
    daily = sorted(
        (link for link in index if daily_sitemap_date(link.url) is not None),
        key=lambda link: daily_sitemap_date(link.url) or date.min,
        reverse=True,
    )
    if full:
        return daily
    picked = daily[: max(0, recent_days)]
    if horizon is not None:
        changed = [
            link for link in daily[recent_days:] if link.lastmod is not None and link.lastmod > horizon
        ]
        picked += changed[: max(0, max_changed)]
    return picked


def today_local() -> date:
    return datetime.now(LOCAL_TZ).date()
