from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from archive import Archive
from vnnews.article import Article

SAMPLES = Path("/work/shared/baonghean/samples")


@pytest.fixture
def sample() -> Callable[[str], Article]:
    """Loads an expected-output sample (e.g. "e3-10308168") as an Article."""

    def load(name: str) -> Article:
        return Article.from_dict(json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8")))

    return load


@pytest.fixture
def sample_names() -> list[str]:
    return [p.stem for p in sorted(SAMPLES.glob("*.json"))]


@pytest.fixture
def arc(tmp_path: Path):
    archive = Archive.open(tmp_path / "news.db")
    yield archive
    archive.close()
