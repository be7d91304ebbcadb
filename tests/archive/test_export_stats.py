"""Exports, stats and clear errors, through the real commands on real archives."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive, ArchiveError
from archive.cli import export, stats
from archive.export import FIELDS, SCHEMA_FIELDS, parse_day
from tests.fixture_paths import SCHEMA_PATH

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def db(arc: Archive, sample, sample_names, tmp_path: Path) -> Path:
    for name in sample_names:
        arc.save_article(sample(name), fetched_at="2025-10-15T09:00:00+07:00")
    return tmp_path / "news.db"


def run(command, args: list[str]):
    result = CliRunner().invoke(command, args)
    assert result.exit_code == 0, result.output
    return result


def test_jsonl_has_schema_fields_plus_archive_fields(db: Path, sample) -> None:
    import jsonschema

    lines = run(export, [str(db), "--format", "jsonl"]).output.splitlines()
    assert len(lines) == 6
    records = [json.loads(line) for line in lines]
    for record in records:
        jsonschema.validate(record, SCHEMA)
        assert list(record) == list(FIELDS)
    by_id = {r["id"]: r for r in records}
    expected = sample("e3-10308168").to_dict()
    got = by_id["baonghean:e3:10308168"]
    assert {k: got[k] for k in SCHEMA_FIELDS} == expected
    dates = [r["published_at"] for r in records]
    assert dates == sorted(dates)  # oldest first


def test_json_is_one_array_and_utf8_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    run(export, [str(db), "--format", "json", "-o", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == 6
    assert "Nghệ An" in out.read_text(encoding="utf-8")  # not \u escapes


def test_empty_json_export_is_an_empty_array(db: Path) -> None:
    output = run(export, [str(db), "--format", "json", "--search", "khongtontaitunay"]).output
    assert json.loads(output) == []


def test_csv_with_bom_for_excel(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    run(export, [str(db), "--format", "csv", "--bom", "-o", str(out)])
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 6 and list(rows[0]) == list(FIELDS)
    digest = next(r for r in rows if r["id"] == "baonghean:e3:10289658")
    assert digest["authors"].count("; ") == 1
    assert json.loads(digest["images"])[0]["url"].startswith("https://")
    assert "\n\n" in digest["text"]  # multi-line cells survive quoting
    plain = tmp_path / "plain.csv"
    run(export, [str(db), "--format", "csv", "-o", str(plain)])
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")


def test_filters_since_until_section_search(db: Path) -> None:
    def ids(*args: str) -> set[str]:
        output = run(export, [str(db), "--format", "jsonl", *args]).output
        return {json.loads(line)["id"] for line in output.splitlines()}

    everything = ids()
    conn = sqlite3.connect(db)
    published = dict(conn.execute("SELECT id, published_at FROM articles").fetchall())
    sections = dict(conn.execute("SELECT id, section FROM articles").fetchall())
    conn.close()
    day = sorted(published.values())[3][:10]
    y, m, d = day.split("-")
    assert ids("--since", f"{d}/{m}/{y}") == {k for k, v in published.items() if v[:10] >= day}
    assert ids("--until", day) == {k for k, v in published.items() if v[:10] <= day}
    assert ids("--since", day, "--until", day) == {k for k, v in published.items() if v[:10] == day}
    assert ids("--section", "Kinh tế") == {k for k, v in sections.items() if v == "Kinh tế"} != set()
    assert ids("--search", "dang uy") < everything
    assert ids("--search", "dang uy") == ids("--search", "ĐẢNG ỦY")


def test_publisher_filter_and_stats_per_publisher(db: Path, arc: Archive) -> None:
    from tests.publisher_fixtures import real_fixture_articles, registered

    others = real_fixture_articles()
    with registered(others):
        for article in others.values():
            arc.save_article(article, fetched_at="2025-10-15T09:00:00+07:00")

    def publishers(*args: str) -> list[str]:
        output = run(export, [str(db), "--format", "jsonl", *args]).output
        return sorted(json.loads(line)["publisher"] for line in output.splitlines())

    assert publishers("--publisher", "baonghean") == ["baonghean"] * 6
    assert publishers("--publisher", "vnexpress") == ["vnexpress"]
    assert len(set(publishers())) == 1 + len(others) >= 3
    data = json.loads(run(stats, [str(db), "--json"]).output)
    per_publisher = dict(data["articles per publisher"])
    assert per_publisher["baonghean"] == 6 and per_publisher["vnexpress"] == 1


def test_every_month_fills_the_gaps() -> None:
    from archive.stats import every_month

    assert every_month([("2015-11", 2), ("2016-02", 1)]) == [
        ("2015-11", 2),
        ("2015-12", 0),
        ("2016-01", 0),
        ("2016-02", 1),
    ]
    assert every_month([]) == [] and every_month([("(no date)", 3)]) == []


def test_bad_date_is_a_usage_error(db: Path) -> None:
    result = CliRunner().invoke(export, [str(db), "--since", "31/02/2025"])
    assert result.exit_code == 2 and "DD/MM/YYYY" in result.output


def test_parse_day_is_day_first() -> None:
    assert parse_day("03/04/2025").isoformat() == "2025-04-03"
    assert parse_day("2025-04-03").isoformat() == "2025-04-03"
    with pytest.raises(ValueError):
        parse_day("04/13/2025")


def test_export_streams_in_constant_memory(tmp_path: Path, sample) -> None:
    # 3,000 articles: memory after the export must not grow with the number of rows.
    with Archive.open(tmp_path / "big.db") as arc:

        def articles():
            for i in range(3000):
                article = sample("e3-10308168")
                article.url = f"https://baonghean.vn/bai-{10_000_000 + i}.html"
                article.title = f"Bài {i}"
                yield article

        arc.save_articles(articles())
    code = (
        "import sys, tracemalloc; from click.testing import CliRunner; from archive.cli import export;"
        "tracemalloc.start();"
        f"r = CliRunner().invoke(export, [{str(tmp_path / 'big.db')!r}, '--format', 'json',"
        f" '-o', {str(tmp_path / 'o.json')!r}]);"
        "assert r.exit_code == 0, r.output;"
        "print(tracemalloc.get_traced_memory()[1])"
    )
    peak = int(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )
    size = (tmp_path / "o.json").stat().st_size
    assert size > 10_000_000
    assert peak < size / 5, (peak, size)


def test_stats_and_plot(db: Path, tmp_path: Path) -> None:
    output = run(stats, [str(db)]).output
    assert "Articles per month:" in output and "Articles per section:" in output
    assert "Articles per author:" in output and "Articles per parser:" in output
    assert "baonghean/e3" in output and "revisions: 0" in output
    data = json.loads(run(stats, [str(db), "--json"]).output)
    assert data["totals"]["articles"] == 6
    assert sum(n for _, n in data["articles per month"]) == 6
    png = tmp_path / "months.png"
    run(stats, [str(db), "--plot", str(png)])
    assert png.read_bytes().startswith(b"\x89PNG")


def test_read_only_database_gets_a_clear_message(db: Path, sample) -> None:
    os.chmod(db, stat.S_IRUSR)
    try:
        if os.access(db, os.W_OK):
            pytest.skip("running as a user who can write read-only files (root)")
        with pytest.raises(ArchiveError, match="read-only"):
            Archive.open(db)
        assert run(stats, [str(db)]).output  # reading still works
    finally:
        os.chmod(db, stat.S_IRUSR | stat.S_IWUSR)


def test_read_only_connection_write_is_refused_clearly(db: Path) -> None:
    with Archive.open(db, readonly=True) as arc, pytest.raises(ArchiveError, match="read-only"):
        arc.start_run("crawl")


def test_locked_database_gets_a_clear_message(db: Path, sample, monkeypatch) -> None:
    import archive.db

    monkeypatch.setattr(archive.db, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Archive.open(db) as arc:
            started = time.monotonic()
            with pytest.raises(ArchiveError, match="locked"):
                arc.save_article(sample("e3-10308168"), fetched_at="2025-10-20T09:00:00+07:00")
            assert time.monotonic() - started < 5
    finally:
        holder.rollback()
        holder.close()


def test_read_commands_leave_a_foreign_database_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(stats, [str(other)])
    assert result.exit_code == 2 and "not a vnnews archive" in result.output  # house rules: exit 2
    conn = sqlite3.connect(other)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["notes"]
    conn.close()


def test_read_commands_upgrade_an_older_archive(tmp_path: Path) -> None:
    import sqlite_utils

    from archive import schema

    old = tmp_path / "old.db"
    db = sqlite_utils.Database(old)
    schema.migrations.apply(db, stop_before="002_search")
    db.close()
    result = CliRunner().invoke(stats, [str(old)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(old)
    applied = conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert applied == len(schema.migrations._migrations)  # every migration, however many there are
    conn.close()
