"""Build the vnnews egg for Scrapyd, or build and deploy it, without touching the checkout.

Why not plain `scrapyd-deploy` in the repository root: scrapyd-client 2.x writes a setup.py there and
runs `setup.py bdist_egg`, which leaves setup.py, build/ and *.egg-info behind, and because the repo has a
pyproject.toml with a [project] table, setuptools ignores the setup.py's `scrapy` entry point, the one
Scrapyd reads to find the settings module (crawler.settings). The egg would deploy but every job would
fail. So this script copies the three packages and scrapy.cfg into a temporary directory, writes a
setup.py there with that entry point, and runs scrapyd-deploy in it.

    python deploy/scrapyd_egg.py build dist/vnnews.egg       # scrapyd-deploy --build-egg
    python deploy/scrapyd_egg.py deploy local -p vnnews      # scrapyd-deploy local -p vnnews
"""

from __future__ import annotations

import argparse
import configparser
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("vnnews", "extraction", "archive", "crawler")
DATA_PATTERNS = ["*.json", "*.html", "*.xml", "*.txt", "*.css", "*.js", "*.sql"]  # as pyproject.toml

SETUP_PY = """\
# Written by deploy/scrapyd_egg.py for a Scrapyd egg; not used for normal installs (see pyproject.toml).
from setuptools import find_packages, setup

setup(
    name="vnnews",
    version={version!r},
    packages=find_packages(include={includes!r}),
    package_data={{"": {patterns!r}}},
    entry_points={{"scrapy": ["settings = {settings}"]}},
    zip_safe=False,
)
"""


def project_version() -> str:
    text = (REPO / "vnnews" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    return match.group(1) if match else "0"


def settings_module(scrapy_cfg: Path) -> str:
    config = configparser.ConfigParser()
    config.read(scrapy_cfg, encoding="utf-8")
    return config.get("settings", "default", fallback="crawler.settings")


def stage(target: Path) -> Path:
    """Copy what the egg needs into `target` and write its setup.py; return `target`."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for package in PACKAGES:
        shutil.copytree(REPO / package, target / package, ignore=ignore)
    shutil.copy2(REPO / "scrapy.cfg", target / "scrapy.cfg")
    setup_py = SETUP_PY.format(
        version=project_version(),
        includes=[f"{package}*" for package in PACKAGES],
        patterns=DATA_PATTERNS,
        settings=settings_module(REPO / "scrapy.cfg"),
    )
    (target / "setup.py").write_text(setup_py, encoding="utf-8")
    return target


def scrapyd_deploy() -> str:
    # The scrapyd-deploy beside this interpreter, so the egg is built with the venv's setuptools.
    beside = Path(sys.executable).with_name("scrapyd-deploy")
    return str(beside) if beside.exists() else "scrapyd-deploy"


def run_in_stage(arguments: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="vnnews-egg-") as temp:
        staged = stage(Path(temp))
        return subprocess.run([scrapyd_deploy(), *arguments], cwd=staged).returncode


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the egg into FILE (scrapyd-deploy --build-egg)")
    build.add_argument("file", type=Path)
    commands.add_parser("deploy", help="build and upload; the rest is passed to scrapyd-deploy as it is")
    if argv[:1] == ["deploy"]:  # everything after it belongs to scrapyd-deploy, options included
        return run_in_stage(argv[1:])
    options = parser.parse_args(argv)
    egg = options.file.resolve()
    egg.parent.mkdir(parents=True, exist_ok=True)
    return run_in_stage(["--build-egg", str(egg)])


if __name__ == "__main__":
    sys.exit(main())
