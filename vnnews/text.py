"""Vietnamese text normalisation shared by extraction, storage and search.

Pages arrive in NFC or NFD, with non-breaking and zero-width spaces; everything we store is NFC with
whitespace collapsed the way ``str.split()`` does. Letters and tone marks are never altered here: the
diacritic-folding used by search lives in ``fold`` and is only ever applied to an index copy.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width characters that split words invisibly; str.split() does not treat them as whitespace.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def clean_text(value: str | None) -> str:
    """NFC, zero-width characters dropped, every run of whitespace (incl. NBSP) one space."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value.translate(_ZERO_WIDTH))
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
