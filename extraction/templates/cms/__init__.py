"""CMS family templates: the markup of one CMS, shared by every paper that runs it.

A page from a domain no publisher spec owns is read with the family template its markup names
(``parser`` "cms/epi"), else with the generic fallback. Publishers' era templates extend these.
"""

from __future__ import annotations

from extraction.templates.base import Template
from extraction.templates.cms.epi import EpiTemplate
from extraction.templates.cms.onecms import OneCmsTemplate

FAMILIES: tuple[Template, ...] = (OneCmsTemplate(), EpiTemplate())

__all__ = ["FAMILIES", "EpiTemplate", "OneCmsTemplate"]
