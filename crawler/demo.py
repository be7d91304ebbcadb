"""`vnnews demo`: the whole product on one machine, offline, in one command.

Serves the bundled offline snapshot of the site on 127.0.0.1, crawls it with the real `vnnews crawl`
into an archive, then serves that archive with Datasette on 127.0.0.1 and prints the URL. Nothing
leaves the loopback interface.

The crawl and Datasette run as child processes (`python -m vnnews crawl|serve`), exactly the
commands a user would type: a demo that took a private path through the code would prove nothing,
and Scrapy's reactor cannot be restarted in one process anyway.
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
    """Build the offline site, serve it on loopback, crawl it into `db`; the crawl's exit code."""
    from crawler.snapshot import SnapshotServer, build_snapshot

    with tempfile.TemporaryDirectory(prefix="vnnews-demo-site-") as site_dir:
        site = build_snapshot(Path(site_dir), articles=articles)
        with SnapshotServer(site, host=DEMO_HOST) as server:
            say(f"offline copy of the site ({articles} articles) served at {server.base_url}")
            # A first crawl reads only the newest daily sitemaps; the demo wants the whole copy.
            every_day = (site.last_day - site.first_day).days + 1
            window = ("-s", f"VNNEWS_RECENT_DAYS={every_day}")
            crawl_args = ("--db", str(db), "--base-url", server.base_url, *window, *FAST_LOCAL_CRAWL)
            command = vnnews_command("crawl", *crawl_args)
            say("crawling it: vnnews " + " ".join(command[3:]))
            return subprocess.run(command).returncode


def serve_archive(db: Path, port: int) -> int:
    command = vnnews_command("serve", str(db), "--host", DEMO_HOST, "--port", str(port))
    process = subprocess.Popen(command)
    try:
        return process.wait()
    except KeyboardInterrupt:
        # From a terminal, Ctrl-C reached Datasette too; from a supervisor (or a test) only we got it.
        # Either way the user asked to stop: pass it on, give Datasette a moment, and exit 0.
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
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
    help="Articles in the generated offline site.",
)
@click.option(
    "--no-serve", is_flag=True, help="Crawl, print the summary and exit without starting Datasette."
)
def demo(db: Path, port: int, articles: int, no_serve: bool) -> None:
    """Crawl an offline copy of the site and browse the result, with no internet.

    Serves the snapshot bundled with vnnews (built from the project's fixture pages and real text of
    baonghean.vn) on 127.0.0.1, crawls it with `vnnews crawl` into DB, then serves DB with Datasette
    on 127.0.0.1:PORT and prints the URL. Ctrl-C stops Datasette.

    \b
    Example:
      vnnews demo                       # then open http://127.0.0.1:8001/demo/articles
      vnnews demo --db /tmp/try.db --articles 200 --port 8002
      vnnews demo --no-serve            # crawl only
    """
    if not no_serve and not port_is_free(port):  # say so now, not after the crawl
        click.echo(f"vnnews demo: port {port} on {DEMO_HOST} is in use; pass another --port", err=True)
        sys.exit(2)
    try:
        code = crawl_snapshot(db, articles)
    except KeyboardInterrupt:  # everything already fetched is in DB; the crawl marks its run interrupted
        say("interrupted")
        sys.exit(130)
    if code == 75:
        say(f"another crawl is writing {db}; wait for it or pass another --db")
        sys.exit(75)
    if code not in CRAWL_OK or not db.is_file():
        say(f"the crawl failed (exit {code}); see the messages above")
        sys.exit(1)
    say(f"{db} holds {count_articles(db)} articles")
    if no_serve:
        return
    click.echo(f"Open http://{DEMO_HOST}:{port}/{db.stem}/articles  (Ctrl-C to stop)")
    sys.exit(serve_archive(db, port))
