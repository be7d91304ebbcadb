"""Báo Nghệ An templates, newest era first (the order breaks ties between equally good matches)."""

from __future__ import annotations

from vnnews.extraction.templates.base import Fields, Template
from vnnews.extraction.templates.e1 import E1Template
from vnnews.extraction.templates.e2 import E2Template
from vnnews.extraction.templates.e3 import E3Template

TEMPLATES: dict[str, tuple[Template, ...]] = {
    "baonghean": (E3Template(), E2Template(), E1Template()),
}

__all__ = ["TEMPLATES", "E1Template", "E2Template", "E3Template", "Fields", "Template"]
