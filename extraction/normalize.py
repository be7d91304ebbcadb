"""Text clean-up specific to Vietnamese news pages: lead prefixes, bylines, photo credits.

Everything returned is NFC with whitespace collapsed (``extraction.text.clean_text``). Letters and tone
marks are never changed: only whole prefixes, markers and separators are removed.
"""

from __future__ import annotations

import re

from extraction import publishers
from extraction.text import clean_text

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
# Labels before the names: "Bài, ảnh: X", "Tin, ảnh: P.Y", "Bài và ảnh: X", "Ảnh: X", "Video: X",
# "Tác giả: X", "Nhóm phóng viên: X", "Thực hiện: X" (Vietnamese papers write every combination).
_CREDIT_WORDS = r"(?:bài|tin|ảnh|video|clip|đồ họa|đồ hoạ|thiết kế|thực hiện)"
_AUTHOR_NOISE = re.compile(
    rf"^(?:{_CREDIT_WORDS}(?:\s*(?:,|và|&|/|-)\s*{_CREDIT_WORDS})*|tác giả|nhóm phóng viên|nhóm thực hiện|"
    r"người viết|theo|bài viết)\s*:\s*",
    re.IGNORECASE,
)
# "Thu Hà (tổng hợp)", "Minh Anh (lược dịch)": how the text was made, not part of the name.
_COMPILED_NOTE = re.compile(
    r"\s*[(\[]\s*(?:tổng hợp|th|t/h|lược dịch|dịch|biên dịch|biên soạn|tổng hợp từ [^)\]]*)\s*[)\]]\s*$",
    re.IGNORECASE,
)
# "Theo TTXVN", "(Theo VnExpress)", "Nguồn: Reuters": whose text it is when it is not the paper's own.
SOURCE_LINE = re.compile(
    r"^[(\[]?\s*(?:theo|nguồn)\s*:?\s+(?P<source>[^()\[\]:]{2,60}?)\s*[)\]]?\s*\.?$", re.IGNORECASE
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


# Any paper's dateline: "(CTO) - ", "(VTC News) - ", "(Dân trí) – ", "(NLĐO)- ", "[PLO]: ". A short
# name in brackets, starting with a letter, then a dash or colon (which known papers may leave out).
ANY_DATELINE = re.compile(r"^[(\[]\s*[^\W\d_][\w.&' ]{0,24}?\s*[)\]]\s*[-–—:]+\s*")


def strip_lead_prefix(value: str | None) -> str | None:
    """The sapo without its dateline ("(Baonghean.vn) - ", "(CTO) - "); None when nothing is left."""
    text = clean_text(value)
    stripped = LEAD_PREFIX.sub("", text, count=1)
    if stripped == text:
        stripped = ANY_DATELINE.sub("", text, count=1)
    text = stripped.strip()
    return text or None


def has_lead_prefix(value: str | None) -> bool:
    text = clean_text(value)
    return bool(LEAD_PREFIX.match(text) or ANY_DATELINE.match(text))


def strip_digest_marker(value: str) -> str:
    return DIGEST_MARKER.sub("", value, count=1)


def split_authors(byline: str | None) -> list[str]:
    """ "Ngân Hạnh - Đình Tuyên" -> ["Ngân Hạnh", "Đình Tuyên"]; dates and "Bài, ảnh:" labels dropped."""
    text = clean_text(byline)
    if not text:
        return []
    text = _TRAILING_DATE.sub("", text).strip(" -–|,")
    text = _AUTHOR_NOISE.sub("", text)  # "Bài, ảnh: X" holds a comma that is not a separator
    text = _COMPILED_NOTE.sub("", text)
    names: list[str] = []
    for part in _AUTHOR_SPLIT.split(text):
        name = _COMPILED_NOTE.sub("", _AUTHOR_NOISE.sub("", part)).strip(" .-–|")
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


# Share bars, print buttons and follow lines sit next to bylines and read like them to a splitter.
_UI_WORDS = re.compile(
    r"^(?:chia sẻ|in bài|in trang|theo dõi|gửi|bình luận|lưu|sao chép|copy|facebook|zalo|twitter|email|"
    r"e-mail|print|share|tweet|thích|xem thêm|quay lại|trở lại|đăng nhập|google news|nghe|đọc bài)\b",
    re.IGNORECASE,
)
# Lower-case words a byline may hold ("Nhóm phóng viên", "Nhóm thực hiện"); a person's name has none.
_BYLINE_WORDS = frozenset({"phóng", "viên", "thực", "hiện", "tác", "giả", "và", "cộng", "pv", "ctv"})
MAX_NAME_WORDS = 6  # "Nguyễn Thị Minh Khai" is 4; a longer run is a phrase, not a name


def looks_like_name(name: str) -> bool:
    """A person or newsroom byline: capitalised words ("Anh Dũng", "P.Y", "Nhóm PV"), not UI text."""
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or _UI_WORDS.match(name):
        return False
    return all(not w[0].isalpha() or w[0].isupper() or w.lower() in _BYLINE_WORDS for w in words)


_SITE_PREFIX = re.compile(r"^(?:báo điện tử|báo|tạp chí|trang tin điện tử|trang thông tin điện tử)\s+", re.I)
_SITE_SUFFIX = re.compile(r"\.(?:com\.vn|net\.vn|org\.vn|gov\.vn|vn|net|com|org)$", re.I)


def site_name_variants(name: str | None) -> set[str]:
    """ "Báo VnExpress" -> {"báo vnexpress", "vnexpress"}; "vnexpress.net" -> {..., "vnexpress"}."""
    text = clean_text(name).lower()
    if not text:
        return set()
    out = {text, _SITE_PREFIX.sub("", text), _SITE_SUFFIX.sub("", text)}
    out.add(_SITE_SUFFIX.sub("", _SITE_PREFIX.sub("", text)))
    return {variant for variant in out if variant}


def source_of(line: str | None) -> str | None:
    """ "Theo TTXVN" -> "TTXVN", "(Theo VnExpress)" -> "VnExpress", "Nguồn: Reuters" -> "Reuters"."""
    match = SOURCE_LINE.match(clean_text(line))
    if match is None:
        return None
    source = match.group("source").strip(" .")
    # "Theo dõi …" (follow us), "theo đó …": words after "theo" that start a sentence, not a source.
    if not source[:1].isupper() or len(source.split()) > 6:
        return None
    return source


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
