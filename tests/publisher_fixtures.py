"""Articles of several publishers for tests of the archive and Datasette across publishers.

The expected JSON of the fixture pages of the other papers (tests/fixtures/<publisher>/<era>/*.json,
written by reading each page) are articles of other papers than Báo Nghệ An: the real pages only (a
fixture built from a family's markup would repeat another paper's page), one per publisher.
Every paper with fixtures has a spec; ``registered`` still stands one in for a key the registry does
not know (its host and an id taken from the URL's last number, all the archive needs to store it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from extraction import publishers
from extraction.article import Article
from extraction.publishers import IdScheme, Publisher
from tests.fixture_paths import FIXTURES

# The last URL segment's id: a-196670.html, post404649.html, ar994669.html, 4954454.html.
_STAND_IN_ID = IdScheme("e1", re.compile(r"^[a-z0-9-]*?-?([a-z]*\d+)\.html?$"), "stand-in for tests")


def real_fixture_articles() -> dict[str, Article]:
    """Publisher key (the fixture folder) -> its real page's expected article, baonghean excepted."""
    articles: dict[str, Article] = {}
    for path in sorted(FIXTURES.glob("*/*/*.json")):
        key = path.parent.parent.name
        if key == "baonghean" or key in articles:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if not str((data.pop("meta", None) or {}).get("source", "")).startswith("real-pages/"):
            continue
        articles[key] = Article.from_dict(data)
    return articles


def stand_in(key: str, url: str) -> Publisher:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return Publisher(
        key=key,
        name=key,
        hosts=(host, f"www.{host}"),
        language="vi",
        timezone="Asia/Ho_Chi_Minh",
        id_schemes=(_STAND_IN_ID,),
        excluded_prefixes=(),
        sections=(),
    )


@contextmanager
def registered(articles: dict[str, Article]) -> Iterator[None]:
    """Every publisher of ``articles`` known to the registry for the block (stand-ins for the missing)."""
    added = [key for key in articles if key not in publishers.PUBLISHERS]
    for key in added:
        publishers.PUBLISHERS[key] = stand_in(key, articles[key].url or "")
    try:
        yield
    finally:
        for key in added:
            publishers.PUBLISHERS.pop(key, None)
