"""A streamed CSV export returns every row once, even when many rows tie on the table's sort column
and the export spans several chunks of max_returned_rows (docs/datasette.md, "Exporting")."""

from __future__ import annotations

import asyncio
import csv
import io

from archive import Archive
from extraction.article import Article
from vnnews.web.app import SETTINGS, build_datasette

ARTICLES = SETTINGS["max_returned_rows"] + 200


def tied_articles(count: int) -> list[Article]:
    # Published the same minute, as a newsroom's morning batch is: ties on articles' sort column.
    return [
        Article(
            publisher="baonghean",
            url=f"https://baonghean.vn/tin-{10600000 + n}.html",
            title=f"Tin số {n}",
            paragraphs=[f"Nội dung {n}."],
            published_at=f"2025-10-14T0{n % 3}:00:00+07:00",
            parser="baonghean/e3",
            article_id=str(10600000 + n),
        )
        for n in range(count)
    ]


def test_streamed_csv_has_every_row_once(tmp_path):
    db = tmp_path / "news.db"
    with Archive.open(db) as arc:
        arc.save_articles(tied_articles(ARTICLES))
    datasette = build_datasette(db)
    asyncio.run(datasette.invoke_startup())

    def streamed_ids(query: str) -> list[str]:
        response = asyncio.run(datasette.client.get(f"/news/articles.csv?_stream=on&_size=max{query}"))
        assert response.status_code == 200
        return [row["id"] for row in csv.DictReader(io.StringIO(response.text))]

    ids = streamed_ids("")
    assert len(ids) == ARTICLES and len(set(ids)) == ARTICLES
    # An explicit sort on a column without ties is kept as asked.
    by_title = streamed_ids("&_sort=title")
    assert len(set(by_title)) == ARTICLES and by_title != ids
