"""Publisher registry: every supported site is one spec (see ``spec.Publisher``)."""

from __future__ import annotations

from extraction.publishers.baocantho import BAOCANTHO
from extraction.publishers.baogialai import BAOGIALAI
from extraction.publishers.baohatinh import BAOHATINH
from extraction.publishers.baolaocai import BAOLAOCAI
from extraction.publishers.baonghean import BAONGHEAN
from extraction.publishers.hanoimoi import HANOIMOI
from extraction.publishers.spec import ArticleRef, IdScheme, MediaSection, Publisher, Section
from extraction.publishers.vnexpress import VNEXPRESS
from extraction.publishers.vtcnews import VTCNEWS
from extraction.publishers.znews import ZNEWS

# One line per publisher (docs/publishers.md): baonghean first, it is what `vnnews crawl` means alone.
PUBLISHERS: dict[str, Publisher] = {
    p.key: p
    for p in (BAONGHEAN, BAOLAOCAI, BAOHATINH, HANOIMOI, BAOGIALAI, BAOCANTHO, VNEXPRESS, VTCNEWS, ZNEWS)
}


def get(key: str) -> Publisher:
    try:
        return PUBLISHERS[key]
    except KeyError:
        raise KeyError(f"unknown publisher {key!r}; known: {', '.join(sorted(PUBLISHERS))}") from None


def site_names() -> frozenset[str]:
    """Every known paper's names (lower case): in a byline or breadcrumb they name a site, not a person."""
    return frozenset(name for publisher in PUBLISHERS.values() for name in publisher.known_names)


def for_url(url: str) -> Publisher | None:
    """The publisher whose hosts serve ``url``, if any."""
    for publisher in PUBLISHERS.values():
        if publisher.owns(url):
            return publisher
    return None


__all__ = [
    "PUBLISHERS",
    "ArticleRef",
    "IdScheme",
    "MediaSection",
    "Publisher",
    "Section",
    "for_url",
    "get",
    "site_names",
]
