"""clean_text: invisible characters never reach a stored field; Vietnamese letters and marks never change."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.dom import fast_clean
from extraction.text import INVISIBLE, clean_text

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
OTHERS = "\u180e\u034f\u00ad\u200b\u200c\u200d\u2060\ufeff\u2061\u2064\ufe0f\U000e0041\x00\x07\x7f\x9b"
INVISIBLES = BIDI + OTHERS
# Every letter of the Vietnamese alphabet in every tone, both cases, plus what sentences are made of.
VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
VOWELS = "aăâeêioôơuưy"
ALPHABET = sorted(
    {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES}
    | set(VIETNAMESE_LETTERS)
    | {c.upper() for c in VIETNAMESE_LETTERS}
    | {unicodedata.normalize("NFC", v + t).upper() for v in VOWELS for t in TONES}
    | set("0123456789 ,.;:!?-–()\"'“”/%")
)
vietnamese = st.text(alphabet=st.sampled_from(ALPHABET), max_size=60)
PROPERTY = settings(max_examples=300, deadline=None, database=None)


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in INVISIBLES


@PROPERTY
@given(vietnamese)
def test_vietnamese_text_survives_unchanged(text: str) -> None:
    assert clean_text(text) == " ".join(text.split())
    assert clean_text(unicodedata.normalize("NFD", text)) == " ".join(text.split())  # NFC whatever came in


@PROPERTY
@given(vietnamese, st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(INVISIBLES)), max_size=12))
def test_invisible_characters_anywhere_are_dropped_and_nothing_else(text: str, inserts: list) -> None:
    decomposed = list(unicodedata.normalize("NFD", text))  # between a letter and its tone mark too
    for position, char in inserts:
        decomposed.insert(position % (len(decomposed) + 1), char)
    dirty = "".join(decomposed)
    assert clean_text(dirty) == clean_text(text)
    assert fast_clean(dirty) == clean_text(dirty)


@PROPERTY
@given(st.text(max_size=80))
def test_no_format_or_bidi_character_survives_any_text(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(_is_invisible(char) for char in cleaned)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert fast_clean(text) == cleaned


def test_every_format_character_is_invisible_and_no_vietnamese_mark_is() -> None:
    """Exhaustive over the running Python's Unicode database (a new Cf character fails here)."""
    missing = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Cf" and not INVISIBLE.match(chr(code))
    ]
    assert missing == []
    for char in "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323" + "".join(ALPHABET):
        assert not INVISIBLE.match(char), f"U+{ord(char):04X}"


def test_the_issue_examples() -> None:
    assert clean_text("\u202eNghệ An\u202c") == "Nghệ An"
    assert clean_text("Quang\u180e An") == "Quang An"
    assert clean_text("Chè\u034f hữu cơ") == "Chè hữu cơ"
    assert clean_text("Nông\u00addân") == "Nôngdân"
    assert clean_text("e\u200b\u0302") == "ê"  # dropped before NFC: the tone mark joins its letter
    assert clean_text("a\u0085b\u2028c") == "a b c"  # line separators are whitespace, not dropped
