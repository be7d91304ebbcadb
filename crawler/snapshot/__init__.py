"""An offline copy of baonghean.vn built from the project's own samples, and a loopback server for it.

    from crawler.snapshot import Fault, SnapshotServer, build_snapshot

    snapshot = build_snapshot(tmp_dir, articles=50, version=1)
    with SnapshotServer(snapshot, faults={"/x-10400001.html": Fault.status(500)}) as server:
        ...  # vnnews crawl --base-url {server.base_url}

Command line: ``python -m crawler.snapshot serve --port 8000`` (see docs/crawling.md).
"""

from __future__ import annotations

from crawler.snapshot.build import Snapshot, build_snapshot
from crawler.snapshot.server import Fault, SnapshotServer, serve_directory

__all__ = ["Fault", "Snapshot", "SnapshotServer", "build_snapshot", "serve_directory"]
