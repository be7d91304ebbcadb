"""``vnnews merge``: node archives folded into a central one equal the archive of the same captures
taken in one place (articles, revisions, withdrawals, captures, signals), whatever the order of merging,
and merging twice changes nothing. Nodes are never written; a node that is not an archive is refused."""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from archive import Archive
from archive.merge import BATCH_CAPTURES, merge
from archive.warc import read_response
from extraction.article import Article
from tests.archive.merge_helpers import TIMELINE, build, dump, node_captures
from tests.fixture_paths import page
from tests.house_rules import assert_one_line_refusal, foreign_database
from tests.process_tree import wait_until

VNNEWS = [sys.executable, "-m", "vnnews"]


def _nodes(tmp_path: Path) -> tuple[Path, Path, Path]:
    one = build(tmp_path / "one" / "news.db", TIMELINE)
    node1 = build(tmp_path / "node1" / "news.db", node_captures(1))
    node2 = build(tmp_path / "node2" / "news.db", node_captures(2))
    return one, node1, node2


def _files(folder: Path, readers: bool = True) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (readers or not path.name.endswith(("-wal", "-shm")))
    }


def _arrival_blind(dumped: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    present = ("new", "changed", "unchanged")
    captures = [
        (*row[:8], "present" if row[8] in present else row[8], *row[9:]) for row in dumped["captures"]
    ]
    return {**dumped, "captures": sorted(captures, key=repr)}


def _merge(central: Path, *nodes: Path) -> dict[str, int]:
    with Archive.open(central) as arc:
        summary = merge(arc, list(nodes), quiet=True)
    assert summary.problems == []
    return dict(summary.counts)


def test_merged_nodes_equal_one_place(tmp_path: Path) -> None:
    for folder in ("one", "node1", "node2"):
        (tmp_path / folder).mkdir()
    one, node1, node2 = _nodes(tmp_path)
    expected = dump(one)
    # The timeline is not trivial: revisions, a revert, a withdrawal seen by the node that never had the
    # article, a 304 that brings nothing, a failed fetch.
    assert len(expected["revisions"]) == 3
    assert [w[2] for w in expected["withdrawals"]] == [
        "2025-03-03T09:00:00+07:00",
        "2025-03-08T08:00:00+07:00",
    ]
    assert dump(node1)["withdrawals"] == []  # node 1 only saw B gone: never archived there
    before = {node: _files(node.parent) for node in (node1, node2)}

    together = tmp_path / "together.db"
    counts = _merge(together, node1, node2)
    assert counts["new"] == 3 and counts["changed"] == 3, counts
    assert dump(together) == expected

    # One node after the other, in either order: older captures arrive after newer ones. The history is
    # the same; only a capture's outcome among new/changed/unchanged says what it did on arrival.
    for name, order in (("a.db", (node1, node2)), ("b.db", (node2, node1))):
        central = tmp_path / name
        for node in order:
            _merge(central, node)
        assert _arrival_blind(dump(central)) == _arrival_blind(expected), order

    # Nodes never written: no byte of a database or WARC file changed. (A reader of a WAL database may
    # leave SQLite's -wal/-shm companions beside it, as every read-only vnnews command does.)
    assert {node: _files(node.parent, readers=False) for node in (node1, node2)} == before


def test_merging_again_changes_nothing(tmp_path: Path) -> None:
    for folder in ("one", "node1", "node2"):
        (tmp_path / folder).mkdir()
    _one, node1, node2 = _nodes(tmp_path)
    central = tmp_path / "central.db"
    _merge(central, node1, node2)
    conn = sqlite3.connect(central)
    tables = ("articles", "revisions", "withdrawals", "captures", "article_signals", "images")
    first = {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in tables}
    warcs = _files(central.with_name("central.warcs"))
    counts = _merge(central, node2, node1)
    assert counts["already_archived"] == len(TIMELINE), counts
    assert {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in tables} == first
    assert _files(central.with_name("central.warcs")) == warcs  # no record copied twice
    runs = conn.execute("SELECT kind, status FROM runs ORDER BY id").fetchall()
    assert runs == [("merge", "success"), ("merge", "success")]
    conn.close()


def test_raw_records_are_copied_as_they_are(tmp_path: Path) -> None:
    for folder in ("one", "node1", "node2"):
        (tmp_path / folder).mkdir()
    _one, node1, node2 = _nodes(tmp_path)
    central = tmp_path / "central.db"
    _merge(central, node1, node2)
    node_records = {}
    for node in (node1, node2):
        conn = sqlite3.connect(node)
        for record_id, warc_file, offset, length in conn.execute(
            "SELECT warc_record_id, warc_file, warc_offset, warc_length FROM captures"
            " WHERE warc_file IS NOT NULL"
        ):
            with open(node.parent / warc_file, "rb") as stream:
                stream.seek(offset)
                node_records[record_id] = stream.read(length)
        conn.close()
    conn = sqlite3.connect(central)
    rows = conn.execute(
        "SELECT warc_record_id, warc_file, warc_offset, warc_length, content_hash FROM captures"
        " WHERE warc_file IS NOT NULL"
    ).fetchall()
    conn.close()
    assert {row[0] for row in rows} == set(node_records)
    for record_id, warc_file, offset, length, digest in rows:
        with open(tmp_path / warc_file, "rb") as stream:
            stream.seek(offset)
            assert stream.read(length) == node_records[record_id]  # byte for byte
        body = read_response(tmp_path / warc_file, offset).body
        assert hashlib.sha256(body).hexdigest() == digest


def test_articles_stored_without_captures_come_along(tmp_path: Path) -> None:
    node = tmp_path / "node.db"
    data = json.loads(page("e3-10308168.json").read_text(encoding="utf-8"))
    with Archive.open(node) as arc:
        arc.save_article(Article.from_dict(data), fetched_at="2025-03-01T08:00:00+07:00")
        data["title"] += " (sửa)"
        arc.save_article(Article.from_dict(data), fetched_at="2025-03-02T08:00:00+07:00")
        arc.save_article(Article.from_dict(data), fetched_at="2025-03-03T08:00:00+07:00")
    central = tmp_path / "central.db"
    counts = _merge(central, node)
    assert counts["articles_without_captures"] == 1
    mine, theirs = dump(central), dump(node)
    assert mine["articles"] == theirs["articles"] and mine["revisions"] == theirs["revisions"]
    assert "articles_without_captures" not in _merge(central, node)
    assert dump(central) == mine


def test_a_missing_raw_record_is_reported_and_the_row_kept(tmp_path: Path) -> None:
    (tmp_path / "node1").mkdir()
    node1 = build(tmp_path / "node1" / "news.db", node_captures(1))
    for warc in (tmp_path / "node1" / "news.warcs").iterdir():
        warc.write_bytes(warc.read_bytes()[:100])  # damaged: every record but the first's start is gone
    result = subprocess.run(
        [*VNNEWS, "merge", str(tmp_path / "central.db"), str(node1)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "merged without them" in result.stderr and "Traceback" not in result.stderr
    conn = sqlite3.connect(tmp_path / "central.db")
    assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == len(node_captures(1))
    assert conn.execute("SELECT status FROM runs").fetchone()[0] == "partial"
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    conn.close()


def test_refusals_leave_everything_untouched(tmp_path: Path) -> None:
    (tmp_path / "node1").mkdir()
    node1 = build(tmp_path / "node1" / "news.db", node_captures(1))
    foreign = foreign_database(tmp_path / "customers.db")
    central = tmp_path / "central.db"
    before = _files(tmp_path)
    cases = [
        ([str(central), str(node1), str(foreign)], "not a vnnews archive"),
        ([str(central), str(tmp_path / "absent.db")], "no archive at"),
        ([str(node1), str(node1)], "is the central archive itself"),
    ]
    for args, message in cases:
        result = subprocess.run([*VNNEWS, "merge", *args], capture_output=True, text=True, timeout=120)
        assert_one_line_refusal(result, "merge")
        assert message in result.stderr, result.stderr
    assert _files(tmp_path) == before  # no central created, no node written
    assert not central.exists()


def test_sigterm_stops_between_batches_and_a_rerun_finishes(tmp_path: Path) -> None:
    node = tmp_path / "node.db"
    failures = 40_000  # bodiless failed fetches: cheap to write, enough batches to stop in between
    with Archive.open(node) as arc, arc.transaction():
        arc.db.conn.executemany(
            "INSERT INTO captures (url, final_url, status, fetched_at, content_hash, size, outcome, error)"
            " VALUES (?, ?, NULL, ?, ?, 0, 'fetch_error', 'timeout')",
            [
                (f"https://baonghean.vn/a-{n}.html",) * 2 + (f"2025-03-01T08:00:{n % 60:02d}+07:00", "e3b0")
                for n in range(failures)
            ],
        )
    central = tmp_path / "central.db"
    process = subprocess.Popen(
        [*VNNEWS, "merge", str(central), str(node)], stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )

    def merged_some() -> bool:
        if not central.exists():
            return False
        try:
            conn = sqlite3.connect(f"{central.as_uri()}?mode=ro", uri=True)
            try:
                return conn.execute("SELECT count(*) FROM captures").fetchone()[0] > 0
            finally:
                conn.close()
        except sqlite3.Error:
            return False

    wait_until(merged_some, 60, "the first merged batch")
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    assert err.startswith("vnnews merge: stopped by SIGTERM") and err.count("\n") == 1, err
    conn = sqlite3.connect(central)
    assert conn.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    stopped_at = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
    assert 0 < stopped_at < failures and stopped_at % BATCH_CAPTURES == 0  # whole batches only
    counts = _merge(central, node)
    assert counts["already_archived"] == stopped_at and counts["fetch_error"] == failures - stopped_at
    conn.close()
