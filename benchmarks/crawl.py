"""Crawl throughput and memory against `scrapy bench`, measured in the same run on the same machine.

    python benchmarks/crawl.py                 # 10,000-article snapshot (the target's size)
    python benchmarks/crawl.py --articles 500  # a quick run

Builds the offline snapshot, serves it on 127.0.0.1 (in a separate process, so serving does not
compete for this process's GIL), crawls it with `vnnews crawl` (politeness off, extraction and
archiving on, link discovery on, --since the snapshot's first day), then runs `scrapy bench`.
Prints pages per second of both, their ratio, and the crawl's peak resident memory (getrusage of
the crawl process). Then the cost of later runs, in HTTP requests per archived article: the same
crawl again (nothing changed: no article page fetched), and again as if two hours later
(VNNEWS_NOW), when every article is due for its 1 h recheck (a conditional request each, 304).
Targets: ratio >= 1.0 (issue 10: link discovery and rechecks on), peak memory < 300 MB at 10,000 articles.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.snapshot import build_snapshot  # noqa: E402

FAST = [
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CONCURRENT_REQUESTS=16",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "-s", "VNNEWS_PROGRESS_INTERVAL=10",
]  # fmt: skip


def crawl_benchmark(articles: int, workdir: Path) -> dict[str, float]:
    snapshot = build_snapshot(workdir / "snapshot", articles=articles)
    port_file = workdir / "port"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(snapshot.root), str(port_file)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        for _ in range(200):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.05)
        base_url = f"http://127.0.0.1:{port_file.read_text().strip()}"
        db = workdir / "bench.db"
        command = [
            sys.executable, "-m", "vnnews", "crawl", "--db", str(db), "--base-url", base_url,
            "--since", snapshot.first_day.isoformat(), "--until", snapshot.last_day.isoformat(), *FAST,
        ]  # fmt: skip
        first = timed_crawl(command, workdir)
        # The same crawl again: nothing changed, so no article page is fetched (the cost of a run).
        again = timed_crawl(command, workdir)
        # Two hours later every article is due for its 1 h recheck: one conditional request each (304).
        later = datetime.now(timezone(timedelta(hours=7))) + timedelta(hours=2)
        rechecked = timed_crawl(
            [*command, "-s", f"VNNEWS_NOW={later.isoformat(timespec='seconds')}"], workdir
        )
    finally:
        server.terminate()
        server.wait(10)
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT pages_fetched, summary FROM runs ORDER BY id").fetchall()
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    (pages, summary), *later_runs = runs
    summary = json.loads(summary)
    result = {
        "exit_code": first["exit_code"],
        "pages": pages,
        "articles_stored": stored,
        "crawl_seconds": summary["elapsed_seconds"],
        "wall_seconds": first["wall"],
        "pages_per_second": pages / summary["elapsed_seconds"],
        "peak_rss_mb": first["peak_rss_mb"],
        "requests_per_article_first": summary["http_requests"] / max(1, stored),
        "found_by_links": summary.get("articles_new_from_links", 0),
    }
    for name, (_pages, text), run in zip(("again", "rechecked"), later_runs, (again, rechecked), strict=True):
        data = json.loads(text)
        result[f"{name}_exit_code"] = run["exit_code"]
        result[f"{name}_requests"] = data["http_requests"]
        result[f"{name}_article_pages"] = data["pages_fetched"]
        result[f"{name}_not_modified"] = data["not_modified"]
        result[f"requests_per_article_{name}"] = data["http_requests"] / max(1, stored)
    return result


def timed_crawl(command: list[str], workdir: Path) -> dict[str, float]:
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=workdir, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True)
    _pid, status, usage = os.wait4(process.pid, 0)
    return {
        "exit_code": os.waitstatus_to_exitcode(status),
        "wall": time.monotonic() - started,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # Linux reports kilobytes
    }


SERVE = """
import sys
from pathlib import Path
from crawler.snapshot import Snapshot, SnapshotServer
server = SnapshotServer(Snapshot.load(sys.argv[1]))
Path(sys.argv[2]).write_text(str(server.port))
server.serve_forever()
"""


def scrapy_bench(workdir: Path) -> dict[str, float]:
    """`scrapy bench` outside the project (its own settings), parsed from its final stats dump."""
    bench_dir = workdir / "bench"
    bench_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    scrapy = str(Path(sys.executable).with_name("scrapy"))
    result = subprocess.run(
        [scrapy, "bench"], cwd=bench_dir, env=env, capture_output=True, text=True, timeout=300
    )
    log = result.stdout + result.stderr
    pages = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not pages or not elapsed:
        raise SystemExit(f"could not read scrapy bench's stats:\n{log[-2000:]}")
    return {
        "pages": int(pages[1]),
        "seconds": float(elapsed[1]),
        "pages_per_second": int(pages[1]) / float(elapsed[1]),
    }


def report(articles: int, workdir: Path) -> None:
    print(f"building a {articles}-article snapshot in {workdir} ...", flush=True)
    ours = crawl_benchmark(articles, workdir)
    print("running scrapy bench ...", flush=True)
    bench = scrapy_bench(workdir)
    ratio = ours["pages_per_second"] / bench["pages_per_second"]
    print()
    print(
        f"vnnews crawl : {ours['pages']} pages in {ours['crawl_seconds']:.1f}s"
        f" = {ours['pages_per_second']:.1f} pages/s (extraction + archiving on;"
        f" {ours['articles_stored']} articles stored; exit {ours['exit_code']};"
        f" wall incl. start-up {ours['wall_seconds']:.1f}s)"
    )
    print(
        f"scrapy bench : {bench['pages']} pages in {bench['seconds']:.1f}s"
        f" = {bench['pages_per_second']:.1f} pages/s"
    )
    print(f"ratio        : {ratio:.2f} (target >= 1.00) {'OK' if ratio >= 1.0 else 'BELOW TARGET'}")
    print(f"peak memory  : {ours['peak_rss_mb']:.0f} MB (target < 300 MB at 10,000 articles)"
          f" {'OK' if ours['peak_rss_mb'] < 300 else 'ABOVE TARGET'}")  # fmt: skip
    print(
        f"requests per archived article: first crawl {ours['requests_per_article_first']:.3f}"
        f" ({ours['found_by_links']} articles found by links),"
        f" unchanged re-crawl {ours['requests_per_article_again']:.3f}"
        f" ({ours['again_requests']} requests, {ours['again_article_pages']} article pages, exit"
        f" {ours['again_exit_code']}), with every 1 h recheck due"
        f" {ours['requests_per_article_rechecked']:.3f}"
        f" ({ours['rechecked_not_modified']} answered 304, {ours['rechecked_article_pages']} article pages,"
        f" exit {ours['rechecked_exit_code']})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000, help="generated articles (default 10000)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (snapshot, archive)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="vnnews-bench-crawl-"))
    try:
        report(args.articles, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
