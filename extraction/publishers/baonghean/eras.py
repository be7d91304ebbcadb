"""Báo Nghệ An's era templates, newest first (the order breaks ties between equally good matches).

Each era names the date its markup stopped being served (``valid_until``): when markup fits several
eras equally, the capture date picks the era that was live then.
"""

from __future__ import annotations

from extraction.templates.base import Template
from extraction.templates.cms import EpiTemplate, OneCmsTemplate


class E3Template(OneCmsTemplate):
    """E3: OneCMS, mid/late 2024 to now (the live site). Selectors SEEN on baonghean.vn or SISTER sites."""

    name = "baonghean/e3"
    era = "e3"
    valid_until = "9999-12-31"
    min_features = 2


class E2Template(EpiTemplate):
    """E2: EPI CMS, mid 2022 to mid 2024. Class names SISTER (EPI), order of parts SEEN in page text."""

    name = "baonghean/e2"
    era = "e2"
    valid_until = "2024-07-01"
    min_features = 2


class E1Template(Template):
    """E1: the old CMS, ~2016 to mid 2022 (selectors SEEN in two public crawler configs for this site).

    The sapo is the first ``p > strong`` of ``#content`` (with the "(Baonghean.vn) - " dateline) and the
    author is a right-aligned bold sign-off at the bottom of ``#content``; neither is body text.
    """

    name = "baonghean/e1"
    era = "e1"
    valid_until = "2022-07-01"
    features = (
        ("#content", "E1 #content body"),
        ("h1.title, #title", "E1 h1.title/#title"),
        ("#date", "E1 #date"),
        ("#nav", "E1 #nav breadcrumb"),
        ("#tags_list, table.rl, .image_desc", "E1 tags_list/table.rl/image_desc"),
    )
    min_features = 3
    container = (".article", "#main .col-left", "#wrapper")
    body = ("#content",)
    title = (".article h1.title", "#title", "h1.title", "h1")
    # Usually the sapo is the bold first paragraph of #content; some pages set it apart above.
    lead = ("#sapo", ".sapo", "h2.summary", ".summary")
    visible_date = ("#date", ".date")
    section = ("#nav a",)
    tags = ("#tags_list a", ".tags a")
    # E1 has no sapo or byline element: both live in #content, bold.
    legacy_bold = True
    signoff_first = True


TEMPLATES: tuple[Template, ...] = (E3Template(), E2Template(), E1Template())
