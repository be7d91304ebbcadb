"""Places: the matcher against hand-labelled sentences (precision and recall), and the article_places
index on a real archive, kept current at the end of every run."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import Archive, gazetteer, places
from extraction.article import Article
from tests.fixture_paths import FIXTURES

LABELLED = FIXTURES / "places_labelled.tsv"
GOAL = 0.95


@pytest.fixture(scope="module")
def matcher() -> places.Matcher:
    return places.Matcher.build(gazetteer.load())


def _label(place: gazetteer.Place) -> str:
    return place.full_name + (" (cũ)" if place.era == "pre-2025" else "")


def _sentences() -> list[tuple[str, str, set[str]]]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        date, sentence, *rest = line.split("\t")
        expected = {name.strip() for name in (rest[0] if rest else "").split(";") if name.strip()}
        rows.append((date, sentence, expected))
    return rows


def test_gazetteer_has_the_2025_units_and_the_old_ones() -> None:
    gaz = gazetteer.load()
    new = [p for p in gaz.places.values() if p.era == "2025"]
    assert sum(p.level == "province" for p in new) == 34
    assert sum(p.level == "commune" for p in new) == 3321
    assert sum(p.level == "commune" and p.province == "Nghệ An" for p in new) == 130
    hung_nguyen = [p for p in gaz.places.values() if p.name == "Hưng Nguyên" and p.province == "Nghệ An"]
    assert {(p.level, p.era) for p in hung_nguyen} >= {("district", "pre-2025"), ("commune", "2025")}
    hung_tay = next(
        p for p in gaz.places.values() if p.full_name == "Xã Hưng Tây" and p.district == "Hưng Nguyên"
    )
    assert hung_tay.successor_id and gaz.places[hung_tay.successor_id].full_name == "Xã Hưng Nguyên"
    assert all(p.lat is not None and p.lon is not None for p in new)


def test_precision_and_recall_on_hand_labelled_sentences(matcher: places.Matcher) -> None:
    rows = _sentences()
    assert len(rows) >= 60
    true_pos = false_pos = false_neg = 0
    misses = []
    for date, sentence, expected in rows:
        found = {_label(m.place) for m in matcher.find(sentence, date, "Nghệ An")}
        true_pos += len(found & expected)
        false_pos += len(found - expected)
        false_neg += len(expected - found)
        if found != expected:
            misses.append(f"{sentence}\n    found {sorted(found)}\n    meant {sorted(expected)}")
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(f"\nplaces: {len(rows)} sentences, precision {precision:.3f}, recall {recall:.3f}")
    print("\n".join(misses))
    assert precision >= GOAL and recall >= GOAL, "\n".join(misses)


def test_accents_and_case_matter(matcher: places.Matcher) -> None:
    assert matcher.find("vinh quang, nghe an, hung nguyen", "2024-01-01", "Nghệ An") == []
    found = matcher.find("Lũ về Thanh Hoá và Thanh Hóa.", "2024-01-01", None)
    assert {m.place.id for m in found} == {"vn2025:p38"}


def _article(number: int, paragraphs: list[str], published: str = "2024-03-05T08:00:00+07:00") -> Article:
    return Article(
        publisher="baonghean",
        url=f"https://baonghean.vn/bai-{number}-{10200000 + number}.html",
        title=f"Bài {number}",
        paragraphs=paragraphs,
        published_at=published,
        parser="baonghean/e3",
        article_id=str(10200000 + number),
    )


@pytest.fixture
def archive(tmp_path: Path):
    with Archive.open(tmp_path / "news.db") as arc:
        yield arc


def _tagged(archive: Archive, number: int) -> dict[str, int]:
    rows = archive.db.conn.execute(
        "SELECT full_name, mentions FROM article_places WHERE article_id = ?",
        (f"baonghean:e3:{10200000 + number}",),
    )
    return dict(rows.fetchall())


def test_every_run_ends_with_places_up_to_date_and_edits_retag(archive: Archive) -> None:
    run = archive.start_run("import")
    archive.save_article(_article(1, ["Mưa lớn ở xã Hưng Tây, huyện Hưng Nguyên.", "Hưng Nguyên bị ngập."]))
    archive.finish_run(run, "success")
    assert _tagged(archive, 1) == {"Xã Hưng Tây": 1, "Huyện Hưng Nguyên": 2}
    row = archive.db.conn.execute("SELECT place, level, latitude, longitude FROM article_map").fetchone()
    assert row[:2] == ("Hưng Tây", "commune") and 18 < row[2] < 19.5 and 104 < row[3] < 106
    assert archive.db.conn.execute("SELECT count(*) FROM places").fetchone()[0] > 14000
    # A later capture changes the text: the next update tags it again, and nothing else.
    archive.save_article(_article(1, ["Lễ hội ở thị xã Hoàng Mai."]))
    result = archive.update_places()
    assert (result.indexed, _tagged(archive, 1)) == (1, {"Thị xã Hoàng Mai": 1})
    assert archive.update_places().indexed == 0


def test_a_failed_run_leaves_tagging_to_the_next(archive: Archive) -> None:
    run = archive.start_run("import")
    archive.save_article(_article(2, ["Về Nam Đàn."]))
    archive.finish_run(run, "failed")
    assert _tagged(archive, 2) == {}
    assert archive.update_places().indexed == 1
    assert _tagged(archive, 2) == {"Huyện Nam Đàn": 1}


def test_new_rules_retag_every_article(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    archive.save_article(_article(3, ["Về Nam Đàn."]))
    assert archive.update_places().indexed == 1
    monkeypatch.setattr(places, "RULES_VERSION", places.RULES_VERSION + "-next")
    assert archive.update_places().indexed == 1


def test_a_crawl_indexes_in_a_child_process_and_stays_lean(tmp_path: Path) -> None:
    """``finish_run(index_in_child=True)`` (what the crawl pipeline asks for): the indexes are up to date
    after the run, and neither datasketch nor the gazetteer was loaded into this process."""
    import subprocess
    import sys

    from tests.fixture_paths import REPO

    code = f"""
import sys
from archive import Archive, gazetteer
from tests.archive.test_places import _article
with Archive.open({str(tmp_path / "news.db")!r}) as arc:
    run = arc.start_run("crawl")
    arc.save_article(_article(4, ["Mưa lớn ở xã Hưng Tây, huyện Hưng Nguyên."]))
    arc.finish_run(run, "success", index_in_child=True)
    tagged = arc.db.conn.execute("SELECT count(*) FROM article_places").fetchone()[0]
    loaded = ["datasketch"] if "datasketch" in sys.modules else []  # (numpy comes with sqlite_utils)
    loaded += ["gazetteer"] * gazetteer.load.cache_info().currsize
    print(tagged, loaded, arc.db.conn.execute("SELECT status FROM runs").fetchone()[0])
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "2 [] success"
