"""Several publishers in one `vnnews crawl` process, each against its own site copy on loopback.

Real parts only: the site copies are served by real HTTP servers (one port each, one "domain" each),
the crawl is a real `vnnews crawl` subprocess, the archive a real SQLite file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.snapshot.multisite import SiteServers, build_sites
from tests.crawler.helpers import FAST, ROOT, rows

KEYS = ["baonghean", "baolaocai", "vnexpress"]
ARTICLES = 8


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServers]:
    built = build_sites(tmp_path_factory.mktemp("sites"), KEYS, articles=ARTICLES)
    with SiteServers(built) as servers:
        yield servers


def vnnews(cwd: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "vnnews", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def publishers_args(keys: list[str]) -> list[str]:
    return [word for key in keys for word in ("--publisher", key)]


def test_three_publishers_in_one_process_each_its_own_run(tmp_path: Path, sites: SiteServers) -> None:
    db = tmp_path / "news.db"
    args = ["crawl", "--db", str(db), *publishers_args(KEYS), *sites.crawl_options(), *FAST]
    first = vnnews(tmp_path, *args)
    assert first.returncode == 0, first.stderr[-3000:]
    lines = first.stdout.strip().splitlines()
    assert [line.split()[1] for line in lines[:3]] == KEYS, first.stdout  # "crawl <publisher> success ..."
    assert lines[-1].startswith("crawl success (3 publishers"), first.stdout
    counts = dict(rows(db, "SELECT publisher, count(*) FROM articles GROUP BY publisher"))
    assert counts["baolaocai"] == ARTICLES and counts["vnexpress"] == ARTICLES, counts
    assert counts["baonghean"] >= ARTICLES, counts
    # Each article is its publisher's, with the texts of its site copy.
    for key in ("baolaocai", "vnexpress"):
        served = {a["key"]: a["title"] for a in sites.servers[key].snapshot.articles}
        stored = dict(rows(db, "SELECT id, title FROM articles WHERE publisher = ?", key))
        assert stored == served
    runs = rows(
        db, "SELECT json_extract(args, '$.publisher'), status FROM runs WHERE kind = 'crawl' ORDER BY id"
    )
    assert sorted(runs) == sorted((key, "success") for key in KEYS)
    # Each site was asked for its own robots.txt, and only for its own documents.
    for key, server in sites.servers.items():
        assert server.hits("/robots.txt") >= 1, key

    # The second crawl of all three: nothing new, every run a success again, each site's state its own.
    for server in sites.servers.values():
        server.clear_log()
    again = vnnews(tmp_path, *args)
    assert again.returncode == 0, again.stderr[-3000:]
    assert rows(db, "SELECT count(*) FROM runs WHERE status = 'success'") == [(6,)]
    new = rows(db, "SELECT sum(articles_new) FROM runs WHERE id > 3")
    assert new == [(0,)], again.stdout
    # Discovery documents of the two sites with the same paths are kept apart (archive/crawlstate.py).
    paths = [path for (path,) in rows(db, "SELECT path FROM document_signals")]
    assert "/sitemap-news.xml" in paths and "baolaocai:/sitemap-news.xml" in paths, paths


def test_side_by_side_and_one_request_at_a_time_per_domain(tmp_path: Path, sites: SiteServers) -> None:
    """The project's politeness (one request at a time per domain) holds for each site, while the
    sites are crawled at the same time, not one after the other."""
    for server in sites.servers.values():
        server.clear_log()
        server.most_busy = 0
    polite = [
        "-s",
        # A little delay: with none, the next request may arrive while the server's thread is still
        # closing the answer the client has already read whole (a race of the count, not of the crawl).
        "DOWNLOAD_DELAY=0.05",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "VNNEWS_PROGRESS_INTERVAL=0",
    ]
    db = tmp_path / "polite.db"
    result = vnnews(
        tmp_path, "crawl", "--db", str(db), *publishers_args(KEYS[1:]), *sites.crawl_options(), *polite
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for key in KEYS[1:]:
        assert sites.servers[key].most_busy == 1, key
        assert sites.servers[key].requested_paths()[0] == "/robots.txt"


def test_a_failing_site_fails_the_crawl_but_not_the_other_publishers_runs(
    tmp_path: Path, sites: SiteServers
) -> None:
    db = tmp_path / "news.db"
    mirrors = {**sites.base_urls, "vnexpress": "http://127.0.0.1:9"}  # nothing listens on port 9
    result = vnnews(
        tmp_path,
        "crawl",
        "--db",
        str(db),
        *publishers_args(["baolaocai", "vnexpress"]),
        "-s",
        "VNNEWS_BASE_URLS=" + json.dumps(mirrors),
        *FAST,
    )
    assert result.returncode == 1, (result.stdout, result.stderr[-2000:])
    assert "vnnews crawl: vnexpress: cannot reach http://127.0.0.1:9" in result.stderr
    statuses = dict(rows(db, "SELECT json_extract(args, '$.publisher'), status FROM runs"))
    assert statuses == {"baolaocai": "success", "vnexpress": "failed"}
    assert rows(db, "SELECT count(*) FROM articles WHERE publisher = 'baolaocai'") == [(ARTICLES,)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--publisher", "baonghean", "--publisher", "znews", "--base-url", "http://127.0.0.1:1"],
            "exactly one",
        ),
        (["--all", "--base-url", "http://127.0.0.1:1"], "exactly one"),
        (["--publisher", "nosuchpaper"], "unknown publisher 'nosuchpaper'"),
        (["--all", "--publisher", "znews"], "--all and --publisher"),
        (["-s", 'VNNEWS_BASE_URLS={"nosuchpaper": "http://127.0.0.1:1"}'], "unknown publisher"),
        (["-s", 'VNNEWS_BASE_URLS={"znews": "ftp://x"}'], "--base-url must start with"),
    ],
)
def test_wrong_use_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    db = tmp_path / "news.db"
    result = vnnews(tmp_path, "crawl", "--db", str(db), *args, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("vnnews crawl: "), result.stderr
    assert message in result.stderr
    assert not db.exists()  # wrong usage leaves no trace
