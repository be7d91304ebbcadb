"""Term trends over a real archive: counts, shares, empty periods, phrases, groups, command and plot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.cli import trend as trend_command
from archive.trend import TrendError, periods_between, trend
from extraction.article import Article

# (published_at, section, first paragraph): March 2025 has no article at all.
STORIES = [
    ("2025-01-05T08:00:00+07:00", "Thời sự", "Tỉnh đẩy mạnh chuyển đổi số trong cơ quan nhà nước."),
    ("2025-01-20T08:00:00+07:00", "Kinh tế", "Giá lúa tăng nhẹ trong tuần."),
    ("2025-02-02T08:00:00+07:00", "Kinh tế", "Doanh nghiệp số hoá, chuyển đổi quy trình và đổi mới."),
    ("2025-02-10T08:00:00+07:00", "Thời sự", "Hội nghị về CHUYỂN ĐỔI SỐ cấp xã."),
    ("2025-04-01T08:00:00+07:00", "Thời sự", "Đảng ủy xã họp bàn chuyển đổi số."),
]


def _article(number: int, published_at: str, section: str, paragraph: str) -> Article:
    return Article(
        publisher="baonghean",
        url=f"https://baonghean.vn/bai-viet-so-{number}-{10300000 + number}.html",
        title=f"Bài viết {number}",
        paragraphs=[paragraph],
        published_at=published_at,
        section=section,
        parser="baonghean/e3",
        article_id=str(10300000 + number),
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    with Archive.open(path) as archive:
        for number, (published, section, paragraph) in enumerate(STORIES):
            archive.save_article(_article(number, published, section, paragraph))
    return path


def _rows(db: Path, *args, **kwargs):
    with Archive.open(db, readonly=True) as archive:
        return trend(archive.db.conn, *args, **kwargs)


def test_phrase_per_month_lists_empty_months(db: Path) -> None:
    rows = _rows(db, '"chuyen doi so"')
    assert [(r.period, r.articles, r.total) for r in rows] == [
        ("2025-01", 1, 2),
        ("2025-02", 1, 2),  # "chuyển đổi quy trình" is not the phrase
        ("2025-03", 0, 0),
        ("2025-04", 1, 1),
    ]
    assert rows[0].share == pytest.approx(0.5)
    assert rows[2].share == 0.0


def test_words_without_quotes_match_anywhere_in_the_article(db: Path) -> None:
    rows = _rows(db, "chuyen doi so")
    assert [r.articles for r in rows] == [1, 2, 0, 1]


def test_diacritics_and_case_are_ignored_in_the_query(db: Path) -> None:
    assert [r.articles for r in _rows(db, '"Chuyển Đổi Số"')] == [
        r.articles for r in _rows(db, '"chuyen doi so"')
    ]


def test_per_year_grouped_by_section(db: Path) -> None:
    rows = _rows(db, '"chuyen doi so"', by="year", group="section")
    assert {(r.period, r.group): (r.articles, r.total) for r in rows} == {
        ("2025", "Kinh tế"): (0, 2),
        ("2025", "Thời sự"): (3, 3),
    }


def test_window_limits_the_periods(db: Path) -> None:
    from datetime import date

    rows = _rows(db, '"chuyen doi so"', since=date(2025, 2, 1), until=date(2025, 2, 28))
    assert [(r.period, r.articles) for r in rows] == [("2025-02", 1)]


def test_a_query_without_words_is_a_usage_error(db: Path) -> None:
    with pytest.raises(TrendError):
        _rows(db, '" - *')
    result = CliRunner().invoke(trend_command, [str(db), '"*"'])
    assert result.exit_code == 2
    assert "no word" in result.output


def test_periods_between_crosses_years() -> None:
    assert list(periods_between("2024-11", "2025-02")) == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert list(periods_between("2019", "2021")) == ["2019", "2020", "2021"]


def test_command_json_and_plot(db: Path, tmp_path: Path) -> None:
    png = tmp_path / "trend.png"
    result = CliRunner().invoke(
        trend_command, [str(db), "chuyen doi so", "--format", "json", "--plot", str(png)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [row["period"] for row in data] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob(".*.partial"))


def test_command_csv(db: Path) -> None:
    result = CliRunner().invoke(trend_command, [str(db), "chuyen doi so", "--format", "csv", "--by", "year"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["period,group,articles,total,share", "2025,,4,5,0.800000"]
