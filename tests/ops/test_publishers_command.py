"""`vnnews publishers`: every publisher from its spec, and with --db what the archive holds of each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from archive import Archive
from extraction.article import Article
from extraction.publishers import PUBLISHERS
from tests.fixture_paths import page


def vnnews(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vnnews", *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_every_publisher_is_listed_with_its_family_eras_and_discovery() -> None:
    result = vnnews("publishers")
    assert result.returncode == 0, result.stderr
    for key, spec in PUBLISHERS.items():
        assert f"{key:<10} {spec.name}" in result.stdout
    assert "eras: baonghean/e3, baonghean/e2 (until 2024-07-01)" in result.stdout
    listed = json.loads(vnnews("publishers", "--json").stdout)
    assert [entry["key"] for entry in listed] == list(PUBLISHERS)
    znews = next(entry for entry in listed if entry["key"] == "znews")
    assert znews["discovery"]["news_sitemap"] == PUBLISHERS["znews"].news_sitemap_path
    assert znews["discovery"]["daily_sitemap"] is None  # "" in the spec: the site has none
    assert "archive" not in znews


def test_with_an_archive_its_counts_and_last_successful_crawl_per_publisher(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Archive.open(db) as archive:
        archive.save_article(Article.from_dict(json.loads(page("e3-10308168.json").read_text("utf-8"))))
        old = archive.start_run("crawl", {"spider": "baonghean"})  # before several publishers: baonghean's
        archive.finish_run(old, "success", {})
        failed = archive.start_run("crawl", {"spider": "znews", "publisher": "znews"})
        archive.finish_run(failed, "failed", {})
    listed = {
        entry["key"]: entry for entry in json.loads(vnnews("publishers", "--db", str(db), "--json").stdout)
    }
    assert listed["baonghean"]["archive"]["articles"] == 1
    assert listed["baonghean"]["archive"]["last_run"] == old
    assert listed["znews"]["archive"] == {}  # a failed crawl is no successful one
    text = vnnews("publishers", "--db", str(db)).stdout
    assert "archive: 1 articles, newest 10/10/2025" in text or "archive: 1 articles" in text
    assert f"(run {old})" in text


def test_a_database_that_is_not_an_archive_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = vnnews("publishers", "--db", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("vnnews publishers: ") and result.stderr.count("\n") == 1
