"""The demo tells the truth: the archive `vnnews demo` builds, crawled from the demo's own offline sites
(crawler/demo.py's offline_sites and crawl_snapshot, the real `vnnews crawl` of every publisher with a
site copy), read back from SQLite."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.demo import DEMO_ARTICLES, crawl_snapshot, offline_sites
from crawler.snapshot import Snapshot
from crawler.snapshot.stories import bare_name

from .helpers import rows
from .test_demo_corpus import assert_coherent

pytestmark = pytest.mark.slow


Demo = tuple[Path, Snapshot, str, dict[str, Snapshot]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo's archive, baonghean's site, the URL of its server (which serves every picture), and
    every site crawled."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with offline_sites(DEMO_ARTICLES, 0) as (sites, base_urls):
        assert len(sites) >= 3, "the demo crawls several publishers"
        assert crawl_snapshot(db, sites, base_urls) == 0
        yield db, sites["baonghean"], base_urls["baonghean"], sites


def archived(db: Path, publisher: str = "baonghean") -> dict[str, dict[str, Any]]:
    names = ("id", "url", "title", "lead", "paragraphs", "images", "published_at")
    return {
        row[0]: dict(zip(names, row, strict=True))
        for row in rows(db, f"SELECT {', '.join(names)} FROM articles WHERE publisher = ?", publisher)
    }


def test_a_few_hundred_articles_over_more_than_a_year(demo: Demo) -> None:
    db, site, _, _ = demo
    articles = archived(db)
    assert len(articles) >= 200
    generated = [datetime.fromisoformat(articles[a["key"]]["published_at"]) for a in site.articles]
    assert (max(generated) - min(generated)).days >= 365
    months = {moment.strftime("%Y-%m") for moment in generated}
    assert len(months) >= 13, "every month of the year has articles: charts and trends have a shape"
    per_month = dict(rows(db, "SELECT substr(published_at, 1, 7), count(*) FROM articles GROUP BY 1"))
    assert all(per_month.get(month, 0) >= 10 for month in sorted(months)[1:-1])


def test_every_demo_article_is_one_coherent_story(demo: Demo) -> None:
    db, site, _, _ = demo
    articles = archived(db)
    stories = site.articles + site.linked_articles + site.media_articles
    assert len(stories) == len(articles) - len(site.sample_paths)
    for story in stories:
        row = articles[story["key"]]
        captions = [image["caption"] or "" for image in json.loads(row["images"])]
        assert captions, f"{story['key']} has its picture"
        body = " ".join(json.loads(row["paragraphs"]))
        assert_coherent(
            row["title"], row["lead"], body, captions, story["topic"], story["place"], story["key"]
        )


def test_urls_are_visibly_demo_or_the_real_sample_articles(
    demo: Demo,
) -> None:
    db, site, _, _ = demo
    samples = set(site.sample_paths)
    for key, url in rows(db, "SELECT id, url FROM articles"):
        path = urlsplit(url).path
        assert path in samples or path.rsplit("/", 1)[-1].startswith("demo-"), (key, url)
    assert len(samples) == 6


def test_every_image_is_a_placeholder_the_site_serves(demo: Demo) -> None:
    db, _, base_url, _ = demo
    urls = [url for (url,) in rows(db, "SELECT DISTINCT url FROM images")]  # every publisher's
    assert len(urls) >= 10
    for url in urls:
        assert url.startswith(base_url + "/demo-images/"), url
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            assert response.status == 200 and response.headers["Content-Type"] == "image/svg+xml", url
        assert body.startswith(b"<svg") and len(body) < 2048 and b"demo vnnews" in body


def test_places_trends_and_near_duplicates_show_something_real(
    demo: Demo,
) -> None:
    db, site, _, _ = demo
    placed = dict(
        rows(db, "SELECT article_id, group_concat(name, '|') FROM article_places GROUP BY article_id")
    )
    local = [a for a in site.articles if a["place"]]
    for story in local:  # "xã Diễn Châu" -> a place named Diễn Châu on the map
        assert bare_name(story["place"]) in placed.get(story["key"], "").split("|"), story
    # Reprints of a wire story are grouped, and nothing else is. Another paper running the same wire
    # edition joins the group (and may join two of the paper's runs of one edition): within the paper,
    # a group holds copies of one wire edition only, and every pair the paper ran twice is in one group.
    groups: dict[str, set[str]] = {}
    for article, group in rows(db, "SELECT article_id, group_id FROM near_duplicates"):
        if article.startswith("baonghean:"):
            groups.setdefault(group, set()).add(article)
    groups = {group: keys for group, keys in groups.items() if len(keys) > 1}
    edition = {
        story["key"]: story.get("wire")
        for story in site.articles + site.linked_articles + site.media_articles
    }
    for keys in groups.values():
        editions = {edition.get(key) for key in keys}
        assert len(editions) == 1 and None not in editions, keys
    wire: dict[str, set[str]] = {}
    for story in site.articles:
        if story["wire"]:
            wire.setdefault(story["wire"], set()).add(story["key"])
    for keys in (keys for keys in wire.values() if len(keys) > 1):
        assert any(keys <= group for group in groups.values()), keys
    assert len(groups) >= 10
    # "chuyển đổi số" is written about more and more: the term trend rises.
    trend = rows(
        db,
        "SELECT substr(published_at, 1, 7) AS month, count(*) FROM articles"
        " WHERE (title || ' ' || paragraphs) LIKE '%chuyển đổi số%' GROUP BY month ORDER BY month",
    )
    assert len(trend) >= 8
    first_half = sum(n for _, n in trend[: len(trend) // 2])
    assert sum(n for _, n in trend[len(trend) // 2 :]) > first_half


def test_every_other_paper_shows_whole_demo_stories(demo: Demo) -> None:
    db, _, _, sites = demo
    for key, site in sites.items():
        if key == "baonghean":
            continue
        articles = archived(db, key)
        assert len(articles) == len(site.articles), key
        for story in site.articles:
            row = articles[story["key"]]
            assert urlsplit(row["url"]).path.startswith("/demo-"), row["url"]
            marker = story["marker"].lower()
            body = " ".join(json.loads(row["paragraphs"])).lower()
            assert marker in row["title"].lower() and marker in body, (key, row["title"])
