"""Fixtures for the crawler tests: a snapshot built once per session, a loopback server per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.snapshot import Snapshot, SnapshotServer, build_snapshot


@pytest.fixture(scope="session")
def snapshot_v1(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """30 generated articles + the 6 sample pages; built once, never modified (servers only read it)."""
    return build_snapshot(tmp_path_factory.mktemp("snapshot-v1"), articles=30)


@pytest.fixture
def server(snapshot_v1: Snapshot) -> Iterator[SnapshotServer]:
    with SnapshotServer(snapshot_v1) as running:
        yield running
