"""The pure rules of link discovery (crawler/links.py) and of a date window (crawler/backfill.py)."""

from __future__ import annotations

from datetime import date, timedelta

from crawler.backfill import WindowReader, unreached_spans
from crawler.discovery import Link
from crawler.links import MAX_HREFS_PER_PAGE, LinkFollower, article_links, outcome_key
from extraction.publishers import get

SITE = get("baonghean")
LOCAL = "http://127.0.0.1:8000"


def test_article_links_of_a_page() -> None:
    page = (
        b"<html><head><link rel='canonical' href='https://baonghean.vn/self-10400001.html'>"
        b"<link rel='alternate' hreflang='en' href='https://baonghean.vn/en/self-10400001.html'></head><body>"
        b"<p><a href='/old-story-67164.html'>cu</a> "
        b'<a href="https://m.baonghean.vn/b-post250001.html?utm_source=x&amp;page=2">'
        b"<div class='c-related-inline'><a href='c-10350002.html'>c</a></div>"
        b"<a href='/video/clip-10390001.html'>v</a> <a href='/video'>list</a>"
        b"<a href='/tag/nghe+an.html'>t</a>"
        b"<a href='https://example.com/x-10400009.html'>other site</a> <a href='/thoi-su'>s</a>"
        b"<a href='https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fbaonghean.vn%2Fa-10400002.html'>f</a>"
        b"<a href='/am-duong-lich-ngay-14-thang-10-nam-2025.html'>lich</a></p></body></html>"
    )
    links = article_links(page, f"{LOCAL}/thoi-su/self-10400001.html", LOCAL, SITE)
    assert links == [
        f"{LOCAL}/self-10400001.html",
        f"{LOCAL}/old-story-67164.html",
        f"{LOCAL}/b-post250001.html?page=2",
        f"{LOCAL}/thoi-su/c-10350002.html",
        f"{LOCAL}/video/clip-10390001.html",
    ]
    based = b"<head><base href='http://127.0.0.1:8000/x/'></head><a href='d-10400003.html'>d</a>"
    assert article_links(based, f"{LOCAL}/y", LOCAL, SITE) == [f"{LOCAL}/x/d-10400003.html"]
    assert article_links(b"\x89PNG\r\n\x1a\n" + bytes(100), LOCAL, LOCAL, SITE) == []


def test_hrefs_per_page_are_bounded() -> None:
    page = "".join(f"<a href='/a-{10400000 + n}.html'>x</a>" for n in range(MAX_HREFS_PER_PAGE + 50))
    assert len(article_links(page.encode(), LOCAL, LOCAL, SITE)) == MAX_HREFS_PER_PAGE


def test_link_follower_budget_and_known_articles() -> None:
    follower = LinkFollower(2, SITE)
    follower.fetched(f"{LOCAL}/fetched-10400010.html")
    follower.found(
        [
            f"{LOCAL}/a-10400001.html",
            f"{LOCAL}/archived-10400002.html",
            f"{LOCAL}/other-slug-10400010.html",
            f"{LOCAL}/b-10400003.html",
            f"{LOCAL}/a-10400001.html",
            f"{LOCAL}/c-10400004.html",
        ]
    )
    taken = follower.take(lambda url, article_id: article_id == "10400002")
    assert taken == [f"{LOCAL}/a-10400001.html", f"{LOCAL}/b-10400003.html"]
    assert follower.over_budget == 1 and follower.pending == {}
    follower.found([f"{LOCAL}/b-10400003.html"])
    assert follower.take(lambda url, article_id: False) == []  # taken once per run
    off = LinkFollower(0, SITE)
    off.found([f"{LOCAL}/a-10400001.html"])
    assert not off.enabled and off.take(lambda url, article_id: False) == []


def test_a_dead_link_is_not_an_http_error() -> None:
    assert outcome_key("link", 404, "http_error") == "links_dead"
    assert outcome_key("link", 410, "http_error") == "links_dead"
    assert outcome_key("link", 503, "http_error") == "outcome/http_error"
    assert outcome_key("sitemap", 404, "http_error") == "outcome/http_error"
    assert outcome_key("link", 200, "new") == "outcome/new"


def days(first: date, count: int) -> set[date]:
    return {first + timedelta(days=n) for n in range(count)}


def test_unreached_spans() -> None:
    listed = days(date(2025, 9, 1), 40)  # 2025-09-01 .. 2025-10-10
    assert unreached_spans(date(2025, 9, 5), date(2025, 9, 20), listed) == []
    (older,) = unreached_spans(date(2000, 1, 1), date(2025, 10, 10), listed)
    assert older[0] == date(2025, 8, 31) and older[-1] == date(2000, 1, 1)
    newer, older = unreached_spans(date(2025, 8, 30), date(2025, 10, 12), listed)
    assert newer == [date(2025, 10, 12), date(2025, 10, 11)] and older == [
        date(2025, 8, 31),
        date(2025, 8, 30),
    ]
    assert unreached_spans(date(2025, 1, 1), date(2025, 1, 3), set()) == [
        [date(2025, 1, 3), date(2025, 1, 2), date(2025, 1, 1)]
    ]


def test_a_window_guesses_a_week_at_a_time_and_stops_at_an_empty_week() -> None:
    reader = WindowReader(date(2000, 1, 1), date(2025, 10, 10), probe_days=7)
    nested = reader.index_links(
        [
            Link(f"https://baonghean.vn/sitemap-article-{day.isoformat()}.xml")
            for day in days(date(2025, 9, 1), 40)
        ]
        + [Link("https://baonghean.vn/sitemaps/older-index.xml")]
    )
    assert [link.url for link in nested] == ["https://baonghean.vn/sitemaps/older-index.xml"]
    assert len(reader.plan()) == 40 and not reader.exhausted()
    first = reader.next_guesses()
    assert [day for _, day in first] == sorted(days(date(2025, 8, 25), 7), reverse=True)
    reader.sitemap_found(0)  # one of them existed: the next week is asked for
    second = reader.next_guesses()
    assert second[0][1] == date(2025, 8, 24)
    assert reader.exhausted()  # asked at idle: nothing of that week was found, so no more guessing
    assert reader.next_guesses() == [] and reader.stopped == [date(2025, 8, 18)]
    assert reader.guessed == 14
