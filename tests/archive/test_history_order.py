"""Captures of one article arriving in any order build the history the same captures build in time
order (archive/history.py): older captures become earlier revisions, never the current text."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from archive import Archive
from tests.archive.backfill_helpers import history
from tests.fixture_paths import page

URL = "https://baonghean.vn/suc-bat-tu-phong-trao-nong-dan-nghe-an-thi-dua-san-xuat-kinh-doanh-gioi-10308168.html"
ORIGINAL = page("e3-10308168.html").read_bytes()
MARK = "Ở vùng chè Bích Hào".encode()


def _version(name: str) -> bytes:
    if name == "X":
        return ORIGINAL
    return ORIGINAL.replace(MARK, MARK + f" (bản {name})".encode())


# X, X, Y, X (a revert), Z, Z: six captures, four versions in time order.
TIMELINE = [
    (f"2025-03-{day:02d}T08:00:00+07:00", name) for day, name in zip(range(1, 7), "XXYXZZ", strict=True)
]


def _ingest(db: Path, order: list[int]) -> Archive:
    arc = Archive.open(db)
    for index in order:
        when, name = TIMELINE[index]
        result = arc.ingest(URL, URL, 200, [("Content-Type", "text/html")], _version(name), when)
        assert result.article_key == "baonghean:e3:10308168", result
    arc.close()
    return arc


def test_any_arrival_order_builds_the_in_order_history(tmp_path: Path) -> None:
    in_order = tmp_path / "in-order.db"
    _ingest(in_order, list(range(len(TIMELINE))))
    expected = history(in_order)
    assert [r[1] for r in expected["revisions"]] == [1, 2, 3]  # X, Y, X superseded; Z current
    assert expected["articles"][0][14] == 3  # revision_count
    orders = [list(reversed(range(6))), [5, 0, 1, 2, 3, 4], [2, 5, 0, 3, 1, 4]]
    orders += [random.Random(seed).sample(range(6), 6) for seed in range(4)]
    for number, order in enumerate(orders):
        db = tmp_path / f"order-{number}.db"
        _ingest(db, order)
        assert history(db) == expected, order


def test_an_older_capture_never_becomes_the_current_text(tmp_path: Path) -> None:
    # Newest first: every later arrival is older, so the text must stay Z's throughout.
    db = tmp_path / "news.db"
    for count in range(1, 7):
        _ingest(db, [5 - i for i in range(count)][-1:])
        arc = Archive.open(db)
        text = arc.db.conn.execute("SELECT text FROM articles").fetchone()[0]
        arc.close()
        assert "(bản Z)" in text


def test_every_pair_of_arrivals(tmp_path: Path) -> None:
    # Two captures of different content, in both orders: one revision, the newer one current.
    for first, second in itertools.permutations([1, 2]):
        db = tmp_path / f"pair-{first}-{second}.db"
        _ingest(db, [first, second])
        rows = history(db)
        assert len(rows["revisions"]) == 1 and rows["revisions"][0][6] == TIMELINE[1][0]
