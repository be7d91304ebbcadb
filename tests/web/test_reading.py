"""The articles page and the reading view as a researcher uses them (docs/datasette.md): compact rows,
snippets, phrase matches first, the date range, links to filtered lists, citations, revisions, the
web CSV as `vnnews export` writes it, and the archive across publishers. Through Datasette's own
client over the real archive of conftest (Báo Nghệ An's samples and five other papers' real pages)."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

REVISED_ID = "baonghean:e3:10308168"
REVISED_ROW = "/news/articles/baonghean~3Ae3~3A10308168"
VNNEWS = Path(sys.executable).with_name("vnnews")


def listing(page: str) -> str:
    return page[page.index('<div class="vn-listing">') :]


def row_ids(get, **params: str) -> list[str]:
    response = get("/news/articles.json?" + urlencode({**params, "_shape": "objects", "_size": "max"}))
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["rows"]]


def test_articles_rows_are_compact_and_link_to_lists(get):
    page = get("/news/articles").text
    rows = listing(page)
    heads = re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", rows)
    assert [re.sub(r"<[^>]+>|&nbsp;|▼|▲", "", head).strip() for head in heads[:5]] == [
        "Published",
        "Publisher",
        "Section",
        "Title",
        "Authors",
    ]
    assert (
        '<time datetime="2025-10-14T08:45:00+07:00" title="2025-10-14T08:45:00+07:00">14/10/2025 08:45</time>'
        in rows
    )
    assert f'<a class="vn-row-title" href="{REVISED_ROW}">' in rows
    assert '<a class="vn-author" href="/news/articles?_author=Quang+An">Quang An</a>' in rows
    assert 'href="/news/articles?section=Kinh+t%E1%BA%BF">Kinh tế</a>' in rows
    assert len(set(re.findall(r'href="/news/articles\?publisher=([a-z]+)"', rows))) == 6
    assert "col-paragraphs" not in page and "col-content_hash" not in page  # the full record: one click
    everything = get("/news/articles?_columns=all").text
    assert (
        "col-paragraphs" in everything and "col-content_hash" in everything and "Compact rows" in everything
    )


def test_links_lead_to_their_filtered_lists(get):
    assert row_ids(get, _author="Quang An") == [REVISED_ID]
    assert REVISED_ID in row_ids(get, _tag="Nông dân")
    assert set(row_ids(get, publisher="vnexpress")) == {"vnexpress:vne:4954454"}
    assert row_ids(get, _author="Không Ai") == []
    described = get("/news/articles?" + urlencode({"_author": "Quang An", "_tag": "Nông dân"})).text
    assert "by &#34;Quang An&#34;" in described and "tagged &#34;Nông dân&#34;" in described


def test_date_range_is_day_first_and_inclusive(get):
    published = dict(
        (row["id"], row["published_at"])
        for row in get("/news/articles.json?_shape=objects&_size=max").json()["rows"]
    )
    inside = row_ids(get, _from="14/10/2025", _to="31/12/2025")
    assert set(inside) == {k for k, v in published.items() if "2025-10-14" <= v[:10] <= "2025-12-31"}
    assert REVISED_ID in inside  # published 14/10/2025 08:45: the first day counts whole
    assert set(row_ids(get, _to="14/10/2025")) == {k for k, v in published.items() if v[:10] <= "2025-10-14"}
    assert row_ids(get, _from="2025-10-14", _to="2025-10-14") == [REVISED_ID]  # ISO works too
    page = get("/news/articles?" + urlencode({"_from": "01/10/2025", "_to": "31/10/2025"})).text
    assert "published from 01/10/2025 and published until 31/10/2025" in page
    assert 'name="_from" value="01/10/2025"' in page and 'placeholder="DD/MM/YYYY"' in page
    bad = get("/news/articles?_from=31/02/2025")
    assert bad.status_code == 400 and "_from: not a date" in htmllib.unescape(bad.text)
    backwards = get("/news/articles?_from=02/01/2025&_to=01/01/2025")
    assert backwards.status_code == 400 and "is before _from" in backwards.text


def test_table_search_snippets_and_phrase_matches_first(get):
    page = htmllib.unescape(get("/news/articles?_search=tinh+uy").text)
    assert "3 rows" in page and 'search matches "tinh uy"' in page
    rows = listing(page)
    block = rows[rows.index('<section class="vn-phrase">') : rows.index("</section>")]
    # Only Báo Nghệ An's article has "Tỉnh ủy" as written; the other two have both words apart.
    assert "Phrase matches first: 1 article with" in block
    assert "baonghean~3Ae2~3Apost275412" in block and "baolaocai" not in block
    assert 'href="/news/articles?_search=%22tinh+uy%22">show only them' in block.replace("&amp;", "&")
    assert "<mark>Tỉnh</mark> <mark>ủy</mark>" in block
    everything = rows[rows.index("</section>") :]
    assert everything.count('class="vn-row-title"') == 3
    assert everything.count('<div class="vn-snippet" lang="vi">') == 3
    assert "vn-phrase" not in listing(get("/news/articles?_search=%22tinh+uy%22").text)  # quoted: one tier
    assert "vn-phrase" not in listing(get("/news/articles?_search=uy").text)  # one word: one tier


def test_search_across_all_or_one_publisher(get):
    assert len(row_ids(get, _search="tinh uy")) == 3
    assert row_ids(get, _search="tinh uy", publisher="baolaocai") == ["baolaocai:post:post404649"]
    phrase_block = listing(
        get("/news/articles?" + urlencode({"_search": "tinh uy", "publisher": "baolaocai"})).text
    )
    assert "No article has the words as the phrase" in phrase_block

    def search(**params: str) -> list[tuple[str, str]]:
        query = urlencode({"section": "", "publisher": "", **params, "_shape": "objects"})
        return [
            (row["matched"], row["publisher"]) for row in get(f"/news/search.json?{query}").json()["rows"]
        ]

    ranked = search(q="tinh uy")
    assert ranked[0] == ("phrase", "baonghean") and [m for m, _ in ranked] == [
        "phrase",
        "all words",
        "all words",
    ]
    assert search(q="tinh uy", publisher="baolaocai") == [("all words", "baolaocai")]
    assert search(q="gia vang")[0] == ("phrase", "znews")
    # Within each tier: every word in the title, then in the lead, then elsewhere (found_in).
    query = urlencode({"q": "tinh uy", "section": "", "publisher": "", "_shape": "objects"})
    rows = get(f"/news/search.json?{query}").json()["rows"]
    places = ["title", "lead", "text"]
    keys = [(row["matched"] != "phrase", places.index(row["found_in"])) for row in rows]
    assert keys == sorted(keys) and [row["rank"] for row in rows] == [t * 3 + p for t, p in keys]


def test_reading_view_links_cites_and_lists_revisions(get):
    page = get(REVISED_ROW).text
    reading = page[page.index('<article class="vn-article"') : page.index("</article>")]
    assert '<a class="vn-author" href="/news/articles?_author=Quang+An">Quang An</a>' in reading
    assert '<a class="vn-section" href="/news/articles?section=Kinh+t%E1%BA%BF">Kinh tế</a>' in reading
    assert '<a class="vn-publisher" href="/news/articles?publisher=baonghean">Báo Nghệ An</a>' in reading
    assert '<a class="vn-tag" href="/news/articles?_tag=N%C3%B4ng+d%C3%A2n">Nông dân</a>' in reading
    assert "<h3>Earlier versions (1)</h3>" in reading
    assert '<a href="/news/revisions/1">revision 1</a>, captured 15/10/2025 10:00' in reading
    assert "the next version changed: title, text" in reading
    cite = htmllib.unescape(reading[reading.index('<section class="vn-cite"') :])
    url = "https://baonghean.vn/suc-bat-tu-phong-trao-nong-dan-nghe-an-thi-dua-san-xuat-kinh-doanh-gioi-10308168.html"
    archived = "Archived by vnnews on 16/10/2025 09:00 (+07:00)."
    assert (
        "Quang An. (2025, October 14). Sức bật từ phong trào nông dân Nghệ An thi đua sản xuất, kinh doanh "
        f"giỏi (cập nhật). <i>Báo Nghệ An</i>. {url} {archived}"
    ) in cite
    assert (
        "Quang An. “Sức bật từ phong trào nông dân Nghệ An thi đua sản xuất, kinh doanh giỏi (cập nhật).” "
        f"<i>Báo Nghệ An</i>, October 14, 2025. {url}. {archived}"
    ) in cite


def test_web_csv_is_the_export_of_vnnews_export(get, archive_db, tmp_path):
    for args, params in (
        ([], {}),
        (["--section", "Kinh tế", "--since", "01/01/2020"], {"section": "Kinh tế", "_from": "01/01/2020"}),
        (
            ["--publisher", "baonghean", "--search", "nghe an"],
            {"publisher": "baonghean", "_search": "nghe an"},
        ),
    ):
        target = tmp_path / "export.csv"
        target.unlink(missing_ok=True)
        command = [
            str(VNNEWS),
            "export",
            str(archive_db),
            "--format",
            "csv",
            "--bom",
            "-q",
            "-o",
            str(target),
        ]
        subprocess.run([*command, *args], check=True, capture_output=True)
        web = get("/news/articles.export.csv?" + urlencode({**params, "_bom": "on"}))
        assert web.status_code == 200 and web.headers["content-type"].startswith("text/csv")
        assert web.content == target.read_bytes(), args
    rows = list(csv.DictReader(io.StringIO(get("/news/articles.export.csv").text)))
    assert len(rows) == 12 and not get("/news/articles.export.csv").content.startswith(b"\xef\xbb\xbf")
    revised = next(row for row in rows if row["id"] == REVISED_ID)
    assert revised["authors"] == "Quang An" and "; " in next(r["tags"] for r in rows if ";" in r["tags"])


def test_bom_option_on_any_csv(get):
    plain, excel = get("/news/articles.csv?_size=2"), get("/news/articles.csv?_size=2&_bom=on")
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    assert excel.content == b"\xef\xbb\xbf" + plain.content
    query = get("/news/search.csv?q=nghe+an&section=&publisher=&_bom=on")
    assert query.content.startswith(b"\xef\xbb\xbfid,")
    page = get("/news/articles").text
    assert 'action="/news/articles.export.csv"' in page and 'name="_bom"' in page


def test_dates_read_day_first_everywhere(get):
    runs = get("/news/runs").text
    assert re.search(r"<time datetime=\"[0-9T:+-]+\" title=\"[^\"]+\">\d\d/\d\d/\d{4} \d\d:\d\d</time>", runs)
    revisions = get("/news/article_revisions?" + urlencode({"article": REVISED_ID})).text
    assert ">15/10/2025 10:00</time>" in revisions
    assert (
        get("/news/articles.json?_shape=objects&_size=1").json()["rows"][0]["published_at"].endswith("+07:00")
    )


def test_phrase_block_that_fails_leaves_the_page_standing(datasette):
    import asyncio

    from vnnews.web.plugin import listing, ranking

    db = datasette.get_database("news")
    found = asyncio.run(ranking.phrase_matches(db, "tinh uy", "no_such_column = 1", {}))
    assert found is not None and "no such column" in found.error and found.rows == []
    page = listing.Page([("_search", "tinh uy")], "/news/articles", "/news/articles.export.csv", str)
    block = str(listing.phrase_block(page, found))
    assert "could not be listed (no such column: no_such_column)" in block and "%22tinh+uy%22" in block
    ok = asyncio.run(ranking.phrase_matches(db, "tinh uy", "1", {}))
    assert ok is not None and ok.error == "" and [row["id"] for row in ok.rows] == ["baonghean:e2:post275412"]
