"""`vnnews demo`: offline snapshot -> crawl -> Datasette, end to end over loopback."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from ops_helpers import free_port, query, wait_for

from crawler.snapshot.sitecopy import sites_with_copies

pytestmark = pytest.mark.slow

ARTICLES = 6
# Publishers besides baonghean whose site copy the demo serves and crawls too.
COPIES = [key for key in sites_with_copies() if key != "baonghean"]


@pytest.fixture(scope="module")
def expected_articles(tmp_path_factory: pytest.TempPathFactory) -> int:
    """What the demo's site holds: the generated articles, the sample pages of every era, the old
    stories only links reach and the media stories."""
    from crawler.snapshot import build_snapshot

    site = build_snapshot(tmp_path_factory.mktemp("expected"), articles=ARTICLES)
    nghean = (
        len(site.articles) + len(site.sample_paths) + len(site.linked_articles) + len(site.media_articles)
    )
    return nghean + ARTICLES * len(COPIES)  # and every site copy's own articles


def demo_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "vnnews", "demo", *args]


def get_json(url: str) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)
    except OSError:
        return None


def test_demo_no_serve_crawls_the_whole_snapshot(tmp_path: Path, expected_articles: int) -> None:
    db = tmp_path / "try.db"
    result = subprocess.run(
        demo_command("--db", str(db), "--articles", str(ARTICLES), "--no-serve"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"{db} holds {expected_articles} articles" in result.stderr
    assert "127.0.0.1" in result.stderr and "Traceback" not in result.stderr
    schemes = dict(
        query(db, "select id_scheme, count(*) from articles where publisher = 'baonghean' group by id_scheme")
    )
    assert set(schemes) == {"e1", "e2", "e3"}, "articles of all three id schemes"
    # One crawl process, one run per publisher, the archive holding several publishers.
    runs = query(db, "select json_extract(args, '$.publisher'), status from runs where kind = 'crawl'")
    assert sorted(runs) == sorted((key, "success") for key in ["baonghean", *COPIES])
    publishers = dict(query(db, "select publisher, count(*) from articles group by publisher"))
    assert {key: publishers[key] for key in COPIES} == dict.fromkeys(COPIES, ARTICLES)
    assert query(db, "select count(*) from captures where url like '%/en/%'") == [(0,)]
    assert not (tmp_path / "demo.db").exists(), "--db is honoured"

    again = subprocess.run(
        demo_command("--db", str(db), "--articles", str(ARTICLES), "--no-serve"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    runs_per_demo = 1 + len(COPIES)
    runs = query(db, "select count(*), sum(articles_new) from runs")
    assert runs == [(2 * runs_per_demo, expected_articles)]


def test_demo_serves_the_archive_with_datasette(tmp_path: Path, expected_articles: int) -> None:
    port = free_port()
    demo = subprocess.Popen(
        demo_command("--articles", str(ARTICLES), "--port", str(port)),
        cwd=tmp_path,  # the default --db is ./demo.db
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        versions = wait_for(lambda: get_json(f"{base}/-/versions.json"), 120, "Datasette to answer")
        assert "datasette" in versions
        articles = get_json(f"{base}/demo/articles.json?_shape=objects&_size=100")
        assert articles is not None
        assert len(articles["rows"]) == expected_articles
        assert all(row["title"] for row in articles["rows"])
        # The offline site outlives the crawl: the pictures the reading view shows answer.
        pictures = {image["url"] for row in articles["rows"] for image in json.loads(row["images"] or "[]")}
        assert pictures and all("/demo-images/" in url for url in pictures)
        for url in pictures:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200 and response.headers["Content-Type"] == "image/svg+xml"
    finally:
        demo.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            out, err = demo.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            demo.kill()
            out, err = demo.communicate()
    assert "Traceback" not in err, err
    assert demo.returncode in (0, -signal.SIGINT, 128 + signal.SIGINT), (
        f"Ctrl-C stops the demo: {err[-3000:]}"
    )
    assert f"Open http://127.0.0.1:{port}/demo/articles" in out
    assert (tmp_path / "demo.db").is_file()


def test_demo_refuses_a_busy_port_before_crawling(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            demo_command("--port", str(port)), cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 2
    assert result.stderr.strip() == f"vnnews demo: port {port} on 127.0.0.1 is in use; pass another --port"
    assert not (tmp_path / "demo.db").exists()
