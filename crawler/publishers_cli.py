"""``vnnews publishers``: every publisher vnnews knows, from its spec, and what the archive holds of it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from archive.cliargs import DatabasePath
from archive.crawlstate import publisher_history
from archive.status import StatusError, _short_time, connect_readonly
from crawler.discovery import listing_documents
from extraction.publishers import PUBLISHERS
from extraction.templates import templates_of


def describe(publisher: Any) -> dict[str, Any]:
    """A publisher's spec as the command shows it: CMS family, eras, discovery sources, politeness."""
    eras = [
        {
            "parser": template.name,
            "valid_until": None if template.valid_until >= "9999" else template.valid_until,
        }
        for template in templates_of(publisher)
    ]
    listings = listing_documents(publisher)
    return {
        "key": publisher.key,
        "name": publisher.name,
        "site": publisher.base_url,
        "cms": publisher.cms or None,
        "eras": eras,
        "discovery": {
            "sitemap_index": publisher.sitemap_index_path or None,
            "news_sitemap": publisher.news_sitemap_path or None,
            "daily_sitemap": publisher.daily_sitemap_path or None,
            "feeds": [where for kind, where in listings if kind == "rss"],
            "section_pages": [where for kind, where in listings if kind == "section"],
        },
        "politeness": {"download_delay": publisher.download_delay, "concurrency": publisher.concurrency},
    }


def _short(value: str | None) -> str:
    return _short_time(value) if value else "-"


def _discovery_line(found: dict[str, Any]) -> str:
    parts = []
    for label, key in (("index", "sitemap_index"), ("news", "news_sitemap"), ("daily", "daily_sitemap")):
        if found[key]:
            parts.append(f"{label} {found[key]}")
    for label, key in (("feeds", "feeds"), ("section pages", "section_pages")):
        listed = found[key]
        if listed:
            parts.append(f"{label} {len(listed)} ({listed[0]}{', ...' if len(listed) > 1 else ''})")
    return "; ".join(parts) or "none"


def text_block(entry: dict[str, Any]) -> str:
    eras = ", ".join(
        f"{era['parser']} (until {era['valid_until']})" if era["valid_until"] else era["parser"]
        for era in entry["eras"]
    )
    polite = entry["politeness"]
    own = [f"delay {polite['download_delay']}s"] if polite["download_delay"] is not None else []
    own += [f"{polite['concurrency']} at a time"] if polite["concurrency"] is not None else []
    lines = [
        f"{entry['key']:<10} {entry['name']} ({entry['site']}), CMS {entry['cms'] or '-'}",
        f"  eras: {eras or 'none (the generic extractor)'}",
        f"  discovery: {_discovery_line(entry['discovery'])}",
        f"  politeness: {', '.join(own) if own else 'the crawl settings'}",
    ]
    if "archive" in entry:
        held = entry["archive"]
        lines.append(
            f"  archive: {held.get('articles', 0)} articles, newest {_short(held.get('newest'))}, "
            f"last successful crawl {_short(held.get('last_crawl'))}"
            + (f" (run {held['last_run']})" if held.get("last_run") else "")
        )
    return "\n".join(lines)


@click.command("publishers")
@click.option(
    "--db",
    "db",
    type=DatabasePath(),
    help="Also show what this archive holds of each publisher: articles, newest, last successful crawl.",
)
@click.option("as_json", "--json", is_flag=True, help="One JSON array on stdout instead of text.")
def publishers(db: Path | None, as_json: bool) -> None:
    """List every publisher vnnews can crawl: CMS family, eras, discovery sources, politeness.

    Each name is what `vnnews crawl --publisher NAME`, `scrapy crawl NAME` and Scrapyd's spider=NAME
    take. With --db, each publisher's articles in that archive and its last successful crawl.

    Exit codes: 0 listed; 1 the archive could not be read; 2 wrong usage (--db is not a vnnews archive).

    \b
    Example:
      vnnews publishers
      vnnews publishers --db news.db
      vnnews publishers --json | jq '.[].key'
    """
    entries = [describe(publisher) for publisher in PUBLISHERS.values()]
    if db is not None:
        history = _history(db)
        for entry in entries:
            entry["archive"] = history.get(entry["key"], {})
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=1))
        return
    click.echo("\n".join(text_block(entry) for entry in entries))


def _history(db: Path) -> dict[str, dict[str, Any]]:
    import sqlite3

    try:
        conn = connect_readonly(db)
    except StatusError as error:
        click.echo(f"vnnews publishers: {error}", err=True)
        sys.exit(2)
    try:
        return publisher_history(conn)
    except sqlite3.Error as error:
        click.echo(f"vnnews publishers: cannot read {db}: {error}", err=True)
        sys.exit(1)
    finally:
        conn.close()
