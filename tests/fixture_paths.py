"""Where the test data lives. Every path is inside the repository, so a clone runs the suite alone.

The six article pages reconstructed in shared/baonghean/samples were copied, byte for byte, into
tests/fixtures/baonghean/<era>/ (the non-article samples into not-articles/); the seed text dump into
tests/fixtures/seed/; the article schema ships with the package as extraction/article.schema.json.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
PAGES = FIXTURES / "baonghean"
SCHEMA_PATH = REPO / "extraction" / "article.schema.json"
SEED_PATH = FIXTURES / "seed" / "000_9229ddef5bc43529.txt"

# The reconstructed article pages from shared/ (the variant-* fixtures are the project's own).
SHARED_SAMPLES = (
    "e1-51874",
    "e1-67164",
    "e2-post249990",
    "e2-post275412-seed",
    "e3-10289658",
    "e3-10308168",
)


def page(name: str) -> Path:
    """A fixture file by its name, whatever era folder holds it ("section-thoi-su.html")."""
    matches = sorted(PAGES.glob(f"*/{name}"))
    if not matches:
        raise FileNotFoundError(f"no fixture named {name} under {PAGES}")
    return matches[0]


def sample_json_paths() -> list[Path]:
    """Expected JSON of the shared samples, in name order."""
    return [page(f"{name}.json") for name in SHARED_SAMPLES]
