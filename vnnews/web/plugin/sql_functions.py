"""Pure functions that the plugin registers as SQLite functions on every Datasette connection.

``articles_fts`` holds diacritic-folded copies of title, lead and text, so a query must be folded the
same way before it reaches ``MATCH``; FTS5's own ``snippet()`` would then show the folded copy
("nghe an"), which is unpleasant to read, so ``vn_snippet`` cuts its excerpt from the original text
instead and marks the matched words there.
"""

from __future__ import annotations

import difflib
import functools
import re
import time
import unicodedata
from typing import Any

from archive.search import NO_MATCH, match_expression, phrase_expression
from extraction.text import fold

# Highlight markers put around matched words; render_cell turns them into <mark>. Chosen because
# they do not occur in Vietnamese news text and read well in CSV/JSON exports too.
MARK_OPEN = "⟦"
MARK_CLOSE = "⟧"
# Between the hunks of a revision diff and at cut ends of a snippet.
ELLIPSIS = "…"

_WORD = re.compile(r"\w+")

# Python functions run to their end: SQLite's progress handler (the SQL time limit) only stops a query
# between calls. So every function bounds its own work to well under a second per call.
# An article text is ~5,000 characters; one million is a whole book. Larger values get an error.
FOLD_MAX_CHARS = 1_000_000
# vn_snippet looks for the first match in this many characters of the text (~20 long articles);
# past it, the snippet shows the text's start. Folding 46 MB for a snippet took 5 s.
SNIPPET_SCAN_CHARS = 100_000

# A search query longer than this is not a query; folding and matching it costs time per call that
# SQLite's time limit cannot interrupt (Python functions run to the end). 1,000 characters is ~150 words.
MATCH_MAX_CHARS = 1_000


def vn_fold(value: object) -> str | None:
    """SQL ``vn_fold(x)``: the same search key the archive stores in articles_fts.

    Raises ValueError (SQLite reports "user-defined function raised exception") for a value over
    FOLD_MAX_CHARS: a cut key would silently compare wrong, and folding is ~0.12 s per million
    characters here, time SQLite's time limit cannot interrupt."""
    if value is None:
        return None
    text = str(value)
    if len(text) > FOLD_MAX_CHARS:
        raise ValueError(f"vn_fold: value over {FOLD_MAX_CHARS:,} characters (FOLD_MAX_CHARS)")
    return fold(text)


def vn_match(query: object) -> str:
    """SQL ``vn_match(q)`` and our ``escape_fts(q)``: the archive's own MATCH expression for a user's
    query (archive.search.match_expression: folded, every word or quoted phrase an FTS5 string, so no
    input is FTS syntax), so Datasette and ``vnnews search`` find the same articles.

    A query without a word (``"``, ``*``, ``-``, ``“``, '') gives NO_MATCH: ``MATCH ''`` is an FTS5
    syntax error, the empty phrase ``""`` is valid and finds nothing. Only the first MATCH_MAX_CHARS
    characters of a query count.
    """
    return match_expression(_clip_words(str(query or ""), MATCH_MAX_CHARS)) or NO_MATCH


def phrase_words(query: object) -> list[str]:
    """The folded words of a whole query, in order, quotes ignored: ``Đảng ủy`` -> ["dang", "uy"]."""
    return _WORD.findall(fold(_clip_words(str(query or ""), MATCH_MAX_CHARS)))


def vn_phrase(query: object) -> str:
    """SQL ``vn_phrase(q)``: the MATCH expression of the whole query as one phrase (``"dang uy"``),
    the first tier of phrase-first ranking (docs/datasette.md, "Searching"); NO_MATCH for a query of
    fewer than two words, which has no phrase to prefer."""
    return phrase_expression(_clip_words(str(query or ""), MATCH_MAX_CHARS))


def highlight(text: object, query: object) -> str:
    """``text`` with every whole-word match of the query's words wrapped in the markers (titles, leads:
    short texts; at most SNIPPET_SCAN_CHARS characters are looked at)."""
    body = str(text or "")[:SNIPPET_SCAN_CHARS].replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
    pieces: list[str] = []
    cursor = 0
    for start, end in _match_spans(body, fts_terms(str(query or "")), len(body)):
        pieces += [body[cursor:start], MARK_OPEN, body[start:end], MARK_CLOSE]
        cursor = end
    pieces.append(body[cursor:])
    return "".join(pieces)


def folding_escape_fts(query: object) -> str:
    """SQL ``escape_fts(q)``, replacing Datasette's, which only quotes the words.

    Datasette's table search box runs ``... MATCH escape_fts(:search)``; folding here makes "Đảng"
    find "dang" (the FTS tokenizer folds tone marks but not đ) while the box keeps showing what the
    user typed.
    """
    return vn_match(query)


def fts_terms(query: str) -> list[str]:
    """The folded words of a user query, in order, without duplicates."""
    return list(dict.fromkeys(_WORD.findall(fold(_clip_words(query, MATCH_MAX_CHARS)))))


def _clip_words(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a space when there is one near the end."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", limit - 100)
    return cut[:space] if space > 0 else cut


def _folded_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """``fold(text)`` plus, for every folded character, the index of the original character; None
    for the usual case where folding kept the length (NFC Vietnamese folds one letter to one)."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        piece = fold(char)
        pieces.append(piece)
        offsets.extend([index] * len(piece))
    return "".join(pieces), offsets


def _match_spans(text: str, terms: list[str], width: int) -> list[tuple[int, int]]:
    """(start, end) of whole-word matches of any term in ``text`` (original-text indexes), from the
    first match up to ``width`` characters after it: all a snippet can show."""
    if not terms:
        return []
    lowered = text.lower()
    if len(lowered) == len(text) and unicodedata.is_normalized("NFC", text):
        # The usual case: searching the lower-cased text with a pattern that accepts every accented
        # form of each letter is ten times faster than folding the text (0.02 against 0.25 ms an
        # article), and its indexes are the text's own.
        return _spans(_accent_blind(tuple(terms)), lowered, width)
    return _folded_spans(text, terms, width)


def _folded_spans(text: str, terms: list[str], width: int) -> list[tuple[int, int]]:
    """_match_spans for any text (combining marks, letters whose lower case is longer): the terms
    searched in ``fold(text)``, mapped back to the text's indexes."""
    folded, offsets = _folded_with_offsets(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")
    spans = _spans(pattern, folded, width)
    if offsets is None:
        return spans
    # A match ends where the next folded character starts, so combining marks stay inside it.
    ends = [*offsets, len(text)]
    return [(offsets[start], ends[end]) for start, end in spans]


def _spans(pattern: re.Pattern[str], text: str, width: int) -> list[tuple[int, int]]:
    first = pattern.search(text)
    if first is None:
        return []
    return [m.span() for m in pattern.finditer(text, first.start(), first.start() + width)]


@functools.cache
def _letter_forms() -> dict[str, str]:
    """For each folded letter, the lower-case precomposed letters that fold to it ("d": "đð",
    "a": "àáâãäåāăąạảấầẩẫậắằẳẵặ"...): Latin-1, Latin Extended A/B and Latin Extended Additional,
    where Vietnamese's letters are."""
    forms: dict[str, list[str]] = {}
    for code in (*range(0x80, 0x250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        folded = fold(char)
        if char == char.lower() and len(folded) == 1 and folded != char:
            forms.setdefault(folded, []).append(char)
    return {letter: "".join(chars) for letter, chars in forms.items()}


@functools.lru_cache(maxsize=256)
def _accent_blind(terms: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern for the folded ``terms`` as whole words in lower-cased NFC text, whatever its
    diacritics: "dang" finds "đảng" and "dang"."""
    forms = _letter_forms()

    def letter(char: str) -> str:
        return f"[{re.escape(char)}{re.escape(forms[char])}]" if char in forms else re.escape(char)

    words = ("".join(map(letter, term)) for term in terms)
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")


def _snap_start(text: str, start: int) -> int:
    if start <= 0:
        return 0
    space = text.find(" ", start)
    return space + 1 if 0 <= space < start + 20 else start


def _snap_end(text: str, end: int) -> int:
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", end - 20, end)
    return space if space > 0 else end


def vn_snippet(text: object, query: object, width: int = 240) -> str | None:
    """SQL ``vn_snippet(text, q)``: about ``width`` characters of ``text`` around the first match,
    every matched word wrapped in MARK_OPEN/MARK_CLOSE; the start of the text when nothing matches
    (the hit was in the title or lead) or the first match is past SNIPPET_SCAN_CHARS."""
    if text is None:
        return None
    whole = str(text)
    body = " ".join(whole[:SNIPPET_SCAN_CHARS].replace(MARK_OPEN, "").replace(MARK_CLOSE, "").split())
    spans = _match_spans(body, fts_terms(str(query or "")), width)
    first = spans[0][0] if spans else 0
    start = _snap_start(body, first - width // 3)
    end = _snap_end(body, start + width)
    pieces = [ELLIPSIS] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces += [body[cursor:span_start], MARK_OPEN, body[span_start:span_end], MARK_CLOSE]
        cursor = span_end
    pieces.append(body[cursor:end])
    if end < len(body) or len(whole) > SNIPPET_SCAN_CHARS:
        pieces.append(ELLIPSIS)
    return "".join(pieces)


def _paragraphs(text: object) -> list[str]:
    return [part for part in str(text or "").split("\n\n") if part.strip()]


# vn_diff compares paragraph lists with difflib, whose cost grows with (changed paragraphs on one side)
# x (on the other) and worse when paragraphs repeat: 2,000 x 2,000 one-letter paragraphs took 1.3 s,
# 6,000 x 6,000 about 12 s, and SQLite's time limit cannot stop a Python function. Real revisions change
# a few paragraphs of a few dozen; past these bounds vn_diff switches to a linear comparison.
DIFF_MAX_PAIRS = 250_000  # 500 x 500 changed paragraphs: < 0.1 s even in the worst case measured
DIFF_DEADLINE_SECONDS = 0.5  # checked between difflib's steps, well inside the 3 s SQL time limit
DIFF_ROUGH_NOTE = "(texts too long to compare in order: paragraphs found only on this side)"


class _DiffTimeout(Exception):
    pass


class _DeadlineMatcher(difflib.SequenceMatcher):
    """A SequenceMatcher that gives up once ``deadline`` (time.monotonic) has passed."""

    def __init__(self, a: list[str], b: list[str], deadline: float) -> None:
        self.deadline = deadline
        super().__init__(a=a, b=b, autojunk=False)

    def find_longest_match(self, alo: int = 0, ahi: Any = None, blo: int = 0, bhi: Any = None) -> Any:
        if time.monotonic() > self.deadline:
            raise _DiffTimeout
        return super().find_longest_match(alo, ahi, blo, bhi)


def _common_ends(before: list[str], after: list[str]) -> tuple[int, int]:
    """How many paragraphs the two lists share at their start and (after that) at their end."""
    limit = min(len(before), len(after))
    head = 0
    while head < limit and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < limit - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return head, tail


def _rough_hunks(mine: list[str], theirs: list[str]) -> list[str]:
    """Linear-time diff: runs of paragraphs of ``mine`` that do not occur anywhere in ``theirs``."""
    others = set(theirs)
    hunks: list[str] = []
    run: list[str] = []
    for paragraph in [*mine, None]:
        if paragraph is not None and paragraph not in others:
            run.append(paragraph)
        elif run:
            hunks.append("\n\n".join(run))
            run = []
    return [DIFF_ROUGH_NOTE, *hunks]


def _diff_hunks(before: list[str], after: list[str], old_side: bool) -> list[str]:
    head, tail = _common_ends(before, after)
    before, after = before[head : len(before) - tail], after[head : len(after) - tail]
    if not before and not after:
        return []
    mine, theirs = (before, after) if old_side else (after, before)
    if len(before) * len(after) > DIFF_MAX_PAIRS:
        return _rough_hunks(mine, theirs)
    matcher = _DeadlineMatcher(before, after, time.monotonic() + DIFF_DEADLINE_SECONDS)
    try:
        opcodes = matcher.get_opcodes()
    except _DiffTimeout:
        return _rough_hunks(mine, theirs)
    hunks = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        chosen = before[i1:i2] if old_side else after[j1:j2]
        hunks.append("\n\n".join(chosen) if chosen else "(—)")
    return hunks


def vn_diff(old: object, new: object, side: object) -> str | None:
    """SQL ``vn_diff(old_text, new_text, 'old'|'new')``: only the paragraphs that differ, on one side.

    Hunks are separated by a line holding ELLIPSIS; identical texts give ''. Used by the revision
    history query so the two sides can be read next to each other without scrolling past
    unchanged paragraphs. Texts whose changed parts are too long to align (DIFF_MAX_PAIRS,
    DIFF_DEADLINE_SECONDS) get a rougher diff that starts with DIFF_ROUGH_NOTE.
    """
    if old is None and new is None:
        return None
    return f"\n\n{ELLIPSIS}\n\n".join(_diff_hunks(_paragraphs(old), _paragraphs(new), side == "old"))
