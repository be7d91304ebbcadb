"""Two real Scrapyd daemons on loopback: `vnnews shard` schedules each node's share of a backfill window
of the offline site, each node crawls into its own archive, `vnnews merge` folds them into one, and the
merged archive equals the same captures imported in one place."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ops_helpers import FAST, free_port, query, wait_for
from test_scrapyd import build_egg, finished_job, get_json, write_scrapyd_conf

from crawler.snapshot import SnapshotServer, build_snapshot
from crawler.snapshot.build import LOCAL_TZ
from tests.archive.merge_helpers import dump

pytestmark = pytest.mark.slow

VNNEWS = [sys.executable, "-m", "vnnews"]
CONTACT = "https://ops.example/shard-contact"
COMPARED = ("articles", "revisions", "withdrawals", "authors", "tags", "search")


@contextmanager
def scrapyd_node(home: Path, egg: Path) -> Iterator[str]:
    """A Scrapyd daemon on a free loopback port with the vnnews egg added; ends with the block."""
    home.mkdir()
    port = free_port()
    write_scrapyd_conf(home, port)
    api = f"http://127.0.0.1:{port}"
    daemon = subprocess.Popen(
        [sys.executable, "-m", "scrapyd"], cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(lambda: get_json(f"{api}/daemonstatus.json"), 30, "scrapyd to start")
        upload = subprocess.run(
            [
                *("curl", "--silent", "--fail-with-body", f"{api}/addversion.json"),
                *("-F", "project=vnnews", "-F", "version=0.1.0", "-F", f"egg=@{egg}"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert json.loads(upload.stdout)["status"] == "ok", upload.stdout
        yield api
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def vnnews(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VNNEWS, *args], capture_output=True, text=True, timeout=120)


def test_sharded_crawl_on_two_scrapyd_nodes_merges_into_one(tmp_path: Path) -> None:
    # Three days of articles, so a two-node window splits into two slices of whole days.
    anchor = datetime.now(LOCAL_TZ).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)
    site = build_snapshot(tmp_path / "site", articles=24, anchor=anchor)
    assert (site.last_day - site.first_day).days >= 1
    egg = build_egg(tmp_path / "dist" / "vnnews.egg")
    with ExitStack() as stack:
        server = stack.enter_context(SnapshotServer(site))
        nodes = [stack.enter_context(scrapyd_node(tmp_path / f"scrapyd{n}", egg)) for n in (1, 2)]
        settings = [f"VNNEWS_CONTACT_URL={CONTACT}", *FAST[1::2]]
        result = vnnews(
            "shard",
            *[word for node in nodes for word in ("--node", node)],
            "--node-archive",
            str(tmp_path / "node{node}.db"),
            "--publisher",
            "baonghean",
            "--since",
            site.first_day.isoformat(),
            "--until",
            site.last_day.isoformat(),
            "-a",
            f"base_url={server.base_url}",
            *[word for setting in settings for word in ("-s", setting)],
        )
        assert result.returncode == 0, result.stderr
        jobs = [line.split("\t") for line in result.stdout.splitlines()]
        assert sorted(job[0] for job in jobs) == sorted(nodes)  # one slice of the window per node
        assert {job[1] for job in jobs} == {"baonghean"}
        finished: list[dict[str, Any]] = [
            wait_for(lambda job=job: finished_job(job[0], job[5]), 90, "a shard's job", interval=0.5)
            for job in jobs
        ]
    assert all(job["spider"] == "baonghean" for job in finished)

    node_dbs = [tmp_path / "node1.db", tmp_path / "node2.db"]
    for db in node_dbs:
        assert query(db, "select kind, status from runs") == [("crawl", "success")]
        assert query(db, "select count(*) from articles")[0][0] > 0
    central = tmp_path / "central.db"
    merged = vnnews("merge", str(central), *map(str, node_dbs))
    assert merged.returncode == 0, merged.stderr

    # The same captures imported in one place, from the nodes' WARC files.
    reference = tmp_path / "one.db"
    warcs = sorted(
        str(path) for db in node_dbs for path in db.with_name(f"{db.stem}.warcs").glob("*.warc.gz")
    )
    imported = vnnews("import-warc", "--publisher", "baonghean", "--quiet", str(reference), *warcs)
    assert imported.returncode == 0, imported.stderr
    mine, theirs = dump(central), dump(reference)
    assert {name: mine[name] for name in COMPARED} == {name: theirs[name] for name in COMPARED}
    listed = {article["key"] for article in site.articles}
    assert listed <= {row[0] for row in query(central, "select id from articles")}
    # Every node capture is in the central archive, and merging again changes nothing. Both nodes may
    # capture the same page (a sample, a 404) in the same second with the same answer: one capture.
    total = sum(query(db, "select count(*) from captures")[0][0] for db in node_dbs)
    seen = "select url, fetched_at, status, content_hash from captures"
    distinct = {row for db in node_dbs for row in query(db, seen)}
    assert sorted(query(central, seen), key=repr) == sorted(distinct, key=repr)
    again = vnnews("merge", str(central), *map(str, node_dbs))
    assert again.returncode == 0 and f"already_archived {total}" in again.stderr, again.stderr
    conn = sqlite3.connect(central)
    assert conn.execute("select kind, status from runs order by id").fetchall() == [("merge", "success")] * 2
    conn.close()
