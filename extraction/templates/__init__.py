"""Templates: the ``Template`` base, and each publisher's era templates found through its spec.

A publisher's spec names the module holding its era templates (``Publisher.templates``); that module
is imported only when a page is extracted, so the publisher registry stays plain data.
"""

from __future__ import annotations

import importlib
from functools import cache

from extraction.publishers import Publisher
from extraction.templates.base import Fields, Template


@cache
def _load(module: str) -> tuple[Template, ...]:
    return tuple(importlib.import_module(module).TEMPLATES)


def templates_of(publisher: Publisher) -> tuple[Template, ...]:
    """The publisher's era templates, newest first (none when its spec names no module)."""
    return _load(publisher.templates) if publisher.templates else ()


__all__ = ["Fields", "Template", "templates_of"]
