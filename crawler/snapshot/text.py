"""Real Vietnamese prose for the snapshot, from shared/baonghean/text-excerpts.jsonl (copied into data/).

Nothing here writes Vietnamese: titles, sapos and bodies are sentences and paragraphs of real
baonghean.vn pages, recombined per article so that every generated article has its own text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from extraction.text import clean_text

_PREFIX = re.compile(r"^\(Baonghean(?:\.vn)?\)\s*[-–]?\s*")
# A sentence ends at . ! ? … followed by a space and an upper-case letter or an opening quote.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈÍÌÓÒÚÙÝ“\"])")
# Bylines seen on baonghean.vn pages (SITE.md and the samples).
AUTHORS = (
    "Quang An",
    "Thành Duy",
    "Quốc Sơn",
    "Hữu Quân",
    "Ngân Hạnh",
    "Đình Tuyên",
    "Thành Cường",
    "Lữ Phú",
)


@dataclass(frozen=True)
class TextPool:
    paragraphs: tuple[str, ...]
    titles: tuple[str, ...]


def read_data(name: str) -> bytes:
    return resources.files("crawler.snapshot.data").joinpath(name).read_bytes()


@cache
def text_pool() -> TextPool:
    rows = json.loads(read_data("text-excerpts.json"))
    paragraphs: list[str] = []
    for row in rows:
        for block in str(row.get("excerpt") or "").split("\n\n"):
            text = clean_text(_PREFIX.sub("", block.strip()))
            if len(text) >= 60 and text not in paragraphs:
                paragraphs.append(text)
    titles = []
    for paragraph in paragraphs:
        for sentence in _SENTENCE_END.split(paragraph):
            sentence = sentence.strip().rstrip(".")
            if 30 <= len(sentence) <= 150 and sentence not in titles:
                titles.append(sentence)
    return TextPool(tuple(paragraphs), tuple(titles))
