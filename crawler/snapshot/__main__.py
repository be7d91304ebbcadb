"""``python -m crawler.snapshot build DIR`` / ``serve [--dir DIR] [--port N]``: the offline site by hand."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from crawler.snapshot.build import DEFAULT_IMAGE_BASE, Snapshot, build_snapshot
from crawler.snapshot.server import SnapshotServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.snapshot",
        description="Build or serve the offline snapshot of baonghean.vn.",
        epilog="Example: python -m crawler.snapshot serve --port 8000 --articles 50",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write a snapshot into a folder")
    build.add_argument("directory")
    serve = commands.add_parser("serve", help="serve a snapshot on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--dir", help="a snapshot built earlier (default: build one in a temporary folder)")
    serve.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    for sub in (build, serve):
        sub.add_argument("--articles", type=int, default=30, help="generated articles (default 30)")
        sub.add_argument(
            "--version", type=int, default=1, choices=(1, 2), help="2: with new and edited articles"
        )
        sub.add_argument(
            "--anchor", help="newest article's time, ISO 8601 (to rebuild version 2 of a snapshot)"
        )
        sub.add_argument("--days", type=int, help="spread the articles over that many days (as the demo)")
    build.add_argument(
        "--image-base",
        default=DEFAULT_IMAGE_BASE,
        help=f"origin of the server that will serve it, named by image URLs (default {DEFAULT_IMAGE_BASE})",
    )
    args = parser.parse_args(argv)
    anchor = datetime.fromisoformat(args.anchor) if args.anchor else None
    if args.command == "build":
        snapshot = build_snapshot(
            args.directory,
            args.articles,
            args.version,
            anchor=anchor,
            days=args.days,
            image_base=args.image_base,
        )
        print(
            f"built {args.directory}: {len(snapshot.articles)} articles,"
            f" {snapshot.first_day} .. {snapshot.last_day}"
        )
        return 0
    temporary = None
    if args.dir:
        server = SnapshotServer(Snapshot.load(args.dir), port=args.port)
    else:  # bound first, so the pages' image URLs name this server
        temporary = tempfile.mkdtemp(prefix="vnnews-snapshot-")
        server = SnapshotServer(Snapshot(Path(temporary), {}), port=args.port)
        server.load(
            build_snapshot(
                temporary,
                args.articles,
                args.version,
                anchor=anchor,
                days=args.days,
                image_base=server.base_url,
            )
        )
    snapshot = server.snapshot
    print(
        f"serving {snapshot.root} at {server.base_url}/ (articles from {snapshot.first_day}); Ctrl-C stops",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
