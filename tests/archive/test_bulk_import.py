"""Bulk WARC import (archive/bulk.py): a CC-NEWS-style listing served over loopback HTTP, local worker
processes, a real Dask LocalCluster, both WARC readers, the host filter from the publisher registry.

The reference every bulk way is compared with is the plain import (`--workers 0`) of the same files
from disk; archives are compared by content (articles, revisions, captures), since capture ids follow
the order pages arrive in, which parallel work does not fix.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner

from archive.bulktasks import HostFilter, ScanTask, scan
from archive.cli import import_warc
from archive.warc import ReadReport
from archive.warcsource import fastwarc_available, listing_sources, read_records
from extraction import publishers
from tests.archive.backfill_helpers import history, range_server, vnnews
from tests.archive.conftest import sample_records, write_warc
from tests.process_tree import descendants, wait_until

READERS = ["warcio", *(["fastwarc"] if fastwarc_available() else [])]
PATHS = "crawl-data/CC-NEWS/2025/10"


def other_sites(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {"url": f"https://news{n % 7}.example.com/story-{n}.html", "body": b"<html><p>x</p></html>" * 50}
        for n in range(start, start + count)
    ]


def cc_news_folder(root: Path) -> tuple[Path, list[str]]:
    """Three CC-NEWS-style files: articles among other sites' pages, one file with a damaged record,
    one of other sites only; and their listing (relative paths, as Common Crawl's warc.paths)."""
    folder = root / PATHS
    folder.mkdir(parents=True)
    articles = sample_records()
    names = [f"CC-NEWS-2025101{n}000000-0000{n}.warc.gz" for n in range(3)]
    write_warc(folder / names[0], other_sites(20) + articles[:3] + other_sites(20, 20))
    spans = write_warc(folder / names[1], articles[3:] + other_sites(5, 40))
    data = bytearray((folder / names[1]).read_bytes())
    damaged_at = spans[-2][0]  # an other site's record: damage is reported wherever it is
    data[damaged_at + 20 : damaged_at + 60] = b"\0" * 40
    (folder / names[1]).write_bytes(bytes(data))
    write_warc(folder / names[2], other_sites(30, 100))
    return folder, [f"{PATHS}/{name}" for name in names]


def summary_of(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        status, args, summary = conn.execute(
            "SELECT status, args, summary FROM runs ORDER BY id DESC"
        ).fetchone()
    finally:
        conn.close()
    return {"status": status, "args": json.loads(args), **json.loads(summary)}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], dict[str, Any]]:
    """The files, their listing, and the archive a plain import of them from disk makes."""
    root = tmp_path_factory.mktemp("cc")
    _folder, paths = cc_news_folder(root)
    db = root / "reference.db"
    done = vnnews("import-warc", str(db), *(str(root / p) for p in paths), "--workers", "0", "-q")
    assert done.returncode == 0, done.stderr
    return root, paths, history(db)


@pytest.mark.slow
def test_listing_over_http_on_two_processes_equals_the_plain_import(tmp_path: Path, reference) -> None:
    root, paths, expected = reference
    listing = tmp_path / "warc.paths.gz"
    with gzip.open(listing, "wt") as out:
        out.write("\n".join(paths) + "\n")
    db = tmp_path / "news.db"
    with range_server(root) as (base, requests):
        done = vnnews(
            "import-warc", str(db), "--listing", str(listing), "--warc-prefix", base + "/", "--workers", "2"
        )
        assert done.returncode == 0, done.stderr
        assert history(db) == expected
        summary = summary_of(db)
        assert summary["status"] == "partial"  # the damaged record
        assert (summary["new"], summary["skipped_not_article_url"]) == (6, 74)
        assert summary["args"]["runner"] == "processes" and summary["workers"] == 2
        assert summary["records"] == 81 and summary["records_per_second_per_worker"] > 0
        assert re.search(r"damaged record at offset \d+ skipped", done.stderr)
        assert re.search(
            r"81 records read in [\d.]+ s: \d+ records/s, \d+ per worker \(2 workers\)", done.stderr
        )
        assert all(request.startswith(f"/{PATHS}/") for request in requests)
        # Resumable: a second run stores nothing new and sends no page to extraction.
        again = vnnews(
            "import-warc", str(db), "--listing", str(listing), "--warc-prefix", base + "/", "--workers", "2"
        )
        assert again.returncode == 0, again.stderr
        assert history(db) == expected
        assert summary_of(db)["already_archived"] == 6 and "new" not in summary_of(db)


def test_a_listing_entry_that_cannot_be_read_is_named_and_the_rest_imported(tmp_path: Path) -> None:
    _folder, paths = cc_news_folder(tmp_path / "data")
    listing = tmp_path / "warc.paths"
    listing.write_text("# CC-NEWS\n" + "\n".join([paths[0], f"{PATHS}/CC-NEWS-missing.warc.gz"]) + "\n")
    db = tmp_path / "news.db"
    with range_server(tmp_path / "data") as (base, _requests):
        result = CliRunner().invoke(import_warc, [str(db), "--listing", str(listing), "--warc-prefix", base])
    assert result.exit_code == 1, result.output
    assert re.search(
        r"CC-NEWS-missing\.warc\.gz: could not be read \(.*HTTP 404.*\); run again", result.output
    )
    assert "new 3" in result.output
    assert summary_of(db)["status"] == "partial"


def test_listing_misuse_is_one_line_exit_2(tmp_path: Path) -> None:
    listing = tmp_path / "warc.paths"
    listing.write_text(f"{PATHS}/a.warc.gz\n")
    db = str(tmp_path / "news.db")
    cases = [
        [db, "--listing", str(listing)],  # relative paths without a prefix
        [db],  # nothing to import
        [db, "--listing", str(listing), "--warc-prefix", str(tmp_path / "nowhere")],
        [db, "--listing", str(listing), "--warc-prefix", str(tmp_path), "--dask-scheduler", "not an address"],
    ]
    for args in cases:
        result = CliRunner().invoke(import_warc, args)
        assert result.exit_code == 2, (args, result.output)
    assert not (tmp_path / "news.db").exists()


def test_listing_resolves_against_a_folder_or_an_url(tmp_path: Path) -> None:
    listing = tmp_path / "warc.paths"
    listing.write_text(f"\n{PATHS}/a.warc.gz\n/abs/b.warc.gz\nhttp://h/c.warc.gz\n")
    assert listing_sources(listing, "http://127.0.0.1:9/cc") == [
        f"http://127.0.0.1:9/cc/{PATHS}/a.warc.gz",
        "/abs/b.warc.gz",
        "http://h/c.warc.gz",
    ]
    assert listing_sources(listing, str(tmp_path))[0] == str(tmp_path.resolve() / PATHS / "a.warc.gz")


def _damaged_and_cut(tmp_path: Path) -> list[Path]:
    records = sample_records()
    mixed = records[:2] + other_sites(3) + [{"url": "https://baonghean.vn/", "type": "request"}] + records[2:]
    files = []
    for name, damage in (("damaged", 3), ("cut", None), ("plain", None), ("fine", None)):
        path = tmp_path / (f"{name}.warc" if name == "plain" else f"{name}.warc.gz")
        spans = write_warc(path, mixed, gzip=name != "plain")
        data = bytearray(path.read_bytes())
        if damage is not None:
            offset = spans[damage][0]
            data[offset + 20 : offset + 60] = b"\0" * 40
        if name == "cut":
            offset, length = spans[-1]
            data = data[: offset + length // 2]
        path.write_bytes(bytes(data))
        files.append(path)
    return files


@pytest.mark.skipif(not fastwarc_available(), reason="FastWARC is not installed")
def test_fastwarc_and_warcio_read_the_same_records_and_the_same_damage(tmp_path: Path) -> None:
    keep = HostFilter(None)
    for path in _damaged_and_cut(tmp_path):
        seen = {}
        for reader in ("warcio", "fastwarc"):
            report = ReadReport()
            records = [
                (r.offset, r.length, r.url, r.body)
                for r in read_records(str(path), 0, report, keep.want, reader)
            ]
            seen[reader] = (
                records,
                report.damaged,
                report.truncated_at,
                report.unwanted,
                report.other_records,
            )
        assert seen["warcio"] == seen["fastwarc"], path.name
        assert seen["warcio"][0], path.name
    assert seen["warcio"][3] == 3 and seen["warcio"][4] == 1  # fine.warc.gz: 3 other sites, 1 request


@pytest.mark.parametrize("reader", READERS)
def test_each_reader_reports_damage_truncation_and_resumes_from_an_offset(
    tmp_path: Path, reader: str
) -> None:
    damaged, cut, plain, fine = _damaged_and_cut(tmp_path)
    for path, problems in ((damaged, "damaged"), (cut, "truncated"), (plain, None), (fine, None)):
        result = CliRunner().invoke(
            import_warc, [str(tmp_path / f"{path.stem}.db"), str(path), "--warc-reader", reader]
        )
        assert result.exit_code == 0, result.output
        assert ("new 6" if path is not cut else "new 5") in result.output, result.output
        assert (problems or "damaged record") in result.output if problems else "damaged" not in result.output
    # A scan that starts at a record's offset reads from there on (how a file is read in pieces).
    whole = scan(ScanTask(str(fine), 0, None, reader))
    third = whole.responses[2].offset
    rest = scan(ScanTask(str(fine), third, None, reader))
    assert [r.url for r in rest.responses] == [r.url for r in whole.responses[2:]]


def test_the_host_filter_is_the_publisher_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A publisher added to the registry is kept without touching the importer; records of other hosts
    are dropped before their HTTP headers are parsed (a garbage header block is not 'damage')."""
    path = tmp_path / "mixed.warc.gz"
    write_warc(
        path, [*other_sites(3), {"url": "https://tin.example.vn/bai-viet-12345.html", "body": b"<html>"}]
    )
    block = b"\x00garbage, not HTTP\r\n\r\nbody"  # an other site's record whose HTTP block is not HTTP
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://junk.example.org/x\r\n"
        "WARC-Date: 2025-10-15T02:00:00Z\r\nWARC-Record-ID: <urn:uuid:0-0-0-0-1>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    with open(path, "ab") as out:
        out.write(gzip.compress(header.encode() + block + b"\r\n\r\n"))
    for reader in READERS:
        before = scan(ScanTask(str(path), 0, None, reader))
        assert (before.responses, before.damaged) == ([], []), reader
        assert before.counts["skipped_not_article_url"] == 5
        assert before.unclaimed_hosts["tin.example.vn"] == 1
    base = publishers.get("baonghean")
    extra = type(base)(**{**base.__dict__, "key": "tinvn", "name": "Tin VN", "hosts": ("tin.example.vn",)})
    monkeypatch.setitem(publishers.PUBLISHERS, "tinvn", extra)
    for reader in READERS:
        after = scan(ScanTask(str(path), 0, None, reader))
        assert [r.url for r in after.responses] == ["https://tin.example.vn/bai-viet-12345.html"], reader
        assert after.counts["skipped_not_article_url"] == 4 and after.damaged == []


# Dask -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_cluster() -> Any:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.mark.slow
def test_a_dask_cluster_imports_like_the_plain_import(tmp_path: Path, reference, dask_cluster) -> None:
    root, paths, expected = reference
    db = tmp_path / "news.db"
    address = dask_cluster.scheduler_address
    done = vnnews(
        "import-warc", str(db), *(str(root / p) for p in paths), "--dask-scheduler", address, timeout=180
    )
    assert done.returncode == 0, done.stderr
    assert history(db) == expected
    summary = summary_of(db)
    assert summary["args"]["runner"] == "dask" and summary["workers"] == 2
    assert (summary["new"], summary["records"]) == (6, 81)
    assert "(2 workers)" in done.stderr
    # The command was only a client: nothing of its work stays on the cluster.
    from distributed import Client

    with Client(address, timeout=30) as client:
        wait_until(lambda: not client.who_has(), 30, "the cluster to forget the import's tasks")


@pytest.mark.slow
def test_ctrl_c_stops_a_dask_import_and_records_it_interrupted(tmp_path: Path, dask_cluster) -> None:
    """Many files of other sites keep the cluster busy; SIGINT stops the client between two steps."""
    files = []
    for number in range(40):
        path = tmp_path / f"other-{number}.warc.gz"
        write_warc(path, other_sites(400, number * 400))
        files.append(str(path))
    db = tmp_path / "news.db"
    command = [sys.executable, "-m", "vnnews", "import-warc", str(db), *files, "--dask-scheduler"]
    process = subprocess.Popen([*command, dask_cluster.scheduler_address], stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: _run_status(db) == "running", 60, "the import to start")
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 1, err
    assert err.strip().splitlines()[-1].startswith("vnnews import-warc: stopped by SIGINT; run ")
    assert _run_status(db) == "interrupted"
    assert not descendants(process.pid)


def _run_status(db: Path) -> str | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT status FROM runs ORDER BY id DESC").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


@pytest.mark.slow
def test_ctrl_c_does_not_wait_for_a_long_scan(tmp_path: Path) -> None:
    """A scan of a big file of other sites runs for many seconds in its worker; Ctrl-C stops the
    command at once (the writer looks for a stop every WAIT_SLICE), and the worker with it."""
    write_warc(tmp_path / "one.warc.gz", other_sites(1))
    member = (tmp_path / "one.warc.gz").read_bytes()
    big = tmp_path / "big.warc.gz"
    with open(big, "wb") as out:
        for _ in range(60_000):  # the same record over and over: the filter drops every one
            out.write(member)
    db = tmp_path / "news.db"
    command = [sys.executable, "-m", "vnnews", "import-warc", str(db), str(big), "--workers", "1"]
    process = subprocess.Popen([*command, "--warc-reader", "warcio"], stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: _run_status(db) == "running", 60, "the import to start")
        wait_until(lambda: _reading(process.pid, big), 60, "the worker to read the file")
        process.send_signal(signal.SIGINT)
        stopped = time.monotonic()
        _out, err = process.communicate(timeout=60)
        took = time.monotonic() - stopped
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 1, err
    assert _run_status(db) == "interrupted", err
    assert took < 8, f"the stop waited {took:.1f} s"


def _reading(pid: int, path: Path) -> bool:
    """A descendant of ``pid`` has ``path`` open: the scan is under way."""
    for child in descendants(pid):
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{child}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{child}/fd/{fd}") == str(path):
                        return True
    return False


class _CutOnceHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files whole, except the second answer (the first is the look at the file's start), which
    promises the whole file and stops halfway."""

    answered: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        _CutOnceHandler.answered.append(self.path)
        if not path.is_file() or len(_CutOnceHandler.answered) != 2:
            super().do_GET()
            return
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])

    def log_message(self, *args: Any) -> None:
        pass


def test_a_connection_cut_short_is_a_source_failure_and_a_rerun_finishes(tmp_path: Path) -> None:
    """Not 'damage': the file is whole, the network was not. Named (exit 1), the rest stays for a rerun."""
    write_warc(tmp_path / "a.warc.gz", sample_records())
    handler = functools.partial(_CutOnceHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    listing = tmp_path / "warc.paths"
    listing.write_text("a.warc.gz\n")
    db = tmp_path / "news.db"
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        first = CliRunner().invoke(import_warc, [str(db), "--listing", str(listing), "--warc-prefix", base])
        second = CliRunner().invoke(import_warc, [str(db), "--listing", str(listing), "--warc-prefix", base])
    finally:
        server.shutdown()
        server.server_close()
    assert first.exit_code == 1, first.output
    assert re.search(
        r"a\.warc\.gz: could not be read \(the connection closed at offset \d+ of \d+\); run again",
        first.output,
    )
    assert "damaged" not in first.output
    assert second.exit_code == 0, second.output
    stored = summary_of(db)
    assert stored.get("new", 0) + stored.get("already_archived", 0) == 6
