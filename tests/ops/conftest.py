"""Fixtures of the operations tests: a small offline site and its loopback server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# pytest runs with --import-mode=importlib: make ops_helpers importable from the test modules.
sys.path.insert(0, str(Path(__file__).parent))

from ops_helpers import SMALL_SITE


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from crawler.snapshot import build_snapshot

    return build_snapshot(tmp_path_factory.mktemp("site"), articles=SMALL_SITE)


@pytest.fixture
def site_server(small_site: Any) -> Iterator[Any]:
    from crawler.snapshot import SnapshotServer

    with SnapshotServer(small_site) as server:
        yield server
