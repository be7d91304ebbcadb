"""The house rules (docs/architecture.md) for EVERY command, found by walking the click group: a new
command is held to them without editing this file.

- A database argument that is missing, a directory, an empty file or another program's SQLite
  database is refused: one line `vnnews <command>: ...` on stderr, exit 2, no traceback, and
  nothing written, created or removed beside it.
- An output option never writes over the command's input, an archive, its -wal/-shm or WARC folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest

from archive import Archive
from archive.cliargs import DatabasePath, OutputPath
from extraction.article import Article
from tests.fixture_paths import page
from tests.house_rules import (
    argv,
    assert_one_line_refusal,
    commands,
    creates_database,
    database_param,
    finish,
    foreign_database,
    output_params,
    start,
    tree,
    unusable_databases,
)

ALL = commands()
NO_DATABASE = {"extract", "shard"}  # extract reads page files; shard only asks Scrapyd nodes
# File parameters that are read, never written (checked by their own commands' tests).
INPUT_FILES = {
    ("extract", "pages"),
    ("extract", "text_files"),
    ("import-warc", "files"),
    ("import-warc", "listing"),
}
WITH_DATABASE = sorted(name for name in ALL if name not in NO_DATABASE)
OUTPUTS = sorted((name, param.opts[-1]) for name, command in ALL.items() for param in output_params(command))


def test_the_walk_sees_every_listed_command() -> None:
    listed = {"extract", "crawl", "publishers", "demo", "import-warc", "reparse", "search", "export", "stats"}
    listed |= {"status"}
    assert listed | {"serve"} <= set(ALL)
    assert {name for name, _ in OUTPUTS} >= {"export", "stats", "crawl"}


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_command_declares_its_database_and_files(name: str) -> None:
    """The walk below finds databases and outputs by type, so no file parameter may hide from it."""
    command = ALL[name]
    db = database_param(command)
    if name in NO_DATABASE:
        assert db is None
    else:
        assert db is not None and isinstance(db.type, DatabasePath), f"{name}: db must be a DatabasePath"
    for param in command.params:
        if isinstance(param.type, DatabasePath | OutputPath) or (name, param.name) in INPUT_FILES:
            continue
        described = f"{name} {param.name}"
        assert not isinstance(param.type, click.Path), f"{described}: a file parameter must be an OutputPath"
        assert not re.search(r"file|output|plot|log|path|dir|db", param.name or ""), (
            f"{described} looks like a file: make it an OutputPath (or DatabasePath, or list it as an input)"
        )


def _inputs(folder: Path) -> Path:
    path = folder / "input.warc"
    path.write_text("một tệp đầu vào\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", WITH_DATABASE)
def test_an_unusable_database_is_refused_untouched(tmp_path: Path, name: str) -> None:
    command = ALL[name]
    inputs = _inputs(tmp_path)
    cases = list(unusable_databases(tmp_path))
    before = tree(tmp_path)
    running = [
        (case, start(argv(command, db, inputs), cwd=tmp_path))
        for case, db in cases
        # A command that creates archives creates one at a missing file: that is its job, not a refusal.
        if not (case == "missing file" and creates_database(command))
    ]
    for case, process in running:
        result = finish(process)
        assert_one_line_refusal(result, name)
        if case in ("directory", "foreign sqlite", "empty file"):
            assert "not a vnnews archive" in result.stderr, result.stderr
        if case.startswith("missing"):
            assert "no archive at" in result.stderr or "does not exist" in result.stderr, result.stderr
    assert tree(tmp_path) == before


def _archive_with_an_article(db: Path) -> None:
    data = json.loads(page("e3-10308168.json").read_text(encoding="utf-8"))
    with Archive.open(db) as arc:
        arc.save_article(Article.from_dict(data))
    warcs = db.with_name(f"{db.stem}.warcs")
    warcs.mkdir()
    (warcs / "crawl-001.warc.gz").write_bytes(b"\x1f\x8b\x08 stand-in for a WARC file")


@pytest.mark.parametrize(("name", "option"), OUTPUTS)
def test_an_output_never_overwrites_the_input_or_an_archive(tmp_path: Path, name: str, option: str) -> None:
    db = tmp_path / "news.db"
    _archive_with_an_article(db)
    other = tmp_path / "other.db"
    _archive_with_an_article(other)
    (tmp_path / "hard.db").hardlink_to(db)
    (tmp_path / "soft.db").symlink_to(db)
    targets = {
        "the input archive": db,
        "a hard link to it": tmp_path / "hard.db",
        "a symlink to it": tmp_path / "soft.db",
        "its -wal file": Path(f"{db}-wal"),
        "its -shm file": Path(f"{db}-shm"),
        "a file in its WARC folder": db.with_name("news.warcs") / "crawl-001.warc.gz",
        "another archive": other,
        "another program's database": foreign_database(tmp_path / "customers.db"),
    }
    inputs = _inputs(tmp_path)
    before = tree(tmp_path)
    running = {
        what: start(argv(ALL[name], db, inputs, (option, str(target))), cwd=tmp_path)
        for what, target in targets.items()
    }
    for what, process in running.items():
        result = finish(process)
        assert_one_line_refusal(result, name)
        assert option in result.stderr, (what, result.stderr)
    assert tree(tmp_path) == before
