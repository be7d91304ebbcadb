"""Archive benchmark: build a synthetic archive and measure import rate, size and search latency.

    .venv/bin/python benchmarks/archive.py                 # 200,000 articles (a few minutes)
    .venv/bin/python benchmarks/archive.py --articles 20000 --keep /tmp/bench.db

Measures, each against a baseline in the same run:
- import rate through the library's bulk save path (``Archive.save_articles``: identity, content hash,
  satellites, folded copy + FTS triggers) and the per-article ``save_article`` path, vs raw sqlite3
  executemany of the same rows into a bare table;
- database size per article;
- search latency (median, p95 of 100 queries) through sqlite-utils and through Datasette's JSON API,
  vs a LIKE '%...%' scan.
Targets (issue 4): import >= 2,000 articles/s; search p95 <= 50 ms at 200k articles.
"""

from __future__ import annotations

import argparse
import asyncio
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive import Archive  # noqa: E402
from archive.search import RANK_WINDOW, SEARCH_SQL, match_expression  # noqa: E402
from archive.store import article_row, resolve_ref  # noqa: E402
from extraction.article import Article, Image  # noqa: E402
from extraction.publishers import get  # noqa: E402
from extraction.text import fold  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
TARGET_RATE = 2000.0
FETCHED = "2025-10-15T09:00:00+07:00"
WORKERS = 2  # processes building rows and folded copies for the bulk path (the machine has 2 cores)
TARGET_P95_MS = 50.0


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
        year = 2016 + i * 10 // 200_000 % 10
        published = (
            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(6, 22):02d}:00:00+07:00"
        )
        return Article(
            publisher="baonghean",
            url=f"https://baonghean.vn/{self._slug()}-{10_000_000 + i}.html",
            title=self._sentence(rng.randint(8, 14))[:-1],
            lead=self._sentence(rng.randint(30, 45)),
            authors=rng.sample(self.authors, rng.choice((1, 1, 1, 2))),
            published_at=published,
            section=rng.choice(self.sections),
            tags=rng.sample(self.tags, rng.randint(0, 4)),
            images=[Image(f"https://bna.1cdn.vn/{year}/{i}.jpg", self._sentence(10), "T.P")],
            paragraphs=[self._sentence(rng.randint(25, 50)) for _ in range(rng.randint(4, 8))],
            parser="baonghean/e3",
            article_id=str(10_000_000 + i),
        )


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def build(db_path: Path, n: int, gen: Generator) -> dict[str, float]:
    results: dict[str, float] = {}
    started = time.perf_counter()
    articles = [gen.article(i) for i in range(n)]
    results["generate_s"] = time.perf_counter() - started
    print(f"generated {n:,} synthetic articles in {results['generate_s']:.1f}s", file=sys.stderr)

    with Archive.open(db_path) as arc:
        started = time.perf_counter()
        outcomes = arc.save_articles(iter(articles), fetched_at=FETCHED, workers=WORKERS)
        assert outcomes == {"new": n}, outcomes
        results["bulk_rate"] = rate(n, time.perf_counter() - started)
        extra = [gen.article(n + i) for i in range(2000)]
        started = time.perf_counter()
        for article in extra:
            assert arc.save_article(article, fetched_at=FETCHED) == "new"
        results["single_rate"] = rate(len(extra), time.perf_counter() - started)
        arc.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    results["bytes_per_article"] = db_path.stat().st_size / (n + 2000)

    # The same bulk path without worker processes (one helper thread), on the first 20,000 articles
    # into a fresh database; compare with the same-size prefix of the main build, not its average.
    subset_n = min(n, 20_000)
    for workers, key in ((0, "thread_rate_20k"), (WORKERS, "workers_rate_20k")):
        small = db_path.with_name(f"small-{workers}.db")
        with Archive.open(small) as arc:
            started = time.perf_counter()
            arc.save_articles(iter(articles[:subset_n]), fetched_at=FETCHED, workers=workers)
            results[key] = rate(subset_n, time.perf_counter() - started)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{small}{suffix}").unlink(missing_ok=True)

    # Baseline: the same rows (built the same way) into a bare table with raw sqlite3 executemany.
    subset = articles[: min(n, 20_000)]
    rows = []
    for article in subset:
        resolved = resolve_ref(article)
        assert resolved is not None
        rows.append(article_row(article, *resolved))
    baseline = sqlite3.connect(db_path.with_name("baseline.db"))
    columns = list(rows[0])
    baseline.execute(f"CREATE TABLE articles ({', '.join(columns)})")
    started = time.perf_counter()
    with baseline:
        baseline.executemany(
            f"INSERT INTO articles VALUES ({', '.join('?' * len(columns))})",
            [tuple(r.values()) for r in rows],
        )
    results["baseline_rate"] = rate(len(rows), time.perf_counter() - started)
    baseline.close()
    db_path.with_name("baseline.db").unlink()
    return results


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


def search_sqlite_utils(db_path: Path, qs: list[str]) -> list[float]:
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    sql = SEARCH_SQL  # the library's own query (archive.search), run through sqlite-utils
    timings = []
    for q in qs:
        started = time.perf_counter()
        expression = match_expression(q) or '""'
        list(db.query(sql, [expression, RANK_WINDOW, 20, 0]))
        timings.append((time.perf_counter() - started) * 1000)
    db.close()
    return timings


def datasette_metadata(name: str) -> dict:
    """The project's Datasette metadata (search wiring, sort, facets) pointed at the benchmark database,
    plus a canned query running the library's own search SQL."""
    path = ROOT / "datasette-metadata.json"
    tables = {"articles": {"fts_table": "articles_fts", "fts_pk": "doc_id"}}
    if path.exists():
        project = json.loads(path.read_text(encoding="utf-8"))
        databases = project.get("databases", {})
        tables = next(iter(databases.values()), {}).get("tables", tables) if databases else tables
    sql = SEARCH_SQL.replace("MATCH ?", "MATCH :q").replace("LIMIT ?", "LIMIT :window", 1)
    sql = sql.replace("LIMIT ? OFFSET ?", "LIMIT 20 OFFSET 0")
    queries = {"vnnews_search": {"sql": sql}}
    return {"databases": {name: {"tables": tables, "queries": queries}}}


def search_datasette(db_path: Path, qs: list[str], mode: str) -> list[float]:
    """Datasette's JSON API in-process through its ASGI client (Datasette's own query execution and
    JSON rendering, without network noise). ``mode``: "canned" runs the library's search SQL as a
    canned query; "table" is the articles table's ?_search= with the project's metadata (its sort
    and facets, and the count)."""
    from urllib.parse import quote

    from datasette.app import Datasette

    name = db_path.stem
    ds = Datasette([str(db_path)], metadata=datasette_metadata(name), settings={"suggest_facets": False})

    def path(q: str) -> str:
        if mode == "canned":
            expression = quote(match_expression(q) or '""')
            return f"/{name}/vnnews_search.json?q={expression}&window={RANK_WINDOW}&_shape=array"
        return f"/{name}/articles.json?_search={quote(q)}&_size=20"

    async def run() -> list[float]:
        await ds.invoke_startup()
        timings = []
        for q in qs:
            started = time.perf_counter()
            response = await ds.client.get(path(q))
            assert response.status_code == 200, response.text[:300]
            timings.append((time.perf_counter() - started) * 1000)
        return timings

    return asyncio.run(run())


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="build the archive here and keep it")
    args = parser.parse_args()
    if args.keep and args.keep.exists():
        sys.exit(f"{args.keep} exists; give a new path")
    folder = args.keep.parent if args.keep else Path(tempfile.mkdtemp(prefix="vnnews-bench-"))
    db_path = args.keep or folder / "bench.db"
    gen = Generator()
    try:
        built = build(db_path, args.articles, gen)
        qs = queries(gen)
        # One untimed pass warms the page cache, as on a server that has been answering searches.
        search_sqlite_utils(db_path, qs[:10])
        fts = search_sqlite_utils(db_path, qs)
        ds = search_datasette(db_path, qs, "canned")
        ds_full = search_datasette(db_path, qs[:20], "table")
        like = search_like(db_path, qs[:10])
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    def line(label: str, timings: list[float]) -> str:
        median, p95 = statistics.median(timings), percentile(timings, 0.95)
        return f"median {median:7.1f} ms   p95 {p95:7.1f} ms  ({label})"

    n = args.articles
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nvnnews archive benchmark: {n:,} synthetic articles (+2,000 saved one by one); load average {load}"
    )
    print(
        f"import, bulk save_articles:   {built['bulk_rate']:8,.0f} articles/s   "
        f"target >= {TARGET_RATE:,.0f}: {'MET' if built['bulk_rate'] >= TARGET_RATE else 'MISSED'}"
        f"  (workers={WORKERS}, {n:,} articles)"
    )
    print(
        f"  same path, first 20,000:    {built['workers_rate_20k']:8,.0f} articles/s with workers={WORKERS}, "
        f"{built['thread_rate_20k']:,.0f} with one helper thread"
    )
    print(
        f"import, save_article each:    {built['single_rate']:8,.0f} articles/s (one transaction per article)"
    )
    print(
        f"baseline raw executemany:     {built['baseline_rate']:8,.0f} articles/s "
        "(same rows, bare table, no indexes/FTS)"
    )
    print(f"  ratio bulk / baseline:      {built['bulk_rate'] / built['baseline_rate']:.3f}")
    print(f"database size:                {built['bytes_per_article'] / 1024:8.1f} KiB per article")
    print(f"search via sqlite-utils:      {line('100 queries, bm25, LIMIT 20', fts)}")
    print(f"search via Datasette JSON:    {line('100 queries, canned query with the library SQL', ds)}")
    print(
        f"  Datasette table ?_search=:  {line('20 queries, project metadata: sort, facets, count', ds_full)}"
    )
    print(f"baseline LIKE '%..%' scan:    {line('10 queries; no folding, so not even correct', like)}")
    like_ratio = percentile(like, 0.95) / percentile(fts, 0.95)
    print(f"  ratio LIKE p95 / FTS p95:   {like_ratio:.1f}x")
    p95 = percentile(fts, 0.95)
    print(
        f"search p95 target <= {TARGET_P95_MS:.0f} ms: "
        f"{'MET' if p95 <= TARGET_P95_MS else 'MISSED'} (sqlite-utils), "
        f"{'MET' if percentile(ds, 0.95) <= TARGET_P95_MS else 'MISSED'} (Datasette)"
    )
    worst = sorted(zip(fts, qs, strict=True), reverse=True)[:3]
    print("slowest queries: " + "; ".join(f"{q!r} {t:.0f} ms" for t, q in worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
