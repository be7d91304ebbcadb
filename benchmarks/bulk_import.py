"""Bulk WARC import: records read per second per process, with the host filter on.

    python benchmarks/bulk_import.py            # 2 files x 4,000 other-site records, 2 x 300 articles
    python benchmarks/bulk_import.py --filtered 1000 --articles 60   # a quick run

Writes two kinds of WARC file (gzip per record, as Common Crawl's): records of sites no publisher
serves (news-like HTML of ``--page-kb`` KB, the host filter drops them unparsed), and article pages of
the offline site copy (crawler/snapshot, extracted and stored). Runs the real `vnnews import-warc`
on 1 and 2 worker processes over two files of each kind, with each WARC reader installed (FastWARC,
warcio), and prints records/s per process as the run itself measured it (`runs.summary`, from the
first task to the last write; the interpreter's start is not counted), records per CPU second (all
the import's CPU: the workers' and the writer's), and the CPU milliseconds a record cost in the
workers and in the one writer. Goals (issue 15): 3,000 filtered-out records/s and 300 stored
articles/s per process.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from archive.warcsource import fastwarc_available  # noqa: E402
from crawler.snapshot import build_snapshot  # noqa: E402

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "council",
    "province",
    "said",
    "new",
    "year",
    "market",
    "city",
    "road",
    "school",
    "health",
    "water",
    "police",
]
WORDS += [
    "report",
    "minister",
    "week",
    "people",
    "district",
    "local",
    "over",
    "after",
    "government",
    "plan",
    "build",
    "price",
    "bank",
]


def _page(rng: random.Random, size: int) -> bytes:
    """A news-like page of about ``size`` bytes: markup and prose that compress as real pages do."""
    parts = ["<!DOCTYPE html><html><head><title>News</title></head><body><article>"]
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize()
        paragraph = f'<p class="c{rng.randint(0, 9)}">{sentence}. {rng.randint(0, 10**6)}</p>\n'
        parts.append(paragraph)
        length += len(paragraph)
    parts.append("</article></body></html>")
    return "".join(parts).encode()


def _write(path: Path, records: list[tuple[str, bytes]]) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2025-05-02T03:00:00Z"},
            )  # fmt: skip
            writer.write_record(record)


def build(workdir: Path, filtered: int, articles: int, page_kb: int) -> dict[str, list[Path]]:
    rng = random.Random(15)
    files: dict[str, list[Path]] = {"filtered": [], "articles": []}
    for number in range(2):
        others = [
            (f"https://news{rng.randint(0, 200)}.example.com/{number}-{i}.html", _page(rng, page_kb * 1024))
            for i in range(filtered)
        ]
        path = workdir / f"other-{number}.warc.gz"
        _write(path, others)
        files["filtered"].append(path)
    anchor = datetime(2025, 5, 1, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    snapshot = build_snapshot(workdir / "site", articles=2 * articles, anchor=anchor)
    paths = sorted(a["path"] for a in snapshot.articles)
    for number in range(2):
        pages = [
            ("https://baonghean.vn" + path, (snapshot.root / "site" / path.lstrip("/")).read_bytes())
            for path in paths[number::2]
        ]
        path = workdir / f"articles-{number}.warc.gz"
        _write(path, pages)
        files["articles"].append(path)
    return files


def run(workdir: Path, files: list[Path], workers: int, reader: str) -> dict[str, float]:
    db = workdir / f"bench-{files[0].stem}-{workers}-{reader}.db"
    command = [sys.executable, "-m", "vnnews", "import-warc", str(db), *map(str, files)]
    command += ["--workers", str(workers), "--warc-reader", reader, "-q"]
    subprocess.run(command, check=True, cwd=ROOT)
    with sqlite3.connect(db) as conn:
        summary: dict[str, float] = json.loads(conn.execute("SELECT summary FROM runs").fetchone()[0])
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--filtered", type=int, default=4000, help="other-site records per file (2 files)")
    parser.add_argument("--articles", type=int, default=300, help="article pages per file (2 files)")
    parser.add_argument("--page-kb", type=int, default=40, help="size of an other-site page")
    options = parser.parse_args()
    readers = ["fastwarc", "warcio"] if fastwarc_available() else ["warcio"]
    with tempfile.TemporaryDirectory(prefix="vnnews-bench-bulk-") as name:
        workdir = Path(name)
        files = build(workdir, options.filtered, options.articles, options.page_kb)
        size = sum(p.stat().st_size for p in files["filtered"]) / 2 / options.filtered
        print(f"other-site records: {options.page_kb} KB pages, {size / 1024:.1f} KB each in the WARC (gzip)")
        print(
            "per process: records (or stored articles) / wall seconds / processes; per CPU s: / CPU seconds"
        )
        print(
            "kind      reader    processes  records  seconds  records/s  per process  per CPU s  stored/s/p"
            "  CPU ms/page: workers  writer"
        )
        for kind in ("filtered", "articles"):
            for reader in readers if kind == "filtered" else readers[:1]:
                for workers in (1, 2):
                    s = run(workdir, files[kind], workers, reader)
                    stored = s.get("new", 0) + s.get("changed", 0) + s.get("unchanged", 0)
                    per_cpu = (
                        s["records_per_cpu_second"]
                        if kind == "filtered"
                        else s["pages_stored_per_cpu_second"]
                    )
                    writer = s.get("writer_cpu_seconds", 0.0)
                    per_record = 1000 / max(s["records"], 1)
                    print(
                        f"{kind:9} {reader:9} {workers:9}  {s['records']:7}  {s['seconds']:7.2f}"
                        f"  {s['records_per_second']:9.0f}  {s['records_per_second_per_worker']:11.0f}"
                        f"  {per_cpu:9.0f}  {stored / s['seconds'] / workers:10.0f}"
                        f"  {(s['cpu_seconds'] - writer) * per_record:20.2f}  {writer * per_record:6.2f}",
                        flush=True,
                    )
    print("goals per process: 3,000 filtered-out records/s; 300 stored articles/s")


if __name__ == "__main__":
    main()
