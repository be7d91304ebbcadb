"""Vietnamese text normalisation shared by extraction, storage and search.

Pages arrive in NFC or NFD, with non-breaking and zero-width spaces; everything we store is NFC with
whitespace collapsed the way ``str.split()`` does. Letters and tone marks are never altered here: the
diacritic-folding used by search lives in ``fold`` and is only ever applied to an index copy.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that are never visible text, dropped from every stored text field:
# - every format character (category Cf): zero-width space/joiners, soft hyphen, BOM, word joiner, the
#   bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069), the LRM/RLM/ALM marks, U+180E,
#   invisible operators, interlinear annotation marks, tag characters, Arabic/Syriac/Kaithi signs;
# - the other default-ignorable code points (DerivedCoreProperties.txt): U+034F combining grapheme
#   joiner, Hangul fillers, Khmer inherent vowels, Mongolian and other variation selectors, reserved
#   default-ignorables (U+2065, U+FFF0-FFF8, U+E0000-E0FFF);
# - control characters that are not whitespace (whitespace ones, U+0085 included, become a space).
# None is a letter or a combining mark Vietnamese uses (U+0300-0323 stay): tested exhaustively against
# unicodedata in tests/test_text.py.
_BMP_INVISIBLE = (
    "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\uffa0"
    "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufe00-\ufe0f\ufeff\ufff0-\ufffb"
)
_ASTRAL_INVISIBLE = (
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
INVISIBLE = re.compile(f"[{_BMP_INVISIBLE}{_ASTRAL_INVISIBLE}]")
# A cheap first look: the BMP part compiles to one table lookup per character and the astral planes
# (a handful of invisible characters among the emoji) to one range; the full class, with its astral
# ranges, is ~4x slower to search and only runs when this finds something.
_MAYBE_INVISIBLE = re.compile(f"[{_BMP_INVISIBLE}\U00010000-\U0010ffff]")


def drop_invisible(value: str) -> str:
    """``value`` without the INVISIBLE characters (cheap when there are none)."""
    return INVISIBLE.sub("", value) if _MAYBE_INVISIBLE.search(value) else value


def clean_text(value: str | None) -> str:
    """Invisible characters dropped, then NFC, every run of whitespace (incl. NBSP) one space.

    Dropping comes first so that the result is NFC even when an invisible character stood between a
    letter and its tone mark ("e\u200b\u0302" -> "ê").
    """
    if not value:
        return ""
    value = unicodedata.normalize("NFC", drop_invisible(value))
    return " ".join(value.split())


def clean_or_none(value: str | None) -> str | None:
    """Like ``clean_text`` but an empty result is ``None``."""
    cleaned = clean_text(value)
    return cleaned or None


# đ/Đ have no decomposition in Unicode, so NFD + dropping marks leaves them alone: map by hand.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})
_MARKS = re.compile(r"[\u0300-\u036f]")


def fold(value: str | None) -> str:
    """Search key: lower case, diacritics, tone marks and đ folded ("Đảng ủy" -> "dang uy").

    Tone-mark placement variants ("hoà"/"hòa", "thuỷ"/"thủy") fold to the same key because the
    marks are removed entirely.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.translate(_FOLD_EXTRA))
    return _MARKS.sub("", decomposed).translate(_FOLD_EXTRA).casefold()
