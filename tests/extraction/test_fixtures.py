"""Fundus-style: every publisher, every era, every fixture page; every schema field compared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction import extract
from extraction.article import ARTICLE_FIELDS
from extraction.publishers import PUBLISHERS
from extraction.templates import templates_of

from .helpers import article_fixtures, expected, fixture_id

SCHEMA = Path(__file__).resolve().parents[2] / "extraction" / "article.schema.json"  # in the package
FIELDS = ARTICLE_FIELDS
PAGES = article_fixtures()


@pytest.mark.parametrize("key", list(PUBLISHERS))
def test_fixtures_exist_for_every_publisher_and_era(key: str) -> None:
    """Every era template of every publisher (or the CMS family that reads it) has a fixture page in
    tests/fixtures/<publisher>/<era>/ that it reads; the pages themselves are compared below."""
    eras = {template.era for template in templates_of(PUBLISHERS[key])}
    found = {page.parent.name for page in PAGES if page.parts[-3] == key}
    assert eras and eras <= found, f"{key}: eras {sorted(eras)}, fixture folders {sorted(found)}"


@pytest.mark.parametrize("page", PAGES, ids=[fixture_id(p) for p in PAGES])
def test_fixture_page(page: Path) -> None:
    want = expected(page)
    meta = want.get("meta", {})
    got = extract(page.read_bytes(), url=meta.get("url"), captured_at=meta.get("captured_at")).to_dict()
    wrong = {name: (got.get(name), want.get(name)) for name in FIELDS if got.get(name) != want.get(name)}
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("page", PAGES, ids=[fixture_id(p) for p in PAGES])
def test_fixture_without_url_uses_canonical_link(page: Path) -> None:
    want = expected(page)
    got = extract(page.read_bytes())
    assert got.url == want["url"]
    assert got.article_id == want["article_id"]


@pytest.mark.skipif(not SCHEMA.exists(), reason="article schema not in this checkout")
def test_output_matches_article_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for page in PAGES:
        jsonschema.validate(extract(page.read_bytes()).to_dict(), schema)
