"""`vnnews shard`: a deterministic, stable plan of who crawls what, and its wrong uses as one line."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from crawler.shard import ShardError, home_node, node_url, plan, spider_for, split_days

NODES = [f"http://10.0.0.{n}:6800" for n in range(1, 5)]
PUBLISHERS = [f"bao{n:02d}" for n in range(40)]


def test_every_publisher_has_one_home_and_the_plan_is_the_same_every_time() -> None:
    first = plan(PUBLISHERS, NODES)
    assert first == plan(list(reversed(PUBLISHERS)), NODES)
    assert sorted(s.publisher for s in first) == sorted(PUBLISHERS)
    per_node = {node: sum(s.node == node for s in first) for node in NODES}
    assert all(count >= 4 for count in per_node.values()), per_node  # 40 over 4: none left idle


def test_a_new_node_moves_only_the_publishers_it_takes() -> None:
    before = {p: NODES[home_node(p, NODES)] for p in PUBLISHERS}
    grown = [*NODES, "http://10.0.0.9:6800"]
    after = {p: grown[home_node(p, grown)] for p in PUBLISHERS}
    moved = {p for p in PUBLISHERS if before[p] != after[p]}
    assert moved and all(after[p] == grown[-1] for p in moved)
    shrunk = NODES[1:]
    kept = {p: shrunk[home_node(p, shrunk)] for p in PUBLISHERS}
    assert all(kept[p] == before[p] for p in PUBLISHERS if before[p] != NODES[0])


def test_a_window_is_cut_into_whole_days_one_slice_per_node() -> None:
    assert split_days(date(2025, 1, 1), date(2025, 1, 31), 2) == [
        (date(2025, 1, 1), date(2025, 1, 16)),
        (date(2025, 1, 17), date(2025, 1, 31)),
    ]
    assert split_days(date(2025, 1, 1), date(2025, 1, 2), 4) == [
        (date(2025, 1, 1), date(2025, 1, 1)),
        (date(2025, 1, 2), date(2025, 1, 2)),
    ]
    shards = plan(["baonghean"], NODES[:2], date(2025, 1, 1), date(2025, 1, 31))
    assert {s.node for s in shards} == set(NODES[:2])
    assert [s.window for s in shards] == ["2025-01-01..2025-01-16", "2025-01-17..2025-01-31"]
    assert (
        shards[0].archive("/srv/node{node}-{publisher}.db")
        == f"/srv/node{shards[0].node_number}-baonghean.db"
    )


def test_the_spider_is_the_publishers_own_else_the_generic_one() -> None:
    assert spider_for("baonghean", ["baonghean"]) == ("baonghean", {})
    assert spider_for("vnexpress", ["baonghean", "news"]) == ("news", {"publisher": "vnexpress"})
    with pytest.raises(ShardError, match="no spider 'vnexpress'"):
        spider_for("vnexpress", ["baonghean"])
    assert node_url("http://127.0.0.1:6800/") == "http://127.0.0.1:6800"
    with pytest.raises(ValueError, match="not a Scrapyd URL"):
        node_url("127.0.0.1:6800")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--node", "ftp://x"], 2, "not a Scrapyd URL"),
        (["--node", "http://127.0.0.1:1", "--publisher", "nope"], 2, "unknown publisher 'nope'"),
        (["--node", "http://127.0.0.1:1", "--since", "2025-02-01", "--until", "2025-01-01"], 2, "is after"),
        (["--node", "http://127.0.0.1:1", "-s", "DOWNLOAD_DELAY=slow"], 2, "DOWNLOAD_DELAY"),
        (["--node", "http://127.0.0.1:1", "-a", "base_url=http://127.0.0.1:2"], 2, "exactly one --publisher"),
        (["--node", "http://127.0.0.1:1"], 1, "Connection refused"),
    ],
)
def test_wrong_uses_and_dead_nodes_are_one_line(args: list[str], code: int, message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vnnews", "shard", "--node-archive", "/tmp/n{node}.db", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == code, result.stderr
    assert result.stderr.startswith("vnnews shard: ") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
