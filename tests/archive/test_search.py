"""Vietnamese search: folding, AND semantics, phrases, safety; the search command; Datasette's path."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import Archive
from archive.cli import search as search_command
from archive.search import match_expression, search, window_sql

FOLDED_EQUIVALENTS = ["nghe an", "Nghệ An", "NGHỆ AN", unicodedata.normalize("NFD", "Nghệ An")]


@pytest.fixture
def filled(arc: Archive, sample, sample_names) -> Archive:
    for name in sample_names:
        arc.save_article(sample(name), fetched_at="2025-10-15T09:00:00+07:00")
    return arc


def ids(arc: Archive, query: str) -> set[str]:
    return {row["id"] for row in search(arc.db.conn, query, limit=None)}


def test_case_diacritics_and_nfd_find_the_same_articles(filled: Archive) -> None:
    results = [ids(filled, q) for q in FOLDED_EQUIVALENTS]
    assert results[0] and all(r == results[0] for r in results)


def test_d_with_stroke_folds(filled: Archive) -> None:
    found = ids(filled, "dang uy")
    assert found and found == ids(filled, "Đảng ủy") == ids(filled, "ĐẢNG ỦY")
    conn = filled.db.conn
    for key in found:
        text = conn.execute("SELECT title || ' ' || text FROM articles WHERE id = ?", (key,)).fetchone()[0]
        assert "đảng" in text.lower() and "ủy" in text.lower()


def test_tone_mark_placement_is_ignored(arc: Archive, sample) -> None:
    old_style = sample("e3-10308168")
    old_style.paragraphs = ["Hoà bình và thuỷ lợi ở vùng chè."]
    arc.save_article(old_style)
    assert ids(arc, "hòa bình") == ids(arc, "hoà bình") == {"baonghean:e3:10308168"}
    assert ids(arc, "thủy lợi") == ids(arc, "thuỷ lợi") == {"baonghean:e3:10308168"}


def test_all_words_must_match_and_phrases_match_as_phrases(arc: Archive, sample) -> None:
    one, two = sample("e3-10308168"), sample("e1-51874")
    one.title, one.lead, one.paragraphs = "Lúa gạo Nghệ An", None, ["Mùa vàng."]
    two.title, two.lead, two.paragraphs = "An ninh Nghệ", None, ["Lúa."]
    arc.save_article(one)
    arc.save_article(two)
    assert ids(arc, "nghe an") == {"baonghean:e3:10308168", "baonghean:e1:51874"}
    assert ids(arc, '"nghe an"') == {"baonghean:e3:10308168"}
    assert ids(arc, "lua vang") == {"baonghean:e3:10308168"}
    assert ids(arc, "lua khongcotu") == set()


def test_title_hits_rank_first(arc: Archive, sample) -> None:
    in_title, in_body = sample("e3-10308168"), sample("e1-51874")
    in_title.title, in_title.paragraphs = "Mía đường Quỳnh Lưu", ["Khác."]
    in_body.title, in_body.paragraphs = "Tin khác", ["Nói về mía đường và nhiều thứ khác nữa trong năm."]
    arc.save_article(in_body)
    arc.save_article(in_title)
    ranked = [row["id"] for row in search(arc.db.conn, "mia duong")]
    assert ranked == ["baonghean:e3:10308168", "baonghean:e1:51874"]


def _save(arc: Archive, sample, n: int, title: str, lead: str | None, body: str) -> str:
    article = sample("e3-10308168")
    article.url = f"https://baonghean.vn/bai-{10_200_000 + n}.html"
    article.title, article.lead, article.paragraphs = title, lead, [body]
    arc.save_article(article)
    return f"baonghean:e3:{10_200_000 + n}"


def test_ranking_phrase_first_then_title_lead_elsewhere_then_newest(arc: Archive, sample) -> None:
    # Saved oldest first. bm25 put the title hits first whatever the phrase; the ranking is now
    # phrase matches first, each tier by where all the words are (title, lead, elsewhere), newest first.
    apart_title = _save(arc, sample, 0, "Đảng và ủy ban", None, "Tin.")
    phrase_body_old = _save(arc, sample, 1, "Tin một", None, "Đảng ủy xã họp.")
    apart_lead = _save(arc, sample, 2, "Tin hai", "Đảng họp với ủy ban.", "Tin.")
    phrase_body_new = _save(arc, sample, 3, "Tin ba", None, "Đảng ủy huyện họp.")
    phrase_title = _save(arc, sample, 4, "Họp Đảng ủy tỉnh", None, "Tin.")
    apart_body = _save(arc, sample, 5, "Tin bốn", None, "Đảng họp, ủy ban nghe.")
    rows = list(search(arc.db.conn, "dang uy", limit=10))
    assert [r["id"] for r in rows] == [
        phrase_title,
        phrase_body_new,
        phrase_body_old,
        apart_title,
        apart_lead,
        apart_body,
    ]
    assert [r["rank"] for r in rows] == [0, 2, 2, 3, 4, 5]
    assert [r["id"] for r in search(arc.db.conn, "dang uy", limit=None)] == [r["id"] for r in rows]
    # A quoted query is all phrase: one tier, by place, then newest.
    quoted = list(search(arc.db.conn, '"dang uy"', limit=10))
    assert [(r["id"], r["rank"]) for r in quoted] == [
        (phrase_title, 0),
        (phrase_body_new, 2),
        (phrase_body_old, 2),
    ]


def test_phrase_tier_is_looked_for_among_the_window(arc: Archive, sample, monkeypatch) -> None:
    import archive.search

    old_phrase = _save(arc, sample, 0, "Tin", None, "Nông dân họp.")
    newer = [_save(arc, sample, i, "Tin", None, f"Dân {i} làm nông.") for i in range(1, 4)]
    assert next(search(arc.db.conn, "nong dan", limit=1))["id"] == old_phrase
    monkeypatch.setattr(archive.search, "RANK_WINDOW", 2)
    # Only the two newest matches are ranked; the old phrase match is outside them.
    assert [r["id"] for r in search(arc.db.conn, "nong dan", limit=2)] == [newer[2], newer[1]]


def test_window_is_the_newest_matches_whichever_way_it_is_read(arc: Archive) -> None:
    # The window is read forwards whole (rare), backwards until full (common) or from the probe alone
    # (dense); every way must give exactly the newest `size` matches. 400 search rows: "pho" in all,
    # "bien" in every third, "dao" in three old ones, the phrase "ca vang" in eight.
    rows = []
    for doc in range(1, 401):
        words = ["pho", "bien" if doc % 3 == 0 else "", "dao" if doc in (5, 17, 40) else ""]
        words.append("ca vang" if doc % 50 == 7 else "vang ca")
        rows.append((doc, " ".join(words)))
    arc.db.conn.executemany("INSERT INTO article_search (doc_id, text) VALUES (?, ?)", rows)
    for match in ('"pho"', '"bien"', '"dao"', '"ca vang"', '"vang" "ca"', '"khong"'):
        every = arc.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [match])
        newest_first = sorted((r[0] for r in every), reverse=True)
        for size in (1, 3, 10, 100, 1000):
            for probe in (10, 50, 1000):
                window = window_sql("win", ":m", ":w", probe=probe)
                sql = f"WITH {window} SELECT doc_id FROM win ORDER BY doc_id DESC"
                found = [r[0] for r in arc.db.execute(sql, {"m": match, "w": size})]
                assert found == newest_first[:size], (match, size, probe)


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "OR NOT", "NEAR(a b)", "*", "a:b", "^x", "'", "(", "{title}:x", "\\", "", "   ", "-"],
)
def test_fts_syntax_in_a_query_never_raises(filled: Archive, query: str) -> None:
    list(search(filled.db.conn, query))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_query_is_safe(query: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t VALUES ('nghe an dang uy')")
    expression = match_expression(query)
    if expression is not None:
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (expression,)).fetchall()


def test_index_follows_updates_and_deletes(arc: Archive, sample) -> None:
    article = sample("e3-10308168")
    arc.save_article(article, fetched_at="2025-10-15T09:00:00+07:00")
    assert ids(arc, "bich hao")
    article.title, article.lead, article.paragraphs = "Bài mới hoàn toàn", None, ["Không còn chữ cũ."]
    arc.save_article(article, fetched_at="2025-10-16T09:00:00+07:00")
    assert ids(arc, "bich hao") == set()
    assert ids(arc, "hoan toan") == {"baonghean:e3:10308168"}
    arc.db.execute("DELETE FROM articles")
    assert ids(arc, "hoan toan") == set()
    assert arc.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 0


def test_datasette_style_queries_work_on_the_index(filled: Archive) -> None:
    # Datasette's search box sends escape_fts(user text): each word quoted, not folded by us.
    conn = filled.db.conn
    sql = (
        "SELECT count(*) FROM articles"
        " WHERE doc_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
    )
    unaccented = conn.execute(sql, ('"nghe" "an"',)).fetchone()[0]
    assert unaccented > 0
    assert conn.execute(sql, ('"Nghệ" "An"',)).fetchone()[0] == unaccented
    assert conn.execute(sql, ('"Đảng" "ủy"',)).fetchone()[0] == len(ids(filled, "dang uy"))


def test_search_command_prints_date_title_url(filled: Archive, tmp_path: Path) -> None:
    result = CliRunner().invoke(search_command, [str(tmp_path / "news.db"), "Nghệ An", "--limit", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    day, title, url = lines[0].split("\t")
    assert day[2] == "/" and day[5] == "/" and url.startswith("https://baonghean.vn/") and title


def test_search_command_on_a_missing_db_fails_with_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(search_command, [str(tmp_path / "none.db"), "x"])
    assert result.exit_code == 2  # house rules: a missing database is wrong use
    assert result.output.strip().count("\n") == 0 and "no archive" in result.output


def test_ranking_window_keeps_common_word_queries_bounded(arc: Archive, sample, monkeypatch) -> None:
    import archive.search

    # Oldest article has the word in its title (best bm25); four newer ones only in the body.
    for i in range(5):
        article = sample("e3-10308168")
        article.url = f"https://baonghean.vn/bai-{10_100_000 + i}.html"
        article.title = "Mía đường" if i == 0 else f"Tin số {i}"
        article.lead, article.paragraphs = None, [f"Có nói mía đường ở đoạn {i} của bài này."]
        arc.save_article(article)
    best = "baonghean:e3:10100000"
    assert next(search(arc.db.conn, "mia duong", limit=1))["id"] == best
    monkeypatch.setattr(archive.search, "RANK_WINDOW", 2)
    windowed = [r["id"] for r in search(arc.db.conn, "mia duong", limit=1)]
    assert windowed and windowed[0] != best  # only the 2 newest matches were ranked
    assert next(search(arc.db.conn, "mia duong", limit=1, exhaustive=True))["id"] == best
    assert len(list(search(arc.db.conn, "mia duong", limit=None))) == 5  # no limit: every match


def head_titles(conn: sqlite3.Connection, word: str) -> set[int]:
    query = f"{{title}} : {word}"
    found = conn.execute("SELECT rowid FROM articles_head_fts WHERE articles_head_fts MATCH ?", [query])
    return {row[0] for row in found}


def test_title_and_lead_index_is_built_for_old_archives_and_follows_changes(tmp_path: Path, sample) -> None:
    import sqlite_utils

    from archive import schema

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    schema.migrations.apply(db, stop_before="009_head_index")  # an archive of the release before it
    db.execute("INSERT INTO article_search (doc_id, title, lead) VALUES (7, 'lua gao', 'mua vang')")
    db.conn.commit()
    db.close()
    with Archive.open(path) as arc:  # migration 009 indexes the rows already there
        conn = arc.db.conn
        assert head_titles(conn, "gao") == {7}
        one = sample("e3-10308168")
        one.title = "Nông dân gặt lúa"
        arc.save_article(one, fetched_at="2025-10-15T09:00:00+07:00")
        doc = conn.execute("SELECT doc_id FROM articles WHERE id = 'baonghean:e3:10308168'").fetchone()[0]
        assert doc in head_titles(conn, "nong")
        one.title = "Mùa gặt ở Nghệ An"  # a changed page: article_search is updated
        assert arc.save_article(one, fetched_at="2025-12-01T09:00:00+07:00") == "changed"
        assert doc not in head_titles(conn, "nong") and doc in head_titles(conn, "mua")
        conn.execute("DELETE FROM articles WHERE id = 'baonghean:e3:10308168'")
        assert doc not in head_titles(conn, "mua")
        for index in ("articles_fts", "articles_head_fts"):  # each index agrees with article_search
            conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
