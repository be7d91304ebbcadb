"""Datasette's JSON/CSV API over a real archive, through Datasette's in-process test client."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote, urlencode

# Keys of the articles conftest.fill_archive stores (conftest cannot be imported under importlib mode).
REVISED_ID = "baonghean:e3:10308168"
EVIL_ID = "baonghean:e3:10999999"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["title"] for row in response.json()["rows"]]


def search_table(get, text: str) -> list[str]:
    return titles(get("/news/articles.json?" + urlencode({"_search": text, "_shape": "objects"})))


def test_table_search_ignores_diacritics(get):
    folded, accented = search_table(get, "nghe an"), search_table(get, "Nghệ An")
    assert folded == accented
    assert any("Nghệ An" in title for title in folded)


def test_table_search_folds_d_with_stroke(get):
    # unicode61 does not fold đ: only the plugin's folding escape_fts makes these agree.
    with_stroke, plain = search_table(get, "Đảng"), search_table(get, "dang")
    assert with_stroke and with_stroke == plain
    assert search_table(get, "ĐẢNG BỘ") == search_table(get, "dang bo")


def test_search_box_keeps_what_the_user_typed(get):
    html = get("/news/articles?" + urlencode({"_search": "Đảng"})).text
    assert 'value="Đảng"' in html and "search matches &#34;Đảng&#34;" in html


def test_table_search_without_match_is_empty_not_error(get):
    assert search_table(get, "zzzyyyxxx") == []
    # Unbalanced quotes and FTS operators typed by a user must not break the page.
    assert get("/news/articles?" + urlencode({"_search": 'nghe "an AND ('})).status_code == 200


def test_articles_sorted_newest_first_with_facets(get):
    data = get("/news/articles.json?_facet_size=50").json()
    published = [row["published_at"] for row in get("/news/articles.json?_shape=objects").json()["rows"]]
    assert published == sorted(published, reverse=True)
    facets = data["facet_results"]
    assert {"section", "authors", "tags", "published_month", "format"} <= set(facets)
    assert "article" in {item["value"] for item in facets["format"]["results"]}
    months = {item["value"] for item in facets["published_month"]["results"]}
    assert "2025-10" in months
    assert "Quang An" in {item["value"] for item in facets["authors"]["results"]}


def test_search_query_ranked_with_highlighted_snippet_from_original_text(get):
    data = get("/news/search.json?" + urlencode({"q": "nghe an", "section": "", "_shape": "objects"})).json()
    rows = data["rows"]
    assert rows, data
    ranks = [row["rank"] for row in rows]
    assert ranks == sorted(ranks)
    marked = [row["snippet"] for row in rows if "⟦" in row["snippet"]]
    assert any("⟦Nghệ⟧ ⟦An⟧" in snippet for snippet in marked)
    html = get("/news/search?" + urlencode({"q": "nghe an", "section": ""})).text
    assert "<mark>Nghệ</mark> <mark>An</mark>" in html
    # Each hit links to its reading view.
    assert '<a href="/news/articles/baonghean~3Ae3~3A10308168">baonghean:e3:10308168</a>' in html


def test_search_query_d_with_stroke_and_section_filter(get):
    def ids(**params) -> list[str]:
        rows = get("/news/search.json?" + urlencode({"section": "", **params, "_shape": "objects"})).json()[
            "rows"
        ]
        return [row["id"] for row in rows]

    assert ids(q="Đảng") == ids(q="dang") != []
    assert ids(q="nghe an", section="Kinh tế") == ["baonghean:e3:10308168"]
    assert ids(q="") == []


def test_per_month_and_sections_per_year(get):
    months = get("/news/articles_per_month.json?section=&publisher=baonghean&_shape=objects").json()["rows"]
    assert {k: months[0][k] for k in ("month", "articles")} == {"month": "2025-10", "articles": 1}
    assert sum(row["articles"] for row in months) == 7
    # Every month from the first to the last, empty ones with 0 (a chart must not skip them).
    assert months[-1]["month"] == "2015-02" and len(months) == 10 * 12 + 8 + 1
    assert {"month": "2025-05", "articles": 0, "words": 0} in months
    everyone = get("/news/articles_per_month.json?section=&publisher=&_shape=objects").json()["rows"]
    assert everyone[0]["month"] == "2026-01" and sum(row["articles"] for row in everyone) == 12
    years = get("/news/sections_per_year.json?year=2025&_shape=objects").json()["rows"]
    assert {row["year"] for row in years} == {"2025"}
    assert {"Kinh tế", "Thời sự"} <= {row["section"] for row in years}


def test_author_query_folds_the_name(get):
    rows = get("/news/author_articles.json?author=quang+an&_shape=objects").json()["rows"]
    assert [row["id"] for row in rows] == [REVISED_ID]


def test_revision_history_shows_both_sides(get):
    rows = get(f"/news/article_revisions.json?article={quote(REVISED_ID)}&_shape=objects").json()["rows"]
    assert len(rows) == 1
    change = rows[0]
    assert change["change"] == "revision 1 → current"
    assert change["changed"].split() == ["title", "text"]
    assert change["title_after"] == change["title_before"] + " (cập nhật)"
    assert "Đoạn đã sửa đổi." in change["text_after"] and "Đoạn đã sửa đổi." not in change["text_before"]
    assert "Đoạn mới thêm." in change["text_after"]
    # Unchanged paragraphs are left out of both sides.
    assert "Doanh thu mỗi năm" not in change["text_before"]


def test_failures_and_runs(get):
    failures = get("/news/extraction_failures.json?since=&_shape=objects").json()["rows"]
    assert [(row["outcome"], row["captures"]) for row in failures] == [("not_article", 1)]
    assert failures[0]["latest_url"] == "https://baonghean.vn/khong-phai-bai-123.html"
    runs = get("/news/latest_runs.json?kind=&_shape=objects").json()["rows"]
    # Both runs may start in the same second, so their order is not checked.
    assert sorted(row["kind"] for row in runs) == ["crawl", "import"]
    crawl = get("/news/latest_runs.json?kind=crawl&_shape=objects").json()["rows"]
    assert [row["status"] for row in crawl] == ["partial"]


def test_csv_and_json_links_and_streaming_all_rows(get):
    page = get("/news/articles").text
    assert 'href="/news/articles.csv' in page and 'href="/news/articles.json' in page
    # The CSV export form offers "stream all rows" whenever there is more than one page.
    assert 'name="_stream"' in get("/news/articles?_size=2").text
    response = get("/news/articles.csv?_stream=on&_size=max")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 12 and len({row["publisher"] for row in rows}) == 6
    assert any(row["id"] == EVIL_ID for row in rows)
    query_csv = get("/news/search.csv?q=nghe+an&section=")
    assert query_csv.status_code == 200 and "snippet" in query_csv.text.splitlines()[0]


def test_row_page_reads_like_an_article(get):
    html = get(f"/news/articles/{quote(REVISED_ID.replace(':', '~3A'))}").text
    assert '<article class="vn-article"' in html
    assert "<figcaption>Người dân vùng Bích Hào" in html and '<span class="vn-credit">Ảnh: T.P</span>' in html
    reading = html[html.index('<article class="vn-article"') : html.index("</article>")]
    assert "<p>Đoạn đã sửa đổi.</p>" in reading and "<p>Đoạn mới thêm.</p>" in reading
    assert "<h3>Earlier versions (1)</h3>" in html
    history = re.search(r'<a href="([^"]+)">See what changed', html)
    assert history
    rows = get(history.group(1).replace("&amp;", "&").replace("?", ".json?", 1) + "&_shape=objects").json()[
        "rows"
    ]
    assert [row["change"] for row in rows] == ["revision 1 → current"]
    css = re.search(r'href="(/-/static-plugins/[^"]+/vnnews\.css)"', html)
    assert css and get(css.group(1)).status_code == 200


def test_every_table_and_column_is_described(get):
    tables = get("/news.json").json()["tables"]
    for table in tables:
        if table["name"].startswith(("articles_fts_", "articles_head_fts_")):  # FTS5 shadow tables
            continue
        meta = get("/-/metadata.json").json()["databases"]["news"]["tables"]
        assert table["name"] in meta, table["name"]
        described = meta[table["name"]].get("columns", {})
        if table["name"] != "_sqlite_migrations":
            assert set(table["columns"]) <= set(described), (
                table["name"],
                set(table["columns"]) - set(described),
            )


def test_dashboard_page_is_configured_and_charts_query_works(get):
    html = get("/-/dashboards/articles").text
    assert "Articles per month" in html and "vega-lite.min.js" in html
    data = get(
        "/news.json?"
        + urlencode(
            {
                "sql": "select published_month as month, count(*) as articles from articles "
                "group by 1 order by 1",
                "_shape": "objects",
            }
        )
    ).json()
    assert len(data["rows"]) >= 6


def test_term_trend_lists_every_month_with_counts(get):
    rows = get(
        "/news/term_trend.json?" + urlencode({"term": "nghe an", "publisher": "", "_shape": "objects"})
    )
    rows = rows.json()["rows"]
    months = [row["month"] for row in rows]
    assert months == sorted(months) and len(months) == len(set(months))
    # Every month between the first and the last is listed, the empty ones with zero articles.
    first, last = months[0], months[-1]
    span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    assert len(months) == span
    assert sum(row["articles"] for row in rows) >= 1
    assert all(row["articles"] <= row["all_articles"] for row in rows)
    assert any(row["all_articles"] == 0 and row["percent"] == 0 for row in rows)
    words = get("/news/term_trend.json?" + urlencode({"term": '"*"', "publisher": "", "_shape": "objects"}))
    assert words.status_code == 200 and sum(r["articles"] for r in words.json()["rows"]) == 0


def test_dashboard_term_trend_chart_is_configured(get):
    html = get("/-/dashboards/articles?term=nghe+an").text
    assert "Term trend" in html


def test_near_duplicates_query_answers(get):
    rows = get("/news/near_duplicates.json?min_publishers=&_shape=objects")
    assert rows.status_code == 200, rows.text
    assert isinstance(rows.json()["rows"], list)


def test_places_facet_query_and_map(get):
    rows = get("/news/article_places.json?_shape=objects&_facet=province").json()
    assert rows["rows"], "the sample articles mention places in Nghệ An"
    facet = {value["value"] for value in rows["facet_results"]["province"]["results"]}
    assert "Nghệ An" in facet
    name = rows["rows"][0]["name"]
    found = get(f"/news/articles_by_place.json?_shape=objects&place={name}&province=").json()["rows"]
    assert found and all(row["full_name"].endswith(name) for row in found)
    points = get("/news/article_map.json?_shape=objects").json()["rows"]
    assert points and all(8 < p["latitude"] < 24 and 102 < p["longitude"] < 110 for p in points)
    html = get("/news/article_map").text
    assert "datasette-cluster-map" in html or "datasette_cluster_map" in html
