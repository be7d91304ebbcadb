"""`vnnews status`: the morning report over a real archive filled through archive.Archive."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from archive import Archive
from archive.status import LOCAL_TZ, build_status, is_stale, render_text
from extraction.article import Article
from tests.fixture_paths import page

SAMPLE = page("e3-10308168.json")
REPO = Path(__file__).resolve().parents[2]


def sample_article() -> dict:
    if SAMPLE.exists():
        return json.loads(SAMPLE.read_text(encoding="utf-8"))
    return {  # the same shape, for machines without /work/shared
        "publisher": "baonghean",
        "url": "https://baonghean.vn/bai-10308168.html",
        "title": "Sức bật từ phong trào nông dân Nghệ An thi đua sản xuất, kinh doanh giỏi",
        "lead": "Năm năm qua, phong trào nông dân thi đua sản xuất ở Nghệ An.",
        "authors": ["Quang An"],
        "published_at": "2025-10-14T08:45:00+07:00",
        "section": "Kinh tế",
        "paragraphs": ["Ở vùng chè Bích Hào, câu chuyện về anh Nguyễn Văn Đường."],
        "parser": "baonghean/e3",
    }


def article(number: int, published: datetime, **changes: object) -> Article:
    data = sample_article()
    article_id = str(10400000 + number)
    data.update(
        article_id=article_id,
        url=f"https://baonghean.vn/bai-so-{number}-{article_id}.html",
        title=f"{data['title']} ({number})",
        published_at=published.isoformat(timespec="seconds"),
        parser="baonghean/e3",
    )
    data.update(changes)
    return Article.from_dict(data)


def fill(db: Path, older: int, recent: int, now: datetime, **recent_changes: object) -> None:
    """`older` healthy articles fetched 30 days ago, `recent` ones fetched today with `recent_changes`."""
    with Archive.open(db) as arc:
        month_ago = now - timedelta(days=30)
        for number in range(older):
            arc.save_article(article(number, month_ago - timedelta(hours=1)), fetched_at=month_ago)
        for number in range(older, older + recent):
            arc.save_article(article(number, now - timedelta(hours=2), **recent_changes), fetched_at=now)


def crawl_run(db: Path, status: str, failures: int = 0, blank_pages: int = 0) -> int:
    with Archive.open(db) as arc:
        run_id = arc.start_run("crawl", {"base_url": "http://127.0.0.1:1/"})
        for number in range(failures):
            arc.ingest(
                url=f"https://baonghean.vn/loi-{number}-1050000{number}.html",
                status=500,
                headers=[("Content-Type", "text/html")],
                body=b"Internal Server Error",
                run_id=run_id,
            )
        for number in range(blank_pages):  # article URLs whose page no longer yields an article
            arc.ingest(
                url=f"https://baonghean.vn/trang-moi-{number}-1060000{number}.html",
                status=200,
                headers=[("Content-Type", "text/html; charset=utf-8")],
                body=b"<html><body><div class='new-layout'>...</div></body></html>",
                run_id=run_id,
            )
        arc.finish_run(run_id, status=status)
        return run_id


@pytest.fixture
def now() -> datetime:
    return datetime.now(LOCAL_TZ)


def test_healthy_archive_reports_runs_newest_article_and_no_warnings(tmp_path: Path, now: datetime) -> None:
    db = tmp_path / "news.db"
    fill(db, older=30, recent=10, now=now)
    run_id = crawl_run(db, "partial", failures=2)
    report = build_status(db, now=now + timedelta(minutes=5))

    assert report["articles"] == 40
    assert [run["id"] for run in report["runs"]] == [run_id]
    assert report["last_success"]["id"] == run_id  # partial counts: the crawl worked, some pages failed
    assert 0 <= report["last_success"]["age_hours"] < 0.2
    assert report["newest_article"]["age_hours"] == pytest.approx(2.08, abs=0.05)
    assert report["failures"]["count"] == 2
    assert report["failures"]["by_outcome"] == {"http_error": 2}
    health = report["health"]
    assert (health["recent"]["articles"], health["usual"]["articles"]) == (10, 30)
    assert health["recent"]["generic_share"] == 0
    assert health["recent"]["pages"] == 0  # the 500s are failures, not pages the templates lost
    assert health["recent"]["fill"]["authors"] == 1.0
    assert health["warnings"] == []
    text = render_text(report, max_age_hours=3)
    assert f"Last successful crawl: run {run_id} (partial)" in text
    assert "[OK: limit 3 h]" in text
    assert "loi-0-10500000.html" in text and "HTTP 500" in text


def test_redesign_shows_as_generic_parser_and_lost_fields(tmp_path: Path, now: datetime) -> None:
    db = tmp_path / "news.db"
    fill(db, older=30, recent=10, now=now, parser="generic", authors=[], section=None)
    crawl_run(db, "success", blank_pages=3)
    report = build_status(db, now=now)
    health = report["health"]
    assert (health["recent"]["pages"], health["recent"]["unextracted_share"]) == (3, 1.0)
    assert health["recent"]["generic_share"] == 1.0
    assert health["recent"]["fill"]["authors"] == 0 and health["usual"]["fill"]["authors"] == 1.0
    warnings = " | ".join(health["warnings"])
    assert "generic parser" in warnings
    assert "100% of recently fetched article pages gave no article" in warnings
    assert "authors filled in 0%" in warnings and "section filled in 0%" in warnings
    assert "lead" not in warnings and "published_at" not in warnings  # still filled as usual
    assert "Warnings:" in render_text(report)


def test_max_age_judges_the_last_successful_crawl(tmp_path: Path, now: datetime) -> None:
    db = tmp_path / "news.db"
    fill(db, older=0, recent=3, now=now)
    crawl_run(db, "failed")
    assert is_stale(build_status(db, now=now), 1), "a failed run is not a success"
    crawl_run(db, "success")
    assert not is_stale(build_status(db, now=now + timedelta(hours=2)), 3)
    assert is_stale(build_status(db, now=now + timedelta(hours=4)), 3)


def vnnews(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vnnews", *args], capture_output=True, text=True, cwd=REPO, timeout=60
    )


def test_cli_exit_codes_and_json(tmp_path: Path, now: datetime) -> None:
    db = tmp_path / "news.db"
    fill(db, older=0, recent=3, now=now)
    crawl_run(db, "failed")

    stale = vnnews("status", str(db), "--max-age", "6", "--json")
    assert stale.returncode == 1
    report = json.loads(stale.stdout)
    assert report["stale"] is True and report["last_success"] is None
    assert report["runs"][0]["status"] == "failed"
    assert "stale" in stale.stderr

    crawl_run(db, "success")
    fresh = vnnews("status", str(db), "--max-age", "6")
    assert fresh.returncode == 0, fresh.stderr
    assert "[OK: limit 6 h]" in fresh.stdout and "Recent runs" in fresh.stdout
    assert vnnews("status", str(db)).returncode == 0


def test_cli_refuses_what_is_not_an_archive(tmp_path: Path) -> None:
    missing = vnnews("status", str(tmp_path / "nope.db"))
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "no archive at" in missing.stderr
    assert not (tmp_path / "nope.db").exists()  # status never creates a database
    other = tmp_path / "other.db"
    other.write_bytes(b"")
    result = vnnews("status", str(other))
    assert result.returncode == 2 and "not a vnnews archive" in result.stderr
    assert "Traceback" not in result.stderr
    text = tmp_path / "notes.txt"
    text.write_text("một tệp văn bản, không phải cơ sở dữ liệu\n" * 100, encoding="utf-8")
    result = vnnews("status", str(text))
    assert result.returncode == 2 and "not an SQLite database" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_redesign_of_one_publisher_shows_on_its_own_row(tmp_path: Path, now: datetime) -> None:
    """A small paper's redesign is averaged away archive-wide by a big healthy one; its row shows it."""
    from tests.publisher_fixtures import registered

    def other(number: int, published: datetime, **changes: object) -> Article:
        data = {**sample_article(), "publisher": "baolaocai", "article_id": None, "section": "Xã hội"}
        data.update(url=f"https://baolaocai.vn/bai-so-{number}-post{400000 + number}.html", parser="cms/epi")
        data.update(published_at=published.isoformat(timespec="seconds"), title=f"Bài {number}", **changes)
        return Article.from_dict(data)

    db = tmp_path / "news.db"
    fill(db, older=30, recent=90, now=now)
    month_ago = now - timedelta(days=30)
    older = [other(n, month_ago) for n in range(30)]
    redesigned = [other(n, now, parser="generic", authors=[]) for n in range(30, 38)]
    with registered({"baolaocai": older[0]}), Archive.open(db) as arc:
        for item in older:
            arc.save_article(item, fetched_at=month_ago)
        for item in redesigned:
            arc.save_article(item, fetched_at=now)
    report = build_status(db, now=now)
    health = report["health"]
    assert health["recent"]["generic_share"] < 0.10 and health["warnings"] == []  # averaged away
    rows = health["publishers"]
    assert set(rows) == {"baonghean", "baolaocai"}
    assert rows["baonghean"]["warnings"] == []
    mine = rows["baolaocai"]
    assert (mine["recent"]["articles"], mine["usual"]["articles"]) == (8, 30)
    assert mine["recent"]["generic_share"] == 1.0 and mine["recent"]["fill"]["authors"] == 0
    warnings = " | ".join(mine["warnings"])
    assert "baolaocai: 100% of recent articles fell back to the generic parser" in warnings
    assert "baolaocai: authors filled in 0% of recent articles, usually 100%" in warnings
    text = render_text(report)
    assert "Per publisher (recent, usual in brackets):" in text
    assert any(line.split()[:3] == ["baolaocai", "8", "100%"] for line in text.splitlines())
    assert "! baolaocai: 100% of recent articles fell back" in text
