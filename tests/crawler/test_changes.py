"""The change rules of crawler/changes.py: signals compared with the ones seen at capture, never clocks."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from archive.crawlstate import ArticleSignals
from crawler.changes import (
    document_changed,
    fetch_reason,
    listing_signals,
    parse_now,
    parse_recheck_after,
    pick_changed_daily_sitemaps,
)
from crawler.discovery import LOCAL_TZ, Link

OUR_CLOCK = "2026-06-01T10:00:00+07:00"  # our last capture
SITE_BEHIND = datetime(2025, 6, 1, 9, 0, tzinfo=LOCAL_TZ)  # every date the site gives is a year behind


def known(**fields: str | None) -> ArticleSignals:
    return ArticleSignals(key="baonghean:e3:1", path="/a-1.html", article_id="baonghean:e3:1", **fields)  # type: ignore[arg-type]


def test_listing_signals_by_document_kind() -> None:
    link = Link("u", lastmod=SITE_BEHIND, published=SITE_BEHIND - timedelta(hours=1))
    assert listing_signals(link, "sitemap") == {
        "sitemap_lastmod": SITE_BEHIND.isoformat(),
        "news_published": (SITE_BEHIND - timedelta(hours=1)).isoformat(),
    }
    assert listing_signals(Link("u", published=SITE_BEHIND), "rss") == {"feed_date": SITE_BEHIND.isoformat()}
    assert listing_signals(Link("u"), "section") == {}


def test_a_changed_lastmod_dated_before_our_clock_is_a_change() -> None:
    before = known(sitemap_lastmod=SITE_BEHIND.isoformat())
    edited = {"sitemap_lastmod": (SITE_BEHIND + timedelta(minutes=5)).isoformat()}
    assert fetch_reason(edited, before, OUR_CLOCK) == "sitemap_lastmod changed"
    assert fetch_reason({"sitemap_lastmod": SITE_BEHIND.isoformat()}, before, OUR_CLOCK) is None
    # Moved *back* in time (a CMS whose clock was reset) differs too.
    earlier = {"sitemap_lastmod": (SITE_BEHIND - timedelta(days=3)).isoformat()}
    assert fetch_reason(earlier, before, OUR_CLOCK) == "sitemap_lastmod changed"


def test_new_articles_and_baselines() -> None:
    assert fetch_reason({}, None, None) == "new"
    # A kind never seen for the article (first listed by a section page, now by a feed) is a baseline.
    assert fetch_reason({"feed_date": SITE_BEHIND.isoformat()}, known(), OUR_CLOCK) is None
    # An archive from before signals were kept: the old rule, once.
    future = {"sitemap_lastmod": "2026-06-02T00:00:00+07:00"}
    assert fetch_reason(future, None, OUR_CLOCK) == "newer than the last capture"
    assert fetch_reason({"sitemap_lastmod": SITE_BEHIND.isoformat()}, None, OUR_CLOCK) is None


def test_a_withdrawn_article_is_fetched_when_its_daily_sitemap_lists_it_again() -> None:
    gone = known(withdrawn_at=OUR_CLOCK, listed_in=None)
    assert fetch_reason({}, gone, OUR_CLOCK, listed_in="/sitemap-article-2025-06-01.xml") == "listed again"
    assert fetch_reason({}, gone, OUR_CLOCK, listed_in=None) is None
    still = known(withdrawn_at=OUR_CLOCK, listed_in="/sitemap-article-2025-06-01.xml")
    assert fetch_reason({}, still, OUR_CLOCK, listed_in="/sitemap-article-2025-06-01.xml") is None


def test_daily_sitemaps_are_read_again_when_their_index_lastmod_differs() -> None:
    days = [f"/sitemap-article-2025-06-0{d}.xml" for d in (1, 2, 3, 4)]
    index = [Link("https://x" + p, lastmod=SITE_BEHIND + timedelta(hours=n)) for n, p in enumerate(days)]
    path_of = {link.url: link.url.removeprefix("https://x") for link in index}
    seen = {p: link.lastmod.isoformat() for p, link in zip(days, index, strict=True) if link.lastmod}
    assert pick_changed_daily_sitemaps(index, 1, seen, path_of, None) == [index[3]]
    seen[days[0]] = (SITE_BEHIND - timedelta(days=1)).isoformat()  # day 1's lastmod moved (earlier!)
    assert pick_changed_daily_sitemaps(index, 1, seen, path_of, None) == [index[3], index[0]]
    assert pick_changed_daily_sitemaps(index, 1, seen, path_of, None, max_changed=0) == [index[3]]
    assert pick_changed_daily_sitemaps(index, 0, seen, path_of, None, full=True) == index[::-1]


def test_a_sitemap_never_read_is_new_once_signals_are_kept() -> None:
    assert document_changed(SITE_BEHIND, {"/other.xml": None}, "/new.xml", None)
    # No document signals at all (an archive from before them): the old rule against the horizon.
    assert not document_changed(SITE_BEHIND, {}, "/new.xml", SITE_BEHIND + timedelta(days=1))
    assert document_changed(SITE_BEHIND, {}, "/new.xml", SITE_BEHIND - timedelta(days=1))
    assert not document_changed(None, {"/x.xml": "a"}, "/x.xml", None)


def test_recheck_policy_and_pretend_clock_settings() -> None:
    assert parse_recheck_after("1h,6h,24h,7d") == [
        timedelta(hours=1),
        timedelta(hours=6),
        timedelta(hours=24),
        timedelta(days=7),
    ]
    assert parse_recheck_after("30m, 2h") == [timedelta(minutes=30), timedelta(hours=2)]
    assert parse_recheck_after("off") == parse_recheck_after("") == []
    for bad in ("1h,soon", "0h", "-1h", "400d"):
        with pytest.raises(ValueError, match="VNNEWS_RECHECK_AFTER"):
            parse_recheck_after(bad)
    assert parse_now("2026-01-02T08:00:00+07:00") == datetime(2026, 1, 2, 8, tzinfo=LOCAL_TZ)
    assert parse_now("") is None
    with pytest.raises(ValueError, match="VNNEWS_NOW"):
        parse_now("yesterday")


def test_an_article_listed_with_two_dates_is_not_changed_by_either() -> None:
    both = known(sitemap_lastmod="2025-06-01T10:00:00+07:00 2025-06-01T17:00:00+07:00")
    for value in ("2025-06-01T10:00:00+07:00", "2025-06-01T17:00:00+07:00"):
        assert fetch_reason({"sitemap_lastmod": value}, both, OUR_CLOCK) is None
    assert (
        fetch_reason({"sitemap_lastmod": "2025-06-02T09:00:00+07:00"}, both, OUR_CLOCK)
        == "sitemap_lastmod changed"
    )
