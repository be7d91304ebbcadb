"""Spider ``baonghean``: the ``news`` spider for Báo Nghệ An (``scrapy crawl baonghean``).

Kept as its own module: Scrapyd jobs, cron lines and imports written before there were several
publishers name it. Every other publisher's spider is in crawler/spiders/sites.py.
"""

from __future__ import annotations

from crawler.spiders.news import NewsSpider, crawl_delay_to_obey, parse_day, user_agent

__all__ = ["BaongheanSpider", "crawl_delay_to_obey", "parse_day", "user_agent"]


class BaongheanSpider(NewsSpider):
    name = "baonghean"
    publisher_key = "baonghean"
