"""Discovery parsers never raise, whatever a server sends (property-based)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler import discovery
from extraction.publishers import get

SITE = get("baonghean")
XMLISH = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400),
    st.lists(st.sampled_from(["<urlset>", "<url>", "<loc>", "</loc>", "<sitemapindex>", "<sitemap>", "<item>",
                              "<link>", "</link>", "<lastmod>", "2025-13-45", "<![CDATA[", "&bogus;", "x"]),
             max_size=40).map("".join),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(XMLISH)
def test_parsers_never_raise(body: bytes | str) -> None:
    for links in (
        discovery.parse_urlset(body),
        discovery.parse_sitemap_index(body),
        discovery.parse_rss(body),
        discovery.parse_section_page(body, "http://127.0.0.1:1/"),
    ):
        assert all(isinstance(link.url, str) for link in links)
    assert isinstance(discovery.parse_robots_sitemaps(body), list)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_article_url_never_raises_and_stays_on_the_base(url: str) -> None:
    result = discovery.article_url(url, "http://127.0.0.1:8123", SITE)
    assert result is None or result.startswith("http://127.0.0.1:8123/")
