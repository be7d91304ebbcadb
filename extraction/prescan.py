"""A linear scan of the raw bytes before lxml sees them: how many tags, and no tag with too many attributes.

Why: libxml2 checks each new attribute of a start tag against all the earlier ones, so one tag with 80,000
differently named attributes costs ~25 s of uninterruptible C (measured: 20,000 take 0.8 s, cost grows
with the square). The scan finds such a tag first, in C regex time, and the page is refused.

The scan follows the HTML5 tokenizer, which libxml2 2.14 implements (checked against it in
tests/extraction/test_limits.py): attribute values in quotes may hold ``>`` and ``<``; a quoted value may
be followed by the next attribute without a space; ``/`` separates attributes; script, style, xmp,
iframe, noembed, noframes, textarea and title hold text, not tags, up to their end tag (a script's
``<!--<script>`` escape included); plaintext holds the rest of the document. Comments, ``<!…>`` and
``<?…>`` hold no tags. Short tokens are consumed by one possessive regex run (no backtracking, so
linear); Python only steps in at raw-text elements and at a tag that is not short.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WS = rb"\t\n\f\r "
# One attribute: a name (its first character may even be "="), then an optional value.
_VALUE = rb"(?:\"[^\"]*+\"?|'[^']*+'?|[^" + _WS + rb">]*+)"
_ATTRIBUTE = (
    rb"[^" + _WS + rb"/>][^" + _WS + rb"/>=]*+(?:[" + _WS + rb"]*+=[" + _WS + rb"]*+" + _VALUE + rb")?"
)
_UNIT = rb"[" + _WS + rb"/]*+" + _ATTRIBUTE  # separators, then one attribute
_TAG_END = rb"[" + _WS + rb"/]*+(?:>|\Z)"
_RAW_NAMES = rb"script|style|xmp|iframe|noembed|noframes|textarea|title|plaintext"


def _short_run(max_attributes: int) -> re.Pattern[bytes]:
    """Everything up to the next raw-text element or start tag with ``max_attributes`` or more.

    Matched on the lower-cased page; "<" is read once and the character after it picks the token.
    """
    start_tag = (
        rb"(?!(?:" + _RAW_NAMES + rb")[" + _WS + rb"/>])[a-z][^" + _WS + rb"/>]*+"
        rb"(?:" + _UNIT + rb"){0,%d}+" % (max_attributes - 1) + _TAG_END
    )
    after_lt = (
        start_tag,
        rb"/[a-z][^" + _WS + rb"/>]*+(?:" + _UNIT + rb")*+" + _TAG_END,  # end tag (attributes ignored)
        rb"!--(?:-?>|.*?(?:--!?>|\Z))",  # comment (<!--> and <!---> are empty ones)
        rb"[!?][^>]*+>?",  # doctype, CDATA-like and <?...?>: bogus comments up to ">"
        rb"/(?:>|[^a-z>][^>]*+>?|\Z)",  # "</>" is nothing, "</ x>" a bogus comment
        rb"(?![a-z!/?])",  # a "<" that opens nothing is text
    )
    token = rb"[^<]++|<(?:" + b"|".join(after_lt) + rb")"
    return re.compile(rb"(?:" + token + rb")*+", re.DOTALL)


_SCRIPT_MARKS = re.compile(rb"<!--|-->|<(/?)script(?=[" + _WS + rb"/>])")


def _raw_end(low: bytes, name: bytes, start: int) -> int:
    """Where the text of a raw-text element that starts at ``start`` ends (its end tag, or the end).

    ``low`` is the page lower-cased (ASCII only, so offsets are the page's): plain ``find`` calls.
    """
    if name == b"plaintext":
        return len(low)
    end = _end_tag(low, name, start)
    if name != b"script" or low.find(b"<!--", start, end) < 0:
        return end
    # Script data: "<!--" escapes, "<script" inside an escape double-escapes, "-->" ends both.
    state = "data"
    for mark in _SCRIPT_MARKS.finditer(low, start):
        text = mark.group()
        if text == b"<!--":
            if state == "data" and not re.match(rb"-*>", low[mark.end() : mark.end() + 64]):
                state = "escaped"
        elif text == b"-->":
            state = "data"
        elif mark.group(1):  # </script
            if state in ("data", "escaped"):
                return mark.start()
            state = "escaped"
        elif state == "escaped":  # <script
            state = "double"
    return len(low)


_END_DELIMITERS = frozenset(b"\t\n\f\r />")


def _end_tag(low: bytes, name: bytes, start: int) -> int:
    """The offset of the first "</name" followed by a space, "/" or ">" (or the end of the page)."""
    needle = b"</" + name
    found = low.find(needle, start)
    while found >= 0:
        after = found + len(needle)
        if after >= len(low) or low[after] in _END_DELIMITERS:
            return found
        found = low.find(needle, after)
    return len(low)


def count_tags(data: bytes, at_least: int) -> int:
    """Tags, comments and ``<!…>``/``<?…>`` (an upper bound on the nodes lxml can build: each needs one;
    a stray "</p>" makes an element too). Exact only above ``at_least``; below it the number of "<"
    (a C ``count``) is answer enough."""
    rough = data.count(b"<")
    if rough <= at_least:
        return rough
    return data.translate(_OPENERS_TO_A).count(b"<a")


# A "<" opens a node when a letter, "/", "!" or "?" follows it.
_OPENERS_TO_A = bytes(
    ord("a") if (65 <= byte <= 90 or 97 <= byte <= 122 or byte in b"/!?") else byte for byte in range(256)
)


@lru_cache(maxsize=4)
def _patterns(max_attributes: int) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    raw_tag = rb"<(" + _RAW_NAMES + rb")(?:" + _UNIT + rb"){0,%d}+" % (max_attributes - 1) + _TAG_END
    return _short_run(max_attributes), re.compile(raw_tag)


def crowded_tag(data: bytes, max_attributes: int) -> int | None:
    """The offset of the first start tag with ``max_attributes`` or more attributes, or None."""
    run, raw_tag = _patterns(max_attributes)
    low = data.lower()  # tag names are ASCII case-insensitive; lower() keeps every offset
    position, end = 0, len(low)
    while True:
        stop = run.match(low, position)
        position = stop.end() if stop else position
        if position >= end:
            return None
        raw = raw_tag.match(low, position)
        if raw is None:  # a start tag that the short-tag pattern refused: too many attributes
            return position
        position = _raw_end(low, raw.group(1), raw.end()) if raw.group().endswith(b">") else end
