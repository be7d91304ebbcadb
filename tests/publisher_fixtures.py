"""Articles of several publishers for tests of the archive and Datasette across publishers.

The expected JSON of the real fixture pages (tests/fixtures/<publisher>/real/*.json, written by
reading each page) are articles of other papers than Báo Nghệ An. While a paper has no spec of its
own yet (branch pub-specs adds them), ``registered`` stands one in for the time of the block: its
host and an id taken from the URL's last number, which is all the archive needs to store an article.
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
    articles = {}
    for path in sorted(FIXTURES.glob("*/real/*.json")):
        key = path.parent.parent.name
        if key == "baonghean":
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("meta", None)
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
