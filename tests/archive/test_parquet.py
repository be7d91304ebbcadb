"""Parquet exports read back with pyarrow and DuckDB: typed columns, partitions, the card, safe writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive
from archive import parquet as parquet_module
from archive.cli import export
from archive.export import FIELDS

pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture
def db(arc: Archive, sample, sample_names, tmp_path: Path) -> Path:
    for name in sample_names:
        arc.save_article(sample(name), fetched_at="2025-10-15T09:00:00+07:00")
    return tmp_path / "news.db"


def _export(db: Path, *args: str):
    return CliRunner().invoke(export, [str(db), "--format", "parquet", "--quiet", *args])


def test_one_file_has_every_field_typed(db: Path, tmp_path: Path, sample, sample_names) -> None:
    target = tmp_path / "news.parquet"
    result = _export(db, "-o", str(target))
    assert result.exit_code == 0, result.output
    table = pq.read_table(target)
    assert table.column_names == list(FIELDS)
    assert table.num_rows == len(sample_names)
    assert str(table.schema.field("authors").type) == "list<element: string>"
    assert str(table.schema.field("images").type).startswith("list<element: struct<url: string")
    rows = {row["id"]: row for row in table.to_pylist()}
    want = sample("e3-10308168")
    got = rows[f"baonghean:e3:{want.article_id}"]
    assert got["title"] == want.title and got["paragraphs"] == want.paragraphs
    assert got["images"] == [image.to_dict() for image in want.images]
    assert pq.ParquetFile(target).metadata.row_group(0).column(0).compression == "ZSTD"
    card = (tmp_path / "news.README.md").read_text(encoding="utf-8")
    assert f"Rows: {len(sample_names)}" in card and 'data_files: "news.parquet"' in card
    assert not list(tmp_path.glob(".*partial*"))


def test_partitioned_by_publisher_and_year_loads_in_duckdb(db: Path, tmp_path: Path, sample_names) -> None:
    duckdb = pytest.importorskip("duckdb")
    target = tmp_path / "dataset"
    result = _export(db, "--partition", "-o", str(target))
    assert result.exit_code == 0, result.output
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*.parquet"))
    assert files and all(f.startswith("publisher=baonghean/year=") for f in files)
    assert len(files) == len({f.split("/")[1] for f in files})  # one file per year
    pattern = str(target / "publisher=*" / "year=*" / "*.parquet")
    con = duckdb.connect()
    count, publishers = con.execute(
        f"select count(*), count(distinct publisher) from read_parquet('{pattern}', hive_partitioning=false)"
    ).fetchone()
    assert (count, publishers) == (len(sample_names), 1)
    by_year = dict(
        con.execute(
            f"select year, count(*) from read_parquet('{pattern}', hive_partitioning=true) group by year"
        ).fetchall()
    )
    assert sum(by_year.values()) == len(sample_names) and len(by_year) == len(files)
    card = (target / "README.md").read_text(encoding="utf-8")
    assert 'data_files: "publisher=*/year=*/*.parquet"' in card and "belong to their publishers" in card


def test_filters_apply_and_vietnamese_survives(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "thoi-su.parquet"
    result = _export(db, "--section", "Thời sự", "-o", str(target))
    assert result.exit_code == 0, result.output
    sections = set(pq.read_table(target, columns=["section"]).column("section").to_pylist())
    assert sections == {"Thời sự"}


def test_existing_output_and_missing_output_are_refused(db: Path, tmp_path: Path) -> None:
    existing = tmp_path / "old.parquet"
    existing.write_bytes(b"keep me")
    result = _export(db, "-o", str(existing))
    assert result.exit_code == 2 and "exists" in result.output
    assert existing.read_bytes() == b"keep me"
    assert _export(db).exit_code == 2
    result = CliRunner().invoke(export, [str(db), "--format", "csv", "--partition"])
    assert result.exit_code == 2


def test_a_failed_export_leaves_nothing(db: Path, tmp_path: Path) -> None:
    from archive.export import Filters

    out = tmp_path / "out"
    out.mkdir()

    def broken(conn):
        yield from parquet_module.tables(conn, Filters(), size=2)
        raise RuntimeError("disk gone")

    with Archive.open(db, readonly=True) as archive:
        with pytest.raises(RuntimeError):
            parquet_module.write_partitioned(broken(archive.db.conn), out / "dataset")
        with pytest.raises(RuntimeError):
            parquet_module.write_file(broken(archive.db.conn), out / "one.parquet")
    assert list(out.iterdir()) == []


def test_batches_match_the_row_export(db: Path) -> None:
    from archive.export import Filters, rows

    with Archive.open(db, readonly=True) as archive:
        columnar = [
            row
            for table in parquet_module.tables(archive.db.conn, Filters(), size=4)
            for row in table.to_pylist()
        ]
        assert columnar == list(rows(archive.db.conn, Filters()))


def test_the_writer_thread_keeps_order_and_ends() -> None:
    """Reading and writing overlap on two threads; the batches still arrive in order, and the writer
    thread is gone when the export returns."""
    import threading

    seen: list[int] = []
    parquet_module.pipelined(iter(range(50)), seen.append, depth=2)
    assert seen == list(range(50))
    assert not [t for t in threading.enumerate() if t.name == "parquet-writer"]


def test_a_writer_error_stops_the_reading_and_is_raised() -> None:
    import threading

    read: list[int] = []

    def batches():
        for number in range(1_000):
            read.append(number)
            yield number

    def consume(number: int) -> None:
        if number == 3:
            raise OSError("No space left on device")

    with pytest.raises(OSError, match="No space left"):
        parquet_module.pipelined(batches(), consume, depth=2)
    assert len(read) < 20  # the reader stopped soon after the writer failed, not at the end
    assert not [t for t in threading.enumerate() if t.name == "parquet-writer"]


def test_empty_list_cells_are_empty_lists(db: Path) -> None:
    """A list column stored as '' (older rows) is an empty list, not a broken JSON line."""
    from archive.export import Filters

    with Archive.open(db) as archive:
        archive.db.conn.execute("UPDATE articles SET tags = '', authors = ''")
        archive.db.conn.commit()
    with Archive.open(db, readonly=True) as archive:
        rows = [r for t in parquet_module.tables(archive.db.conn, Filters()) for r in t.to_pylist()]
    assert rows and all(r["tags"] == [] and r["authors"] == [] for r in rows)
