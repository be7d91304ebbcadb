"""One spider per publisher, named as the publisher (``scrapy crawl NAME``, Scrapyd's ``spider=NAME``).

Each is the ``news`` spider with its publisher fixed: plain classes, so ``scrapy list`` and a reader
see them all. Adding a publisher adds one class here (tests/crawler/test_spiders.py checks that every
publisher has its spider).
"""

from __future__ import annotations

from crawler.spiders.baonghean import BaongheanSpider
from crawler.spiders.news import NewsSpider

SPIDERS: dict[str, type[NewsSpider]] = {spider.publisher_key: spider for spider in (BaongheanSpider,)}


def spider_for(publisher: str) -> type[NewsSpider]:
    """The spider class that crawls ``publisher`` (KeyError names the known ones)."""
    try:
        return SPIDERS[publisher]
    except KeyError:
        known = ", ".join(sorted(SPIDERS))
        raise KeyError(f"no spider for publisher {publisher!r}; known: {known}") from None
