"""``vnnews extract``: captured pages in, article JSON out (one object per page)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from extraction import dates as date_parsing
from extraction import extract_explained, limits
from extraction.article import ExtractionError, LimitExceeded
from extraction.limits import MAX_INPUT_BYTES, check_article
from extraction.textdump import extract_text_dump

EXIT_NOT_HTML = 2
EXIT_NOT_ARTICLE = 3


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


def _read(path: str, limit: int) -> bytes:
    """The file's bytes; never more than ``limit`` + 1 of them (memory stays bounded whatever is given:
    a longer input is refused by extraction's size check, which is told the file's real size)."""
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with Path(path).open("rb") as handle:
            limits.check_input_size(os.fstat(handle.fileno()).st_size)
            data = handle.read(limit + 1)  # a pipe or device reports no size
    limits.check_input_size(len(data), exact=False)
    return data


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
    when a page is not HTML, empty or unreadable, or over one of extraction's limits (size, markup
    depth, tags, attributes, output; the limit is named); exit 3 when it is HTML but not an article (a
    section page, the 404 page, a utility page). With several pages a bad one is reported on stderr
    and the rest are still processed; the exit code is that of the first failure.

    \b
    Example:
      vnnews extract page.html
      vnnews extract --explain --url https://baonghean.vn/x-10308168.html page.html
      vnnews extract a.html b.html c.html > articles.jsonl
      vnnews extract --text dump.txt
    """
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

    def fail(path: str, code: int, reason: str, kind: str | None = None) -> None:
        nonlocal exit_code
        kind = kind or (
            "not HTML" if code == EXIT_NOT_HTML else "not an article" if code == EXIT_NOT_ARTICLE else "error"
        )
        _echo_err(f"vnnews extract: {path}: {kind}: {reason}")
        if exit_code == 0:
            exit_code = code

    for path in pages:
        try:
            data = _read(path, MAX_INPUT_BYTES)
            article, explanation = extract_explained(data, url=url, captured_at=captured_at)
        except OSError as error:
            fail(path, EXIT_NOT_HTML, f"cannot read file ({error.strerror or error})")
            continue
        except LimitExceeded as error:
            fail(path, error.exit_code, error.reason, kind="over a limit")
            continue
        except ExtractionError as error:
            fail(path, error.exit_code, error.reason)
            continue
        if explain:
            _echo_err(f"== {path}")
            for line in explanation.lines():
                _echo_err(line)
        emit(article.to_dict())

    for path in text_files:
        parse_dump = extract_text_dump
        try:
            raw = _read(path, MAX_INPUT_BYTES)
            text = raw.decode("utf-8", errors="replace")
        except OSError as error:
            fail(path, EXIT_NOT_HTML, f"cannot read file ({error.strerror or error})")
            continue
        except LimitExceeded as error:
            fail(path, error.exit_code, error.reason, kind="over a limit")
            continue
        try:
            article = parse_dump(text, url=url)
            check_article(article)  # the same output bounds as a page's
        except LimitExceeded as error:
            fail(path, error.exit_code, error.reason, kind="over a limit")
            continue
        except ExtractionError as error:
            fail(path, error.exit_code, error.reason)
            continue
        emit(article.to_dict())

    sys.exit(exit_code)
