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


@cache
def _family(cms: str) -> tuple[Template, ...]:
    from extraction.templates.cms import FAMILIES

    return tuple(family for family in FAMILIES if family.era == cms)


def templates_of(publisher: Publisher) -> tuple[Template, ...]:
    """The publisher's era templates, newest first. A spec naming no module but a CMS family
    (``cms="epi"``) is read by that family's template as it is; a spec naming neither has none (the
    generic extractor reads its pages)."""
    if publisher.templates:
        return _load(publisher.templates)
    return _family(publisher.cms) if publisher.cms else ()


__all__ = ["Fields", "Template", "templates_of"]
