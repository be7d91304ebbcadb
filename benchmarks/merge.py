"""Merge rate: `vnnews merge` of two node archives, against `vnnews import-warc` of the same captures.

    python benchmarks/merge.py                  # 400 articles, two captures each, over two nodes
    python benchmarks/merge.py --articles 100   # a quick run

Builds the offline snapshot (version 1, and version 2 which edits some articles and adds new ones),
and two node archives the way two crawl nodes fill them: node 1 takes every other article, node 2 the
rest, each captured on day 1 (version 1) and day 3 (version 2), plus a third of node 1's articles
captured by node 2 too (an overlap, as a window shard sees). Then, in this process and one core each:

- the merge: `archive.merge.merge` of both nodes into a new central archive (raw records copied,
  the nodes' extraction results filed);
- the baseline: `archive.bulk.import_warc` (inline, in this process, as `vnnews import-warc
  --workers 0`) of both nodes' WARC files into another new archive (every capture parsed and
  extracted again), what a merge by WARC import would cost.

Prints articles and captures per second of each and the ratio merge / import (higher is better), and
checks both archives hold the same articles and revisions.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive import Archive  # noqa: E402
from archive.bulk import import_warc  # noqa: E402
from archive.merge import merge  # noqa: E402
from archive.runners import make_runner  # noqa: E402
from crawler.snapshot import build_snapshot  # noqa: E402

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SITE = "https://baonghean.vn"
HTML = [("Content-Type", "text/html; charset=utf-8")]


def build_nodes(workdir: Path, articles: int) -> tuple[list[Path], int]:
    """Two node archives; returns their paths and the number of captures in them."""
    anchor = datetime(2025, 5, 1, 10, 0, tzinfo=VN)
    v1 = build_snapshot(workdir / "v1", articles=articles, anchor=anchor)
    v2 = build_snapshot(
        workdir / "v2", articles=articles, version=2, anchor=anchor, now=anchor + timedelta(days=2)
    )
    paths = sorted(a["path"] for a in v1.articles)
    shares = {1: paths[0::2], 2: paths[1::2] + paths[0::6]}
    nodes, captures = [], 0
    for number, share in shares.items():
        db = workdir / f"node{number}" / "news.db"
        db.parent.mkdir()
        with Archive.open(db) as arc:
            run_id = arc.start_run("crawl")
            for day, snapshot in ((1, v1), (3, v2)):
                when = f"2025-05-0{day}T{8 + number:02d}:00:00+07:00"
                for path in share:
                    body = (snapshot.root / "site" / path.lstrip("/")).read_bytes()
                    arc.ingest(SITE + path, SITE + path, 200, HTML, body, when, run_id)
                    captures += 1
            arc.finish_run(run_id, "success")
        nodes.append(db)
    return nodes, captures


def history(db: Path) -> tuple[list[tuple[str, str, int]], list[tuple[str, int, str]]]:
    conn = sqlite3.connect(db)
    try:
        articles = conn.execute(
            "SELECT id, content_hash, revision_count FROM articles ORDER BY id"
        ).fetchall()
        revisions = conn.execute(
            "SELECT article_id, revision, content_hash FROM revisions ORDER BY article_id, revision"
        ).fetchall()
    finally:
        conn.close()
    return articles, revisions


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=400)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vnnews-bench-merge-") as temp:
        workdir = Path(temp)
        started = time.perf_counter()
        nodes, captures = build_nodes(workdir, options.articles)
        print(f"built 2 node archives, {captures} captures, in {time.perf_counter() - started:.1f} s")

        central = workdir / "central.db"
        started, cpu = time.perf_counter(), time.process_time()
        with Archive.open(central) as arc:
            summary = merge(arc, nodes, quiet=True)
        merge_seconds, merge_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert not summary.problems, summary.problems

        baseline = workdir / "imported.db"
        warcs = sorted(path for node in nodes for path in node.with_name("news.warcs").glob("*.warc.gz"))
        started, cpu = time.perf_counter(), time.process_time()
        with Archive.open(baseline) as arc, make_runner(0, None) as runner:
            imported = import_warc(arc, [str(path) for path in warcs], runner, quiet=True)
        import_seconds, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert not imported.problems, imported.problems

        same = history(central) == history(baseline)
        count = len(history(central)[0])
        merge_rate, import_rate = count / merge_seconds, count / import_seconds
        print(f"articles: {count}, captures: {captures}, same articles and revisions: {same}")
        for name, seconds, cpu_seconds in (
            ("merge      ", merge_seconds, merge_cpu),
            ("import-warc", import_seconds, import_cpu),
        ):
            print(
                f"{name}: {seconds:7.2f} s ({cpu_seconds:6.2f} s CPU)  {count / seconds:8.1f} articles/s"
                f"  {captures / seconds:8.1f} captures/s  {count / cpu_seconds:8.1f} articles per CPU second"
            )
        # On a shared machine the wall clock includes waiting for a core; CPU time does not.
        print(
            f"ratio merge / import-warc (baseline): {merge_rate / import_rate:.1f}x wall clock,"
            f" {import_cpu / merge_cpu:.1f}x CPU"
        )
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
