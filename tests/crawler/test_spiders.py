"""One spider for every publisher: the `news` spider driven by a spec, a named spider per publisher,
the spec's discovery documents and politeness, and the site copies the end-to-end tests crawl."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from crawler.discovery import listing_documents
from crawler.snapshot.sitecopy import build_site, read_template, sites_with_copies
from crawler.spiders.baonghean import BaongheanSpider
from crawler.spiders.news import NewsSpider
from crawler.spiders.sites import SPIDERS, spider_for
from extraction import extract, publishers
from extraction.publishers import PUBLISHERS
from tests.crawler.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures"


def test_every_publisher_has_its_spider_and_scrapy_lists_them() -> None:
    assert set(SPIDERS) == set(PUBLISHERS)
    for key, spider in SPIDERS.items():
        assert spider.name == spider.publisher_key == key
        assert issubclass(spider, NewsSpider)
    assert spider_for("baonghean") is BaongheanSpider
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=True,
    ).stdout.split()
    assert sorted(listed) == sorted([*PUBLISHERS, "news"])


def test_the_news_spider_takes_its_publisher_and_the_named_ones_keep_theirs() -> None:
    assert NewsSpider(publisher="znews").publisher is publishers.get("znews")
    assert NewsSpider(publisher="znews").base_url == "https://znews.vn"
    with pytest.raises(ValueError, match="needs -a publisher=NAME"):
        NewsSpider()
    with pytest.raises(ValueError, match="unknown publisher 'nope'"):
        NewsSpider(publisher="nope")
    with pytest.raises(ValueError, match="crawls baonghean, not 'znews'"):
        BaongheanSpider(publisher="znews")
    assert BaongheanSpider().publisher.key == "baonghean"


def spider_settings(monkeypatch: pytest.MonkeyPatch, cmdline: dict[str, str]) -> Settings:
    slow = dataclasses.replace(publishers.get("znews"), download_delay=3.5, concurrency=2)
    monkeypatch.setitem(PUBLISHERS, "znews", slow)
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for name, value in cmdline.items():
        settings.set(name, value, priority="cmdline")
    crawler = Crawler(spider_for("znews"), settings)
    crawler._create_spider()
    return crawler.settings


def test_a_spec_politeness_replaces_the_settings_and_the_command_line_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = spider_settings(monkeypatch, {})
    assert settings.getfloat("DOWNLOAD_DELAY") == 3.5
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    settings = spider_settings(monkeypatch, {"DOWNLOAD_DELAY": "0"})
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.0
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2


def test_a_mirror_per_publisher_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("VNNEWS_BASE_URLS", json.dumps({"znews": "http://127.0.0.1:8123"}), priority="cmdline")
    crawler = Crawler(spider_for("znews"), settings)
    assert crawler._create_spider().base_url == "http://127.0.0.1:8123"
    crawler = Crawler(spider_for("vnexpress"), settings)
    assert crawler._create_spider().base_url == "https://vnexpress.net"


def test_listing_documents_follow_the_spec() -> None:
    nghean = listing_documents(publishers.get("baonghean"))
    # baonghean as before: a feed and a page per section, then the media listings
    assert nghean[:2] == [("rss", "/rss/thoi-su"), ("section", "/thoi-su")]
    media = [("section", f"/{m.segment}") for m in publishers.get("baonghean").media_sections]
    assert nghean[-len(media) :] == media
    vtc = listing_documents(publishers.get("vtcnews"))  # no per-section feed: the announced feeds only
    assert [w for k, w in vtc if k == "rss"] == list(publishers.get("vtcnews").feeds)
    assert ("section", f"/{publishers.get('vtcnews').sections[0].slug}.html") in vtc
    express = listing_documents(publishers.get("vnexpress"))  # announced feeds besides one per section
    assert ("rss", "/rss/tin-moi-nhat.rss") in express and ("rss", "/rss/thoi-su.rss") in express


def real_pages(key: str) -> list[Path]:
    """The publisher's fixture pages (with expected JSON) of every era: its real markup."""
    return sorted(page for page in (FIXTURES / key).glob("*/*.html") if page.with_suffix(".json").exists())


@pytest.mark.parametrize("key", [k for k in PUBLISHERS if k != "baonghean"])
def test_every_publisher_with_a_real_page_has_a_site_copy(key: str) -> None:
    if not real_pages(key):
        pytest.skip(f"no fixture page of {key} in tests/fixtures/{key}/ yet")
    assert key in sites_with_copies()
    assert (ROOT / "crawler" / "snapshot" / "sites" / key / "article.html").is_file()


@pytest.mark.parametrize("key", sites_with_copies())
def test_a_site_copy_has_the_real_markup_and_texts_of_its_own(tmp_path: Path, key: str) -> None:
    template = read_template(key)
    real = json.loads(real_pages(key)[0].with_suffix(".json").read_text(encoding="utf-8"))
    for text in [real["title"], *real["paragraphs"]]:
        assert text[:40] not in template, f"{key}'s copy ships a text of the real story: {text[:40]!r}"
    copy = build_site(key, tmp_path, articles=6, image_base="http://127.0.0.1:8002")
    for item in copy.articles:
        page = (copy.site / item["path"].lstrip("/")).read_bytes()
        article = extract(page, url="http://127.0.0.1:8000" + item["path"])
        assert (article.publisher, article.title) == (key, item["title"])
        assert article.url == publishers.get(key).base_url + item["path"]
        assert item["path"].startswith("/demo-")  # visibly a demo story, not one of the real site's
        assert article.published_at and article.published_at[:16] == item["published"][:16]
        assert len(article.paragraphs) >= 3
        # One story: its marker (the topic's phrase) is in its title and its body, and every picture the
        # page shows is a placeholder on loopback, never the real paper's image host.
        marker = item["marker"].lower()
        assert marker in article.title.lower() and marker in " ".join(article.paragraphs).lower()
        assert all(image.url.startswith("http://127.0.0.1:8002/demo-images/") for image in article.images)
    robots = (copy.site / "robots.txt").read_text(encoding="utf-8")
    spec = publishers.get(key)
    assert f"Sitemap: {spec.base_url}{spec.sitemap_index_path}" in robots


def test_a_crawl_of_several_publishers_ends_with_the_worst_of_their_runs() -> None:
    from crawler.runner import combined_status

    assert combined_status(["success", "success"]) == "success"
    assert combined_status(["success", "partial"]) == "partial"
    assert combined_status(["partial", "failed", "success"]) == "failed"
    assert combined_status(["failed", "interrupted"]) == "interrupted"
    assert combined_status(["success", "?"]) == "failed"  # a run that recorded nothing
    assert combined_status([]) == "failed"
