"""``vnnews extract``: captured pages in, article JSON out (one object per page)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import click

EXIT_NOT_HTML = 2
EXIT_NOT_ARTICLE = 3


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


def _load_text_dump() -> Any:
    """The colleague-owned naive-text-dump parser, imported only when --text is used."""
    try:
        module = importlib.import_module("vnnews.extraction.textdump")
        return module.extract_text_dump
    except (ImportError, AttributeError):
        return None


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


@click.command("extract")
@click.argument("pages", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--url",
    help="URL the page was fetched from (one page only). The article URL is the page's canonical link "
    "when it has one, else this URL; a media or mirror URL makes the page a non-article.",
)
@click.option("--captured-at", "captured_at", help="When the page was captured (ISO 8601); breaks era ties.")
@click.option(
    "--explain",
    is_flag=True,
    help="Tell on stderr which template was chosen, why, and what each boilerplate rule removed.",
)
@click.option(
    "--text",
    "text_files",
    multiple=True,
    type=click.Path(allow_dash=True),
    help="A naive text dump (title, byline, sapo, body as plain text) instead of HTML.",
)
def extract(
    pages: tuple[str, ...],
    url: str | None,
    captured_at: str | None,
    explain: bool,
    text_files: tuple[str, ...],
) -> None:
    """Extract one clean article (JSON) from each captured page.

    One page prints one JSON object; several pages print JSON Lines, one object per page. Exit 2
    when a page is not HTML, empty or unreadable; exit 3 when it is HTML but not an article (a
    section page, the 404 page, a utility page). With several pages a bad one is reported on stderr
    and the rest are still processed; the exit code is that of the first failure.

    \b
    Example:
      vnnews extract page.html
      vnnews extract --explain --url https://baonghean.vn/x-10308168.html page.html
      vnnews extract a.html b.html c.html > articles.jsonl
      vnnews extract --text dump.txt
    """
    from vnnews.article import ExtractionError
    from vnnews.extraction import dates as date_parsing
    from vnnews.extraction import extract_explained

    if not pages and not text_files:
        raise click.UsageError("give at least one PAGE.html (or --text FILE)")
    if url and len(pages) + len(text_files) > 1:
        raise click.UsageError("--url names one page; give a single PAGE with it")
    if captured_at is not None and date_parsing.parse_captured_at(captured_at) is None:
        raise click.BadParameter(f"{captured_at!r} is not an ISO 8601 date", param_hint="--captured-at")

    several = len(pages) + len(text_files) > 1
    exit_code = 0

    def emit(article_dict: dict[str, Any]) -> None:
        if several:
            click.echo(json.dumps(article_dict, ensure_ascii=False))
        else:
            click.echo(json.dumps(article_dict, ensure_ascii=False, indent=2))

    def fail(path: str, code: int, reason: str) -> None:
        nonlocal exit_code
        kind = (
            "not HTML" if code == EXIT_NOT_HTML else "not an article" if code == EXIT_NOT_ARTICLE else "error"
        )
        _echo_err(f"vnnews extract: {path}: {kind}: {reason}")
        if exit_code == 0:
            exit_code = code

    for path in pages:
        try:
            data = _read(path)
        except OSError as error:
            fail(path, EXIT_NOT_HTML, f"cannot read file ({error.strerror or error})")
            continue
        try:
            article, explanation = extract_explained(data, url=url, captured_at=captured_at)
        except ExtractionError as error:
            fail(path, error.exit_code, error.reason)
            continue
        if explain:
            _echo_err(f"== {path}")
            for line in explanation.lines():
                _echo_err(line)
        emit(article.to_dict())

    for path in text_files:
        parse_dump = _load_text_dump()
        if parse_dump is None:
            raise click.UsageError("--text is not available yet (vnnews.extraction.textdump is missing)")
        try:
            text = _read(path).decode("utf-8", errors="replace")
        except OSError as error:
            fail(path, EXIT_NOT_HTML, f"cannot read file ({error.strerror or error})")
            continue
        try:
            article = parse_dump(text, url=url)
        except ExtractionError as error:
            fail(path, error.exit_code, error.reason)
            continue
        emit(article.to_dict())

    sys.exit(exit_code)
