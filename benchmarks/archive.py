"""Archive benchmark: build a synthetic archive and measure import rate, size and search latency.

    .venv/bin/python benchmarks/archive.py                      # 200,000 articles, measured at 100k too
    .venv/bin/python benchmarks/archive.py --articles 1000000 --keep /tmp/m/bench.db   # ~1 h here
    .venv/bin/python benchmarks/archive.py --articles 1000000 --keep /tmp/m/b.db --build-only
    .venv/bin/python benchmarks/archive.py --measure /tmp/m/b-100k.db /tmp/m/b-1000k.db

Builds the archive through the library's bulk path in chunks (memory stays bounded), keeps a
snapshot at 100,000 articles, and measures both sizes, printing how each figure grows (results:
docs/performance.md). Each figure has a baseline measured in the same run:
- import rate (``Archive.save_articles``: identity, content hash, satellites, folded copy + FTS) and
  the per-article ``save_article`` path, vs raw sqlite3 executemany of such rows into a bare table;
- database size per article;
- latency, median and p95 over 100 realistic queries: the library search (what ``vnnews search``
  runs), the ``vnnews search`` command in-process, Datasette (as ``vnnews serve`` builds it) for the
  canned ``search`` query and the articles page with search, facets and count, vs the same page in
  stock Datasette (its own search clause, facets and count) and a LIKE '%...%' scan.
Targets (issue 14): import >= 2,500 articles/s; search p95 <= 50 ms (library, command, canned query);
the articles page with search, facets and count p95 <= 200 ms at a million articles.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive import Archive  # noqa: E402
from archive.search import search  # noqa: E402
from archive.store import article_row, identity  # noqa: E402
from extraction.article import Article, Image  # noqa: E402
from extraction.publishers import get  # noqa: E402
from extraction.text import fold  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
TARGETS = {
    "bulk_rate": 2500.0,
    "library": 50.0,
    "command": 50.0,
    "canned": 50.0,
    "table_html": 200.0,
    "table_json": 200.0,
    "table_compact": 200.0,
    "table_all": 200.0,
}
CHUNK = 50_000  # articles generated at once (untimed) and saved by one save_articles call
SINGLE = 2000  # articles saved one by one at the end
FETCHED = "2025-10-15T09:00:00+07:00"
WORKERS = 2  # processes building rows and folded copies for the bulk path (the machine has 2 cores)


def vocabulary() -> tuple[list[str], list[int]]:
    """Real Vietnamese words with their real frequencies (samples + seed text), so the index and the
    posting lists look like the real archive's."""
    text = []
    for path in sorted((FIXTURES / "baonghean").glob("e*/*.json")):
        text.append(json.loads(path.read_text(encoding="utf-8"))["text"])
    for path in sorted((FIXTURES / "seed").glob("*.txt")):
        text.append(path.read_text(encoding="utf-8"))
    counts = Counter(w.lower() for w in re.findall(r"\w+", "\n".join(text)) if not w.isdigit())
    words = sorted(counts)
    return words, [counts[w] for w in words]


class Generator:
    def __init__(self, seed: int = 4) -> None:
        self.rng = random.Random(seed)
        self.words, weights = vocabulary()
        total = 0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.sections = [s.name for s in get("baonghean").sections]
        self.authors = [" ".join(self._words(2)).title() for _ in range(300)]
        self.tags = [" ".join(self._words(2)).capitalize() for _ in range(800)]

    def _words(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=k)

    def _slug(self) -> str:
        # "bai-" first: a slug starting with e.g. "video" or "rss" would be an excluded path.
        return "bai-" + "-".join(re.sub(r"[^a-z0-9]", "", fold(w)) or "x" for w in self._words(5))

    def _sentence(self, k: int) -> str:
        return " ".join(self._words(k)).capitalize() + "."

    def article(self, i: int) -> Article:
        rng = self.rng
        # The site's current ids (e3) are 10,000,000-10,999,999: a million articles use them all, so
        # any beyond (the one-by-one saves at a million) take the previous era's post<N> ids.
        ident = str(10_000_000 + i) if i < 1_000_000 else f"post{i}"
        year = 2016 + i * 10 // 200_000 % 10
        published = (
            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(6, 22):02d}:00:00+07:00"
        )
        return Article(
            publisher="baonghean",
            url=f"https://baonghean.vn/{self._slug()}-{ident}.html",
            title=self._sentence(rng.randint(8, 14))[:-1],
            lead=self._sentence(rng.randint(30, 45)),
            authors=rng.sample(self.authors, rng.choice((1, 1, 1, 2))),
            published_at=published,
            section=rng.choice(self.sections),
            tags=rng.sample(self.tags, rng.randint(0, 4)),
            images=[Image(f"https://bna.1cdn.vn/{year}/{i}.jpg", self._sentence(10), "T.P")],
            paragraphs=[self._sentence(rng.randint(25, 50)) for _ in range(rng.randint(4, 8))],
            parser="baonghean/e3",
            article_id=ident,
        )


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def build(db_path: Path, n: int, gen: Generator, checkpoints: list[int]) -> dict[int, dict[str, float]]:
    """Build ``n`` articles through the library's bulk path, CHUNK at a time (generated untimed, so
    memory stays bounded at a million); at each checkpoint, the import figures so far and a copy of
    the database (``<name>-<k>k.db``) to measure."""
    figures: dict[int, dict[str, float]] = {}
    saved, seconds = 0, 0.0
    with Archive.open(db_path) as arc:
        while saved < n:
            size = min(CHUNK, n - saved, *[c - saved for c in checkpoints if c > saved])
            chunk = [gen.article(saved + i) for i in range(size)]
            started = time.perf_counter()
            outcomes = arc.save_articles(iter(chunk), fetched_at=FETCHED, workers=WORKERS)
            seconds += time.perf_counter() - started
            assert outcomes == {"new": size}, outcomes
            saved += size
            print(f"  {saved:,} articles, {rate(saved, seconds):,.0f}/s", file=sys.stderr)
            if saved in checkpoints:
                arc.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                copy = snapshot_path(db_path, saved)
                if saved != n:
                    shutil.copyfile(db_path, copy)
                figures[saved] = {
                    "bulk_rate": rate(saved, seconds),
                    "bytes_per_article": copy_size(db_path, saved),
                }
        extra = [gen.article(n + i) for i in range(SINGLE)]
        started = time.perf_counter()
        for article in extra:
            assert arc.save_article(article, fetched_at=FETCHED) == "new"
        figures[n]["single_rate"] = rate(len(extra), time.perf_counter() - started)
        arc.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if n in checkpoints:
        os.replace(db_path, snapshot_path(db_path, n))
    figures[n]["baseline_rate"] = baseline_rate(db_path.with_name("baseline.db"), gen)
    return figures


def snapshot_path(db_path: Path, n: int) -> Path:
    return db_path.with_name(f"{db_path.stem}-{n // 1000}k.db")


def copy_size(db_path: Path, n: int) -> float:
    return db_path.stat().st_size / n


def baseline_rate(path: Path, gen: Generator) -> float:
    """The same kind of rows, built the same way, into a bare table with raw sqlite3 executemany."""
    rows = []
    for i in range(20_000):
        article = gen.article(i)
        resolved = identity(article)
        assert resolved is not None
        rows.append(article_row(article, *resolved))
    baseline = sqlite3.connect(path)
    columns = list(rows[0])
    baseline.execute(f"CREATE TABLE articles ({', '.join(columns)})")
    started = time.perf_counter()
    with baseline:
        baseline.executemany(
            f"INSERT INTO articles VALUES ({', '.join('?' * len(columns))})",
            [tuple(r.values()) for r in rows],
        )
    result = rate(len(rows), time.perf_counter() - started)
    baseline.close()
    path.unlink()
    return result


def queries(gen: Generator, count: int = 100) -> list[str]:
    """Realistic searches: one to three content words (not the 60 commonest), some phrases, some typed
    without diacritics, plus fixed ones from the issue."""
    rng = random.Random(7)
    by_frequency = sorted(
        range(len(gen.words)), key=lambda i: -(gen.cumulative[i] - (gen.cumulative[i - 1] if i else 0))
    )
    content = [gen.words[i] for i in by_frequency[60:1500] if len(gen.words[i]) > 2]
    fixed = ["nghe an", "Nghệ An", "dang uy", "Đảng ủy", '"nông dân"', "hoà bình", "thuỷ lợi"]
    result = list(fixed)
    while len(result) < count:
        words = rng.sample(content, rng.choice((1, 2, 2, 3)))
        query = " ".join(words)
        if rng.random() < 0.2:
            query = f'"{query}"'
        result.append(query)
    return result


def timed(run: Any, qs: list[str]) -> list[float]:
    timings = []
    for q in qs:
        started = time.perf_counter()
        run(q)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def search_library(db_path: Path, qs: list[str]) -> list[float]:
    """``archive.search.search``, the function ``vnnews search`` calls, on one open connection."""
    with Archive.open(db_path, readonly=True) as arc:
        return timed(lambda q: list(search(arc.db.conn, q, limit=20)), qs)


def search_command(db_path: Path, qs: list[str]) -> list[float]:
    """The ``vnnews search DB QUERY`` command in-process (click): argument checks, opening the archive
    read-only, the search and the printed lines; not the interpreter's start."""
    from click.testing import CliRunner

    from archive.cli import search as command

    runner = CliRunner()

    def run(q: str) -> None:
        result = runner.invoke(command, [str(db_path), q, "--limit", "20"])
        assert result.exit_code == 0, result.output

    return timed(run, qs)


def stock_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """The project's metadata as plain Datasette would run it: Datasette's own search clause, count and
    column/array facets (the baseline of the articles page)."""
    stock = copy.deepcopy(metadata)
    for database in stock["databases"].values():
        table = database["tables"]["articles"]
        table.pop("plugins", None)
        table.update(fts_table="articles_fts", fts_pk="doc_id")
        table["facets"] = ["section", {"array": "authors"}, {"array": "tags"}, "published_month", "format"]
    return stock


def datasette_pages(db_path: Path, pages: dict[str, tuple[list[str], Any]], stock: bool = False) -> dict:
    """Datasette as ``vnnews serve`` builds it (plugin, settings, metadata), through its ASGI client
    in-process (its own query execution and rendering, without network noise)."""
    from vnnews.web import app

    ds = app.build_datasette(db_path)
    if stock:
        ds._metadata_local = stock_metadata(ds.metadata())

    async def run() -> dict[str, list[float]]:
        await ds.invoke_startup()
        results: dict[str, list[float]] = {}
        for name, (qs, path) in pages.items():
            for q in qs[:WARM]:  # untimed: a serving machine has these pages in its cache
                await ds.client.get(path(q))
            timings, failures = [], []
            for q in qs:
                started = time.perf_counter()
                response = await ds.client.get(path(q))
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:  # e.g. the 3 s SQL time limit: counted, not hidden
                    failures.append(f"{q!r}: HTTP {response.status_code}")
            results[name] = timings
            if failures:
                print(f"{name}: {len(failures)} failed: {'; '.join(failures)}", file=sys.stderr)
                results[f"{name}_failed"] = [float(len(failures))]
        return results

    return asyncio.run(run())


def measure(db_path: Path, qs: list[str], stock_queries: int) -> dict[str, list[float]]:
    name = db_path.stem
    table = f"/{name}/articles"
    pages = {
        "canned": (qs, lambda q: f"/{name}/search.json?q={quote(q)}&section=&_shape=array"),
        "table_html": (qs, lambda q: f"{table}?_search={quote(q)}"),
        "table_json": (qs, lambda q: f"{table}.json?_search={quote(q)}"),
        "table_compact": (qs, lambda q: f"{table}?_search={quote(q)}&{COMPACT}"),
        "table_all": (qs, lambda q: f"{table}?_search={quote(q)}&_columns=all"),
        "browse_html": (["", *SECTION_FILTERS], lambda s: f"{table}?section={quote(s)}" if s else table),
    }
    search_library(db_path, qs[:10])  # one untimed pass warms the page cache, as on a serving machine
    results = {"library": search_library(db_path, qs), "command": search_command(db_path, qs)}
    results.update(datasette_pages(db_path, pages))
    stock_pages = {"stock_html": (qs[:stock_queries], pages["table_html"][1])}
    results.update(datasette_pages(db_path, stock_pages, stock=True))
    results["like"] = search_like(db_path, qs[:3])  # a full scan each: a minute at a million
    return results


def search_like(db_path: Path, qs: list[str]) -> list[float]:
    conn = sqlite3.connect(db_path)
    timings = []
    for q in qs:
        words = q.replace('"', "").split()
        where = " AND ".join("(title LIKE ? OR text LIKE ?)" for _ in words)
        params = [p for w in words for p in (f"%{w}%", f"%{w}%")]
        started = time.perf_counter()
        conn.execute(
            f"SELECT id FROM articles WHERE {where} ORDER BY published_at DESC LIMIT 20", params
        ).fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    conn.close()
    return timings


FIGURES = (
    # key in the results, label, what it is
    ("library", "search, library (vnnews search's SQL)", "archive.search.search, 20 best"),
    ("command", "vnnews search, in-process", "click command: open, search, print"),
    ("canned", "Datasette canned query `search`", "JSON, 50 best with snippets"),
    ("table_html", "Datasette articles page ?_search=", "HTML: listing, snippets, phrase block"),
    ("table_all", "  same page, every column", "HTML: ?_columns=all, 29 columns"),
    ("table_json", "  same page as JSON", "JSON: 50 rows, facets, count"),
    ("table_compact", "  same page, compact HTML rows", "HTML, 5 columns (as web-reading plans)"),
    ("browse_html", "Datasette articles page, no search", "whole table, then 4 sections"),
    ("stock_html", "baseline: stock Datasette page", "Datasette's own search/facets/count"),
    ("like", "baseline: LIKE '%..%' scan", "no folding, so not even correct"),
)
SECTION_FILTERS = ["Thời sự", "Kinh tế", "Xã hội", "Thể thao"]
WARM = 5  # queries of each kind run untimed first
# The compact row of the articles page (issue 14 item 1): rendering 50 rows of all 29 columns, not
# SQL, is most of the full page's time.
COMPACT = "&".join(f"_col={c}" for c in ("published_at", "publisher", "section", "title", "authors"))


def report(figures: dict[int, dict[str, Any]]) -> None:
    sizes = sorted(figures)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nvnnews archive benchmark, shared 2-core machine, load average now {load}")
    head = "".join(f"{f'{n // 1000:,}k articles':>26}" for n in sizes)
    growth = "  growth" if len(sizes) > 1 else ""
    print(f"{'figure':42}{head}{growth}")

    def row(label: str, values: list[float], fmt: str, note: str = "") -> None:
        cells = "".join(f"{format(v, fmt):>26}" for v in values)
        more = f"  x{values[-1] / values[0]:.2f}" if len(values) > 1 and values[0] else ""
        print(f"{label:42}{cells}{more}  {note}")

    nan = float("nan")
    row("import, bulk save_articles (articles/s)", [figures[n].get("bulk_rate", nan) for n in sizes], ",.0f")
    row("import, save_article each (articles/s)", [figures[n].get("single_rate", nan) for n in sizes], ",.0f")
    row(
        "baseline raw executemany (articles/s)", [figures[n].get("baseline_rate", nan) for n in sizes], ",.0f"
    )
    row(
        "database size (KiB per article)",
        [figures[n].get("bytes_per_article", nan) / 1024 for n in sizes],
        ".2f",
    )
    for key, label, note in FIGURES:
        if all(key in figures[n] for n in sizes):
            cells = [figures[n][key] for n in sizes]
            text = "".join(
                f"{f'{statistics.median(t):.1f} / {percentile(t, 0.95):.1f} ms':>26}" for t in cells
            )
            p95 = [percentile(t, 0.95) for t in cells]
            more = f"  x{p95[-1] / p95[0]:.2f}" if len(p95) > 1 and p95[0] else ""
            print(f"{label:42}{text}{more}  median / p95; {note}")
    for n in sizes:
        failed = {k: int(v[0]) for k, v in figures[n].items() if k.endswith("_failed")}
        if failed:
            print(f"  failed requests at {n:,} (included in the timings): {failed}")
    last = figures[sizes[-1]]
    if "table_html" in last and "stock_html" in last:
        ratio = percentile(last["stock_html"], 0.95) / percentile(last["table_html"], 0.95)
        print(f"  ratio stock page p95 / vnnews page p95 at {sizes[-1]:,}: {ratio:.1f}x")
    if "bulk_rate" in last and "baseline_rate" in last:
        print(f"  ratio bulk / raw executemany: {last['bulk_rate'] / last['baseline_rate']:.3f}")
    for key, target in TARGETS.items():
        if key in last:
            value = last[key] if key == "bulk_rate" else percentile(last[key], 0.95)
            met = value >= target if key == "bulk_rate" else value <= target
            sign = ">=" if key == "bulk_rate" else "<="
            print(f"target {key} {sign} {target:,.0f}: {'MET' if met else 'MISSED'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="build the archive here and keep it (and its snapshots)")
    parser.add_argument("--build-only", action="store_true", help="build (with --keep), measure later")
    parser.add_argument("--measure", type=Path, nargs="+", help="measure archives built with --build-only")
    parser.add_argument("--stock-queries", type=int, default=20, help="queries for the stock baseline")
    args = parser.parse_args()
    gen = Generator()
    qs = queries(gen)
    if args.measure:
        figures = {}
        for path in args.measure:
            built = (
                json.loads(path.with_suffix(".json").read_text())
                if path.with_suffix(".json").exists()
                else {}
            )
            n = int(built.get("articles", 0)) or int(path.stem.rsplit("-", 1)[-1].rstrip("k")) * 1000
            figures[n] = {**built, **measure(path, qs, args.stock_queries)}
        report(figures)
        return 0
    if args.keep and args.keep.exists():
        sys.exit(f"{args.keep} exists; give a new path")
    folder = args.keep.parent if args.keep else Path(tempfile.mkdtemp(prefix="vnnews-bench-"))
    db_path = args.keep or folder / "bench.db"
    checkpoints = sorted({n for n in (100_000, args.articles) if n <= args.articles})
    try:
        figures: dict[int, dict[str, Any]] = build(db_path, args.articles, gen, checkpoints)
        for n in checkpoints:
            snapshot = snapshot_path(db_path, n)
            snapshot.with_suffix(".json").write_text(json.dumps({"articles": n, **figures[n]}))
            if not args.build_only:
                figures[n].update(measure(snapshot, qs, args.stock_queries))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if not args.build_only:
        report(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
