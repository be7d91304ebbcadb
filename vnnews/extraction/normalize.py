"""Text clean-up specific to Vietnamese news pages: lead prefixes, bylines, photo credits.

Everything returned is NFC with whitespace collapsed (``vnnews.text.clean_text``). Letters and tone
marks are never changed: only whole prefixes, markers and separators are removed.
"""

from __future__ import annotations

import re

from vnnews import publishers
from vnnews.text import clean_text

# "(Baonghean.vn) - ", "(Baonghean.vn)- ", "(Baonghean.vn) – ", "(Baonghean.vn) -X", "(Baonghean) - ",
# "(Baonghean) " and the same with NBSP (already a space after clean_text). The dateline is the
# paper's own byline, not part of the lead.
LEAD_PREFIX = re.compile(
    r"^[(\[]\s*(?:"
    + "|".join(p.dateline for p in publishers.PUBLISHERS.values() if p.dateline)
    + r")(?:\s*\.\s*vn)?\s*[)\]]\s*(?:[-–—:]+\s*)?",
    re.IGNORECASE,
)

# Digest items ("* Sáng 19/1, ...") keep their text but lose the marker.
DIGEST_MARKER = re.compile(r"^\*\s*(?=\S)")

# Bylines: "Ngân Hạnh - Đình Tuyên", "A, B", "A và B"? Only the separators the site is seen to use.
_AUTHOR_SPLIT = re.compile(r"\s+[-–—]\s+|\s*,\s*|\s*;\s*|\s+&\s+")
_AUTHOR_NOISE = re.compile(
    r"^(?:bài(?:\s*(?:,|và)\s*ảnh)?|ảnh|tác giả|nhóm phóng viên|theo|thực hiện|tin|bài viết)\s*:\s*",
    re.IGNORECASE,
)
# A visible date glued to the byline ("Ngân Hạnh - Đình Tuyên - 19/06/2025 19:22").
_TRAILING_DATE = re.compile(
    r"(?:\s*[-–|,]\s*)?(?:(?:thứ\s+\w+|chủ\s+nhật)\s*,?\s*)?\d{1,2}/\d{1,2}/\d{2,4}.*$", re.IGNORECASE
)

_DATE_LABEL = re.compile(
    r"^(?:đăng|ngày|cập nhật|thứ|chủ nhật|lúc|giờ|xuất bản|updated|published)(?:\s|$)", re.IGNORECASE
)

# Photo credit at the end of a caption: "Ảnh: T.P", "Ảnh tư liệu: X", "Ảnh minh họa: X", "Bài, ảnh: X",
# bare "Ảnh tư liệu" / "Ảnh minh họa" (no name: credit null), optionally in parentheses.
_CREDIT = re.compile(
    r"(?:^|(?<=[\s.,;:!?)\]\"”]))\(?\s*"
    r"(?P<label>(?:bài|bài viết)\s*(?:,|và|&)\s*ảnh|ảnh\s*(?:và\s*bài)?"
    r"(?:\s*(?:tư\s*liệu|minh\s*h[oọ][aạ]|minh\s*hoạ|tl|internet|chụp\s*màn\s*hình|cắt\s*từ\s*clip|nguồn))?)"
    r"(?P<sep>\s*[:：]\s*|\s*[-–]\s+)?(?P<name>[^:：]{0,80}?)\s*\)?\s*\.?\s*$",
    re.IGNORECASE,
)
_BARE_LABELS = re.compile(r"^ảnh\s*(?:tư\s*liệu|minh\s*h[oọ][aạ]|minh\s*hoạ|tl|internet)$", re.IGNORECASE)


def clean(value: str | None) -> str:
    return clean_text(value)


def strip_lead_prefix(value: str | None) -> str | None:
    """The sapo without the "(Baonghean.vn) - " dateline; None when nothing is left."""
    text = clean_text(value)
    text = LEAD_PREFIX.sub("", text, count=1).strip()
    return text or None


def has_lead_prefix(value: str | None) -> bool:
    return bool(LEAD_PREFIX.match(clean_text(value)))


def strip_digest_marker(value: str) -> str:
    return DIGEST_MARKER.sub("", value, count=1)


def split_authors(byline: str | None) -> list[str]:
    """ "Ngân Hạnh - Đình Tuyên" -> ["Ngân Hạnh", "Đình Tuyên"]; dates and "Bài, ảnh:" labels dropped."""
    text = clean_text(byline)
    if not text:
        return []
    text = _TRAILING_DATE.sub("", text).strip(" -–|,")
    text = _AUTHOR_NOISE.sub("", text)  # "Bài, ảnh: X" holds a comma that is not a separator
    names: list[str] = []
    for part in _AUTHOR_SPLIT.split(text):
        name = _AUTHOR_NOISE.sub("", part).strip(" .-–|")
        # "Cập nhật:" / "Đăng ngày" before a date are labels, never names.
        if (
            name.endswith(":")
            or _DATE_LABEL.match(name)
            or any(ch.isdigit() for ch in name)
            or len(name) > 60
        ):
            continue
        if name and name not in names:
            names.append(name)
    return names


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """(caption without credit, credit) for a figure caption; a bare "Ảnh tư liệu" gives credit None."""
    text = clean_text(caption)
    if not text:
        return None, None
    match = _CREDIT.search(text)
    if match is None:
        return text, None
    label = clean_text(match.group("label"))
    name = clean_text(match.group("name")).strip(" -–")
    has_sep = bool(match.group("sep"))
    # Without ":" only the bare stock labels count ("... sum vầy. Ảnh tư liệu"); a sentence that
    # merely ends with the word "ảnh" is caption text.
    if not has_sep and (name or not _BARE_LABELS.match(label)):
        return text, None
    if name.endswith(".") and len(name) > 2 and name[-2].islower():
        name = name[:-1]
    rest = text[: match.start()].rstrip(" -–(")
    return (rest or None), (name or None)
