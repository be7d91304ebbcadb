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
archive/processes.py). SIGTERM is handled like Ctrl-C. The snapshot server is a thread of the demo.
"""

from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from archive.cliargs import DatabasePath

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


def crawl_snapshot(db: Path, articles: int) -> int:
    """Build the offline sites (baonghean's snapshot and every other publisher's site copy), serve
    each on its own loopback port, crawl them all into `db` in one `vnnews crawl`; its exit code."""
    from crawler.snapshot.multisite import SiteServers, build_sites
    from crawler.snapshot.sitecopy import sites_with_copies

    keys = ["baonghean", *(key for key in sites_with_copies() if key != "baonghean")]
    with tempfile.TemporaryDirectory(prefix="vnnews-demo-site-") as site_dir:
        sites = build_sites(Path(site_dir), keys, articles=articles, copies=min(articles, SITE_COPY_ARTICLES))
        with SiteServers(sites, host=DEMO_HOST) as servers:
            for key, url in servers.base_urls.items():
                say(f"offline copy of {key} ({len(sites[key].articles)} articles) served at {url}")
            # A first crawl reads only the newest daily sitemaps; the demo wants the whole copies.
            first = min(site.first_day for site in sites.values())
            last = max(site.last_day for site in sites.values())
            window = ("-s", f"VNNEWS_RECENT_DAYS={(last - first).days + 1}")
            chosen = [word for key in keys for word in ("--publisher", key)]
            crawl_args = ("--db", str(db), *chosen, *servers.crawl_options(), *window, *FAST_LOCAL_CRAWL)
            command = vnnews_command("crawl", *crawl_args)
            say("crawling them: vnnews " + " ".join(command[3:]))
            return run_child(command)


def run_child(command: list[str]) -> int:
    """Run a child command that ends with us; on Ctrl-C or SIGTERM stop it, then raise
    KeyboardInterrupt."""
    from archive.processes import die_with_parent_preexec

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
    default=40,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Articles in baonghean's generated offline site (the other publishers' copies: at most 16).",
)
@click.option(
    "--no-serve", is_flag=True, help="Crawl, print the summary and exit without starting Datasette."
)
def demo(db: Path, port: int, articles: int, no_serve: bool) -> None:
    """Crawl offline copies of the publishers' sites and browse the result, with no internet.

    Serves the copies bundled with vnnews on 127.0.0.1, one port per site: baonghean.vn's snapshot
    (built from the project's fixture pages and real text of baonghean.vn) and a copy of every other
    publisher that has one (its real article markup, texts of its own). Crawls them all with one
    `vnnews crawl --publisher ...` into DB, then serves DB with Datasette on 127.0.0.1:PORT and prints
    the URL. Ctrl-C stops Datasette.

    \b
    Example:
      vnnews demo                       # then open http://127.0.0.1:8001/demo/articles
      vnnews demo --db /tmp/try.db --articles 200 --port 8002
      vnnews demo --no-serve            # crawl only
    """
    if not no_serve and not port_is_free(port):  # say so now, not after the crawl
        click.echo(f"vnnews demo: port {port} on {DEMO_HOST} is in use; pass another --port", err=True)
        sys.exit(2)
    # A supervisor's (or `kill`'s) SIGTERM stops the demo and its children like Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        sys.exit(crawl_and_serve(db, port, articles, no_serve))
    except KeyboardInterrupt:  # everything already fetched is in DB; the crawl marked its run interrupted
        say("interrupted")
        sys.exit(130)


def crawl_and_serve(db: Path, port: int, articles: int, no_serve: bool) -> int:
    code = crawl_snapshot(db, articles)
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
