"""The snapshot's packaged files (crawler/snapshot/data/): the sample pages of every era and site files."""

from __future__ import annotations

from importlib import resources


def read_data(name: str) -> bytes:
    return resources.files("crawler.snapshot.data").joinpath(name).read_bytes()
