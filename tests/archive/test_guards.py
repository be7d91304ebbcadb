"""Nothing lost: what is not a vnnews archive is refused untouched, an output never replaces an input or
an archive, a failed or empty export never clobbers a file, import-warc says what it could not use."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from archive import Archive
from archive.db import UnusableDatabaseError
from archive.outputs import replace_on_success
from archive.paths import PathKind, classify
from tests.house_rules import foreign_database, tree

VNNEWS = [sys.executable, "-m", "vnnews"]


def vnnews(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VNNEWS, *args], capture_output=True, text=True, timeout=120)


def _wal_foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("kind", ["foreign", "foreign wal", "empty", "text", "directory"])
def test_archive_open_refuses_what_is_not_an_archive_untouched(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.db"
    if kind == "foreign":
        foreign_database(path)
    elif kind == "foreign wal":
        _wal_foreign(path)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("ngày,tiêu đề\n01/01/2025,Nghệ An\n", encoding="utf-8")
    else:
        path.mkdir()
    before = tree(tmp_path)
    for readonly in (False, True):
        with pytest.raises(UnusableDatabaseError, match="not a vnnews archive"):
            Archive.open(path, readonly=readonly)
    assert tree(tmp_path) == before  # no tables added, no WAL switch, no -wal/-shm left beside it


def test_a_missing_archive_is_created_only_where_asked(tmp_path: Path) -> None:
    with pytest.raises(UnusableDatabaseError, match="no archive at"):
        Archive.open(tmp_path / "a.db", create=False)
    with pytest.raises(UnusableDatabaseError, match="no archive at"):
        Archive.open(tmp_path / "a.db", readonly=True)
    with pytest.raises(UnusableDatabaseError, match=r"folder .* does not exist"):
        Archive.open(tmp_path / "nowhere" / "a.db")
    assert list(tmp_path.iterdir()) == []
    Archive.open(tmp_path / "a.db").close()
    assert classify(tmp_path / "a.db").kind is PathKind.ARCHIVE


def test_archives_of_older_vnnews_are_recognised_and_look_alikes_are_not(tmp_path: Path) -> None:
    import sqlite_utils

    from archive import schema

    old = tmp_path / "old.db"
    db = sqlite_utils.Database(old)
    schema.migrations.apply(db, stop_before="002_search")  # what the first vnnews release created
    db.close()
    assert classify(old).kind is PathKind.ARCHIVE
    look_alike = tmp_path / "look.db"
    conn = sqlite3.connect(look_alike)
    conn.executescript("CREATE TABLE articles (id TEXT); CREATE TABLE runs (id INTEGER);")
    conn.close()
    found = classify(look_alike)
    assert found.kind is PathKind.FOREIGN and "articles" in found.detail


def test_replace_on_success_keeps_the_old_file_when_the_writer_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    with pytest.raises(RuntimeError), replace_on_success(target) as pending:
        pending.path.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    with replace_on_success(target) as pending:
        pending.path.write_text("new\n")
    assert target.read_text() == "new\n" and (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.fixture
def filled(tmp_path: Path, sample) -> Path:
    db = tmp_path / "news.db"
    with Archive.open(db) as arc:
        arc.save_article(sample("e3-10308168"))
    return db


def test_an_export_matching_nothing_leaves_the_file_as_it_was(tmp_path: Path, filled: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("yesterday's export\n", encoding="utf-8")
    result = vnnews("export", str(filled), "--format", "csv", "--since", "01/01/2090", "-o", str(out))
    assert result.returncode == 1
    assert result.stderr == f"vnnews export: no articles match these filters; {out} not written\n"
    assert out.read_text(encoding="utf-8") == "yesterday's export\n"
    fresh = tmp_path / "fresh.jsonl"
    assert vnnews("export", str(filled), "--section", "Không có", "-o", str(fresh)).returncode == 1
    assert not fresh.exists()
    assert not list(tmp_path.glob(".*.tmp"))
    replaced = vnnews("export", str(filled), "--format", "csv", "-o", str(out))
    assert replaced.returncode == 0, replaced.stderr
    assert out.read_text(encoding="utf-8").startswith("publisher,")


def test_export_and_plot_refuse_to_write_over_the_archive(tmp_path: Path, filled: Path) -> None:
    """The tester's commands: `export news.db -o news.db` emptied the archive, `stats --plot news.db`
    replaced it with a PNG."""
    before = filled.read_bytes()
    for args in (
        ("export", str(filled), "--format", "jsonl", "-o", str(filled)),
        ("stats", str(filled), "--plot", str(filled)),
    ):
        result = vnnews(*args)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "is the archive" in result.stderr
    assert filled.read_bytes() == before


def test_import_warc_names_a_file_that_is_not_a_warc_and_imports_the_others(
    tmp_path: Path, warc_maker, article_records
) -> None:
    warc = tmp_path / "good.warc.gz"
    warc_maker(warc, article_records)
    notes = tmp_path / "notes.csv"
    notes.write_text("tiêu đề,ngày\n", encoding="utf-8")
    db = tmp_path / "news.db"
    result = vnnews("import-warc", str(db), str(notes), str(warc))
    assert result.returncode == 2, result.stderr
    assert f"vnnews import-warc: {notes}: not a WARC file" in result.stderr
    assert "Traceback" not in result.stderr
    with Archive.open(db, readonly=True) as arc:
        assert arc.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 6


def test_import_warc_of_unclaimed_hosts_names_them_and_suggests_publisher(
    tmp_path: Path, warc_maker, article_records
) -> None:
    mirrored = [
        {**r, "url": urlunsplit(urlsplit(r["url"])._replace(scheme="http", netloc="mirror.example:8000"))}
        for r in article_records
    ]
    warc = tmp_path / "mirror.warc.gz"
    warc_maker(warc, mirrored)
    result = vnnews("import-warc", str(tmp_path / "news.db"), str(warc))
    assert result.returncode == 0, result.stderr
    assert "mirror.example 6" in result.stderr and "--publisher" in result.stderr, result.stderr
    assert "baonghean" in result.stderr


def test_status_reads_without_leaving_files_beside_a_foreign_database(tmp_path: Path) -> None:
    other = _wal_foreign(tmp_path / "other.db")
    before = tree(tmp_path)
    result = vnnews("status", str(other))
    assert result.returncode == 2 and result.stderr.startswith("vnnews status: ")
    assert tree(tmp_path) == before
    assert not os.path.exists(f"{other}-shm")


def test_export_to_a_pipe_is_written_in_place(filled: Path) -> None:
    """/dev/stdout (a pipe here) cannot be renamed onto: it is written as it goes, as before."""
    result = vnnews("export", str(filled), "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert '"baonghean:e3:10308168"' in result.stdout
