"""Body-text scoring as in Zyte's article-extraction-benchmark: 4-gram shingles of ``\\w+`` tokens.

Text is NFC-normalised and lower-cased, tokens are Unicode word runs (``\\w+`` in Python's Unicode
mode, so Vietnamese syllables with tone marks are whole tokens), shingles are counted as a multiset.
A text shorter than four tokens is one shingle of what it has.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_WORD = re.compile(r"\w+")


def tokens(text: str | None) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text or "").lower())


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    grams = [tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))]
    return Counter(g for g in grams if g)


@dataclass
class Match:
    """True positives, false positives and false negatives of one page's shingles."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Match) -> Match:
        return Match(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def match(gold: str | None, predicted: str | None, n: int = 4) -> Match:
    want, got = shingles(gold, n), shingles(predicted, n)
    tp = sum((want & got).values())
    return Match(tp=tp, fp=sum(got.values()) - tp, fn=sum(want.values()) - tp)
