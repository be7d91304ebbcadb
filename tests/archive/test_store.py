"""Storing articles: identity, idempotence, revisions, satellites; on real SQLite files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import Archive
from archive.store import fast_fold
from extraction.text import fold

T1 = "2025-10-15T09:00:00+07:00"
T2 = "2025-10-16T09:00:00+07:00"
T3 = "2025-10-17T09:00:00+07:00"


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_schema_is_created_by_migrations_and_uses_wal(tmp_path: Path) -> None:
    Archive.open(tmp_path / "news.db").close()
    names = {
        r[0] for r in rows(tmp_path / "news.db", "SELECT name FROM sqlite_master WHERE type IN ('table')")
    }
    for table in ("articles", "revisions", "captures", "images", "runs", "article_authors", "article_tags"):
        assert table in names
    assert "articles_fts" in names
    applied = rows(tmp_path / "news.db", "SELECT name FROM _sqlite_migrations ORDER BY id")
    names_in_order = [r[0] for r in applied]
    assert names_in_order[:7] == [
        "001_core_tables",
        "002_search",
        "003_format_source_withdrawn",
        "004_run_owner",
        "005_near_duplicates",
        "006_crawl_signals",
        "007_places",
    ]
    assert len(names_in_order) == len(set(names_in_order))
    assert rows(tmp_path / "news.db", "PRAGMA journal_mode")[0][0] == "wal"
    Archive.open(tmp_path / "news.db").close()  # reopening applies nothing twice
    assert len(rows(tmp_path / "news.db", "SELECT * FROM _sqlite_migrations")) == len(names_in_order)


def test_bulk_saves_put_the_connections_settings_back(arc: Archive, sample, sample_names) -> None:
    conn = arc.db.conn
    settings_now = [conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("foreign_keys", "cache_size")]
    assert settings_now[0] == 1
    assert arc.save_articles(sample(name) for name in sample_names) == {"new": len(sample_names)}
    assert [conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("foreign_keys", "cache_size")] == (
        settings_now
    )

    def failing():
        yield sample(sample_names[0])
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError):
        arc.save_articles(failing())
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # With the checks back on, a satellite row without its article is refused as before.
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO article_tags (article_id, position, tag) VALUES ('nope', 0, 'x')")


def test_covering_indexes_replace_the_ones_they_extend(arc: Archive) -> None:
    names = {row[0] for row in arc.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"articles_published_doc", "articles_section_doc", "articles_doc_facets"} <= names
    assert not {"articles_published_at", "articles_section"} & names


def test_every_schema_field_is_stored(arc: Archive, sample, sample_names) -> None:
    for name in sample_names:
        article = sample(name)
        assert arc.save_article(article, fetched_at=T1) == "new"
        stored = arc.article(f"baonghean:{name.split('-')[0]}:{article.article_id}")
        assert stored is not None, name
        data = article.to_dict()
        for field in (
            "url",
            "title",
            "lead",
            "published_at",
            "modified_at",
            "section",
            "language",
            "parser",
            "text",
        ):
            assert stored[field] == data[field], (name, field)
        for field in ("authors", "tags", "images", "paragraphs"):
            assert json.loads(stored[field]) == data[field], (name, field)
        assert stored["published_month"] == data["published_at"][:7]
        assert stored["word_count"] > 10
        assert stored["first_seen_at"] == stored["last_fetched_at"] == stored["last_changed_at"] == T1
        assert stored["revision_count"] == 0


def test_authors_tags_and_images_are_queryable_rows(arc: Archive, sample) -> None:
    arc.save_article(sample("e3-10289658"), fetched_at=T1)
    key = "baonghean:e3:10289658"
    authors = [
        r["author"] for r in arc.db.query("SELECT author FROM article_authors WHERE article_id = ?", [key])
    ]
    assert authors == sample("e3-10289658").authors and len(authors) == 2
    images = list(arc.db.query("SELECT * FROM images WHERE article_id = ? ORDER BY position", [key]))
    assert len(images) == 3 and images[0]["url"].startswith("https://")
    tags = [r["tag"] for r in arc.db.query("SELECT tag FROM article_tags WHERE article_id = ?", [key])]
    assert tags == sample("e3-10289658").tags


def test_same_content_twice_changes_only_last_fetched(arc: Archive, sample) -> None:
    article = sample("e3-10308168")
    assert arc.save_article(article, fetched_at=T1) == "new"
    assert arc.save_article(article, fetched_at=T2) == "unchanged"
    stored = arc.article("baonghean:e3:10308168")
    assert stored is not None
    assert (stored["first_seen_at"], stored["last_fetched_at"], stored["last_changed_at"]) == (T1, T2, T1)
    assert stored["revision_count"] == 0
    assert arc.db["revisions"].count == 0


def test_changed_content_writes_a_revision_that_reads_back(arc: Archive, sample) -> None:
    first = sample("e3-10308168")
    arc.save_article(first, fetched_at=T1)
    second = sample("e3-10308168")
    second.title = first.title + " (cập nhật)"
    second.paragraphs = [*first.paragraphs, "Đoạn mới thêm."]
    assert arc.save_article(second, fetched_at=T2) == "changed"
    stored = arc.article("baonghean:e3:10308168")
    assert stored is not None
    assert stored["title"] == second.title and stored["revision_count"] == 1
    assert (stored["first_seen_at"], stored["last_changed_at"]) == (T1, T2)
    (old,) = arc.db.query("SELECT * FROM revisions WHERE article_id = 'baonghean:e3:10308168'")
    assert old["title"] == first.title and old["revision"] == 1
    assert json.loads(old["paragraphs"]) == first.paragraphs
    assert (old["captured_at"], old["superseded_at"]) == (T1, T2)
    # Seeing the first version again later is not a new change: it is a known revision.
    assert arc.save_article(first, fetched_at=T1) == "unchanged"
    assert arc.db["revisions"].count == 1


def test_older_capture_with_other_content_becomes_history_not_current(arc: Archive, sample) -> None:
    newer = sample("e3-10308168")
    arc.save_article(newer, fetched_at=T3)
    older = sample("e3-10308168")
    older.title = "Bản cũ"
    assert arc.save_article(older, fetched_at=T1) == "changed"
    stored = arc.article("baonghean:e3:10308168")
    assert stored is not None
    assert stored["title"] == newer.title and stored["first_seen_at"] == T1 and stored["revision_count"] == 1
    (old,) = arc.db.query("SELECT title, captured_at FROM revisions")
    assert old == {"title": "Bản cũ", "captured_at": T1}


def test_mobile_amp_and_query_variants_are_one_article(arc: Archive, sample) -> None:
    base = sample("e2-post249990")
    variants = [
        base.url,
        base.url.replace("https://baonghean.vn", "https://m.baonghean.vn"),
        base.url.replace("https://baonghean.vn", "http://amp.baonghean.vn") + "?utm_source=fb&fbclid=1",
        base.url + "#comments",
    ]
    outcomes = []
    for url in variants:
        article = sample("e2-post249990")
        article.url = url
        outcomes.append(arc.save_article(article, fetched_at=T1))
    assert outcomes == ["new", "unchanged", "unchanged", "unchanged"]
    assert arc.db["articles"].count == 1
    assert arc.article("baonghean:e2:post249990")["url"] == base.url  # type: ignore[index]


def test_article_without_an_id_is_not_stored(arc: Archive, sample) -> None:
    article = sample("e1-67164")
    article.url = "https://baonghean.vn/thoi-su"
    assert arc.save_article(article) == "not_article"
    assert arc.db["articles"].count == 0


def test_a_failed_write_leaves_nothing_half_done(arc: Archive, sample) -> None:
    article = sample("e3-10308168")
    article.images.append(article.images[0])
    # Make the image insert fail after the article row was written, inside the same transaction.
    arc.db.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON images WHEN new.position = 1"
        " BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    try:
        arc.save_article(article, fetched_at=T1)
    except Exception:
        pass
    else:
        raise AssertionError("the trigger should have failed the save")
    assert arc.db["articles"].count == 0
    assert arc.db["images"].count == 0
    assert arc.db["article_search"].count == 0


def test_last_fetched_maps_article_ids(arc: Archive, sample) -> None:
    arc.save_article(sample("e2-post275412-seed"), fetched_at=T1)
    arc.save_article(sample("e1-51874"), fetched_at=T2)
    assert arc.last_fetched("baonghean") == {"post275412": T1, "51874": T2}
    assert arc.last_fetched("other") == {}


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
    | st.sampled_from(["Đảng ủy", "hoà thuỷ", "ĐÐð"])
)
def test_fast_fold_is_exactly_vnnews_fold(value: str) -> None:
    assert fast_fold(value) == fold(value)


def test_bulk_save_gives_the_same_outcomes_as_one_by_one(arc: Archive, sample) -> None:
    base = sample("e3-10308168")
    arc.save_article(base, fetched_at=T1)
    changed = sample("e3-10308168")
    changed.title = "Tiêu đề mới"
    batch = [sample("e1-51874"), base, changed, sample("e1-51874"), sample("e2-post249990")]
    bad = sample("e1-67164")
    bad.url = "https://baonghean.vn/thoi-su"
    outcomes = arc.save_articles([*batch, bad], fetched_at=T2, batch_size=3)
    assert outcomes == {"new": 2, "unchanged": 2, "changed": 1, "not_article": 1}
    assert arc.db["articles"].count == 3
    assert arc.article("baonghean:e3:10308168")["title"] == "Tiêu đề mới"  # type: ignore[index]
    assert arc.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 3
    assert {r["doc_id"] for r in arc.db.query("SELECT doc_id FROM articles")} == {1, 2, 3}


def test_readers_see_committed_data_while_a_write_is_open(arc: Archive, sample, tmp_path: Path) -> None:
    arc.save_article(sample("e1-51874"), fetched_at=T1)
    reader = sqlite3.connect(f"{(tmp_path / 'news.db').as_uri()}?mode=ro", uri=True, timeout=0.1)
    try:
        with arc.transaction():
            arc.db.conn.execute("UPDATE articles SET title = 'đang ghi' WHERE id = 'baonghean:e1:51874'")
            # WAL: a reader (Datasette) is not blocked by the open write and sees the last commit.
            assert reader.execute("SELECT title FROM articles").fetchone()[0] == sample("e1-51874").title
        assert reader.execute("SELECT title FROM articles").fetchone()[0] == "đang ghi"
    finally:
        reader.close()


def test_a_revert_to_an_earlier_version_is_a_change(arc: Archive, sample) -> None:
    first = sample("e3-10308168")
    second = sample("e3-10308168")
    second.title = "Tiêu đề sửa nhầm"
    assert arc.save_article(first, fetched_at=T1) == "new"
    assert arc.save_article(second, fetched_at=T2) == "changed"
    assert arc.save_article(first, fetched_at=T3) == "changed"  # the newsroom undid the edit
    stored = arc.article("baonghean:e3:10308168")
    assert stored is not None and stored["title"] == first.title and stored["revision_count"] == 2
    titles = [r["title"] for r in arc.db.query("SELECT title FROM revisions ORDER BY revision")]
    assert titles == [first.title, "Tiêu đề sửa nhầm"]


def test_worker_processes_store_the_same_archive(tmp_path: Path, sample, sample_names) -> None:
    articles = [sample(name) for name in sample_names]
    dumps = []
    for workers in (0, 2):
        with Archive.open(tmp_path / f"w{workers}.db") as arc:
            outcomes = arc.save_articles(articles * 2, fetched_at=T1, batch_size=4, workers=workers)
            assert outcomes == {"new": 6, "unchanged": 6}
            dumps.append(list(arc.db.query("SELECT * FROM articles ORDER BY id")))
            assert arc.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 6
    assert dumps[0] == dumps[1]
