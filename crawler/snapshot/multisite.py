"""Several site copies served side by side on 127.0.0.1, one port each (one "domain" each), for a
crawl of several publishers in one process (`vnnews crawl --publisher A --publisher B`).

    with SiteServers(build_sites(tmp, ["baonghean", "baolaocai"])) as servers:
        servers.base_urls   # {"baonghean": "http://127.0.0.1:41234", "baolaocai": "http://127.0.0.1:41235"}
        servers.crawl_options()   # ["-s", 'VNNEWS_BASE_URLS={...}'] for `vnnews crawl`
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from crawler.snapshot.build import Snapshot, build_snapshot
from crawler.snapshot.server import SnapshotServer
from crawler.snapshot.sitecopy import DEFAULT_ARTICLES, build_site


def build_sites(
    directory: str | Path,
    keys: list[str],
    articles: int = DEFAULT_ARTICLES,
    anchor: datetime | None = None,
    copies: int | None = None,
) -> dict[str, Snapshot]:
    """A copy per publisher under ``directory/<key>``: baonghean's full snapshot (``articles``), the
    others' site copies (``copies`` articles each, default ``articles``)."""
    root = Path(directory)
    built = {}
    for key in keys:
        if key == "baonghean":
            built[key] = build_snapshot(root / key, articles=articles, anchor=anchor)
        else:
            built[key] = build_site(key, root / key, articles=copies or articles, anchor=anchor)
    return built


class SiteServers:
    """One ``SnapshotServer`` per site copy, each on its own free port, started and stopped together."""

    def __init__(self, snapshots: dict[str, Snapshot], host: str = "127.0.0.1") -> None:
        self.servers = {key: SnapshotServer(snapshot, host=host) for key, snapshot in snapshots.items()}

    @property
    def base_urls(self) -> dict[str, str]:
        return {key: server.base_url for key, server in self.servers.items()}

    def crawl_options(self) -> list[str]:
        """``vnnews crawl`` options pointing every publisher at its copy."""
        return ["-s", "VNNEWS_BASE_URLS=" + json.dumps(self.base_urls)]

    def __enter__(self) -> SiteServers:
        started = []
        try:
            for server in self.servers.values():
                started.append(server.start())
        except BaseException:
            for server in started:
                server.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers.values():
            server.stop()
