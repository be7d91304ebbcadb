"""The SQL functions and HTML helpers of the plugin, as plain functions and on a real connection."""

from __future__ import annotations

import json
import sqlite3

from markupsafe import Markup

from vnnews.web.plugin import prepare_connection, render, sql_functions
from vnnews.web.plugin.sql_functions import folding_escape_fts, vn_diff, vn_snippet

TEXT = (
    "Năm năm qua, phong trào nông dân ở Nghệ An đã trở thành điểm tựa. " * 3
    + "Đảng bộ tỉnh NGHỆ AN lãnh đạo. "
    + "Kết thúc bài viết. " * 20
)


def test_folding_escape_fts_quotes_folded_terms():
    assert folding_escape_fts("Đảng ủy Nghệ An") == '"dang" "uy" "nghe" "an"'
    assert folding_escape_fts("“Nghệ An” covid-19 OR") == '"nghe an" "covid 19" "or"'
    assert folding_escape_fts(None) == folding_escape_fts("  ") == '""'


def test_snippet_marks_original_words_around_first_match():
    snippet = vn_snippet(TEXT, "dang bo")
    assert snippet is not None
    assert "⟦Đảng⟧ ⟦bộ⟧" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 300
    # Whole words only: "an" must not mark the "an" inside "thành".
    assert "th⟦" not in vn_snippet(TEXT, "an")


def test_snippet_when_folding_changes_the_length():
    # casefold("ß") == "ss": the per-character offset map must still point at the original words.
    assert vn_snippet("Straße ở Nghệ An", "nghe an") == "Straße ở ⟦Nghệ⟧ ⟦An⟧"
    assert vn_snippet("Nghe\u0302\u0323 An", "nghe an") == "⟦Nghe\u0302\u0323⟧ ⟦An⟧"


def test_accent_blind_search_finds_what_folding_finds():
    # The fast path (a pattern over the lower-cased text) must mark exactly the words the folding
    # path marks: upper case, đ, both tone-mark placements, words inside longer words.
    text = " ".join(
        ["ĐẢNG ủy Đảng uỷ dang UY đang hoà hòa HOÀ thuỷ thủy Thủy lợi", "Nghệ An, nghe an; nghèo anh", TEXT]
    )
    for query in ("dang uy", "hoa", "thuy loi", "nghe an", "Đảng", "an", "kết thúc"):
        terms = sql_functions.fts_terms(query)
        fast = sql_functions._match_spans(text, terms, len(text))
        assert fast == sql_functions._folded_spans(text, terms, len(text)), query
        assert fast, query


def test_snippet_without_match_starts_at_the_beginning():
    assert vn_snippet("Một câu ngắn.", "xyz") == "Một câu ngắn."
    assert vn_snippet(None, "x") is None


def test_snippet_strips_markers_already_in_text():
    assert vn_snippet("a ⟦b⟧ c", "zzz") == "a b c"


def test_diff_keeps_only_changed_paragraphs_per_side():
    old = "Một.\n\nHai.\n\nBa.\n\nBốn."
    new = "Một.\n\nHai sửa.\n\nBa.\n\nBốn.\n\nNăm."
    assert vn_diff(old, new, "old") == "Hai.\n\n…\n\n(—)"
    assert vn_diff(old, new, "new") == "Hai sửa.\n\n…\n\nNăm."
    assert vn_diff(old, old, "new") == ""


def test_functions_registered_on_a_connection():
    conn = sqlite3.connect(":memory:")
    prepare_connection(conn)
    row = tuple(conn.execute("select vn_fold('Đảng ủy'), escape_fts('Đảng'), vn_match('Đảng')").fetchone())
    assert row == ("dang uy", '"dang"', '"dang"')


def test_render_cells_escape_everything():
    cell = render.render_article_cell("paragraphs", '["<b>x</b>", "y"]')
    assert cell == Markup(
        '<div class="vn-paragraphs" lang="vi"><p>&lt;b&gt;x&lt;/b&gt;</p><p>y</p>'
        '<p class="vn-more">2 paragraphs in all</p></div>'
    )
    long = render.render_article_cell("paragraphs", json.dumps(["a" * 200, "b" * 200, "c" * 10]))
    assert str(long).count("<p>") == 2 and "b" * 80 + "…" in str(long) and "c" * 10 not in str(long)
    figure = render.render_article_cell(
        "images", '[{"url": "data:x", "caption": "<i>c</i>", "credit": null}]'
    )
    assert "<img" not in str(figure) and "&lt;i&gt;c&lt;/i&gt;" in str(figure)
    assert render.render_article_cell("images", "not json") == Markup('<div class="vn-figures"></div>')
    assert render.render_article_cell("title", "<b>") is None
    assert render.render_query_cell("snippet", "<b>⟦x⟧</b>") == Markup("&lt;b&gt;<mark>x</mark>&lt;/b&gt;")


def test_safe_http_url():
    assert render.safe_http_url("https://bna.1cdn.vn/a.jpg") == "https://bna.1cdn.vn/a.jpg"
    for bad in (
        "javascript:alert(1)",
        " JAVASCRIPT:x",
        "data:image/png;base64,xx",
        "//host/a.jpg",
        "/a.jpg",
        None,
    ):
        assert render.safe_http_url(bad) is None
