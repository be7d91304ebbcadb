"""vnnews against trafilatura on real pages nobody in the project wrote, in one run, per set.

    .venv/bin/python benchmarks/real.py                       # every set present under ../shared/real-pages
    .venv/bin/python benchmarks/real.py --root DIR --sets zyte,fundus --limit 50 --json
    .venv/bin/python benchmarks/extract.py --real                # the same

Sets (each scored by its own benchmark's metric; a set whose folder is absent is skipped):

- ``vietnamese``: the real Vietnamese articles kept as fixtures (tests/fixtures/*/real), gold = their
  expected JSON written by reading the pages; body = lead + paragraphs, Zyte's shingle metric.
- ``fundus``: Fundus's parser test pages, gold = its JSON (title, authors, publishing_date, body
  summary + section headlines and paragraphs); body by Zyte's shingle metric, fields by equality.
- ``zyte``: Zyte's article-extraction-benchmark, gold ``articleBody``; its metric exactly (4-gram
  shingles of ``\\w+`` tokens, per-page normalised, mean precision and recall, F1 of the means).
- ``trafilatura``: trafilatura's evaluation set; its metric: a "with" snippet found is a true
  positive, missed a false negative; a "without" snippet found a false positive, absent a true negative.

trafilatura runs as ``trafilatura.extract(html)`` (default settings); vnnews as ``extract(html, url)``
(an article that is refused counts as empty text). Times are per page, one call each.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction.text import clean_text  # noqa: E402

DEFAULT_ROOT = ROOT.parent / "shared" / "real-pages"
_WORD = __import__("re").compile(r"\w+")


@dataclass
class Page:
    name: str
    html: bytes
    url: str | None
    body: str = ""  # gold body text (empty when the set has snippets instead)
    fields: dict[str, Any] = field(default_factory=dict)  # gold title/authors/published/section
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)


@dataclass
class Output:
    text: str
    fields: dict[str, Any]
    ms: float
    crashed: bool = False


# -- scoring -------------------------------------------------------------------------------------
def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def zyte_tp_fp_fn(gold: str, pred: str) -> tuple[float, float, float]:
    """Zyte's string_shingle_matching: shingle counts, normalised so long texts weigh no more."""
    want, got = _shingles(gold), _shingles(pred)
    tp = float(sum((want & got).values()))
    fp, fn = sum(got.values()) - tp, sum(want.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def zyte_metrics(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.fmean([precision(*r) for r in rows if r[0] + r[1] > 0] or [0.0])
    r = statistics.fmean([recall(*x) for x in rows if x[0] + x[2] > 0] or [0.0])
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def snippet_metrics(pages: list[Page], outputs: list[Output]) -> dict[str, float]:
    tp = fn = fp = tn = 0
    for page, out in zip(pages, outputs, strict=True):
        text = " ".join(out.text.split())
        for snippet in page.with_:
            found = " ".join(snippet.split()) in text
            tp, fn = tp + found, fn + (not found)
        for snippet in page.without:
            found = " ".join(snippet.split()) in text
            fp, tn = fp + found, tn + (not found)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "accuracy": (tp + tn) / (tp + tn + fp + fn) if tp + tn + fp + fn else 0.0,
    }


def _same(name: str, gold: Any, got: Any) -> bool:
    if gold is None:
        return got is None
    if name == "authors":
        return sorted(clean_text(a) for a in gold) == sorted(clean_text(a) for a in got or [])
    if name == "published_at":
        try:
            return datetime.fromisoformat(str(gold)) == datetime.fromisoformat(str(got))
        except ValueError:
            return False
    return clean_text(str(gold)) == clean_text(str(got or ""))


# -- sets ----------------------------------------------------------------------------------------
def vietnamese(_: Path) -> Iterator[Page]:
    # Real pages are fixtures like any other (tests/fixtures/<publisher>/<era>/); their expected JSON
    # says where they were copied from ("meta": {"source": "real-pages/…"}).
    for path in sorted((ROOT / "tests" / "fixtures").glob("*/*/*.html")):
        expected = path.with_suffix(".json")
        if not expected.exists():
            continue
        gold = json.loads(expected.read_text(encoding="utf-8"))
        if not str(gold.get("meta", {}).get("source", "")).startswith("real-pages/"):
            continue
        keep = ("title", "authors", "published_at", "section")
        yield Page(
            path.stem, path.read_bytes(), gold["meta"]["url"], gold["text"], {k: gold[k] for k in keep}
        )


def fundus(root: Path) -> Iterator[Page]:
    for entry in json.loads((root / "fundus" / "index.json").read_text(encoding="utf-8")):
        gold = json.loads((root / "fundus" / entry["expected"]).read_text(encoding="utf-8"))[
            entry["version_key"]
        ]
        body = gold.get("body") or {}
        parts = list(body.get("summary") or [])
        for section in body.get("sections") or []:
            parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
        date = gold.get("publishing_date")
        fields = {
            "title": gold.get("title"),
            "authors": gold.get("authors") or [],
            "published_at": date.replace(" ", "T") if isinstance(date, str) else None,
        }
        html = gzip.decompress((root / "fundus" / entry["file"]).read_bytes())
        yield Page(entry["publisher"], html, entry["url"], "\n".join(parts), fields)


def zyte(root: Path) -> Iterator[Page]:
    folder = root / "article-extraction-benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key, gold in sorted(truth.items()):
        html = gzip.decompress((folder / "html-gz" / f"{key}.html.gz").read_bytes())
        yield Page(key, html, gold.get("url"), gold.get("articleBody") or "")


def trafilatura_eval(root: Path) -> Iterator[Page]:
    folder = root / "trafilatura-eval"
    for url, item in json.loads((folder / "evaldata.json").read_text(encoding="utf-8")).items():
        path = folder / "html-gz" / f"{item['file']}.gz"
        if path.exists():
            html = gzip.decompress(path.read_bytes())
            yield Page(
                item["file"], html, url, with_=item.get("with") or [], without=item.get("without") or []
            )


SETS: dict[str, tuple[str, Callable[[Path], Iterator[Page]]]] = {
    "vietnamese": ("", vietnamese),
    "fundus": ("fundus", fundus),
    "zyte": ("article-extraction-benchmark", zyte),
    "trafilatura": ("trafilatura-eval", trafilatura_eval),
}


# -- running -------------------------------------------------------------------------------------
def run_vnnews(page: Page) -> Output:
    from extraction import extract
    from extraction.article import ExtractionError, ExtractionFailed

    start = time.perf_counter()
    crashed = False
    try:
        article = extract(page.html, url=page.url)
        text, fields = article.text, article.to_dict()
    except ExtractionFailed:
        text, fields, crashed = "", {}, True
    except ExtractionError:
        text, fields = "", {}
    except Exception:  # the contract says this never happens: count it
        text, fields, crashed = "", {}, True
    return Output(text, fields, (time.perf_counter() - start) * 1000, crashed)


def run_trafilatura(page: Page) -> Output:
    import trafilatura

    start = time.perf_counter()
    try:
        text = trafilatura.extract(page.html) or ""
    except Exception:
        return Output("", {}, (time.perf_counter() - start) * 1000, True)
    ms = (time.perf_counter() - start) * 1000
    fields: dict[str, Any] = {}
    if page.fields:
        meta = trafilatura.extract_metadata(page.html)
        if meta is not None:
            fields = {
                "title": meta.title,
                "authors": [a.strip() for a in (meta.author or "").split(";") if a.strip()],
                "published_at": meta.date,
                "section": (meta.categories or [None])[0],
            }
    return Output(text, fields, ms)


def score(name: str, pages: list[Page], outputs: list[Output]) -> dict[str, Any]:
    if name == "trafilatura":
        body = snippet_metrics(pages, outputs)
    else:
        body = zyte_metrics([zyte_tp_fp_fn(p.body, o.text) for p, o in zip(pages, outputs, strict=True)])
    report: dict[str, Any] = {k: round(v, 4) for k, v in body.items()}
    fields = sorted({k for p in pages for k in p.fields})
    if fields:
        report["fields_right"] = {
            f: sum(
                1
                for p, o in zip(pages, outputs, strict=True)
                if f in p.fields and _same(f, p.fields[f], o.fields.get(f))
            )
            for f in fields
        }
    times = [o.ms for o in outputs]
    report["ms_per_page_mean"] = round(statistics.fmean(times), 2) if times else None
    report["ms_per_page_median"] = round(statistics.median(times), 2) if times else None
    report["crashes"] = sum(o.crashed for o in outputs)
    return report


def run_set(name: str, pages: list[Page]) -> dict[str, Any]:
    run_vnnews(pages[0]), run_trafilatura(pages[0])  # warm-up: imports and caches are not page time
    ours, theirs = [], []
    for page in pages:  # interleaved: a busy moment of the machine costs both the same
        ours.append(run_vnnews(page))
        theirs.append(run_trafilatura(page))
    return {
        "pages": len(pages),
        "vnnews": score(name, pages, ours),
        "trafilatura": score(name, pages, theirs),
    }


def print_report(name: str, report: dict[str, Any]) -> None:
    ours, theirs = report["vnnews"], report["trafilatura"]
    print(f"== {name}: {report['pages']} pages")
    print(f"  {'':28}{'vnnews':>10}{'trafilatura':>13}")
    keys = [k for k in ("precision", "recall", "f1", "accuracy") if k in ours]
    for key in [*keys, "ms_per_page_mean", "ms_per_page_median", "crashes"]:
        print(f"  {key:28}{ours[key]!s:>10}{theirs[key]!s:>13}")
    for field_name, right in (ours.get("fields_right") or {}).items():
        other = (theirs.get("fields_right") or {}).get(field_name, 0)
        print(f"  {field_name + ' right':28}{right:>10}{other:>13}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="folder of the real page sets")
    parser.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, of {', '.join(SETS)}")
    parser.add_argument("--limit", type=int, default=0, help="at most this many pages per set (0: all)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SETS]
    if unknown or args.limit < 0:
        print(
            f"real.py: unknown set {unknown[0]!r}" if unknown else "real.py: --limit must be >= 0",
            file=sys.stderr,
        )
        return 2
    reports: dict[str, Any] = {}
    for name in wanted:
        folder, loader = SETS[name]
        if folder and not (args.root / folder).is_dir():
            print(f"(skipping {name}: {args.root / folder} is absent)", file=sys.stderr)
            continue
        pages = []
        for page in loader(args.root):
            pages.append(page)
            if args.limit and len(pages) >= args.limit:
                break
        if not pages:
            continue
        reports[name] = run_set(name, pages)
        if not args.json:
            print_report(name, reports[name])
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
