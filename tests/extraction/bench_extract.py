"""Extraction speed against trafilatura on the same pages, measured in the same run.

Not a test (pytest does not collect it): run ``.venv/bin/python tests/extraction/bench_extract.py``.
Prints the median per-page time of ``vnnews.extraction.extract``, of ``trafilatura.extract`` and of
the lxml parse alone over every fixture article page (best of N runs per page).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def best_time(function: Callable[[bytes], object], data: bytes, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function(data)
        best = min(best, time.perf_counter() - start)
    return best


def median_ms(function: Callable[[bytes], object], pages: list[bytes], repeats: int) -> float:
    return statistics.median(best_time(function, page, repeats) for page in pages) * 1000


def main() -> int:
    import lxml.html
    import trafilatura

    from vnnews.extraction import extract

    pages = [p.read_bytes() for p in sorted(FIXTURES.glob("*/e*/*.html"))]
    for page in pages[:3]:  # warm caches and imports
        extract(page)
        trafilatura.extract(page.decode("utf-8"))
    ours = median_ms(extract, pages, 5)
    theirs = median_ms(lambda data: trafilatura.extract(data.decode("utf-8")), pages, 3)
    parse = median_ms(lxml.html.document_fromstring, pages, 5)
    size = statistics.median(len(p) for p in pages) / 1024
    print(f"{len(pages)} pages, median {size:.0f} KB")
    print(f"vnnews extract   {ours:6.2f} ms/page")
    print(f"trafilatura      {theirs:6.2f} ms/page")
    print(f"lxml parse alone {parse:6.2f} ms/page")
    print(f"ratio            {ours / theirs:6.1%} of trafilatura (target <= 25%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
