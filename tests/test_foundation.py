"""Foundation: the package layout, the CLI entry point and the one-way dependency rule."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from vnnews import __version__
from vnnews.cli import main

# Modules that must stay free of Scrapy: extraction is pure, storage does not crawl.
PURE_MODULES = ["extraction.text", "extraction.article", "extraction.publishers", "extraction", "archive"]


def test_version_and_help() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_every_command_is_registered_with_an_example() -> None:
    from vnnews.cli import COMMANDS

    runner = CliRunner()
    names = [command.name for command in COMMANDS]
    assert sorted(main.commands) == sorted(names)
    for name in names:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help has no example"


def test_unknown_command_fails_with_reason() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code != 0
    assert "No such command" in result.output


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_do_not_import_scrapy(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "bad = sorted(m for m in sys.modules if m == 'scrapy' or m.startswith('scrapy.')); "
        "print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"{module} imported {done.stdout.strip()}"


def test_console_script_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vnnews", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout


def test_article_fields_match_the_schema() -> None:
    import json
    from pathlib import Path

    from extraction.article import ARTICLE_FIELDS, Article

    schema = json.loads((Path(__file__).parents[1] / "extraction" / "article.schema.json").read_text("utf-8"))
    assert set(ARTICLE_FIELDS) == set(schema["properties"])
    assert tuple(Article(publisher="p", url="u", title="t").to_dict()) == ARTICLE_FIELDS


# The floors of the house (docs/architecture.md): a package may import only the floors below it.
FLOORS = {
    "extraction": set(),
    "archive": {"extraction"},
    "crawler": {"extraction", "archive"},
    "vnnews": {"extraction", "archive", "crawler"},
}


def _imported_floors(path) -> set[str]:
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in FLOORS)
    return found


@pytest.mark.parametrize("floor", sorted(FLOORS))
def test_every_import_points_down_a_floor(floor: str) -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / floor
    upward = {
        str(path.relative_to(root.parent)): sorted(_imported_floors(path) - FLOORS[floor] - {floor})
        for path in root.rglob("*.py")
    }
    assert not {path: floors for path, floors in upward.items() if floors}


def test_the_archive_path_has_one_name_and_the_lock_one_owner() -> None:
    """The crawl's archive path is the setting VNNEWS_DB only and its lock is the process's
    (crawler/lock.py): no side channel tells the pipeline that someone else locked it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    side_channel = "VNNEWS_LOCK" + "_HELD"
    sources = [p for floor in FLOORS for p in (root / floor).rglob("*.py")]
    sources += [*(root / "docs").glob("*.md"), root / "README.md"]
    assert [str(p) for p in sources if side_channel in p.read_text(encoding="utf-8")] == []
    pipelines = (root / "crawler" / "pipelines.py").read_text(encoding="utf-8")
    assert "CrawlLock(" not in pipelines  # the pipeline holds the process's lock (lock.hold)
    # The archive owns runs and crawl state: the crawl's own modules hold no SQL on its tables.
    for name in ("pipelines.py", "runner.py", "relink.py"):
        assert ".execute(" not in (root / "crawler" / name).read_text(encoding="utf-8"), name


# Own modules a command may import lazily: importing them loads a heavy library (Datasette, Scrapy).
LAZY_OWN = {"vnnews.web.app", "vnnews.web.plugin", "vnnews.web.plugin.limits", "crawler.spiders.sites"}
CLI_MODULES = ["vnnews/cli.py", "vnnews/commands", "vnnews/web/cli.py", "archive/cli.py", "archive/status.py"]
CLI_MODULES += [
    "archive/backfill_cli.py",
    "archive/merge_cli.py",
    "crawler/cli.py",
    "crawler/publishers_cli.py",
]


def test_commands_import_the_projects_modules_at_the_top() -> None:
    """Every command is a visible import: no import_module, and the project's own modules imported at
    the top of command modules (only heavy third-party libraries wait for the command body)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = [
        p
        for name in CLI_MODULES
        for p in ((root / name).rglob("*.py") if (root / name).is_dir() else [root / name])
    ]
    hidden = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                names = []
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                hidden += [
                    f"{path.name}: {n}" for n in names if n.split(".")[0] in FLOORS and n not in LAZY_OWN
                ]
    assert hidden == []
    for floor in ("vnnews", "archive", "crawler"):
        for path in (root / floor).rglob("*.py"):
            assert "import_module" not in path.read_text(encoding="utf-8"), path
