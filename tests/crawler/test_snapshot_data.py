"""The snapshot ships its own copy of the sample pages (an installed package has no tests/ folder).
They must stay byte-identical to the extraction fixtures, so a fixture fix reaches the demo site too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixture_paths import page

DATA = Path(__file__).resolve().parents[2] / "crawler" / "snapshot" / "data"
PAGES = sorted(DATA.glob("*.html"))


def test_the_snapshot_ships_the_sample_pages() -> None:
    assert len(PAGES) >= 9


@pytest.mark.parametrize("packaged", PAGES, ids=[p.name for p in PAGES])
def test_packaged_page_equals_its_fixture(packaged: Path) -> None:
    assert packaged.read_bytes() == page(packaged.name).read_bytes()
