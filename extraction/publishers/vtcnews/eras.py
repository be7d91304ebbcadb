"""VTC News's era templates (its own CMS). Selectors SEEN in a real 2025 page and a public crawler config."""

from __future__ import annotations

from extraction.templates.base import Template


class E1Template(Template):
    """E1: the site as served in 2025. ``section.nd-detail`` holds the h1, the section link
    ``a.mt-category`` beside ``span.time-update`` ("Thứ Tư, 24/12/2025 09:30:00 +07:00"), the sapo
    ``h2.font18`` and the body ``div.edittor-content`` (SEEN; the site's own spelling); the short
    author name is a right-aligned ``div.author-make`` after the body, JSON-LD names the author in full."""

    name = "vtcnews/e1"
    era = "e1"
    features = (
        (".edittor-content", "VTC News .edittor-content body"),
        (".nd-detail", "VTC News section.nd-detail"),
        (".time-update", "VTC News .time-update"),
        (".mt-category", "VTC News a.mt-category"),
    )
    container = ("section.nd-detail", ".nd-detail")
    body = ("div.edittor-content", ".edittor-content")
    title = (".nd-detail h1", "h1")
    lead = (".nd-detail h2.font18", ".nd-detail h2")
    visible_date = (".time-update",)
    section = ("a.mt-category",)


TEMPLATES: tuple[Template, ...] = (E1Template(),)
