"""Quality over every fixture page, plain and re-dressed: field accuracy, body F1, boilerplate leaks.

Not a test (pytest does not collect it): run ``.venv/bin/python tests/extraction/eval_extract.py``
(``--redesign``: every class and id renamed, so only the generic fallback can read the pages).
Body F1 is over word multisets of ``text``; a leak is a known boilerplate phrase, or an image caption,
found in the paragraphs.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

from extraction.article import ARTICLE_FIELDS

HERE = Path(__file__).resolve().parent
FIELDS = ARTICLE_FIELDS
LEAK_PHRASES = re.compile(
    r"theo dõi báo nghệ an|^\d:\d\d|chia sẻ facebook|^tin liên quan|^từ khóa|bản quyền thuộc về|"
    r"nam miền bắc|nữ miền bắc|^\(baonghean|bản đồ hành chính|tiến độ giải quyết hồ sơ",
    re.IGNORECASE,
)


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def f1(got: str, want: str) -> float:
    a, b = Counter(got.split()), Counter(want.split())
    common = sum((a & b).values())
    if not a and not b:
        return 1.0
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def main() -> int:
    sys.path.insert(0, str(HERE.parents[1]))
    helpers = _load("helpers")
    robustness_source = (HERE / "test_robustness.py").read_text(encoding="utf-8")
    robustness_source = robustness_source.replace("from .helpers import", "from helpers import")
    robustness = type(sys)("robustness")
    exec(compile(robustness_source, "test_robustness.py", "exec"), robustness.__dict__)
    from extraction import extract

    variants = {"plain": lambda html: html, **robustness.TRANSFORMS}
    if "--redesign" in sys.argv:  # every class/id renamed: the generic fallback alone
        variants = {"redesign": robustness.renamed_markup}
    pages = [p for p in helpers.article_fixtures() if p.parent.name in ("e1", "e2", "e3")]
    right: Counter[str] = Counter()
    total = 0
    scores: list[float] = []
    leaks: list[str] = []
    all_right = 0
    for page in pages:
        want = helpers.expected(page)
        for name, transform in variants.items():
            html = transform(page.read_text(encoding="utf-8"))
            try:
                got = extract(
                    html, url=want["meta"]["url"], captured_at=want["meta"]["captured_at"]
                ).to_dict()
            except Exception as error:  # counted as a page with every field wrong
                total += 1
                scores.append(0.0)
                leaks.append(f"{page.name}:{name}: not extracted ({error})")
                continue
            total += 1
            ok = [field for field in FIELDS if got[field] == want[field] or field == "parser"]
            right.update(ok)
            all_right += len(ok) == len(FIELDS)
            scores.append(f1(got["text"], want["text"]))
            captions = {image["caption"] for image in got["images"] if image["caption"]}
            for paragraph in got["paragraphs"]:
                if LEAK_PHRASES.search(paragraph) or paragraph in captions:
                    leaks.append(f"{page.name}:{name}: {paragraph[:60]}")
    print(f"{total} extractions ({len(pages)} fixture pages x {len(variants)} markup variants)")
    for field in FIELDS:
        print(f"  {field:13s} right on {right[field] / total:7.2%}")
    print(f"  every field right on {all_right / total:.2%} of pages")
    print(f"  body F1 (text, word bags): mean {sum(scores) / len(scores):.4f}, min {min(scores):.4f}")
    print(f"  boilerplate leaks: {len(leaks)}")
    for leak in leaks[:20]:
        print("    " + leak)
    return 0


if __name__ == "__main__":
    sys.exit(main())
