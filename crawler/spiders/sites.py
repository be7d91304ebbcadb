"""One spider per publisher, named as the publisher (``scrapy crawl NAME``, Scrapyd's ``spider=NAME``).

Each is the ``news`` spider with its publisher fixed: plain classes, so ``scrapy list`` and a reader
see them all. Adding a publisher adds one class here and one name in ``SPIDERS``
(tests/crawler/test_spiders.py checks that every publisher has its spider).
"""

from __future__ import annotations

from crawler.spiders.baonghean import BaongheanSpider
from crawler.spiders.news import NewsSpider


class BaolaocaiSpider(NewsSpider):
    name = publisher_key = "baolaocai"


class BaohatinhSpider(NewsSpider):
    name = publisher_key = "baohatinh"


class HanoimoiSpider(NewsSpider):
    name = publisher_key = "hanoimoi"


class BaocanthoSpider(NewsSpider):
    name = publisher_key = "baocantho"


class VnexpressSpider(NewsSpider):
    name = publisher_key = "vnexpress"


class VtcnewsSpider(NewsSpider):
    name = publisher_key = "vtcnews"


class ZnewsSpider(NewsSpider):
    name = publisher_key = "znews"


class BaogialaiSpider(NewsSpider):
    name = publisher_key = "baogialai"


SPIDERS: dict[str, type[NewsSpider]] = {
    spider.publisher_key: spider
    for spider in (
        BaongheanSpider,
        BaolaocaiSpider,
        BaohatinhSpider,
        HanoimoiSpider,
        BaocanthoSpider,
        VnexpressSpider,
        VtcnewsSpider,
        ZnewsSpider,
        BaogialaiSpider,
    )
}


def spider_for(publisher: str) -> type[NewsSpider]:
    """The spider class that crawls ``publisher`` (KeyError names the known ones)."""
    try:
        return SPIDERS[publisher]
    except KeyError:
        known = ", ".join(sorted(SPIDERS))
        raise KeyError(f"no spider for publisher {publisher!r}; known: {known}") from None
