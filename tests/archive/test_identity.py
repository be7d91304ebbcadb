"""An article's identity is decided once, by extraction (``Article.ref``); the archive stores it as it is
and works it out from URLs only for an article that carries none (``archive.store.resolve_ref``)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from archive import Archive
from archive.ingest import Extracted
from extraction import extract
from extraction.article import ARTICLE_FIELDS
from extraction.publishers import ArticleRef, get
from tests.fixture_paths import page

LOCAL = "http://127.0.0.1:8000"
STORY = "/nghe-an-khoi-cong-du-an-10308168.html"


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_extraction_decides_the_identity_and_the_json_does_not_change() -> None:
    html = page("e3-10308168.html").read_bytes()
    article = extract(html, url=LOCAL + STORY)
    assert article.ref == ArticleRef("baonghean", "e3", "10308168")
    expected = json.loads(page("e3-10308168.json").read_text(encoding="utf-8"))
    expected.pop("meta")
    assert article.to_dict() == expected  # the identity's scheme is not in the article JSON
    assert tuple(article.to_dict()) == ARTICLE_FIELDS


def test_the_archive_stores_the_identity_extraction_decided_over_the_urls(tmp_path: Path, sample) -> None:
    """Extraction's ref wins even where the URLs alone would name another article."""
    article = sample("e3-10308168")
    assert get("baonghean").identify(article.url)[1] == ArticleRef("baonghean", "e3", "10308168")
    article.article_id, article.id_scheme = "post275412", "e2"  # as if the page named its own id
    db = tmp_path / "news.db"
    with Archive.open(db) as arc:
        result = arc.ingest(
            url=LOCAL + STORY,
            body=b"<html></html>",
            fetched_at="2025-10-15T09:00:00+07:00",
            extracted=Extracted(article, parser=article.parser),
        )
    assert result.article_key == "baonghean:e2:post275412"
    assert rows(db, "SELECT id, id_scheme, article_id FROM articles") == [
        ("baonghean:e2:post275412", "e2", "post275412")
    ]
    assert rows(db, "SELECT article_id FROM captures") == [("baonghean:e2:post275412",)]


def test_without_an_identity_the_urls_decide_redirect_and_mirror(tmp_path: Path, sample) -> None:
    """An article read back from JSON has no ref: its URL decides; a canonical link naming no article
    falls back to the final URL after redirects, on a mirror's host too (Publisher.identify)."""
    db = tmp_path / "news.db"
    with Archive.open(db) as arc:
        article = sample("e3-10308168")
        assert article.ref is None
        assert arc.save_article(article) == "new"
        moved = sample("e3-10289658")
        moved.url = "https://baonghean.vn/thoi-su"  # a canonical link that names no article
        result = arc.ingest(
            url=LOCAL + "/old-story-post275412.html",
            final_url=LOCAL + "/moved-story-10289658.html",
            body=b"<html></html>",
            fetched_at="2025-10-15T09:00:00+07:00",
            extracted=Extracted(moved, parser=moved.parser),
        )
    assert result.article_key == "baonghean:e3:10289658"
    assert sorted(rows(db, "SELECT id, url FROM articles")) == [
        ("baonghean:e3:10289658", LOCAL + "/moved-story-10289658.html"),
        ("baonghean:e3:10308168", article.url),
    ]
