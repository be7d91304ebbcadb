"""Extraction benchmark: vnnews against trafilatura on the same pages, in one run.

    .venv/bin/python benchmarks/extract.py                       # every fixture page with a .json
    .venv/bin/python benchmarks/extract.py --pages DIR --repeat 9 --json
    .venv/bin/python benchmarks/extract.py --real [--root DIR --sets zyte,fundus --limit N]   # real pages

For each extractor and page: body precision / recall / F1 on 4-gram shingles of the body (the expected
JSON's "text", i.e. lead + paragraphs; see ``_shingles``); boilerplate leaks (a known chrome string,
another article's "(Baonghean.vn) - " sapo, or the text of one of the page's links to another article,
present in the output but not in the gold text); fields right (vnnews: every schema field equal;
trafilatura: title, publication date and authors, the fields it produces that are comparable); and
the median milliseconds per page (one warm-up call, then ``--repeat`` timed calls per page).
Trafilatura runs with default settings: ``trafilatura.extract(html)``. The time ratio printed last is
vnnews / trafilatura.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _shingles import Match, match  # noqa: E402

from extraction.article import ARTICLE_FIELDS  # noqa: E402
from extraction.text import clean_text  # noqa: E402

DEFAULT_PAGES = ROOT / "tests" / "fixtures" / "baonghean"
FIELDS = ARTICLE_FIELDS
# Chrome of baonghean.vn pages (player, follow line, related boxes, widgets, share bar, footer).
BOILERPLATE = (
    "0:00/0:00",
    "0:00 / 0:00",
    "Theo dõi Báo Nghệ An",
    "Google News",
    "TIN LIÊN QUAN",
    "Tin liên quan",
    "Tin cùng chuyên mục",
    "tin mới",
    "Đọc nhiều",
    "Tiến độ giải quyết hồ sơ",
    "Thời tiết",
    "Bản đồ hành chính",
    "Giá vàng",
    "Lịch âm",
    "Nam miền Bắc",
    "Chia sẻ",
    "Copy link",
    "Từ khóa:",
    "Bản quyền thuộc về",
    "Tổng Biên tập:",
    "Giấy phép số",
    "PLACEHOLDER",
)
DATELINE = re.compile(r"\((?:Baonghean|BNA)(?:\.vn)?\)\s*[-–—]?\s*(.{0,60})", re.IGNORECASE)


@dataclass
class Page:
    path: Path
    html: str
    gold: dict[str, Any]
    headlines: list[str] = field(default_factory=list)

    @property
    def meta(self) -> dict[str, Any]:
        return self.gold.get("meta") or {}


@dataclass
class Result:
    """One extractor on one page."""

    text: str
    match: Match
    leaks: list[str]
    fields: dict[str, bool]
    ms: float


@dataclass
class Totals:
    name: str
    results: list[Result] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        pooled = Match()
        for r in self.results:
            pooled = pooled + r.match
        n = len(self.results)
        field_names = sorted({k for r in self.results for k in r.fields})
        return {
            "pages": n,
            "precision": round(pooled.precision, 4),
            "recall": round(pooled.recall, 4),
            "f1": round(pooled.f1, 4),
            "mean_page_f1": round(statistics.fmean(r.match.f1 for r in self.results), 4) if n else None,
            "pages_with_leaks": sum(1 for r in self.results if r.leaks),
            "fields_right": {f: sum(1 for r in self.results if r.fields.get(f)) for f in field_names},
            "median_ms": round(statistics.median(r.ms for r in self.results), 3) if n else None,
        }


def load_pages(folder: Path) -> list[Page]:
    pages = []
    for path in sorted(folder.rglob("*.html")):
        gold_path = path.with_suffix(".json")
        if gold_path.exists():
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            if "text" in gold:
                page = Page(path, path.read_text(encoding="utf-8", errors="replace"), gold)
                page.headlines = other_article_links(page)
                pages.append(page)
    return pages


def other_article_links(page: Page) -> list[str]:
    """Texts (25+ characters) of the page's links to other articles: headlines of related/latest boxes."""
    from lxml import html as lxml_html

    from extraction.publishers import get

    spec = get("baonghean")
    own = spec.article_ref(page.gold.get("url") or "")
    texts = set()
    for anchor in lxml_html.fromstring(page.html.encode("utf-8")).iter("a"):
        ref = spec.article_ref(anchor.get("href") or "")
        text = clean_text(anchor.text_content())
        if ref and ref != own and len(text) >= 25:
            texts.add(text)
    return sorted(texts)


def leaks(output: str, gold: str, headlines: Sequence[str] = ()) -> list[str]:
    """Chrome strings, foreign datelines and other articles' link texts in the output, not in the gold."""
    out, want = unicodedata.normalize("NFC", output).casefold(), unicodedata.normalize("NFC", gold).casefold()
    found = [s for s in BOILERPLATE if s.casefold() in out and s.casefold() not in want]
    found += [
        f"other article's link: {h[:50]}"
        for h in headlines
        if h.casefold() in out and h.casefold() not in want
    ]
    for m in DATELINE.finditer(unicodedata.normalize("NFC", output)):
        sapo = clean_text(m.group(1))[:40].casefold()
        if sapo and sapo not in want:
            found.append(f"foreign sapo: {m.group(0)[:50]}")
    return found


def timed(call: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    result = call()  # warm-up; also the result we score
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(times)


def run_vnnews(page: Page, repeat: int) -> Result:
    from extraction import extract
    from extraction.article import ExtractionError

    def call() -> dict[str, Any] | None:
        try:
            return extract(
                page.html, url=page.meta.get("url"), captured_at=page.meta.get("captured_at")
            ).to_dict()
        except ExtractionError:
            return None

    got, ms = timed(call, repeat)
    got = got or {}
    text = got.get("text") or ""
    right = {f: got.get(f) == page.gold.get(f) for f in FIELDS}
    right["all fields"] = all(right.values())
    return Result(
        text, match(page.gold["text"], text), leaks(text, page.gold["text"], page.headlines), right, ms
    )


def run_trafilatura(page: Page, repeat: int) -> Result:
    import trafilatura

    text, ms = timed(lambda: trafilatura.extract(page.html), repeat)
    text = text or ""
    meta = trafilatura.extract_metadata(page.html)
    gold = page.gold
    authors = [a.strip() for a in re.split(r";\s*", meta.author or "") if a.strip()] if meta else []
    right = {
        "title": bool(meta) and clean_text(meta.title) == gold["title"],
        "published date": bool(meta) and (meta.date or "") == (gold.get("published_at") or "")[:10],
        "authors": authors == gold["authors"],
    }
    right["title+date+authors"] = all(right.values())
    return Result(text, match(gold["text"], text), leaks(text, gold["text"], page.headlines), right, ms)


def benchmark(pages: list[Page], repeat: int) -> dict[str, Any]:
    runs = {"vnnews": Totals("vnnews"), "trafilatura": Totals("trafilatura")}
    per_page = []
    for page in pages:
        ours, theirs = run_vnnews(page, repeat), run_trafilatura(page, repeat)
        runs["vnnews"].results.append(ours)
        runs["trafilatura"].results.append(theirs)
        per_page.append(
            {
                "page": str(page.path.relative_to(page.path.parents[2])),
                "vnnews": {"f1": round(ours.match.f1, 4), "leaks": ours.leaks, "ms": round(ours.ms, 3)},
                "trafilatura": {
                    "f1": round(theirs.match.f1, 4),
                    "leaks": theirs.leaks,
                    "ms": round(theirs.ms, 3),
                },
            }
        )
    summary = {name: totals.summary() for name, totals in runs.items()}
    ours_ms, theirs_ms = summary["vnnews"]["median_ms"], summary["trafilatura"]["median_ms"]
    ratio = round(ours_ms / theirs_ms, 3) if ours_ms and theirs_ms else None
    return {
        "pages": len(pages),
        "repeat": repeat,
        "summary": summary,
        "time_ratio": ratio,
        "per_page": per_page,
    }


def print_table(report: dict[str, Any], folder: Path) -> None:
    ours, theirs = report["summary"]["vnnews"], report["summary"]["trafilatura"]
    n = report["pages"]
    rows = [
        ("body precision (pooled shingles)", f"{ours['precision']:.3f}", f"{theirs['precision']:.3f}"),
        ("body recall", f"{ours['recall']:.3f}", f"{theirs['recall']:.3f}"),
        ("body F1", f"{ours['f1']:.3f}", f"{theirs['f1']:.3f}"),
        ("mean per-page F1", f"{ours['mean_page_f1']:.3f}", f"{theirs['mean_page_f1']:.3f}"),
        (
            "pages with boilerplate leaks",
            f"{ours['pages_with_leaks']}/{n}",
            f"{theirs['pages_with_leaks']}/{n}",
        ),
        ("all schema fields right", f"{ours['fields_right']['all fields']}/{n}", "n/a"),
        ("title right", f"{ours['fields_right']['title']}/{n}", f"{theirs['fields_right']['title']}/{n}"),
        (
            "published date right",
            f"{ours['fields_right']['published_at']}/{n}",
            f"{theirs['fields_right']['published date']}/{n}",
        ),
        (
            "authors right",
            f"{ours['fields_right']['authors']}/{n}",
            f"{theirs['fields_right']['authors']}/{n}",
        ),
        ("median ms per page", f"{ours['median_ms']:.2f}", f"{theirs['median_ms']:.2f}"),
    ]
    print(f"{n} pages from {folder}, {report['repeat']} timed runs per page after one warm-up")
    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  {'vnnews':>10}  {'trafilatura':>11}")
    for label, a, b in rows:
        print(f"{label:{width}}  {a:>10}  {b:>11}")
    print(f"time ratio vnnews/trafilatura: {report['time_ratio']}")
    worst = [p for p in report["per_page"] if p["vnnews"]["f1"] < 1 or p["vnnews"]["leaks"]]
    for p in worst:
        print(
            f"  vnnews below 1.0 or leaking: {p['page']} F1={p['vnnews']['f1']} leaks={p['vnnews']['leaks']}"
        )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--real" in argv:  # the real page sets: benchmarks/real.py, with the rest of the options
        from real import main as real_main

        return real_main([arg for arg in argv if arg != "--real"])
    parser = argparse.ArgumentParser(
        description="Benchmark vnnews extraction against trafilatura (body shingles, leaks, fields, time).",
        epilog="Example: .venv/bin/python benchmarks/extract.py --pages tests/fixtures/baonghean --repeat 5",
    )
    parser.add_argument(
        "--pages", type=Path, default=DEFAULT_PAGES, help="folder of NAME.html + NAME.json pairs"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed runs per page after one warm-up (default 5)"
    )
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument(
        "--real",
        action="store_true",
        help="run benchmarks/real.py instead (options: --root, --sets, --limit)",
    )
    args = parser.parse_args(argv)
    if not args.pages.is_dir():
        print(f"error: --pages {args.pages} is not a folder", file=sys.stderr)
        return 2
    if args.repeat < 1:
        print("error: --repeat must be at least 1", file=sys.stderr)
        return 2
    pages = load_pages(args.pages)
    if not pages:
        print(f"error: no NAME.html with an expected NAME.json under {args.pages}", file=sys.stderr)
        return 2
    report = benchmark(pages, args.repeat)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_table(report, args.pages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
