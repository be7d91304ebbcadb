"""import-warc and reparse end to end through the real CLI, on real WARC and SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from click.testing import CliRunner

from archive import Archive
from archive.cli import import_warc, reparse
from tests.fixture_paths import page as fixture_page


def table_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        tables = (
            "articles",
            "captures",
            "revisions",
            "images",
            "article_authors",
            "article_tags",
            "articles_fts",
        )
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


def mixed_warc(tmp_path: Path, warc_maker, article_records) -> Path:
    path = tmp_path / "theirs.warc.gz"
    others = [
        {"url": "https://baonghean.vn/thoi-su", "body": fixture_page("section-thoi-su.html").read_bytes()},
        {"url": "https://baonghean.vn/robots.txt", "body": b"User-agent: *", "content_type": "text/plain"},
        {"url": "https://baonghean.vn/xyz-10999999.html", "body": b"gone", "status": 404},
        {"url": "https://example.com/other-10308168.html", "body": b"<html></html>"},
        {"url": "https://baonghean.vn/", "type": "request"},
    ]
    warc_maker(path, article_records[:3] + others + article_records[3:])
    return path


def test_import_extracts_articles_and_skips_the_rest(tmp_path, warc_maker, article_records) -> None:
    warc = mixed_warc(tmp_path, warc_maker, article_records)
    db = tmp_path / "news.db"
    result = CliRunner().invoke(import_warc, [str(db), str(warc)])
    assert result.exit_code == 0, result.output
    assert "new 6" in result.output
    assert "skipped_not_article_url 3" in result.output  # section, robots, other host
    assert "skipped_http_status 1" in result.output
    assert "skipped_other_records 1" in result.output
    counts = table_counts(db)
    assert counts["articles"] == 6 and counts["captures"] == 6 and counts["articles_fts"] == 6
    with Archive.open(db) as arc:
        # The m. host + tracking query resolved to the canonical article.
        stored = arc.article("baonghean:e1:51874")
        assert stored is not None and stored["url"].startswith("https://baonghean.vn/")
        (run,) = arc.db.query("SELECT * FROM runs")
        assert (run["kind"], run["status"], run["articles_new"]) == ("import", "success", 6)
        # Raw first: each capture's bytes are in our own WARC files, readable by offset.
        (capture,) = arc.db.query("SELECT * FROM captures WHERE article_id = 'baonghean:e3:10308168'")
        assert capture["fetched_at"] == "2025-10-15T09:00:00+07:00"  # WARC-Date (UTC) in +07:00
        assert (tmp_path / capture["warc_file"]).exists()


def test_importing_twice_changes_nothing(tmp_path, warc_maker, article_records) -> None:
    warc = mixed_warc(tmp_path, warc_maker, article_records)
    db = tmp_path / "news.db"
    CliRunner().invoke(import_warc, [str(db), str(warc)])
    before = table_counts(db)
    conn = sqlite3.connect(db)
    snapshot = conn.execute("SELECT * FROM articles ORDER BY id").fetchall()
    conn.close()
    result = CliRunner().invoke(import_warc, [str(db), str(warc)])
    assert result.exit_code == 0 and "already_archived 6" in result.output
    assert table_counts(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT * FROM articles ORDER BY id").fetchall() == snapshot
    conn.close()


def test_our_own_warcs_reimport_as_duplicates(tmp_path, warc_maker, article_records) -> None:
    warc = mixed_warc(tmp_path, warc_maker, article_records)
    db = tmp_path / "news.db"
    CliRunner().invoke(import_warc, [str(db), str(warc)])
    ours = sorted((tmp_path / "news.warcs").glob("*.warc.gz"))
    assert ours
    result = CliRunner().invoke(import_warc, [str(db), *map(str, ours)])
    assert result.exit_code == 0 and "already_archived 6" in result.output


def test_corrupt_record_is_skipped_with_its_offset(tmp_path, warc_maker, article_records) -> None:
    path = tmp_path / "damaged.warc.gz"
    spans = warc_maker(path, article_records)
    data = bytearray(path.read_bytes())
    offset, _length = spans[2]
    data[offset + 20 : offset + 60] = b"\0" * 40
    path.write_bytes(bytes(data))
    db = tmp_path / "news.db"
    result = CliRunner().invoke(import_warc, [str(db), str(path)])
    assert result.exit_code == 0, result.output
    assert f"damaged record at offset {offset}" in result.output
    assert "new 5" in result.output
    with Archive.open(db) as arc:
        (run,) = arc.db.query("SELECT status FROM runs")
        assert run["status"] == "partial"


def test_truncated_file_imports_what_is_whole(tmp_path, warc_maker, article_records) -> None:
    path = tmp_path / "cut.warc.gz"
    spans = warc_maker(path, article_records)
    offset, length = spans[-1]
    path.write_bytes(path.read_bytes()[: offset + length // 2])
    result = CliRunner().invoke(import_warc, [str(tmp_path / "news.db"), str(path)])
    assert result.exit_code == 0, result.output
    assert "new 5" in result.output and "truncated" in result.output


def test_uncompressed_warc_imports_too(tmp_path, warc_maker, article_records) -> None:
    path = tmp_path / "plain.warc"
    warc_maker(path, article_records, gzip=False)
    result = CliRunner().invoke(import_warc, [str(tmp_path / "news.db"), str(path)])
    assert result.exit_code == 0 and "new 6" in result.output, result.output


def test_reparse_reads_raw_bytes_and_is_idempotent(tmp_path, warc_maker, article_records) -> None:
    warc = mixed_warc(tmp_path, warc_maker, article_records)
    db = tmp_path / "news.db"
    CliRunner().invoke(import_warc, [str(db), str(warc)])
    # Pretend an older parser stored a worse text: reparse must bring the current extraction back
    # as a new revision, keeping the worse one readable.
    conn = sqlite3.connect(db)
    conn.execute("UPDATE articles SET title = 'cũ', content_hash = 'old' WHERE id = 'baonghean:e3:10308168'")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(reparse, [str(db)])
    assert result.exit_code == 0, result.output
    assert "changed 1" in result.output and "unchanged 5" in result.output
    with Archive.open(db) as arc:
        stored = arc.article("baonghean:e3:10308168")
        assert stored is not None and stored["title"] != "cũ" and stored["revision_count"] == 1
        (old,) = arc.db.query("SELECT title FROM revisions")
        assert old["title"] == "cũ"
        outcomes = {r["outcome"] for r in arc.db.query("SELECT outcome FROM captures")}
        assert outcomes == {"new"}  # a capture's outcome is history; reparse does not rewrite it
    before = table_counts(db)
    result = CliRunner().invoke(reparse, [str(db)])
    assert "unchanged 6" in result.output
    assert table_counts(db) == before


def test_reparse_reports_missing_raw_files(tmp_path, warc_maker, article_records) -> None:
    warc = mixed_warc(tmp_path, warc_maker, article_records)
    db = tmp_path / "news.db"
    CliRunner().invoke(import_warc, [str(db), str(warc)])
    for path in (tmp_path / "news.warcs").glob("*"):
        path.unlink()
    result = CliRunner().invoke(reparse, [str(db)])
    assert result.exit_code == 0
    assert "missing_raw 6" in result.output and "raw bytes are missing" in result.output


def test_mirror_warcs_import_with_publisher_option(tmp_path, warc_maker, article_records) -> None:
    mirrored = [
        {**r, "url": urlunsplit(urlsplit(r["url"])._replace(scheme="http", netloc="127.0.0.1:8000"))}
        for r in article_records
    ]
    path = tmp_path / "mirror.warc.gz"
    warc_maker(path, mirrored)
    db = tmp_path / "news.db"
    plain = CliRunner().invoke(import_warc, [str(db), str(path)])
    assert "skipped_not_article_url 6" in plain.output
    result = CliRunner().invoke(import_warc, [str(db), "--publisher", "baonghean", str(path)])
    assert result.exit_code == 0 and "new 6" in result.output, result.output
    with Archive.open(db) as arc:
        urls = [r["url"] for r in arc.db.query("SELECT url FROM articles")]
        assert all(u.startswith("https://baonghean.vn/") for u in urls)  # the pages' canonical links
    wrong = CliRunner().invoke(import_warc, [str(db), "--publisher", "nope", str(path)])
    assert wrong.exit_code == 2


def test_gzip_and_chunked_payloads_as_web_archives_store_them(tmp_path) -> None:
    import gzip
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = fixture_page("e3-10308168.html").read_bytes()
    compressed = gzip.compress(page)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(compressed), compressed)
    path = tmp_path / "raw.warc.gz"
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
            protocol="HTTP/1.1",
        )
        url = "https://baonghean.vn/suc-bat-tu-phong-trao-nong-dan-nghe-an-thi-dua-san-xuat-kinh-doanh-gioi-10308168.html"
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(chunked), http_headers=headers)
        )
    db = tmp_path / "news.db"
    result = CliRunner().invoke(import_warc, [str(db), str(path)])
    assert result.exit_code == 0 and "new 1" in result.output, result.output
    with Archive.open(db) as arc:
        (capture,) = arc.db.query("SELECT * FROM captures")
        assert capture["size"] == len(page)  # stored decoded, with headers that say so
    from archive.warc import read_response

    assert read_response(tmp_path / capture["warc_file"], capture["warc_offset"]).body == page


def test_worker_processes_import_and_reparse_the_same(tmp_path, warc_maker, article_records) -> None:
    warc = mixed_warc(tmp_path, warc_maker, article_records)
    exports = []
    for workers in ("0", "2"):
        db = tmp_path / f"w{workers}.db"
        result = CliRunner().invoke(import_warc, [str(db), "--workers", workers, str(warc)])
        assert result.exit_code == 0 and "new 6" in result.output, result.output
        again = CliRunner().invoke(import_warc, [str(db), "--workers", workers, str(warc)])
        assert "already_archived 6" in again.output
        redo = CliRunner().invoke(reparse, [str(db), "--workers", workers])
        assert "unchanged 6" in redo.output, redo.output
        conn = sqlite3.connect(db)
        exports.append(
            conn.execute("SELECT id, title, text, content_hash FROM articles ORDER BY id").fetchall()
        )
        conn.close()
    assert exports[0] == exports[1] and len(exports[0]) == 6
