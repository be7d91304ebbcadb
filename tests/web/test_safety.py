"""Stored HTML is never live: an article whose every field carries script stays inert on every page."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import lxml.html
import pytest

EVIL_ID = "baonghean:e3:10999999"
EVIL_SECTION = "<script>window.__pwned=12</script>Thời sự"


def live_payloads(page: str) -> list[str]:
    """Elements or attributes of the parsed page that would run a stored payload."""
    found = []
    for element in lxml.html.fromstring(page).iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script" and "__pwned" in (element.text or ""):
            found.append(f"<script>{element.text}")
        for name, value in element.attrib.items():
            if name.lower().startswith("on") and "__pwned" in value:
                found.append(f"<{element.tag} {name}={value!r}>")
            if name.lower() in ("href", "src") and value.strip().lower().startswith("javascript:"):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


PAGES = [
    f"/news/articles/{quote(EVIL_ID.replace(':', '~3A'))}",
    "/news/articles",
    "/news/articles?_search=nghe+an",
    "/news/articles?" + urlencode({"section": EVIL_SECTION}),
    # Compact rows, snippets, the phrase block and the hidden inputs of the page's forms.
    "/news/articles?" + urlencode({"_search": "nghe an tin", "_from": "01/01/2025"}),
    "/news/articles?" + urlencode({"_author": "<script>window.__pwned=10</script>Phóng viên"}),
    "/news/articles?" + urlencode({"_tag": "<img src=x onerror=window.__pwned=11>"}),
    "/news/articles?_columns=all",
    "/news/search?" + urlencode({"q": "nghe an", "section": ""}),
    "/news/author_articles?" + urlencode({"author": "<script>window.__pwned=10</script>Phóng viên"}),
    "/news/images",
    "/news/article_authors",
    "/news/article_tags",
    "/-/dashboards/articles",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_stored_payload_is_live(get, path):
    response = get(path)
    assert response.status_code == 200
    assert "__pwned" in response.text, "the payload should be on the page, escaped"
    assert live_payloads(response.text) == []


def test_reading_view_escapes_and_drops_unsafe_image_urls(get):
    html = get(f"/news/articles/{quote(EVIL_ID.replace(':', '~3A'))}").text
    reading = html[html.index('<article class="vn-article"') : html.index("</article>")]
    assert "&lt;script&gt;window.__pwned=1" in reading
    assert '="javascript:' not in reading
    assert "(image URL not shown: not http/https)" in reading
    # The https URL with a quote in it stays one attribute value.
    assert 'src="https://127.0.0.1:9/a.jpg&#34; onerror=&#34;window.__pwned=9"' in reading


def test_checker_finds_live_payloads():
    # The check above must be able to fail.
    assert live_payloads('<p><img src=x onerror="window.__pwned=1"></p>')
    assert live_payloads("<div><script>window.__pwned=1</script></div>")
    assert live_payloads('<a href="javascript:alert(1)">x</a>')
