"""The offline snapshot and its server, checked directly over HTTP (no crawler involved)."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from crawler import discovery
from crawler.snapshot import Fault, Snapshot, SnapshotServer, build_snapshot
from extraction import extract
from extraction.publishers import get

SITE = get("baonghean")


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_generated_articles_extract_as_their_own_e3_articles(snapshot_v1: Snapshot) -> None:
    titles = set()
    for entry in snapshot_v1.articles[:5]:
        html = (snapshot_v1.site / entry["path"].lstrip("/")).read_bytes()
        article = extract(html, url="https://baonghean.vn" + entry["path"])
        assert (article.article_id, article.parser, article.title) == (
            entry["article_id"],
            "baonghean/e3",
            entry["title"],
        )
        assert article.lead and len(article.paragraphs) >= 3 and article.published_at
        titles.add(article.title)
    assert len(titles) == 5


def test_discovery_documents_list_every_generated_article(snapshot_v1: Snapshot) -> None:
    listed = set()
    for sitemap in snapshot_v1.site.glob("sitemap-article-*.xml"):
        listed |= {link.url for link in discovery.parse_urlset(sitemap.read_bytes())}
    assert {"https://baonghean.vn" + a["path"] for a in snapshot_v1.articles} <= listed
    index = discovery.parse_sitemap_index((snapshot_v1.site / "sitemap.xml").read_bytes())
    days = {discovery.daily_sitemap_date(link.url) for link in index} - {None}
    assert min(days) == snapshot_v1.first_day and max(days) == snapshot_v1.last_day
    news = discovery.parse_urlset((snapshot_v1.site / "sitemap-news.xml").read_bytes())
    assert news and all(link.published and link.title for link in news)


def test_version_2_adds_and_edits_but_keeps_the_rest_byte_identical(
    tmp_path: Path, snapshot_v1: Snapshot
) -> None:
    v2 = build_snapshot(tmp_path / "v2", articles=30, version=2, anchor=snapshot_v1.anchor)
    new = [a for a in v2.articles if a["new"]]
    edited = [a for a in v2.articles if a["edited"]]
    assert len(new) == 3 and len(edited) == 2
    for entry in snapshot_v1.articles:
        before = (snapshot_v1.site / entry["path"].lstrip("/")).read_bytes()
        after = (v2.site / entry["path"].lstrip("/")).read_bytes()
        is_edited = entry["path"] in {a["path"] for a in edited}
        assert (before != after) == is_edited
    lastmods = {link.url: link.lastmod for link in discovery.parse_urlset(
        b"".join((v2.site / f"sitemap-article-{a['published'][:10]}.xml").read_bytes() for a in edited[:1])
    )}  # fmt: skip
    assert lastmods["https://baonghean.vn" + edited[0]["path"]] > snapshot_v1.anchor


def test_server_faults(snapshot_v1: Snapshot) -> None:
    paths = [a["path"] for a in snapshot_v1.articles]
    faults = {
        paths[0]: Fault.status(503, times=1),
        paths[1]: Fault.truncated(times=1),
        paths[2]: Fault.redirect(paths[3], hops=3),
        paths[4]: Fault.not_found(),
    }
    with SnapshotServer(snapshot_v1, faults=faults, disallow=["/private.html"]) as server:
        base = server.base_url
        assert fetch(base + paths[0])[0] == 503
        assert fetch(base + paths[0])[0] == 200
        with pytest.raises(http.client.IncompleteRead):
            fetch(base + paths[1])
        assert fetch(base + paths[1])[0] == 200
        status, body = fetch(base + paths[2])  # urllib follows the 301 chain
        assert status == 200 and body == (snapshot_v1.site / paths[3].lstrip("/")).read_bytes()
        assert server.hits(paths[2]) == 1 and len([p for p in server.requested_paths() if "__hop" in p]) == 2
        status, body = fetch(base + paths[4])
        assert status == 404 and "Không tìm thấy trang".encode() in body
        assert fetch(base + "/no-such-page.html")[0] == 404
        assert fetch(base + "/../../etc/passwd")[0] == 404
        robots = fetch(base + "/robots.txt")[1].decode()
        assert "Disallow: /private.html" in robots and "Sitemap: https://baonghean.vn/sitemap.xml" in robots
        status, body = fetch(base + "/rss/thoi-su")
        assert status == 200 and discovery.parse_rss(body)


def conditional(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_validators_and_304_answers_follow_http_semantics(tmp_path: Path, snapshot_v1: Snapshot) -> None:
    from crawler.snapshot.scenarios import copy_snapshot, edit_silently

    site = copy_snapshot(snapshot_v1, tmp_path / "site")
    path = site.articles[0]["path"]
    with SnapshotServer(site) as server:
        url = server.base_url + path
        status, headers, body = conditional(url)
        assert (
            status == 200 and body and headers["ETag"].startswith('"') and "GMT" in headers["Last-Modified"]
        )
        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert conditional(url, **{"If-None-Match": etag})[0] == 304
        assert conditional(url, **{"If-None-Match": f'"other", W/{etag}'})[0] == 304  # weak comparison
        assert conditional(url, **{"If-None-Match": "*"})[0] == 304
        assert conditional(url, **{"If-Modified-Since": modified})[0] == 304
        # If-None-Match decides when present, even if If-Modified-Since would say "not modified".
        assert conditional(url, **{"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200
        assert conditional(url, **{"If-Modified-Since": "not a date"})[0] == 200
        not_modified = conditional(url, **{"If-None-Match": etag})
        assert not_modified[2] == b"" and not_modified[1]["ETag"] == etag

        edit_silently(site, path)
        changed = conditional(url, **{"If-None-Match": etag})
        assert changed[0] == 200 and changed[1]["ETag"] != etag
        assert (
            conditional(server.base_url + "/no-such-page-10999999.html", **{"If-None-Match": "*"})[0] == 404
        )
    with SnapshotServer(site, validators=False) as plain:
        status, headers, _ = conditional(plain.base_url + path, **{"If-None-Match": "*"})
        assert status == 200 and "ETag" not in headers and "Last-Modified" not in headers
