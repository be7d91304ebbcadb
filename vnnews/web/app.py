"""Build the Datasette instance ``vnnews serve`` runs: metadata, plugins, settings, read-only database.

Kept apart from the click command so tests build the very same instance and drive it with
Datasette's test client.
"""

from __future__ import annotations

import copy
import json
import types
from pathlib import Path
from typing import Any

# The metadata is written for a database named "news" (news.db, the name the docs use). Datasette
# names a database after its file, so for any other file name the keys are renamed at start-up.
METADATA_DATABASE = "news"
METADATA_FILE = "datasette-metadata.json"

# One source of truth: the top-level file in a checkout (editable install); an installed wheel
# carries the same file as package data through the symlink vnnews/web/datasette-metadata.json.
_CANDIDATES = (
    Path(__file__).resolve().parents[2] / METADATA_FILE,
    Path(__file__).resolve().parent / METADATA_FILE,
)

SETTINGS: dict[str, Any] = {
    # Researchers write their own SQL; a runaway query must not hog the server.
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    # Suggesting facets runs one query per column on every table page: with 20,000 articles that
    # tripled the time of a search page (4.5 s -> 1.4 s without). The column menus still offer facets.
    "suggest_facets": False,
    "default_page_size": 50,
    # One page of JSON or HTML, and one chunk of a streamed CSV export: 1,000 articles are ~7-15 MB
    # of row data, well inside the plugin's 32 MiB per-query budget (plugin/limits.py).
    "max_returned_rows": 1000,
    # "Stream all rows" CSV export of any table or query.
    "allow_csv_stream": True,
    "max_csv_mb": 500,
    # Table views show long texts shortened; the row page shows them whole.
    "truncate_cells_html": 300,
}


def metadata_path() -> Path:
    for candidate in _CANDIDATES:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{METADATA_FILE} not found (looked in {', '.join(map(str, _CANDIDATES))})")


def load_metadata(database_name: str = METADATA_DATABASE) -> dict[str, Any]:
    """The metadata with its database section and dashboard charts renamed for ``database_name``."""
    metadata = json.loads(metadata_path().read_text(encoding="utf-8"))
    return rename_database(metadata, database_name)


def rename_database(metadata: dict[str, Any], database_name: str) -> dict[str, Any]:
    if database_name == METADATA_DATABASE:
        return metadata
    renamed = copy.deepcopy(metadata)
    databases = renamed.get("databases", {})
    if METADATA_DATABASE in databases:
        databases[database_name] = databases.pop(METADATA_DATABASE)
    for dashboard in renamed.get("plugins", {}).get("datasette-dashboards", {}).values():
        for item in [*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()]:
            if item.get("db") == METADATA_DATABASE:
                item["db"] = database_name
    return renamed


def register_plugin() -> None:
    """Register our plugin with Datasette's plugin manager unless the entry point already did."""
    from datasette.plugins import pm

    from vnnews.web import plugin

    if not any(registered is plugin for registered in pm.get_plugins()):
        pm.register(plugin, name="vnnews.web.plugin")
    _markdown_without_cells(pm)


# datasette-render-markdown (a dependency of datasette-dashboards) looks up its plugin configuration for
# every cell of every table page to see whether the column is one to render as Markdown: 1,450 cells on
# an articles page of 50 rows, ~30 ms of its ~90 (100,000 articles, docs/performance.md). No column of
# the archive is Markdown, so `vnnews serve` keeps the plugin's template function and Jinja tag (the
# dashboards' Markdown charts use them) and leaves out its cell hook.
_MARKDOWN = "render_markdown"
_MARKDOWN_KEPT = "vnnews.render_markdown_without_cells"


def _markdown_without_cells(pm: Any) -> None:
    markdown = pm.get_plugin(_MARKDOWN)
    if markdown is None or pm.get_plugin(_MARKDOWN_KEPT) is not None:
        return
    kept = types.ModuleType(_MARKDOWN_KEPT)  # a plugin is any hashable object with hook functions
    kept.extra_template_vars = markdown.extra_template_vars  # type: ignore[attr-defined]
    kept.prepare_jinja2_environment = markdown.prepare_jinja2_environment  # type: ignore[attr-defined]
    pm.unregister(name=_MARKDOWN)
    pm.register(kept, name=_MARKDOWN_KEPT)


def build_datasette(
    db_path: str | Path, immutable: bool = False, settings: dict[str, Any] | None = None
) -> Any:
    """A Datasette over one archive database, opened read-only (``mode=ro``) or immutable."""
    from datasette.app import Datasette

    register_plugin()
    path = str(Path(db_path))
    database_name = Path(path).stem
    return Datasette(
        files=[] if immutable else [path],
        immutables=[path] if immutable else [],
        metadata=load_metadata(database_name),
        settings={**SETTINGS, **(settings or {})},
        cors=False,
    )
