"""The installed distribution's version, read from its metadata, so that no lower floor imports the CLI."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vnnews")
except PackageNotFoundError:  # run from an egg or a bare checkout: no installed metadata
    __version__ = "0+unknown"
