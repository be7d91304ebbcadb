"""E1: the old CMS, ~2016 to mid 2022 (selectors SEEN in two public crawler configs for this site).

The sapo is the first ``p > strong`` of ``#content`` (with the "(Baonghean.vn) - " dateline) and the
author is a right-aligned bold sign-off at the bottom of ``#content``; neither is body text.
"""

from __future__ import annotations

from vnnews.extraction.templates.base import Template


class E1Template(Template):
    name = "baonghean/e1"
    era = "e1"
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
