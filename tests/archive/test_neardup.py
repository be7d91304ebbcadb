"""Near-duplicate groups on a real archive: reprints across papers, re-published ids, edits that leave."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.cli import export
from extraction.article import Article

_VOCABULARY = """
tỉnh nghệ an tổ chức hội nghị triển khai kế hoạch phát triển kinh tế xã hội năm 2025 với sự tham dự
của lãnh đạo các sở ban ngành huyện thị xã thành phố doanh nghiệp hợp tác xã người dân đồng bào
miền núi biên giới nông nghiệp công nghiệp du lịch giáo dục y tế giao thông đầu tư xây dựng
"""
WORDS = _VOCABULARY.split()


def _story(seed: int, words: int = 160) -> list[str]:
    rng = random.Random(seed)
    text = [rng.choice(WORDS) for _ in range(words)]
    return [" ".join(text[i : i + 40]).capitalize() + "." for i in range(0, words, 40)]


def _article(publisher: str, number: int, paragraphs: list[str], published: str) -> Article:
    host = {"baonghean": "baonghean.vn"}.get(publisher, "baonghean.vn")
    return Article(
        publisher="baonghean",
        url=f"https://{host}/bai-{number}-{10200000 + number}.html",
        title=f"Bài {number}",
        paragraphs=paragraphs,
        published_at=published,
        parser="baonghean/e3",
        article_id=str(10200000 + number),
    )


def _groups(archive: Archive) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for key, group in archive.db.conn.execute("SELECT article_id, group_id FROM near_duplicates"):
        groups.setdefault(group, set()).add(key)
    return groups


@pytest.fixture
def archive(tmp_path: Path):
    with Archive.open(tmp_path / "news.db") as arc:
        yield arc


def test_reprint_and_republished_id_group_with_the_original(archive: Archive) -> None:
    original = _story(1)
    reprint = [*original[:-1], original[-1] + " (Theo TTXVN)"]  # a changed sign-off
    unrelated = _story(2)
    archive.save_article(_article("baonghean", 1, original, "2025-01-01T08:00:00+07:00"))
    archive.save_article(_article("baonghean", 2, reprint, "2025-01-02T08:00:00+07:00"))
    archive.save_article(_article("baonghean", 3, unrelated, "2025-01-01T09:00:00+07:00"))
    archive.save_article(_article("baonghean", 4, original, "2025-03-01T08:00:00+07:00"))  # new id
    result = archive.update_near_duplicates()
    assert result.indexed == 4
    key = "baonghean:e3:{}".format
    assert _groups(archive) == {key(10200001): {key(10200001), key(10200002), key(10200004)}}
    row = archive.db.conn.execute("SELECT articles, title FROM near_duplicate_groups").fetchone()
    assert row == (3, "Bài 1")


def test_an_edit_that_changes_the_story_leaves_the_group(archive: Archive) -> None:
    original = _story(1)
    archive.save_article(_article("baonghean", 1, original, "2025-01-01T08:00:00+07:00"))
    archive.save_article(_article("baonghean", 2, original, "2025-01-02T08:00:00+07:00"))
    archive.update_near_duplicates()
    assert len(_groups(archive)) == 1
    archive.save_article(_article("baonghean", 2, _story(9), "2025-01-02T08:00:00+07:00"))  # a later capture
    archive.update_near_duplicates()
    assert _groups(archive) == {}
    assert archive.update_near_duplicates().indexed == 0  # nothing new: the index is up to date


def test_short_texts_are_not_judged(archive: Archive) -> None:
    brief = ["Mưa lớn ở miền Tây Nghệ An."]
    archive.save_article(_article("baonghean", 1, brief, "2025-01-01T08:00:00+07:00"))
    archive.save_article(_article("baonghean", 2, brief, "2025-01-02T08:00:00+07:00"))
    result = archive.update_near_duplicates()
    assert (result.indexed, result.skipped_short) == (0, 2)
    assert _groups(archive) == {}


def test_every_run_ends_with_the_index_up_to_date(archive: Archive) -> None:
    run = archive.start_run("import")
    archive.save_article(_article("baonghean", 1, _story(1), "2025-01-01T08:00:00+07:00"))
    archive.save_article(_article("baonghean", 2, _story(1), "2025-01-02T08:00:00+07:00"))
    archive.finish_run(run, "success")
    assert len(_groups(archive)) == 1


def test_export_keeps_one_article_per_group(archive: Archive, tmp_path: Path) -> None:
    for number in (1, 2, 3):
        archive.save_article(_article("baonghean", number, _story(1), f"2025-01-0{number}T08:00:00+07:00"))
    archive.save_article(_article("baonghean", 4, _story(5), "2025-01-04T08:00:00+07:00"))
    archive.update_near_duplicates()
    result = CliRunner().invoke(
        export, [str(archive.path), "--format", "jsonl", "--one-per-group", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    kept = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(kept) == 2
    assert '"article_id": "10200001"' in kept[0] and '"article_id": "10200004"' in kept[1]
