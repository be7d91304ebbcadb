"""`vnnews demo`: the whole product on one machine, offline, in one command.

Serves the bundled offline copies of the publishers' sites on 127.0.0.1 (baonghean's snapshot and
the site copies of crawler/snapshot/sites, one port each), crawls them with the real `vnnews crawl`
into one archive, then serves that archive with Datasette on 127.0.0.1 and prints the URL. Nothing
leaves the loopback interface.

The crawl and Datasette run as child processes (`python -m vnnews crawl|serve`), exactly the
commands a user would type: a demo that took a private path through the code would prove nothing,
and Scrapy's reactor cannot be restarted in one process anyway.

The children end with the demo, however it ends: each runs in its own process group (a Ctrl-C from
the terminal reaches only the demo, which passes one SIGINT on, so the crawl stops gracefully and
records its run as interrupted) and asks the kernel to kill it if the demo dies (PR_SET_PDEATHSIG,
archive/processes.py). SIGTERM is handled like Ctrl-C. The snapshot server is a thread of the demo; it
runs until Datasette stops, since it serves the placeholder pictures the archived articles show.
"""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from archive.cliargs import DatabasePath
from archive.processes import die_with_parent_preexec
from crawler.snapshot import Snapshot, SnapshotServer, build_snapshot
from crawler.snapshot.multisite import SiteServers
from crawler.snapshot.sitecopy import build_site, sites_with_copies

DEMO_HOST = "127.0.0.1"  # the demo never listens beyond this machine
# Politeness is for the real site; the snapshot server is ours and local, so the demo crawls at full speed.
FAST_LOCAL_SETTINGS = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "RETRY_BACKOFF_BASE=0",
)
FAST_LOCAL_CRAWL = tuple(word for setting in FAST_LOCAL_SETTINGS for word in ("-s", setting))
# How long a child may take to stop after our SIGINT before it is killed: the crawl finishes the pages
# in flight from a local server (well under a second) and records its run; Datasette closes at once.
CHILD_STOP_TIMEOUT = 15.0
# Articles in each other publisher's site copy at most: its pages are real pages of 100-250 KB, and a
# few per section already fill its facets and charts (baonghean's site takes --articles as it is).
SITE_COPY_ARTICLES = 16
# The offline site's port: fixed, because the archive keeps the pictures' URLs (on this server) and a later
# demo into the same archive should show them again. Another free port when it is taken.
DEMO_SITE_PORT = 8002
DEMO_ARTICLES = 300  # with the samples, link-only and media stories: a few hundred in the archive
DEMO_DAYS = 400  # the generated articles span more than a year: monthly charts and trends have a shape
CRAWL_OK = (0, 3)  # 3: partial success; the demo site has no faults, but a partial archive is still a demo


def say(message: str) -> None:
    click.echo(f"demo: {message}", err=True)


def vnnews_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "vnnews", *args]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is fine
        try:
            sock.bind((DEMO_HOST, port))
        except OSError:
            return False
    return True


def count_articles(db: Path) -> int:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("select count(*) from articles").fetchone()[0])
    finally:
        conn.close()


@contextmanager
def offline_sites(articles: int, site_port: int) -> Iterator[tuple[dict[str, Snapshot], dict[str, str]]]:
    """Build the offline sites (baonghean's snapshot and every other publisher's site copy) and serve
    each on loopback until the block ends (crawl, then Datasette: every page's placeholder pictures come
    from baonghean's server, so they all outlive the crawl). Yields the sites and their base URLs."""
    others = [key for key in sites_with_copies() if key != "baonghean"]
    with tempfile.TemporaryDirectory(prefix="vnnews-demo-site-") as site_dir:
        root = Path(site_dir)
        port = site_port if port_is_free(site_port) else 0
        # Serving first (nothing yet), so the pages can name its address; the site is built and loaded next.
        server = SnapshotServer(Snapshot(root / "baonghean", {}), port=port, host=DEMO_HOST).start()
        if port != site_port:
            say(
                f"port {site_port} is in use: the site is served on {server.port} (pictures of articles an "
                "earlier demo archived will not show)"
            )
        try:
            site = build_snapshot(
                root / "baonghean", articles=articles, days=DEMO_DAYS, image_base=server.base_url
            )
            server.load(site)
            say(f"offline copy of baonghean ({articles} demo stories, {DEMO_DAYS} days) at {server.base_url}")
            copies = {
                key: build_site(
                    key,
                    root / key,
                    articles=min(articles, SITE_COPY_ARTICLES),
                    days=DEMO_DAYS,
                    image_base=server.base_url,
                )
                for key in others
            }
            with SiteServers(copies, host=DEMO_HOST) as servers:
                for key, url in servers.base_urls.items():
                    say(f"offline copy of {key} ({len(copies[key].articles)} demo stories) at {url}")
                yield {"baonghean": site, **copies}, {"baonghean": server.base_url, **servers.base_urls}
        finally:
            server.stop()


def crawl_snapshot(db: Path, sites: dict[str, Snapshot], base_urls: dict[str, str]) -> int:
    """Crawl the served offline sites into `db` in one `vnnews crawl`; its exit code."""
    # A first crawl reads only the newest daily sitemaps; the demo wants the whole copies.
    first = min(site.first_day for site in sites.values())
    last = max(site.last_day for site in sites.values())
    window = ("-s", f"VNNEWS_RECENT_DAYS={(last - first).days + 1}")
    chosen = [word for key in sites for word in ("--publisher", key)]
    urls = ("-s", "VNNEWS_BASE_URLS=" + json.dumps(base_urls))
    crawl_args = ("--db", str(db), *chosen, *urls, *window, *FAST_LOCAL_CRAWL)
    command = vnnews_command("crawl", *crawl_args)
    say("crawling them: vnnews " + " ".join(command[3:]))
    return run_child(command)


def run_child(command: list[str]) -> int:
    """Run a child command that ends with us; on Ctrl-C or SIGTERM stop it, then raise
    KeyboardInterrupt."""
    # Own process group: a terminal's Ctrl-C reaches only us, and we pass exactly one SIGINT on (a
    # second one would make Scrapy stop uncleanly, before it records its run).
    process = subprocess.Popen(command, process_group=0, preexec_fn=die_with_parent_preexec())
    try:
        return process.wait()
    except KeyboardInterrupt:
        stop_child(process)
        raise


def stop_child(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=CHILD_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve_archive(db: Path, port: int) -> int:
    command = vnnews_command("serve", str(db), "--host", DEMO_HOST, "--port", str(port))
    try:
        return run_child(command)
    except KeyboardInterrupt:  # the user asked to stop: Datasette has stopped, that is a success
        return 0


@click.command("demo")
@click.option(
    "--db",
    type=DatabasePath(create=True),
    default=Path("demo.db"),
    show_default=True,
    help="Archive to crawl into, in the current directory by default. It is kept: run `vnnews serve` "
    "on it later; a second demo crawls it again incrementally (nothing new to fetch).",
)
@click.option(
    "--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Datasette's port."
)
@click.option(
    "--articles",
    default=DEMO_ARTICLES,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Demo articles in baonghean's generated offline site, spread over 400 days (every other "
    "publisher's site copy: at most 16 over the same days).",
)
@click.option(
    "--site-port",
    default=DEMO_SITE_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of baonghean's offline site, which also serves the articles' placeholder pictures while "
    "the demo runs (another free port when it is taken; 0: any).",
)
@click.option(
    "--no-serve", is_flag=True, help="Crawl, print the summary and exit without starting Datasette."
)
def demo(db: Path, port: int, articles: int, site_port: int, no_serve: bool) -> None:
    """Crawl offline copies of the publishers' sites and browse the result, with no internet.

    Serves the copies bundled with vnnews on 127.0.0.1, one port per site: baonghean.vn's snapshot
    (the project's real sample pages, and demo stories written for vnnews at URLs starting with /demo-)
    and a copy of every other publisher that has one (its real article markup, demo stories of its own),
    with placeholder pictures. Crawls them all with one `vnnews crawl --publisher ...` into DB, then
    serves DB with Datasette on 127.0.0.1:PORT and prints the URL. Ctrl-C stops Datasette and the sites.

    \b
    Example:
      vnnews demo                       # then open http://127.0.0.1:8001/demo/articles
      vnnews demo --db /tmp/try.db --articles 500 --port 8003
      vnnews demo --no-serve            # crawl only
    """
    if not no_serve and not port_is_free(port):  # say so now, not after the crawl
        click.echo(f"vnnews demo: port {port} on {DEMO_HOST} is in use; pass another --port", err=True)
        sys.exit(2)
    # A supervisor's (or `kill`'s) SIGTERM stops the demo and its children like Ctrl-C does. SIGINT is
    # taken explicitly: Python leaves it ignored when the demo was started with it ignored (a background
    # job of a script, a test runner that ignores it), and then Ctrl-C would never stop the demo.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        sys.exit(crawl_and_serve(db, port, articles, no_serve, site_port))
    except KeyboardInterrupt:  # everything already fetched is in DB; the crawl marked its run interrupted
        say("interrupted")
        sys.exit(130)


def crawl_and_serve(db: Path, port: int, articles: int, no_serve: bool, site_port: int) -> int:
    with offline_sites(articles, site_port) as (sites, base_urls):
        code = crawl_snapshot(db, sites, base_urls)
        if code == 75:
            say(f"another crawl is writing {db}; wait for it or pass another --db")
            return 75
        if code not in CRAWL_OK or not db.is_file():
            say(f"the crawl failed (exit {code}); see the messages above")
            return 1
        say(f"{db} holds {count_articles(db)} articles")
        if no_serve:
            return 0
        click.echo(f"Open http://{DEMO_HOST}:{port}/{db.stem}/articles  (Ctrl-C to stop)")
        return serve_archive(db, port)
