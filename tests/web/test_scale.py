"""The articles page's search plans, counts and facets for large archives (vnnews/web/plugin/search.py,
facets.py) give what Datasette's own search clause, count and facets give, on a real archive.

The bounds are lowered for the test so that 240 articles exercise every plan: a search is "large"
here at 8 matches, as it is at 2,000 in a real archive.
"""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from archive import Archive
from extraction.article import Article
from vnnews.web import app
from vnnews.web.plugin import facets, search

ARTICLES = 240
SECTIONS = ["Thời sự", "Kinh tế", "Xã hội", "Thể thao"]


def article(i: int) -> Article:
    # Archive order (doc_id) is not publication order: the second half is a backfill of older years.
    year = 2025 - (i // 120) * 5 - (i % 5)
    words = ["Nghệ An"]
    words += ["Đảng ủy"] if i % 3 == 0 else []
    words += ["thủy lợi"] if i % 20 == 0 else []
    words += ["hiếm có"] if i == 7 else []
    return Article(
        publisher="baonghean",
        url=f"https://baonghean.vn/bai-thu-nghiem-{10_500_000 + i}.html",
        title=f"Bài {i}: {' '.join(words)}",
        lead=f"Tin số {i} về {words[-1]}.",
        authors=[f"Tác giả {i % 7}"] + ([f"Cộng tác {i % 3}"] if i % 2 else []),
        published_at=f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}T{6 + i % 12:02d}:00:00+07:00",
        section=SECTIONS[i % 4],
        tags=[f"Chủ đề {i % 5}"],
        paragraphs=[f"Đoạn văn {i} nói về {' và '.join(words)}.", "Một đoạn khác."],
        parser="baonghean/e3",
        article_id=str(10_500_000 + i),
    )


@pytest.fixture(scope="module")
def scale_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "news.db"
    with Archive.open(path) as arc:
        assert arc.save_articles(article(i) for i in range(ARTICLES)) == {"new": ARTICLES}
    return path


@pytest.fixture
def small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PROBE_MAX", 8)
    monkeypatch.setattr(search, "WALK_MAX_MIN", 60)
    monkeypatch.setattr(search, "WALK_MAX_SHARE", 0.0)
    monkeypatch.setattr(facets, "FACET_SCAN_ROWS", 8)
    search._counts.clear()
    facets._cache.clear()


def stock_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """The metadata as plain Datasette runs it: its own search clause, count and facets."""
    stock = copy.deepcopy(metadata)
    table = stock["databases"]["news"]["tables"]["articles"]
    table.pop("plugins")
    table.update(fts_table="articles_fts", fts_pk="doc_id")
    table["facets"] = [
        "publisher",
        "section",
        {"array": "authors"},
        {"array": "tags"},
        "published_month",
        "format",
    ]
    return stock


@pytest.fixture
def pages(scale_db: Path, small_bounds: None) -> Any:
    ours = app.build_datasette(scale_db)
    stock = app.build_datasette(scale_db)
    stock._metadata_local = stock_metadata(stock.metadata())

    def get(which: str, path: str) -> dict[str, Any]:
        ds = ours if which == "ours" else stock
        response = asyncio.run(ds.client.get(path))
        assert response.status_code == 200, response.text[:500]
        return dict(response.json())

    return get


def page(query: str, **more: str) -> str:
    return "/news/articles.json?" + urlencode({"_search": query, "_shape": "objects", **more})


def ids(data: dict[str, Any]) -> list[str]:
    return [row["id"] for row in data["rows"]]


@pytest.mark.parametrize(
    ("query", "matches", "plan"),
    [
        ("hiem co", 1, "probe"),
        ("thuy loi", 12, "walk"),
        ("dang uy", 80, "exists"),
        ("nghe an", 240, "exists"),
    ],
)
def test_every_plan_lists_what_datasettes_clause_lists(pages, query, matches, plan) -> None:
    ours, stock = pages("ours", page(query, _size="5")), pages("stock", page(query, _size="5"))
    assert stock["filtered_table_rows_count"] == matches
    assert ids(ours) == ids(stock)
    # The next page too (Datasette's keyset pagination over the same clause).
    if stock["next"]:
        more = {"_size": "5", "_next": stock["next"]}
        assert ids(pages("ours", page(query, **more))) == ids(pages("stock", page(query, **more)))
    # And under another filter and another order.
    narrowed = {"section": "Kinh tế", "_sort": "title"}
    assert ids(pages("ours", page(query, **narrowed))) == ids(pages("stock", page(query, **narrowed)))
    found = search.Search("articles", "articles_fts", "doc_id", "articles_fts", "vn_match(:search)", "search")
    clause = found.clause(matches, search.WALK_MAX_MIN)
    assert clause.startswith({"probe": "doc_id in", "walk": "+doc_id in", "exists": "exists"}[plan])


def test_large_searches_state_their_count_instead_of_counting(pages) -> None:
    small = pages("ours", page("hiem co"))
    assert small["filtered_table_rows_count"] == 1
    walked = pages("ours", page("thuy loi"))
    assert walked["filtered_table_rows_count"] is None  # Datasette was told _nocount
    assert "(12 articles)" in walked["human_description_en"]
    common = pages("ours", page("nghe an"))
    assert "(more than 60 articles)" in common["human_description_en"]


def facet_counts(data: dict[str, Any]) -> dict[str, dict[Any, int]]:
    return {
        name: {item["value"]: item["count"] for item in facet["results"]}
        for name, facet in data["facet_results"].items()
    }


def test_facets_are_exact_for_small_searches_and_the_whole_table(pages) -> None:
    for path in (page("hiem co", _facet_size="50"), "/news/articles.json?_facet_size=50"):
        ours, stock = pages("ours", path), pages("stock", path)
        assert facet_counts(ours) == facet_counts(stock)
        assert not any(facet["sample"] for facet in ours["facet_results"].values())
    # A small search under a filter: still every row.
    narrowed = page("hiem co", section="Thể thao", _facet_size="50")
    assert facet_counts(pages("ours", narrowed)) == facet_counts(pages("stock", narrowed))


def test_facets_of_large_searches_are_a_sample_that_says_so(pages) -> None:
    ours = pages("ours", page("nghe an", _facet_size="max"))
    stock = facet_counts(pages("stock", page("nghe an", _facet_size="max")))
    for name, facet in ours["facet_results"].items():
        assert facet["sample"] is True and facet["counted_rows"] == 8
        for item in facet["results"]:
            assert 0 < item["count"] <= stock[name][item["value"]]
    assert sum(item["count"] for item in ours["facet_results"]["section"]["results"]) == 8
    # Under a filter that leaves a few rows, the counts come from the search's newest matches only:
    # still a sample, and said to be one.
    narrowed = pages("ours", page("dang uy", section="Kinh tế", tags__arraycontains="Chủ đề 1"))
    assert all(facet["sample"] for facet in narrowed["facet_results"].values())


def test_facet_links_filter_like_datasettes(pages) -> None:
    ours = pages("ours", "/news/articles.json")
    link = next(item for item in ours["facet_results"]["authors"]["results"])
    assert "authors__arraycontains=" in link["toggle_url"]
    assert link["toggle_url"].startswith("http://localhost/news/articles.json?")


def test_a_large_search_walks_the_date_index(scale_db: Path) -> None:
    """The plan the walking forms count on (migration 008): newest first through the index that holds
    doc_id, never a sort of every match."""
    with Archive.open(scale_db, readonly=True) as arc:
        for form in ("+doc_id in (select rowid from articles_fts where articles_fts match 'an')",):
            plan = " ".join(
                row[3]
                for row in arc.db.conn.execute(
                    f"explain query plan select * from articles where {form} order by published_at desc"
                )
            )
            assert "articles_published_doc" in plan and "TEMP B-TREE" not in plan, plan
