"""`vnnews serve` as a real process on 127.0.0.1, and its wrong-use errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from archive import Archive
from extraction.article import Article
from vnnews.web.app import SETTINGS, load_metadata, metadata_path

VNNEWS = Path(sys.executable).with_name("vnnews")
REPO = Path(__file__).resolve().parents[2]


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def count_articles(base_url: str, database: str) -> int:
    return int(fetch_json(f"{base_url}/{database}/articles.json?_size=1")["filtered_table_rows_count"])


def add_articles(path: Path, numbers: range) -> None:
    with Archive.open(path) as arc:
        for number in numbers:
            arc.save_article(
                Article(
                    publisher="baonghean",
                    url=f"https://baonghean.vn/bai-so-{number}-{10500000 + number}.html",
                    title=f"Bài số {number} về Nghệ An",
                    paragraphs=[f"Nội dung bài {number}."],
                    published_at="2025-10-14T08:00:00+07:00",
                    section="Thời sự",
                    parser="baonghean/e3",
                    article_id=str(10500000 + number),
                )
            )


@pytest.mark.slow
def test_read_only_server_sees_articles_written_while_it_runs(tmp_path, serve_db):
    db = tmp_path / "baonghean-2025.db"
    add_articles(db, range(3))
    server = serve_db(db)
    # Any file name works: the metadata's "news" database is renamed to the file's stem.
    assert count_articles(server.base_url, "baonghean-2025") == 3
    add_articles(db, range(3, 5))  # a crawl writing to the same file
    assert count_articles(server.base_url, "baonghean-2025") == 5
    search = fetch_json(f"{server.base_url}/baonghean-2025/search.json?q=bai+so+4&section=&_shape=objects")
    assert search["rows"][0]["title"] == "Bài số 4 về Nghệ An"
    settings = fetch_json(f"{server.base_url}/-/settings.json")
    assert settings["sql_time_limit_ms"] == SETTINGS["sql_time_limit_ms"]
    assert settings["allow_csv_stream"] is True
    databases = fetch_json(f"{server.base_url}/-/databases.json")
    assert [(d["name"], d["is_mutable"]) for d in databases] == [("baonghean-2025", True)]
    dashboards = (
        urllib.request.urlopen(f"{server.base_url}/-/dashboards/articles", timeout=10).read().decode()
    )
    assert '"db": "baonghean-2025"' in dashboards


@pytest.mark.slow
def test_immutable_and_time_limit_options(tmp_path, serve_db):
    db = tmp_path / "news.db"
    add_articles(db, range(2))
    server = serve_db(db, "--immutable", "--sql-time-limit", "250")
    assert [d["is_mutable"] for d in fetch_json(f"{server.base_url}/-/databases.json")] == [False]
    assert fetch_json(f"{server.base_url}/-/settings.json")["sql_time_limit_ms"] == 250
    slow = (
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 100000000) "
        "select count(*) from n"
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(
            f"{server.base_url}/news.json?" + urllib.parse.urlencode({"sql": slow}), timeout=30
        )
    assert "interrupted" in error.value.read().decode().lower()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no archive at"),
        (b"not sqlite at all, just text that is long enough" * 4, "not an SQLite database"),
        (b"", "not a vnnews archive"),
    ],
)
def test_wrong_database_is_one_line_and_exit_2(tmp_path, content, reason):
    db = tmp_path / "x.db"
    if content is not None:
        db.write_bytes(content)
    result = subprocess.run([str(VNNEWS), "serve", str(db)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and reason in result.stderr and "Traceback" not in result.stderr


def test_help_has_an_example():
    result = subprocess.run([str(VNNEWS), "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Example:" in result.stdout and "vnnews serve news.db" in result.stdout


def test_metadata_is_the_top_level_file_and_packaged_copy_is_the_same():
    assert metadata_path() == REPO / "datasette-metadata.json"
    packaged = REPO / "vnnews" / "web" / "datasette-metadata.json"
    assert packaged.read_bytes() == metadata_path().read_bytes()
    renamed = load_metadata("other")
    assert "other" in renamed["databases"] and "news" not in renamed["databases"]
    charts = renamed["plugins"]["datasette-dashboards"]["articles"]["charts"].values()
    assert {chart["db"] for chart in charts} == {"other"}
    assert load_metadata()["databases"].keys() == {"news"}


def serve_fails(db: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VNNEWS), "serve", str(db), *options], capture_output=True, text=True, timeout=60
    )


def test_busy_port_is_one_line_and_exit_2_without_serving(tmp_path):
    db = tmp_path / "news.db"
    add_articles(db, range(1))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve_fails(db, "--port", str(port))
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"vnnews serve: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("host", "cause"),
    [
        ("192.0.2.1", "Cannot assign requested address"),  # TEST-NET-1: never an address of this machine
        ("no such host", ""),  # not resolvable (no DNS query is made for a name with spaces)
    ],
)
def test_host_we_cannot_listen_on_is_one_line_and_exit_2(tmp_path, host, cause):
    db = tmp_path / "news.db"
    add_articles(db, range(1))
    result = serve_fails(db, "--host", host, "--port", "8001")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"vnnews serve: cannot listen on {host}:8001: {cause}")
    assert (
        result.stderr.count("\n") == 1 and "Serving" not in result.stderr and "Traceback" not in result.stderr
    )


def test_markdown_plugin_keeps_its_template_function_but_not_its_per_cell_hook():
    # datasette-render-markdown looked up its configuration for every cell of every table page
    # (~30 ms of an articles page); no archive column is Markdown, the dashboards' charts use its
    # template function and tag.
    from datasette.plugins import pm

    from vnnews.web.app import build_datasette

    build_datasette(Path("unused.db"))
    cell_hooks = [impl.plugin_name for impl in pm.hook.render_cell.get_hookimpls()]
    assert "render_markdown" not in cell_hooks and cell_hooks
    kept = pm.get_plugin("vnnews.render_markdown_without_cells")
    assert kept is not None
    assert "render_markdown" in kept.extra_template_vars()
    assert any(impl.plugin is kept for impl in pm.hook.prepare_jinja2_environment.get_hookimpls())


def older_archive(path: Path) -> None:
    """An archive as the release before migration 009 left it, with one article."""
    import sqlite_utils

    from archive import schema

    add_articles(path, range(1))
    db = sqlite_utils.Database(path)
    db.executescript(
        "DROP TABLE articles_head_fts; DROP TRIGGER article_search_head_ai;"
        " DROP TRIGGER article_search_head_ad; DROP TRIGGER article_search_head_au;"
        " DELETE FROM _sqlite_migrations WHERE name = '009_head_index';"
    )
    assert not schema.is_current(db)
    db.close()


def test_an_older_archive_is_upgraded_before_it_is_served(tmp_path, serve_db):
    db = tmp_path / "news.db"
    older_archive(db)
    server = serve_db(db)
    found = fetch_json(f"{server.base_url}/news/search.json?q=bai+so+0&section=&publisher=&_shape=objects")
    assert [row["found_in"] for row in found["rows"]] == ["title"]
