"""End to end in real headless Chromium (Debian's, driven by Playwright) against `vnnews serve`.

Searches "nghe an" in the articles page's own search box, opens an article, checks the dashboard
draws its charts offline, and checks that an article full of script never runs any. Screenshots go
to the test's tmp dir and to screenshots/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EVIL_ROW = "/news/articles/baonghean~3Ae3~3A10999999"

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} missing: run `make browser` (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server, tmp_path):
    """A page that may only reach the local server, records dialogs, and screenshots on demand."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    local = urlsplit(server.base_url).netloc

    def only_local(route):
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            route.abort()  # no internet here, and the charts must not need any

    context.route("**/*", only_local)
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.base_url = server.base_url

    def shoot(name: str) -> None:
        target = tmp_path / f"{name}.png"
        tab.screenshot(path=str(target), full_page=True)
        keep = REPO / "screenshots"
        keep.mkdir(exist_ok=True)
        shutil.copy(target, keep / target.name)

    tab.shoot = shoot
    yield tab
    context.close()


def assert_no_script_ran(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []


def test_search_box_finds_nghe_an_and_article_reads_well(page):
    page.goto(f"{page.base_url}/news/articles")
    page.fill('input[name="_search"]', "nghe an")
    page.press('input[name="_search"]', "Enter")
    page.wait_for_url("**_search=nghe+an**")
    titles = page.locator("a.vn-row-title").all_inner_texts()
    assert titles and sum("Nghệ An" in title for title in titles) >= 2
    page.shoot("01-search-nghe-an")

    page.locator('a.vn-row-title[href*="10308168"]').first.click()
    page.wait_for_selector("article.vn-article")
    assert "Sức bật từ phong trào nông dân Nghệ An" in page.inner_text("article.vn-article h2.vn-title")
    assert page.locator("article.vn-article .vn-paragraphs p").count() >= 5
    caption = page.inner_text("article.vn-article figure.vn-figure figcaption")
    assert "Bích Hào" in caption and "Ảnh: T.P" in caption
    page.shoot("02-article")
    assert_no_script_ran(page)


def test_dashboard_draws_charts_offline(page):
    page.goto(f"{page.base_url}/-/dashboards/articles")
    for chart in ("per-month", "per-section", "per-publisher-month", "per-publisher"):
        drawn = page.wait_for_selector(f"#chart-{chart} canvas, #chart-{chart} svg", timeout=20_000)
        box = drawn.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
    assert page.inner_text("#chart-total").strip() == "12"
    assert page.inner_text("#chart-publishers").strip() == "6"
    page.shoot("03-dashboard")
    assert_no_script_ran(page)


def test_articles_page_reads_like_an_archive(page):
    """Compact rows, the search's phrase matches first with highlighted snippets, the date range."""
    page.goto(f"{page.base_url}/news/articles")
    heads = page.locator("table.vn-compact thead th").all_inner_texts()
    assert [head.replace("▼", "").strip() for head in heads] == [
        "Published",
        "Publisher",
        "Section",
        "Title",
        "Authors",
    ]
    dates = page.locator("table.vn-compact td.col-published_at").all_inner_texts()
    assert dates and all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", date.strip()) for date in dates)
    page.shoot("05-articles-compact")

    page.fill('input[name="_search"]', "tinh uy")
    page.press('input[name="_search"]', "Enter")
    page.wait_for_url("**_search=tinh+uy**")
    phrase = page.locator("section.vn-phrase")
    assert "Phrase matches first: 1 article" in phrase.inner_text()
    assert phrase.locator("mark").count() >= 2
    assert page.locator("div.vn-snippet").count() >= 3
    page.shoot("06-search-phrase-first")

    page.fill('form.vn-range input[name="_from"]', "01/01/2025")
    page.fill('form.vn-range input[name="_to"]', "31/12/2025")
    page.click('form.vn-range input[type="submit"]')
    page.wait_for_url("**_from=01%2F01%2F2025**")
    assert "_search=tinh+uy" in page.url  # the search rides along
    dates = page.locator("div.table-wrapper table.vn-compact td.col-published_at").all_inner_texts()
    assert dates and all(date.strip()[6:10] == "2025" for date in dates)
    assert "published from 01/01/2025" in page.inner_text("h3")
    page.shoot("07-date-range")
    assert_no_script_ran(page)


def test_reading_view_cites_and_links_to_lists(page):
    page.goto(f"{page.base_url}/news/articles/baonghean~3Ae3~3A10308168")
    cite = page.inner_text("section.vn-cite")
    assert "APA" in cite and "Chicago" in cite and "Archived by vnnews on 16/10/2025 09:00 (+07:00)" in cite
    assert "revision 1" in page.inner_text("section.vn-revisions")
    page.locator("section.vn-cite").scroll_into_view_if_needed()
    page.shoot("08-citation-and-revisions")
    page.click("section.vn-revisions >> text=See what changed")
    page.wait_for_url("**/article_revisions?**")
    assert "Đoạn đã sửa đổi." in page.inner_text("table.rows-and-columns")
    page.go_back()
    page.click("article.vn-article a.vn-author")
    page.wait_for_url("**_author=Quang+An**")
    titles = page.locator("a.vn-row-title").all_inner_texts()
    assert len(titles) == 1 and "Sức bật" in titles[0]
    page.shoot("09-author-list")
    assert_no_script_ran(page)


@pytest.mark.parametrize(
    "path",
    [
        EVIL_ROW,
        "/news/articles?_search=dang+bo",
        "/news/search?q=nghe+an&section=",
        "/news/articles?_facet=section&_facet_array=tags",
        "/-/dashboards/articles",
    ],
)
def test_stored_script_stays_inert(page, path):
    page.goto(f"{page.base_url}{path}")
    page.wait_for_load_state("networkidle")
    assert "__pwned" in page.content()  # the payload is on the page, as text
    assert_no_script_ran(page)
    if path == EVIL_ROW:
        assert "<script>window.__pwned=1" in page.inner_text("article.vn-article h2.vn-title")
        page.shoot("04-inert-article")
