"""Article extraction: HTML in, ``Article`` out. Pure: no Scrapy, no I/O.

``extract(html, url=None, captured_at=None) -> Article`` and ``extract_explained`` (the article plus an
``Explanation`` for --explain). Both raise only ``NotHtmlError`` or ``NotAnArticleError``.
"""

from __future__ import annotations

from extraction.engine import extract, extract_explained
from extraction.explain import Explanation

__all__ = ["Explanation", "extract", "extract_explained"]
