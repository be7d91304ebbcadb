"""Lead prefixes, bylines, photo credits and dates: the small rules with the most spellings."""

from __future__ import annotations

import pytest

from extraction.dates import parse_iso, parse_visible
from extraction.normalize import split_authors, split_credit, strip_digest_marker, strip_lead_prefix

LEAD = "Đây là một trong những nội dung tại Thông báo số 1029."


@pytest.mark.parametrize(
    "prefix",
    [
        "(Baonghean.vn) - ",
        "(Baonghean.vn)- ",
        "(Baonghean.vn) – ",
        "(Baonghean.vn) -",
        "(Baonghean.vn) -\u00a0",
        "(Baonghean.vn)\u00a0-\u00a0",
        "(Baonghean) - ",
        "(Baonghean) ",
        "(baonghean.vn) - ",
        "  (Baonghean.vn) —  ",
        "(Baonghean.vn)--",
        "(BNA) - ",
        "[Baonghean.vn] - ",
    ],
)
def test_lead_prefix_spellings(prefix: str) -> None:
    assert strip_lead_prefix(prefix + LEAD) == LEAD


def test_lead_without_prefix_is_untouched_and_empty_is_none() -> None:
    assert strip_lead_prefix(LEAD) == LEAD
    assert strip_lead_prefix("(Baonghean.vn) - ") is None
    assert strip_lead_prefix(None) is None


def test_lead_is_nfc_even_from_decomposed_input() -> None:
    nfd = "(Baonghean.vn) - Nghe\u0323\u0302 An"
    assert strip_lead_prefix(nfd) == "Nghệ An"


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Ngân Hạnh - Đình Tuyên", ["Ngân Hạnh", "Đình Tuyên"]),
        ("Ngân Hạnh - Đình Tuyên - 19/06/2025 19:22", ["Ngân Hạnh", "Đình Tuyên"]),
        ("Quốc Sơn, Hữu Quân", ["Quốc Sơn", "Hữu Quân"]),
        ("Thành Duy", ["Thành Duy"]),
        ("Bài, ảnh: Thành Cường", ["Thành Cường"]),
        ("Nhóm PV", ["Nhóm PV"]),
        ("", []),
    ],
)
def test_split_authors(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Người dân vùng Bích Hào. Ảnh: T.P", ("Người dân vùng Bích Hào.", "T.P")),
        ("Sum vầy. Ảnh tư liệu", ("Sum vầy.", None)),
        ("Sum vầy. Ảnh tư liệu: Hồ Phương", ("Sum vầy.", "Hồ Phương")),
        ("Cây chè. Ảnh minh họa: Internet", ("Cây chè.", "Internet")),
        ("Cây chè. Ảnh minh hoạ", ("Cây chè.", None)),
        ("Toàn cảnh hội nghị. Bài, ảnh: Thành Duy", ("Toàn cảnh hội nghị.", "Thành Duy")),
        ("Toàn cảnh hội nghị (Ảnh: Thành Duy)", ("Toàn cảnh hội nghị", "Thành Duy")),
        ("Ảnh: Thành Cường", (None, "Thành Cường")),
        ("Trao quà cho các học sinh nghèo vượt khó", ("Trao quà cho các học sinh nghèo vượt khó", None)),
        ("Học sinh chụp ảnh", ("Học sinh chụp ảnh", None)),
        ("", (None, None)),
    ],
)
def test_split_credit(caption: str, expected: tuple[str | None, str | None]) -> None:
    assert split_credit(caption) == expected


def test_digest_marker() -> None:
    assert strip_digest_marker("* Sáng 19/1, tỉnh") == "Sáng 19/1, tỉnh"
    assert strip_digest_marker("*Sáng 19/1") == "Sáng 19/1"
    assert strip_digest_marker("5 * 3 = 15") == "5 * 3 = 15"


@pytest.mark.parametrize(
    "shown",
    [
        "14/10/2025 08:45",
        "14/10/2025 - 08:45",
        "08:45 14/10/2025",
        "Thứ Ba, 14/10/2025 08:45",
        "Thứ Ba, 14/10/2025 - 08:45 (GMT+7)",
        "14/10/2025 08h45",
    ],
)
def test_visible_dates_day_first(shown: str) -> None:
    assert parse_visible(shown) == "2025-10-14T08:45:00+07:00"


def test_day_first_even_when_month_first_would_be_valid() -> None:
    assert parse_visible("05/03/2024 10:00") == "2024-03-05T10:00:00+07:00"
    assert parse_visible("13/31/2024") is None  # month 31 does not exist: never swapped


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-10-14T08:45:00+07:00", "2025-10-14T08:45:00+07:00"),
        ("2025-10-14T01:45:00Z", "2025-10-14T08:45:00+07:00"),
        ("2025-10-14T01:45:00.000+00:00", "2025-10-14T08:45:00+07:00"),
        ("2025-10-14T08:45:00", "2025-10-14T08:45:00+07:00"),
        ("2025-10-14", "2025-10-14T00:00:00+07:00"),
        ("not a date", None),
    ],
)
def test_machine_dates_to_vietnam_time(value: str, iso: str | None) -> None:
    assert parse_iso(value) == iso


def test_fast_clean_equals_clean_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from extraction.dom import fast_clean
    from extraction.text import clean_text

    alphabet = st.sampled_from(
        list("aăâđeêoôơuưy AĐ\u0300\u0301\u0303\u0309\u0323\u00a0\u200b\u00ad\ufeff\t\n\u2060")
    )

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=40))
    def check(value: str) -> None:
        assert fast_clean(value) == clean_text(value)

    check()
