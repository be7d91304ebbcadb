"""One huge archived article cannot make a page huge (docs/datasette.md, "Limits"): table cells and
the reading view show the first images, paragraphs and tags with a note saying how many more there
are; the JSON API keeps every value whole."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from archive import Archive
from extraction.article import Article, Image
from vnnews.web.plugin import render

HUGE_ID = "baonghean:e3:10700001"
ROW_PATH = "/huge/articles/baonghean~3Ae3~3A10700001"
IMAGES, PARAGRAPHS, TAGS = 100_000, 20_000, 500
# Without the limits the table page was 17 MB and the row page 34 MB.
PAGE_MAX_BYTES = 1_000_000


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("huge") / "huge.db"
    article = Article(
        publisher="baonghean",
        url="https://baonghean.vn/phong-su-anh-10700001.html",
        title="Phóng sự ảnh: Nghệ An " + "rất dài " * 5_000,
        images=[
            Image(url=f"https://bna.1cdn.vn/anh-{i}.jpg", caption=f"Ảnh số {i} ở Nghệ An", credit="T.P")
            for i in range(IMAGES)
        ],
        paragraphs=[f"Đoạn {i} về Nghệ An." for i in range(PARAGRAPHS)],
        tags=[f"thẻ {i}" for i in range(TAGS)],
        published_at="2025-10-14T08:00:00+07:00",
        section="Thời sự",
        parser="baonghean/e3",
        article_id="10700001",
    )
    with Archive.open(path) as arc:
        arc.save_article(article)
    from vnnews.web.app import build_datasette

    datasette = build_datasette(path)
    asyncio.run(datasette.invoke_startup())

    def fetch(url: str) -> httpx.Response:
        return asyncio.run(datasette.client.get(url))

    return fetch


def test_table_page_shows_a_few_images_and_counts_the_rest(huge):
    page = huge("/huge/articles?_columns=all")  # the compact rows show no images at all
    assert page.status_code == 200
    assert len(page.content) < PAGE_MAX_BYTES, len(page.content)
    assert f"and {IMAGES - render.TABLE_MAX_IMAGES:,} more images" in page.text
    assert page.text.count('class="vn-figure"') == render.TABLE_MAX_IMAGES


def test_reading_view_is_bounded_with_notes(huge):
    page = huge(ROW_PATH)
    assert page.status_code == 200
    assert len(page.content) < PAGE_MAX_BYTES, len(page.content)
    reading = page.text[page.text.index('<article class="vn-article"') : page.text.index("</article>")]
    assert reading.count('class="vn-figure"') == render.READING_MAX_IMAGES
    assert f"and {IMAGES - render.READING_MAX_IMAGES:,} more images" in reading
    assert f"and {PARAGRAPHS - render.READING_MAX_PARAGRAPHS:,} more paragraphs" in reading
    assert f"and {TAGS - render.READING_MAX_TAGS:,} more tags" in reading
    assert "more characters not shown]" in reading  # the 40,000-character title
    # Below the reading view, the long text column is cut too.
    assert "more characters (the JSON and CSV exports have it whole)" in page.text


def test_json_api_keeps_every_value_whole(huge):
    row = huge(f"{ROW_PATH}.json?_shape=objects").json()["rows"][0]
    assert len(json.loads(row["images"])) == IMAGES
    assert len(json.loads(row["paragraphs"])) == PARAGRAPHS
    assert len(row["title"]) > 40_000


def test_paragraphs_are_cut_by_characters_too():
    html = str(render.paragraphs_html(["a" * 150_000, "b" * 150_000, "c"]))
    assert html.count("a") >= 150_000 and html.count("b") == render.READING_MAX_CHARS - 150_000
    assert "more characters not shown]" in html and "and 1 more paragraphs" in html


def test_long_cells_are_cut_only_on_row_pages(get):
    # The sample archive has nothing that long: the table page keeps Datasette's own 300-character cut.
    assert render.render_long_cell("x" * render.CELL_MAX_CHARS) is None
    cut = str(render.render_long_cell("<" * (render.CELL_MAX_CHARS + 5)))
    assert cut.count("&lt;") == render.CELL_MAX_CHARS and "and 5 more characters" in cut
    assert get("/news/articles").status_code == 200
