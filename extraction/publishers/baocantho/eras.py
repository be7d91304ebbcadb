"""Báo Cần Thơ's era templates (its own CMS). Selectors SEEN in a real 2026 page and a public config."""

from __future__ import annotations

from extraction.templates.base import Template


class E1Template(Template):
    """E1: the site as served in 2026. ``#colcate1`` holds a breadcrumb written as an h1
    (``.titlecate h1``: "THỜI SỰ > Cần Thơ", never the headline), ``span.pubdate`` "08/01/2026 - 18:21",
    the headline ``h1.fw700``, and the body ``#newscontents .content-fck`` whose first paragraph is the
    "(CTO) - " sapo and whose right-aligned bold last line ("Tin, ảnh: P.Y") the sign-off; tags
    ``.block_tag a.tag_item``."""

    name = "baocantho/e1"
    era = "e1"
    features = (
        ("#newscontents", "Báo Cần Thơ #newscontents"),
        (".content-fck", "Báo Cần Thơ .content-fck body"),
        (".titlecate", "Báo Cần Thơ .titlecate breadcrumb"),
        (".pubdate", "Báo Cần Thơ .pubdate"),
        (".block_tag, .tag_item", "Báo Cần Thơ tag box"),
    )
    container = ("#colcate1", "#content")
    body = ("#newscontents .content-fck", "#newscontents")
    title = ("h1.fw700", "h1.margintopbot10")
    visible_date = (".pubdate",)
    section = (".titlecate a",)
    tags = (".block_tag a.tag_item", "a.tag_item")


TEMPLATES: tuple[Template, ...] = (E1Template(),)
