"""A copy of baonghean.vn built by someone else: same public evidence, different details.

Each test serves a small hand-made site tree (``VarietySite``: a real HTTP server on 127.0.0.1 with
per-path status, headers, gzip and redirects) and crawls it with a real ``vnnews crawl`` process.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler import discovery
from crawler.discovery import LOCAL_TZ
from crawler.middlewares import retry_after_seconds
from crawler.snapshot import pages
from crawler.snapshot.build import generate_articles
from crawler.snapshot.pages import ArticleSpec
from crawler.spiders.baonghean import crawl_delay_to_obey
from extraction.publishers import get

from .helpers import crawl, rows

SITE = get("baonghean")
REAL = "https://baonghean.vn"
NOW = datetime(2025, 10, 14, 21, 0, tzinfo=LOCAL_TZ)
DAY = NOW.date()


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # answer this many times, then fall through to ``then``
    then: Page | None = None


class VarietySite:
    """path -> Page, served on 127.0.0.1; every request is logged with its arrival time."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.arrivals: list[tuple[str, float]] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                page = site.answer(path)
                self.send_response(page.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **page.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def answer(self, path: str) -> Page:
        with self._lock:
            self.arrivals.append((path, time.monotonic()))
            page = self.pages.get(path)
            if page is None:
                return Page(b"<html><body>Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y</body></html>", 404)
            if page.times is not None:
                if page.times <= 0 and page.then is not None:
                    return page.then
                page.times -= 1
            return page

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.arrivals if p == path)

    def times(self, path: str) -> list[float]:
        with self._lock:
            return [t for p, t in self.arrivals if p == path]

    # --- content helpers --------------------------------------------------------------------------

    def add(self, path: str, body: str | bytes, status: int = 200, **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Page(data, status, dict(headers))

    def redirect(self, path: str, location: str, status: int = 301) -> None:
        self.pages[path] = Page(b"", status, {"Location": location})

    def __enter__(self) -> VarietySite:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture(scope="module")
def articles() -> list[ArticleSpec]:
    """16 distinct E3 articles (real Vietnamese text recombined, as in the snapshot)."""
    return [spec for spec, _ in generate_articles(16, 1, NOW, NOW)]


def urlset(entries: list[str], namespace: bool = True) -> str:
    xmlns = ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' if namespace else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset{xmlns}>\n' + "\n".join(entries) + "\n</urlset>\n"


def index(locs: list[str], namespace: bool = True) -> str:
    xmlns = ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' if namespace else ""
    items = "".join(f"<sitemap><loc>{loc}</loc><lastmod>{DAY}</lastmod></sitemap>\n" for loc in locs)
    return f'<?xml version="1.0"?>\n<sitemapindex{xmlns}>\n{items}</sitemapindex>\n'


def url_entry(loc: str, lastmod: str | None = None) -> str:
    return f"<url><loc>{loc}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"


NOT_ARTICLES = [
    "/en/nghe-an-hop-tac-10400003.html",
    "/fr/nghe-an-hop-tac-10400003.html",
    "/ru/nghe-an-hop-tac-10400003.html",
    "/cn/nghe-an-hop-tac-10400003.html",
    "/tag/nghe+an.html",
    "/nghe-an-ptag.html",
    "/dai-hoi-dang-bo-tinh-event123456.html",
    "/dai-hoi-event-123456.html",
    "/am-duong-lich-ngay-14-thang-10-nam-2025.html",
    "/tin-moi-nhat",
]


def build_copy(site: VarietySite, specs: list[ArticleSpec]) -> dict[str, str]:
    """The other team's copy. Returns named paths the assertions need."""
    a = [spec.path for spec in specs]
    for spec in specs:
        site.add(spec.path, pages.render_article(spec))
    day = DAY.isoformat()
    older = (DAY - timedelta(days=1)).isoformat()
    oldest = (DAY - timedelta(days=2)).isoformat()
    gone_day = (DAY - timedelta(days=3)).isoformat()
    # robots.txt: a non-spec index name on the real host, a relative and an http:// m. line, a
    # Crawl-delay, a disallowed section; and no /sitemap.xml at all on this copy.
    site.add(
        "/robots.txt",
        "User-agent: *\nCrawl-delay: 1\nDisallow: /xa-hoi\nDisallow: /tim-kiem\n\n"
        f"Sitemap: {REAL}/sitemap_index.xml\nSitemap: /sitemap-extra.xml\n"
        "Sitemap: http://m.baonghean.vn/sitemap-news.xml\n",
        **{"Content-Type": "text/plain"},
    )
    site.add(
        "/sitemap_index.xml",
        index(
            [
                f"{REAL}/sitemap-news.xml",
                f"{REAL}/sitemap-category.xml",
                f"{REAL}/sitemap-article-{day}.xml.gz",  # a gzip file, no Content-Encoding
                f"{REAL}/sitemap-article-{older}.xml",  # Content-Encoding: gzip
                f"{REAL}/sitemap-article-{gone_day}.xml",  # listed, but 404
                f"{REAL}/sitemaps/older-index.xml",  # a nested index
            ],
            namespace=False,
        ),
    )
    site.add("/sitemaps/older-index.xml", index([f"/sitemap-article-{oldest}.xml"]))
    # News sitemap without any news: field.
    site.add("/sitemap-news.xml", urlset([url_entry(f"{REAL}{a[0]}"), url_entry(f"{REAL}{a[1]}")]))
    site.add(
        "/sitemap-category.xml",
        urlset([url_entry(f"{REAL}/thoi-su"), url_entry(f"{REAL}/kinh-te/bat-dong-san")]),
    )
    daily = urlset(
        [
            url_entry(f"\n   {REAL}{a[2]}\n  ", f"{day}"),  # whitespace around the loc, date-only lastmod
            url_entry(f"{REAL}{a[3]}?utm_source=zalo&amp;utm_medium=share", f"{day}T10:00:00Z"),
            url_entry(f"https://amp.baonghean.vn{a[3]}", f"{day}T10:00:00+0700"),
            url_entry(f"{REAL}/old-slug-51999.html"),  # E1 id: 301 -> E2 id: 302 -> E3 article
            url_entry(f"{REAL}/moved-elsewhere-post299001.html"),  # 301 to the real host's E3 URL
            url_entry(f"{REAL}/anh-bia-10499001.html"),  # an image where an article should be
            url_entry(f"{REAL}/trang-trong-10499002.html"),  # empty 200
            url_entry(f"{REAL}/da-go-10499003.html"),  # 410
            url_entry(f"{REAL}/ban-sao-10499004.html"),  # canonical link points at a[4]
            url_entry(f"{REAL}/trang-loi-10499005.html"),  # the 404 page answered with 200
            *(url_entry(REAL + path) for path in NOT_ARTICLES),
        ],
        namespace=False,
    )
    site.add(
        f"/sitemap-article-{day}.xml.gz",
        gzip.compress(daily.encode()),
        **{"Content-Type": "application/gzip"},
    )
    site.add(
        f"/sitemap-article-{older}.xml",
        gzip.compress(urlset([url_entry(f"{REAL}{a[5]}", f"{older}T08:00:00+07:00")]).encode()),
        **{"Content-Encoding": "gzip", "Content-Type": "application/xml"},
    )
    site.add(
        f"/sitemap-article-{oldest}.xml",
        '<urlset xmlns="urn:something-else">' + url_entry(f"{REAL}{a[6]}") + "</urlset>",
    )
    site.add("/sitemap-extra.xml", f"{REAL}{a[7]}\n{REAL}{a[8]}\n", **{"Content-Type": "text/plain"})
    site.redirect("/old-slug-51999.html", "/old-slug-post250001.html", 301)
    site.redirect("/old-slug-post250001.html", f"{site.base_url}{a[9]}", 302)
    site.redirect("/moved-elsewhere-post299001.html", f"{REAL}{a[10]}", 301)
    site.add("/anh-bia-10499001.html", b"\x89PNG\r\n\x1a\n" + bytes(200), **{"Content-Type": "image/png"})
    site.add("/trang-trong-10499002.html", b"")
    site.add("/da-go-10499003.html", "<html><body>Gone</body></html>", 410)
    site.add(
        "/trang-loi-10499005.html",
        (Path(__file__).resolve().parents[2] / "crawler/snapshot/data/404.html").read_bytes(),
    )
    canonical = pages.render_article(specs[4]).replace(
        "</head>", f'<link rel="canonical" href="{REAL}{a[4]}"></head>', 1
    )
    site.add("/ban-sao-10499004.html", canonical)
    # RSS: +0700 and GMT dates, a tracking m. link, a guid-only item, CDATA HTML descriptions.
    cdata = f'<![CDATA[<a href="{REAL}{a[15]}"><img src="x.jpg"/></a><br/>Tóm tắt <b>HTML</b>]]>'
    site.add(
        "/rss/thoi-su",
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Thời sự</title>'
        f"<link>{REAL}/thoi-su</link>"
        f"<item><title>Một</title><link>https://m.baonghean.vn{a[11]}?utm_source=rss&amp;fbclid=x</link>"
        f"<description>{cdata}</description><pubDate>Tue, 14 Oct 2025 20:00:00 +0700</pubDate></item>"
        f'<item><title>Hai</title><guid isPermaLink="true">{REAL}{a[12]}</guid>'
        f"<description>{cdata}</description><pubDate>Tue, 14 Oct 2025 13:00:00 GMT</pubDate></item>"
        f"<item><title>Ba</title><link>{REAL}{a[0]}</link></item>"
        "</channel></rss>",
        **{"Content-Type": "application/rss+xml"},
    )
    # Section page: an item with only an image link, relative hrefs, and an item 503 with Retry-After.
    site.add(
        "/thoi-su",
        "<html><body><div class='b-grid'><div class='b-grid__img'>"
        f"<a href='{a[13]}'><img data-src='x.jpg'></a></div></div>"
        f"<div class='b-grid'><h3 class='b-grid__title'><a href='..{a[14]}'>Tin</a></h3></div>"
        + "".join(
            f"<div class='b-grid'><h3 class='b-grid__title'><a href='{p}'>x</a></h3></div>"
            for p in NOT_ARTICLES
        )
        + "</body></html>",
    )
    # A subsection only the category sitemap names, in another template: every link is read.
    site.add(
        "/kinh-te/bat-dong-san",
        f"<html><body><ul><li><a href='{REAL}{a[15]}'>Nhà đất</a></li></ul></body></html>",
    )
    site.pages[a[14]] = Page(
        b"<html><body>busy</body></html>",
        503,
        {"Retry-After": "1"},
        times=1,
        then=Page(pages.render_article(specs[14]).encode()),
    )
    site.add("/xa-hoi", f"<html><body><a href='{a[1]}'>x</a></body></html>")  # disallowed by robots.txt
    return {"day": day, "gone_day": gone_day}


@pytest.fixture(scope="module")
def crawled(
    tmp_path_factory: pytest.TempPathFactory, articles: list[ArticleSpec]
) -> Iterator[dict[str, Any]]:
    """One crawl of the other team's copy, shared by the assertions below."""
    db = tmp_path_factory.mktemp("variety") / "news.db"
    with VarietySite() as site:
        names = build_copy(site, articles)
        result = crawl(db, site.base_url)
        yield {"site": site, "db": db, "result": result, **names}


def test_every_article_of_the_copy_is_archived_once(
    crawled: dict[str, Any], articles: list[ArticleSpec]
) -> None:
    result, db, site = crawled["result"], crawled["db"], crawled["site"]
    # The listed article that answers 410 was never archived: gone, a finding, not a failure (exit 0).
    assert result.returncode == 0, result.stderr
    assert "gone 1" in result.stdout
    keys = {key for (key,) in rows(db, "SELECT id FROM articles")}
    expected = {f"baonghean:e3:{spec.article_id}" for spec in articles}
    assert keys == expected, sorted(expected - keys)
    for spec in articles:
        if spec is not articles[4]:  # archived from the copy that names it as canonical, never listed
            assert site.hits(spec.path) >= 1, spec.path
    assert site.hits(articles[3].path) == 1  # listed with utm params and via amp.: fetched once
    assert site.hits(articles[11].path) == 1  # RSS m. host + tracking params


def test_non_articles_and_disallowed_paths_are_never_requested(crawled: dict[str, Any]) -> None:
    site = crawled["site"]
    for path in NOT_ARTICLES:
        assert site.hits(path) == 0, path
    assert site.hits("/xa-hoi") == 0  # robots.txt Disallow of a section
    assert site.hits("/kinh-te/bat-dong-san") == 1  # a subsection the category sitemap names


def test_sitemaps_of_every_shape_are_read(crawled: dict[str, Any]) -> None:
    site, db, day = crawled["site"], crawled["db"], crawled["day"]
    for path in (
        "/sitemap_index.xml",
        f"/sitemap-article-{day}.xml.gz",
        "/sitemaps/older-index.xml",
        "/sitemap-extra.xml",
        "/sitemap-news.xml",
    ):
        assert site.hits(path) == 1, path
    assert site.hits("/sitemap.xml") == 1  # the spec's path, tried once: absent here, not an error
    summary = json.loads(rows(db, "SELECT summary FROM runs")[0][0])
    # Absent, not errors: /sitemap.xml, 11 of 12 feeds and 7 section pages, and the listed day that
    # 404s; that one keeps the index from counting as read whole, so the next crawl reads it all again.
    assert summary["discovery_errors"] == 0
    assert summary["discovery"] != "full"
    assert "is gone (HTTP 404)" in crawled["result"].stderr
    assert not [p for p, _ in site.arrivals if "baonghean.vn" in p]


def test_redirects_and_odd_answers_are_recorded(crawled: dict[str, Any], articles: list[ArticleSpec]) -> None:
    site, db = crawled["site"], crawled["db"]
    base = site.base_url
    captures = {
        url: (final, outcome)
        for url, final, outcome in rows(db, "SELECT url, final_url, outcome FROM captures")
    }
    # E1 id -> E2 id -> E3 article: recorded under the old URL, final URL the E3 one.
    assert captures[base + "/old-slug-51999.html"][0] == base + articles[9].path
    # A Location on the real site's host is followed on the copy.
    assert captures[base + "/moved-elsewhere-post299001.html"] == (base + articles[10].path, "new")
    assert captures[base + "/da-go-10499003.html"][1] == "gone"
    assert captures[base + "/anh-bia-10499001.html"][1] != "new"
    assert captures[base + "/trang-trong-10499002.html"][1] != "new"
    assert captures[base + "/trang-loi-10499005.html"][1] == "not_article"  # a soft 404
    # A page whose canonical link names another article is stored as that article.
    assert captures[base + "/ban-sao-10499004.html"][1] in ("new", "unchanged", "changed")
    # 503 with Retry-After: 1 waited about a second (the backoff alone is 0.1 s here).
    first, second = site.times(articles[14].path)[:2]
    assert second - first >= 0.9


def test_second_crawl_of_the_copy_fetches_nothing_again(
    crawled: dict[str, Any], articles: list[ArticleSpec]
) -> None:
    site, db = crawled["site"], crawled["db"]
    before = {spec.path: site.hits(spec.path) for spec in articles}
    old_ids = ["/old-slug-51999.html", "/moved-elsewhere-post299001.html", "/ban-sao-10499004.html"]
    gone = "/da-go-10499003.html"  # answered 410: asking again will not change it
    before.update({path: site.hits(path) for path in [*old_ids, gone]})
    again = crawl(db, site.base_url)
    assert again.returncode == 0, again.stderr  # nothing failed this time: the 410 is settled
    refetched = [path for path in before if site.hits(path) != before[path]]
    assert refetched == []  # old-id URLs that redirected, too: the archive knows where they led


def test_a_copy_with_only_the_spec_paths_and_few_sections_crawls_clean(
    tmp_path: Path, articles: list[ArticleSpec]
) -> None:
    """robots.txt without Sitemap lines, one section page and feed only: success, not partial."""
    with VarietySite() as site:
        site.add("/robots.txt", "User-agent: *\nDisallow: /tim-kiem\n", **{"Content-Type": "text/plain"})
        day = DAY.isoformat()
        site.add("/sitemap.xml", index([f"{REAL}/sitemap-article-{day}.xml"]))
        site.add(f"/sitemap-article-{day}.xml", urlset([url_entry(REAL + articles[0].path, day)]))
        site.add("/thoi-su", f"<div class='b-grid__title'><a href='{articles[1].path}'>x</a></div>")
        for spec in articles[:2]:
            site.add(spec.path, pages.render_article(spec))
        result = crawl(tmp_path / "news.db", site.base_url)
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.startswith("crawl success")
    keys = {key for (key,) in rows(tmp_path / "news.db", "SELECT id FROM articles")}
    assert keys == {f"baonghean:e3:{spec.article_id}" for spec in articles[:2]}


def test_a_date_window_wider_than_the_copy_is_not_an_error(
    tmp_path: Path, articles: list[ArticleSpec]
) -> None:
    """--since over days the copy has no sitemap for: those days are absent, the crawl succeeds."""
    with VarietySite() as site:
        day = DAY.isoformat()
        site.add(f"/sitemap-article-{day}.xml", urlset([url_entry(REAL + articles[0].path, day)]))
        site.add(articles[0].path, pages.render_article(articles[0]))
        since = (DAY - timedelta(days=3)).isoformat()
        result = crawl(tmp_path / "news.db", site.base_url, "--since", since, "--until", day)
        assert [site.hits(f"/sitemap-article-{DAY - timedelta(days=n)}.xml") for n in range(4)] == [1] * 4
    assert result.returncode == 0, result.stderr + result.stdout
    assert rows(tmp_path / "news.db", "SELECT id FROM articles") == [
        (f"baonghean:e3:{articles[0].article_id}",)
    ]


def test_a_site_with_nothing_at_all_fails(tmp_path: Path) -> None:
    with VarietySite() as site:  # every path 404: the base URL is wrong
        result = crawl(tmp_path / "news.db", site.base_url)
    assert result.returncode == 1, result.stdout + result.stderr


# --- pure parts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-14", datetime(2025, 10, 14, tzinfo=LOCAL_TZ)),
        ("2025-10-14T03:00:00Z", datetime(2025, 10, 14, 10, 0, tzinfo=LOCAL_TZ)),
        ("2025-10-14T10:00:00+0700", datetime(2025, 10, 14, 10, 0, tzinfo=LOCAL_TZ)),
        ("Tue, 14 Oct 2025 21:00:00 +0700", datetime(2025, 10, 14, 21, 0, tzinfo=LOCAL_TZ)),
        ("Tue, 14 Oct 2025 14:00:00 GMT", datetime(2025, 10, 14, 21, 0, tzinfo=LOCAL_TZ)),
        ("14/10/2025 21:05", datetime(2025, 10, 14, 21, 5, tzinfo=LOCAL_TZ)),
        ("03/04/2025", datetime(2025, 4, 3, tzinfo=LOCAL_TZ)),  # day first, always
        ("32/13/2025", None),
    ],
)
def test_dates_of_every_form(value: str, expected: datetime | None) -> None:
    assert discovery.parse_datetime(value) == expected


def test_atom_feed_and_daily_gz_names() -> None:
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title>'
        '<link rel="alternate" href="https://baonghean.vn/a-10400001.html"/>'
        "<updated>2025-10-14T10:00:00+07:00</updated></entry></feed>"
    )
    (link,) = discovery.parse_rss(atom)
    assert link.url == "https://baonghean.vn/a-10400001.html"
    assert link.published == datetime(2025, 10, 14, 10, 0, tzinfo=LOCAL_TZ)
    assert discovery.daily_sitemap_date("https://x/sitemap-article-2025-10-14.xml.gz") is not None


def test_a_gzip_bomb_is_cut_not_followed() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (discovery.MAX_UNPACKED + 10))
    assert len(discovery.gunzip_if_packed(bomb)) <= discovery.MAX_UNPACKED
    assert discovery.gunzip_if_packed(b"\x1f\x8bnot gzip") == b""


def test_retry_after_header_forms() -> None:
    now = datetime(2025, 10, 14, 14, 0, tzinfo=LOCAL_TZ)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Tue, 14 Oct 2025 07:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_crawl_delay_rule() -> None:
    robots = "User-agent: *\nCrawl-delay: 5\n\nUser-agent: vnnews\nCrawl-delay: 2.5\n"
    assert discovery.parse_robots_crawl_delay(robots, "vnnews/0.1 (+https://x)") == 2.5
    assert discovery.parse_robots_crawl_delay(robots, "otherbot") == 5.0
    assert discovery.parse_robots_crawl_delay("User-agent: *\nDisallow: /api/\n", "vnnews") is None
    # (asked, DOWNLOAD_DELAY, its priority, cap) -> the delay to set, or None to leave it alone
    assert crawl_delay_to_obey(5.0, 1.0, "project", 60.0) == 5.0
    assert crawl_delay_to_obey(500.0, 1.0, "project", 60.0) == 60.0
    assert crawl_delay_to_obey(0.5, 1.0, "project", 60.0) is None  # already slower than asked
    assert (
        crawl_delay_to_obey(5.0, 0.0, "cmdline", 60.0) is None
    )  # -s DOWNLOAD_DELAY=0: the operator's choice
    assert crawl_delay_to_obey(None, 1.0, "project", 60.0) is None


def test_section_page_links() -> None:
    page = (
        "<html><head><base href='http://127.0.0.1:9/'></head><body>"
        "<div class='b-grid'><div class='b-grid__img'><a href='/a-10400001.html'><img></a></div>"
        "<h3 class='b-grid__title'><a href='/a-10400001.html'> Tin  một </a></h3></div>"
        "<div class='b-grid'><div class='b-grid__img'><a href='b-10400002.html'><img></a></div></div>"
        "<aside><a href='/c-10400003.html'>sidebar</a></aside></body></html>"
    )
    links = discovery.parse_section_page(page, "http://127.0.0.1:9/thoi-su")
    assert [(link.url, link.title) for link in links] == [
        ("http://127.0.0.1:9/a-10400001.html", "Tin một"),
        ("http://127.0.0.1:9/b-10400002.html", None),
    ]
    # The site's template without items: its sidebar is not the section's list.
    empty = "<html><body><div class='b-grid__row'></div><a href='/c-10400003.html'>x</a></body></html>"
    assert discovery.parse_section_page(empty, "http://127.0.0.1:9/thoi-su") == []
    # Another template altogether: every link.
    other = "<html><body><ul><li><a href='/c-10400003.html'>x</a></li></ul></body></html>"
    assert [link.url for link in discovery.parse_section_page(other, "http://127.0.0.1:9/x")] == [
        "http://127.0.0.1:9/c-10400003.html"
    ]
