"""The demo tells the truth: the archive `vnnews demo` builds, crawled from the demo's own offline site
(crawler/demo.py's offline_site and crawl_snapshot, the real `vnnews crawl`), read back from SQLite."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.demo import DEMO_ARTICLES, crawl_snapshot, offline_site
from crawler.snapshot import Snapshot, SnapshotServer
from crawler.snapshot.stories import bare_name

from .helpers import rows
from .test_demo_corpus import assert_coherent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Snapshot, SnapshotServer]]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with offline_site(DEMO_ARTICLES, 0) as (site, server):
        assert crawl_snapshot(db, site, server.base_url) == 0
        yield db, site, server


def archived(db: Path) -> dict[str, dict[str, Any]]:
    names = ("id", "url", "title", "lead", "paragraphs", "images", "published_at")
    return {
        row[0]: dict(zip(names, row, strict=True))
        for row in rows(db, f"SELECT {', '.join(names)} FROM articles")
    }


def test_a_few_hundred_articles_over_more_than_a_year(demo: tuple[Path, Snapshot, SnapshotServer]) -> None:
    db, site, _ = demo
    articles = archived(db)
    assert len(articles) >= 200
    generated = [datetime.fromisoformat(articles[a["key"]]["published_at"]) for a in site.articles]
    assert (max(generated) - min(generated)).days >= 365
    months = {moment.strftime("%Y-%m") for moment in generated}
    assert len(months) >= 13, "every month of the year has articles: charts and trends have a shape"
    per_month = dict(rows(db, "SELECT substr(published_at, 1, 7), count(*) FROM articles GROUP BY 1"))
    assert all(per_month.get(month, 0) >= 10 for month in sorted(months)[1:-1])


def test_every_demo_article_is_one_coherent_story(demo: tuple[Path, Snapshot, SnapshotServer]) -> None:
    db, site, _ = demo
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
    demo: tuple[Path, Snapshot, SnapshotServer],
) -> None:
    db, site, _ = demo
    samples = set(site.sample_paths)
    for key, url in rows(db, "SELECT id, url FROM articles"):
        path = urlsplit(url).path
        assert path in samples or path.rsplit("/", 1)[-1].startswith("demo-"), (key, url)
    assert len(samples) == 6


def test_every_image_is_a_placeholder_the_site_serves(demo: tuple[Path, Snapshot, SnapshotServer]) -> None:
    db, _, server = demo
    urls = [url for (url,) in rows(db, "SELECT DISTINCT url FROM images")]
    assert len(urls) >= 10
    for url in urls:
        assert url.startswith(server.base_url + "/demo-images/"), url
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            assert response.status == 200 and response.headers["Content-Type"] == "image/svg+xml", url
        assert body.startswith(b"<svg") and len(body) < 2048 and b"demo vnnews" in body


def test_places_trends_and_near_duplicates_show_something_real(
    demo: tuple[Path, Snapshot, SnapshotServer],
) -> None:
    db, site, _ = demo
    placed = dict(
        rows(db, "SELECT article_id, group_concat(name, '|') FROM article_places GROUP BY article_id")
    )
    local = [a for a in site.articles if a["place"]]
    for story in local:  # "xã Diễn Châu" -> a place named Diễn Châu on the map
        assert bare_name(story["place"]) in placed.get(story["key"], "").split("|"), story
    # Reprints of a wire story are grouped, and nothing else is.
    groups: dict[str, set[str]] = {}
    for article, group in rows(db, "SELECT article_id, group_id FROM near_duplicates"):
        groups.setdefault(group, set()).add(article)
    wire: dict[str, set[str]] = {}
    for story in site.articles:
        if story["wire"]:
            wire.setdefault(story["wire"], set()).add(story["key"])
    assert sorted(map(sorted, groups.values())) == sorted(
        sorted(keys) for keys in wire.values() if len(keys) > 1
    )
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
