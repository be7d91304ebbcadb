"""The recipe for adding a publisher (docs/publishers.md), checked piece by piece for every publisher.

A publisher is whole when it has: a spec package registered under its key, evidence saying what was
SEEN and what INFERRED, an era module or a CMS family to read its pages, at least one fixture page
with expected JSON for every era, and a site copy for the crawl tests and the demo. The site copies
live in crawler/snapshot/sites/<key> (built on the crawler side); that registry is checked whenever
the folder exists, and baonghean's copy is the snapshot itself (crawler/snapshot/build.py).
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from extraction.publishers import PUBLISHERS, IdScheme, Publisher
from extraction.templates import templates_of
from extraction.templates.cms import FAMILIES

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SITES = REPO / "crawler" / "snapshot" / "sites"
# Fixture folders of a publisher that are not eras: pages the generic extractor reads, non-articles.
NON_ERA_FOLDERS = frozenset({"generic", "not-articles"})
# Publishers whose site copy is not under crawler/snapshot/sites: baonghean's is the snapshot itself.
SITE_COPY_ELSEWHERE = {"baonghean": REPO / "crawler" / "snapshot" / "build.py"}
FAMILY_ERAS = {family.era: type(family) for family in FAMILIES}


def _fixtures(folder: Path) -> list[Path]:
    return sorted(page for page in folder.glob("*.html") if page.with_suffix(".json").exists())


def missing_pieces(publisher: Publisher, fixtures: Path = FIXTURES, sites: Path = SITES) -> list[str]:
    """What the publisher lacks, one line per missing piece (empty when it is whole)."""
    key = publisher.key
    missing = []
    if PUBLISHERS.get(key) is not publisher:
        missing.append(f"{key}: not registered in extraction/publishers/__init__.py PUBLISHERS")
    try:
        importlib.import_module(f"extraction.publishers.{key}")
    except ImportError:
        missing.append(f"{key}: no package extraction/publishers/{key}/")
    evidence = publisher.evidence
    if not evidence.strip() or not ("SEEN" in evidence or re.search(r"\b(?:shared|docs)/", evidence)):
        missing.append(f"{key}: spec evidence must say what was SEEN (or name the file that does)")
    if not publisher.hosts or not publisher.id_schemes:
        missing.append(f"{key}: spec needs hosts and at least one id scheme")
    if publisher.cms and publisher.cms not in FAMILY_ERAS:
        missing.append(f"{key}: cms {publisher.cms!r} is not a family in extraction/templates/cms")
    try:
        templates = templates_of(publisher)
    except ImportError as error:
        return [*missing, f"{key}: templates module {publisher.templates!r} does not import ({error})"]
    if not templates:
        missing.append(f"{key}: neither an era module (templates=) nor a CMS family (cms=) reads its pages")
    if publisher.templates:
        for template in templates:
            if not template.name.startswith(f"{key}/"):
                missing.append(f"{key}: era template {template.name!r} is not named {key}/<era>")
        family = FAMILY_ERAS.get(publisher.cms)
        if templates and family is not None and not isinstance(templates[0], family):
            missing.append(f"{key}: its newest era does not extend the {publisher.cms} family template")
    for template in templates:
        folder = fixtures / key / template.era
        pages = [page for page in _fixtures(folder) if _reads(page, key, template.name)]
        if not pages:
            missing.append(
                f"{key}: no fixture for era {template.era!r}: {folder.relative_to(fixtures.parent.parent)}/"
                f"NAME.html with NAME.json (publisher {key!r}, parser {template.name!r})"
            )
    if sites.is_dir():
        elsewhere = SITE_COPY_ELSEWHERE.get(key)
        has_copy = (sites / key).is_dir() or (sites / f"{key}.py").is_file()
        if not has_copy and not (elsewhere is not None and elsewhere.exists()):
            missing.append(f"{key}: no site copy crawler/snapshot/sites/{key} (docs/publishers.md, step 5)")
    return missing


def _reads(page: Path, key: str, parser: str) -> bool:
    want = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return want.get("publisher") == key and want.get("parser") == parser


@pytest.mark.parametrize("key", list(PUBLISHERS))
def test_every_publisher_has_every_piece(key: str) -> None:
    assert missing_pieces(PUBLISHERS[key]) == []


def test_every_fixture_folder_is_an_era_of_a_known_publisher() -> None:
    """A fixture no era reads (a stale folder, a typo, a publisher never registered) is never walked
    by the era checks above: it is named here instead."""
    stray = []
    for folder in sorted(p for p in FIXTURES.glob("*/*") if p.is_dir() and _fixtures(p)):
        key, era = folder.parent.name, folder.name
        publisher = PUBLISHERS.get(key)
        eras = {template.era for template in templates_of(publisher)} if publisher else set()
        if era not in eras | NON_ERA_FOLDERS:
            stray.append(str(folder.relative_to(REPO)))
    assert stray == []


def test_a_publisher_missing_each_piece_is_named(tmp_path: Path) -> None:
    """The checks can fail: a spec with nothing but a key and a host lacks every other piece."""
    bare = Publisher(
        key="baomoi-example",
        name="Báo Mẫu",
        hosts=("baomoi-example.vn",),
        language="vi",
        timezone="Asia/Ho_Chi_Minh",
        id_schemes=(IdScheme("post", re.compile(r"-(post\d+)\.html$")),),
        excluded_prefixes=(),
        sections=(),
        cms="epi",
    )
    (tmp_path / "sites").mkdir()
    missing = "\n".join(
        missing_pieces(bare, fixtures=tmp_path / "tests" / "fixtures", sites=tmp_path / "sites")
    )
    assert "not registered" in missing
    assert "no package" in missing
    assert "evidence" in missing
    assert "no fixture for era 'epi'" in missing
    assert "no site copy" in missing
    no_reader = Publisher(**{**bare.__dict__, "cms": ""})
    assert any("neither an era module" in line for line in missing_pieces(no_reader, tmp_path, tmp_path))


def test_a_known_publishers_fixture_read_by_another_parser_does_not_count(tmp_path: Path) -> None:
    baolaocai = PUBLISHERS["baolaocai"]
    era = tmp_path / "tests" / "fixtures" / "baolaocai" / "e1"
    era.mkdir(parents=True)
    (era / "page.html").write_text("<html></html>", encoding="utf-8")
    (era / "page.json").write_text(
        json.dumps({"publisher": "baolaocai", "parser": "cms/epi"}), encoding="utf-8"
    )
    missing = missing_pieces(baolaocai, fixtures=tmp_path / "tests" / "fixtures", sites=tmp_path / "none")
    assert missing == [
        "baolaocai: no fixture for era 'e1': tests/fixtures/baolaocai/e1/NAME.html with NAME.json "
        "(publisher 'baolaocai', parser 'baolaocai/e1')"
    ]
