"""Shared by the extraction tests: where the fixtures are and how to load them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOT_ARTICLES = "not-articles"


def article_fixtures() -> list[Path]:
    """Every <publisher>/<era>/NAME.html that has an expected NAME.json beside it."""
    pages = []
    for publisher in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for era in sorted(p for p in publisher.iterdir() if p.is_dir() and p.name != NOT_ARTICLES):
            pages.extend(page for page in sorted(era.glob("*.html")) if page.with_suffix(".json").exists())
    return pages


def not_article_fixtures() -> list[Path]:
    return sorted(FIXTURES.glob(f"*/{NOT_ARTICLES}/*.html"))


def expected(page: Path) -> dict[str, Any]:
    return json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))


def fixture_id(page: Path) -> str:
    return "/".join(page.relative_to(FIXTURES).parts)
