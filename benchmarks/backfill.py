"""Backfill cost: requests to the web archive per archived article, against fetching every capture.

    python benchmarks/backfill.py                 # 200 articles, 3 captures each
    python benchmarks/backfill.py --articles 50   # a quick run

Builds the offline snapshot (version 1 and version 2, which edits some articles), writes a WARC
collection where every article is captured three times (day 1 and day 2 the same bytes, day 3 the
site's version 2), serves it with a real pywb (`wayback`) on 127.0.0.1, runs `vnnews backfill
--source ia --cdx ...` and reads the run's summary. Prints requests per archived article (CDX
requests included), the baseline of one request per CDX capture, their ratio (lower is better),
and captures stored per second. Needs the dev extras (pywb).

Then, so that one command reports every figure of issue 15, it runs the two sibling benchmarks in
their own processes with their default sizes (``--backfill-only`` skips them):
``benchmarks/bulk_import.py`` (records/s of bulk WARC import on 1 and 2 processes with the host
filter on: filtered-out records and extracted-and-stored articles) and ``benchmarks/merge.py`` (the
rate of ``vnnews merge`` against ``import-warc`` of the same captures).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from archive.processes import die_with_parent_preexec  # noqa: E402
from crawler.snapshot import build_snapshot  # noqa: E402

BIN = Path(sys.executable).parent
SITE = "https://baonghean.vn"


def build(workdir: Path, articles: int) -> int:
    """The collection ``bench`` under ``workdir``; returns the number of CDX captures written."""
    anchor = datetime(2025, 5, 1, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    v1 = build_snapshot(workdir / "v1", articles=articles, anchor=anchor)
    v2 = build_snapshot(
        workdir / "v2", articles=articles, version=2, anchor=anchor, now=anchor + timedelta(days=2)
    )
    kept = {a["path"] for a in v1.articles}
    captures = 0
    warc = workdir / "bench.warc.gz"
    with open(warc, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for day, snapshot in (("2025-05-02", v1), ("2025-05-03", v1), ("2025-05-04", v2)):
            for path in sorted(kept):
                body = (snapshot.root / "site" / path.lstrip("/")).read_bytes()
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1"
                )
                record = writer.create_warc_record(
                    SITE + path, "response", payload=io.BytesIO(body), http_headers=headers,
                    warc_headers_dict={"WARC-Date": f"{day}T03:00:00Z"},
                )  # fmt: skip
                writer.write_record(record)
                captures += 1
    subprocess.run([BIN / "wb-manager", "init", "bench"], cwd=workdir, check=True, capture_output=True)
    subprocess.run(
        [BIN / "wb-manager", "add", "bench", str(warc)], cwd=workdir, check=True, capture_output=True
    )
    return captures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--backfill-only", action="store_true", help="skip the bulk import and merge figures")
    options = parser.parse_args()
    backfill(options.articles)
    if not options.backfill_only:
        for sibling in ("bulk_import.py", "merge.py"):
            print(f"\n== benchmarks/{sibling}", flush=True)
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / sibling)], check=True, cwd=ROOT)


def backfill(article_count: int) -> None:
    """Backfill from a real pywb over loopback: requests per archived article, captures per second."""
    with tempfile.TemporaryDirectory(prefix="vnnews-bench-backfill-") as name:
        workdir = Path(name)
        captures = build(workdir, article_count)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [BIN / "wayback", "-b", "127.0.0.1", "-p", str(port)],
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=die_with_parent_preexec(),  # ends with this process even if it is killed
        )
        cdx = f"http://127.0.0.1:{port}/bench/cdx"
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"{cdx}?url=baonghean.vn/robots.txt", timeout=2).close()
                    break
                except OSError:
                    time.sleep(0.2)
            db = workdir / "bench.db"
            started = time.monotonic()
            subprocess.run(
                [sys.executable, "-m", "vnnews", "backfill", "--db", str(db), "--publisher", "baonghean",
                 "--source", "ia", "--cdx", cdx, "--delay", "0", "--quiet"],
                check=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
            )  # fmt: skip
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(10)
        with sqlite3.connect(db) as conn:
            summary = json.loads(conn.execute("SELECT summary FROM runs ORDER BY id DESC").fetchone()[0])
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            revisions = conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
    requests = summary["requests"]
    ours = requests / articles
    baseline = (captures + summary["cdx_requests"]) / articles
    print(f"captures in the index: {captures}; articles archived: {articles}, with {revisions} revisions")
    print(f"requests per archived article: {ours:.2f} (fetch every capture: {baseline:.2f})")
    print(f"ratio: {ours / baseline:.2f} (lower is better)")
    rate = summary["fetched"] / elapsed
    print(f"captures stored per second: {rate:.1f} ({elapsed:.1f} s on loopback with --delay 0)")


if __name__ == "__main__":
    main()
