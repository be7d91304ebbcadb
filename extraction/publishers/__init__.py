"""Publisher registry: every supported site is one spec (see ``spec.Publisher``)."""

from __future__ import annotations

from extraction.publishers.baonghean import BAONGHEAN
from extraction.publishers.spec import ArticleRef, IdScheme, MediaSection, Publisher, Section

PUBLISHERS: dict[str, Publisher] = {BAONGHEAN.key: BAONGHEAN}


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
