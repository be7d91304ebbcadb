"""Báo Lào Cai's era templates: the EPI family's markup, SEEN on a real 2025 page."""

from __future__ import annotations

from extraction.templates.base import Template
from extraction.templates.cms import EpiTemplate


class E1Template(EpiTemplate):
    """E1: the EPI CMS as served in 2025 (the only era SEEN). All selectors are the family's; on its own
    domain two EPI features are proof enough (an unknown domain needs three)."""

    name = "baolaocai/e1"
    era = "e1"
    min_features = 2


TEMPLATES: tuple[Template, ...] = (E1Template(),)
