"""VnExpress's era templates (its own CMS; no family of ours). Selectors SEEN in a real 2025 page."""

from __future__ import annotations

from extraction.templates.base import Template


class E1Template(Template):
    """E1: the site as served in 2025. Body ``article.fck_detail`` of ``p.Normal`` paragraphs, sapo
    ``p.description``, date "Thứ tư, 22/10/2025, 19:25 (GMT+7)" in ``span.date``, the author as a
    right-aligned bold last paragraph, breadcrumb "Sức khỏe > Tin tức" (the section is the first)."""

    name = "vnexpress/e1"
    era = "e1"
    features = (
        ("article.fck_detail, .fck_detail", "VnExpress .fck_detail body"),
        ("h1.title-detail, .title-detail", "VnExpress h1.title-detail"),
        ("p.description", "VnExpress p.description sapo"),
        (".page-detail, .sidebar-1", "VnExpress .page-detail/.sidebar-1"),
    )
    container = (".page-detail .sidebar-1", ".page-detail", ".sidebar-1")
    body = ("article.fck_detail", ".fck_detail")
    title = ("h1.title-detail", "h1")
    lead = ("p.description",)
    byline = ("p.author_mail", ".author_mail")
    visible_date = ("span.date", ".header-content .date")
    section = ("ul.breadcrumb li:first-child a",)


TEMPLATES: tuple[Template, ...] = (E1Template(),)
