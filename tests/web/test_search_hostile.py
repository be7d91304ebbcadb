"""No search text is an error: the table search box, ``_search=`` / ``_search_<column>=`` and the
canned ``search`` query answer HTTP 200 for anything a user can type (docs/datasette.md, "Searching")."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnnews.web.plugin.sql_functions import NO_MATCH, vn_match

HOSTILE = [
    '"',
    "*",
    "-",
    '""',
    "“",
    "”",
    "„",
    "«»",
    "^",
    ":",
    "+",
    "(",
    ")",
    "()",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(a b)",
    "a OR",
    "NOT a",
    "a*",
    "*a",
    '"a',
    'a"',
    '"a" "',
    "title:a",
    "{title}: a",
    "-a",
    "a - b",
    "",
    " ",
    "\t\n",
    "\x00",
    "a\x00b",
    '"\x00"',
    "_",
    "__",
    "\u0300",
    "ー",
    "²",
    "😀",
    "'",
    "';--",
    "%",
    "\\",
    "Đảng “Nghệ An",
    "x" * 5000,
    "nghe " * 400,
]

SEARCH_PATHS = [
    ("/news/articles", "_search"),
    ("/news/articles.json", "_search"),
    ("/news/articles.json", "_search_title"),
    ("/news/articles.json", "_search_text"),
    ("/news/search", "q"),
    ("/news/search.json", "q"),
    ("/news/term_trend.json", "term"),
]
# The other parameters of the canned queries, left empty ("all").
EXTRA = {"/news/search": {"section": ""}, "/news/term_trend": {"publisher": ""}}


def search_status(get, path: str, param: str, text: str) -> tuple[int, str]:
    extra = EXTRA.get(path.removesuffix(".json"), {})
    response = get(f"{path}?" + urlencode({param: text, **extra}))
    return response.status_code, response.text[:300]


@pytest.mark.parametrize(("path", "param"), SEARCH_PATHS)
@pytest.mark.parametrize("text", HOSTILE, ids=[repr(text)[:20] for text in HOSTILE])
def test_hostile_search_text_is_not_an_error(get, path, param, text):
    status, body = search_status(get, path, param, text)
    assert status == 200, body
    assert "fts5" not in body.lower()


def test_a_query_without_words_matches_nothing(get):
    rows = get("/news/search.json?" + urlencode({"q": '"', "section": ""})).json()["rows"]
    assert rows == []
    assert vn_match('"') == vn_match("") == vn_match(None) == NO_MATCH


def test_a_long_query_counts_only_its_first_words():
    assert vn_match("nghe " * 1000).count('"nghe"') == 200
    assert vn_match("x" * 5000) == '"' + "x" * 1000 + '"'


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30))
def test_any_unicode_search_text_is_not_an_error(get, text):
    for path, param in (
        ("/news/articles.json", "_search"),
        ("/news/search.json", "q"),
        ("/news/term_trend.json", "term"),
    ):
        status, body = search_status(get, path, param, text)
        assert status == 200, (text, body)
