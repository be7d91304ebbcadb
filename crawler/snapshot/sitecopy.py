"""Offline copies of the other publishers' sites: their real article markup, texts of our own.

Each publisher with a copy has ``crawler/snapshot/sites/<key>/article.html``: its article page (a
fixture page of tests/fixtures/<key>/) made a template by ``make_template``: the title, lead, body
paragraphs, captions, URL, id and date of the story are slots (``@@TITLE@@``, ``@@P0@@`` ...), so no
text of the real story is shipped. ``build_site`` fills the slots with N demo stories of the corpus
(crawler/snapshot/stories.py: each one coherent story, at a URL whose slug says ``demo-``), points
every picture of the page at a placeholder (crawler/snapshot/placeholders.py) and writes the
documents that announce them in the publisher's own URL forms, from its spec: robots.txt, the sitemap
index, the news sitemap, daily sitemaps, feeds and section pages. The result is a ``Snapshot`` that
``SnapshotServer`` serves like baonghean's.

``python -m crawler.snapshot.sitecopy KEY PAGE.html`` remakes a template from a page.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
import sys
from datetime import datetime, timedelta
from email.utils import format_datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from crawler.discovery import LOCAL_TZ
from crawler.snapshot import placeholders
from crawler.snapshot.build import DEFAULT_IMAGE_BASE, DEMO_PREFIX, Snapshot
from crawler.snapshot.pages import make_slug, news_sitemap, sitemap_index
from crawler.snapshot.stories import stories
from extraction.publishers import PUBLISHERS, Publisher
from extraction.text import clean_text

SITES_PACKAGE = "crawler.snapshot.sites"
TEMPLATE = "article.html"
# Articles per site copy: every section gets one or two, the demo's per-publisher charts have points.
DEFAULT_ARTICLES = 16
ARTICLES_PER_DAY = 4  # spread over several days, so daily sitemaps and date facets have something
TEXT_FIELDS = ("paragraphs", "lead", "captions")  # in the pages, not in the manifest
ID_OFFSET = 1000  # generated ids above the real page's, in its own id form


def sites_with_copies() -> list[str]:
    """Publishers that have a site copy, in registry order."""
    root = resources.files(SITES_PACKAGE)
    return [key for key in PUBLISHERS if root.joinpath(key).joinpath(TEMPLATE).is_file()]


def read_template(key: str) -> str:
    return resources.files(SITES_PACKAGE).joinpath(key).joinpath(TEMPLATE).read_text(encoding="utf-8")


# --- making a template from a real page -------------------------------------------------------------


def _id_token(publisher: Publisher, url: str) -> str:
    ref = publisher.article_ref(url)
    if ref is None:
        raise ValueError(f"{url} is not an article URL of {publisher.key}")
    return ref.article_id


def make_template(publisher: Publisher, page: bytes) -> str:
    """The real page with its story's texts, URL, id and date as slots (raises ValueError when the
    page's texts cannot all be found, so a template never ships a real paragraph)."""
    from extraction import extract

    article = extract(page)
    if article.publisher != publisher.key or not article.url:
        raise ValueError(f"the page is not an article of {publisher.key} ({article.publisher})")
    tree = lxml_html.fromstring(page.decode("utf-8", "replace"))
    body_slots = 0
    for index, paragraph in enumerate(article.paragraphs):
        if _slot_element(tree, paragraph, f"@@P{index}@@"):
            body_slots = index + 1
        else:
            raise ValueError(f"paragraph {index} not found as one element: {paragraph[:60]!r}")
    text = lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")
    replacements = [(article.title, "@@TITLE@@")]
    # The same texts elsewhere (a description meta, JSON-LD) and the images' captions.
    replacements += [(paragraph, f"@@P{i}@@") for i, paragraph in enumerate(article.paragraphs)]
    replacements += [(image.caption, f"@@C{i}@@") for i, image in enumerate(article.images) if image.caption]
    if article.lead:
        replacements.append((article.lead, "@@LEAD@@"))
    token = _id_token(publisher, article.url)
    path = urlsplit(article.url).path
    replacements += [(path, "@@PATH@@"), (token, "@@ID@@")]
    for old, slot in replacements:
        for form in _forms(old):
            text = text.replace(form, slot)
    published = datetime.fromisoformat(article.published_at) if article.published_at else None
    if published is not None:
        for form in (f"{published:%d/%m/%Y}", f"{published.day}/{published.month}/{published.year}"):
            text = text.replace(form, "@@DMY@@")
        text = text.replace(f"{published:%Y-%m-%d}", "@@YMD@@")
        text = text.replace(f"{published:%H:%M}", "@@HM@@")
    header = json.dumps({"paragraphs": body_slots, "captions": len(article.images), "real_id": token})
    return f"<!-- vnnews site copy template {header} -->\n{text}"


def _forms(value: str) -> list[str]:
    """How a text appears in markup: as is, HTML-escaped, JSON-escaped (JSON-LD), and NFC-cleaned."""
    forms = [value, htmlmod.escape(value), htmlmod.escape(value, quote=False)]
    forms.append(json.dumps(value, ensure_ascii=False)[1:-1])
    forms.append(json.dumps(value)[1:-1])
    return sorted({form for form in forms if form}, key=len, reverse=True)


def _slot_element(tree: Any, paragraph: str, slot: str) -> bool:
    """Replace the innermost element whose whole text is ``paragraph`` by ``slot``."""
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "head", "title"):
            continue
        if clean_text(element.text_content()) != paragraph:
            continue
        if any(clean_text(child.text_content()) == paragraph for child in element):
            continue  # a child holds it whole: slot the innermost one
        for child in list(element):
            element.remove(child)
        element.text = slot
        return True
    return False


# --- building a site copy ------------------------------------------------------------------------------


def _fill(template: str, values: dict[str, str]) -> str:
    """Slots in an HTML or JSON context: JSON-LD scripts get JSON-escaped text, the rest HTML-escaped."""

    def fill_part(part: str, escape: Any) -> str:
        return re.sub(r"@@([A-Z0-9]+)@@", lambda m: escape(values.get(m[1], "")), part)

    pieces = re.split(r"(<script\b[^>]*>.*?</script>)", template, flags=re.S | re.I)
    out = []
    for n, piece in enumerate(pieces):
        if n % 2:  # inside a script: JSON string content
            out.append(fill_part(piece, _json_text))
        else:
            out.append(fill_part(piece, htmlmod.escape))
    return "".join(out)


def _json_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1].replace("</", "<\\/")


def _header(template: str) -> dict[str, Any]:
    match = re.match(r"<!-- vnnews site copy template (\{.*?\}) -->", template)
    return json.loads(match[1]) if match else {"paragraphs": 0, "time": ""}


def _site_path(path: str) -> str:
    """A document's path on the copy's disk: a folder-like path is that folder's index.html."""
    return path + "index.html" if path.endswith("/") else path


def generate(
    publisher: Publisher, template: str, count: int, anchor: datetime, days: int | None = None
) -> list[dict[str, Any]]:
    """The copy's articles, newest first: path, key, id, title, lead, paragraphs, captions, image,
    section, published. Each is one demo story (crawler/snapshot/stories.py), whole: its title, lead,
    paragraphs and captions tell the same event, at a URL whose slug says ``demo-``."""
    header = _header(template)
    real_id = re.search(r"\d+", _real_token(template, publisher))
    last_day = anchor.date()
    span = days if days is not None else max(1, -(-count // ARTICLES_PER_DAY))
    found = []
    sections = [s.slug for s in publisher.sections] or [""]  # a spec may list none: articles of no section
    corpus = stories(publisher.key, count, last_day - timedelta(days=max(0, span - 1)), last_day)
    for k, story in enumerate(corpus):
        section = sections[k % len(sections)]
        token = _real_token(template, publisher)
        number = int(real_id[0]) + ID_OFFSET + k if real_id else ID_OFFSET + k
        new_token = re.sub(r"\d+", str(number), token, count=1)
        path = f"/{DEMO_PREFIX}{make_slug(story['title'], limit=60)}-{new_token}.html"
        ref = publisher.article_ref(publisher.base_url + path)
        assert ref is not None, path  # the copy's URLs must be the publisher's article URLs
        published = datetime.fromisoformat(story["published"]).replace(second=0)
        # The page has as many paragraph and caption slots as its real page had: the story's own fill
        # them in order, and an unused slot stays empty (an empty paragraph is no paragraph).
        paragraphs = [*story["paragraphs"], story["subheading"]]
        captions = [image["caption"] for image in story["images"]]
        found.append(
            {
                "path": path,
                "key": ref.key,
                "article_id": ref.article_id,
                "title": story["title"],
                "lead": story["lead"],
                "paragraphs": [
                    paragraphs[i] if i < len(paragraphs) else "" for i in range(header["paragraphs"])
                ],
                "captions": [
                    captions[i] if i < len(captions) else "" for i in range(header.get("captions", 0))
                ],
                "image": story["images"][0]["file"],
                "marker": story["marker"],  # the story's topic phrase (tests check the page tells it)
                "section": section,
                "published": published.isoformat(timespec="seconds"),
                "lastmod": published.isoformat(timespec="seconds"),
            }
        )
    return found


def _real_token(template: str, publisher: Publisher) -> str:
    """The id form of the publisher (``post404649``): from its first id scheme's pattern and a sample."""
    match = re.search(r"\"real_id\": \"([^\"]+)\"", template)
    if match:
        return match[1]
    pattern = publisher.id_schemes[0].pattern.pattern
    prefix = re.search(r"\(([a-z]*)\\d", pattern)
    return f"{prefix[1] if prefix else ''}100000"


# A picture's URL in the real page (its photos, logos, og:image), absolute or relative: offline copies
# cannot show them (no internet) and must not fetch them (the demo never leaves 127.0.0.1).
_PICTURE = re.compile(
    r"""(?P<attr>\b(?:src|data-src|data-original|srcset|data-srcset|content|href)=)(?P<quote>["'])"""
    r"""(?P<url>(?!data:)[^"'<>]*?\.(?:jpe?g|png|gif|webp)(?:\?[^"'<>]*)?)(?P=quote)""",
    re.IGNORECASE,
)


def pictures_replaced(page: str, picture: str) -> str:
    """Every picture URL of ``page`` pointing to the placeholder ``picture`` (a URL)."""
    return _PICTURE.sub(lambda m: f"{m['attr']}{m['quote']}{picture}{m['quote']}", page)


def render(template: str, article: dict[str, Any], image_base: str = DEFAULT_IMAGE_BASE) -> str:
    published = datetime.fromisoformat(article["published"])
    values = {
        "TITLE": article["title"],
        "LEAD": article["lead"],
        "PATH": article["path"],
        "ID": article["article_id"],
        "DMY": f"{published:%d/%m/%Y}",
        "YMD": f"{published:%Y-%m-%d}",
        "HM": f"{published:%H:%M}",
    }
    values.update({f"P{i}": text for i, text in enumerate(article["paragraphs"])})
    values.update({f"C{i}": text for i, text in enumerate(article.get("captions", []))})
    picture = placeholders.url(image_base, article.get("image") or placeholders.SAMPLE_PHOTO)
    return pictures_replaced(_fill(template, values), picture)


def build_site(
    key: str,
    directory: str | Path,
    articles: int = DEFAULT_ARTICLES,
    anchor: datetime | None = None,
    days: int | None = None,
    image_base: str = DEFAULT_IMAGE_BASE,
) -> Snapshot:
    """Write the site copy of ``key`` into ``directory`` (``directory/site`` is served): ``articles``
    demo stories over ``days`` (default: four a day), their pictures placeholders at ``image_base``
    (the server of baonghean's snapshot, which serves them)."""
    publisher = PUBLISHERS[key]
    template = read_template(key)
    anchor = anchor or datetime.now(LOCAL_TZ).replace(second=0, microsecond=0)
    root = Path(directory)
    site = root / "site"
    site.mkdir(parents=True, exist_ok=True)
    items = generate(publisher, template, articles, anchor, days)
    placeholders.write_all(site)  # the copy serves them too, when it is served alone
    for item in items:
        _write(site, item["path"], render(template, item, image_base))
    for path, text in documents(publisher, items, anchor).items():
        _write(site, _site_path(path), text)
    published = [datetime.fromisoformat(item["published"]).date() for item in items]
    manifest = {
        "publisher": key,
        "anchor": anchor.isoformat(timespec="seconds"),
        "first_day": min(published).isoformat(),
        "last_day": max(published).isoformat(),
        "articles": [
            {k: v for k, v in item.items() if k not in ("paragraphs", "lead", "captions")} for item in items
        ],
        "samples": [],
        "non_articles": [],
    }
    (root / "snapshot.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Snapshot(root, manifest)


def _write(site: Path, path: str, text: str) -> None:
    target = site / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def documents(publisher: Publisher, items: list[dict[str, Any]], built: datetime) -> dict[str, str]:
    """robots.txt, sitemaps, feeds and section pages of the copy: path -> text, in the spec's forms
    (absolute URLs of the real site, as the site writes them; the crawler rebases them)."""
    site = publisher.base_url
    out: dict[str, str] = {}
    robots = ["User-agent: *", "Allow: /"]
    by_day: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_day.setdefault(item["published"][:10], []).append(item)
    index: list[tuple[str, str]] = []
    if publisher.news_sitemap_path:
        news = [(site + i["path"], datetime.fromisoformat(i["published"]), i["title"]) for i in items]
        out[publisher.news_sitemap_path] = news_sitemap(news, name=publisher.name)
        index.append((site + publisher.news_sitemap_path, items[0]["lastmod"]))
    if publisher.daily_sitemap_path:
        for day, listed in by_day.items():
            path = publisher.daily_sitemap_path.format(date=day)
            out[path] = _urlset(publisher, listed)
            index.append((site + path, listed[0]["lastmod"]))
    if publisher.sitemap_index_path:
        if not index:  # a site with neither: its index lists one urlset of every article
            path = publisher.sitemap_index_path.rsplit("/", 1)[0] + "/sitemap-articles.xml"
            out[path] = _urlset(publisher, items)
            index.append((site + path, items[0]["lastmod"]))
        out[publisher.sitemap_index_path] = sitemap_index([(u, datetime.fromisoformat(w)) for u, w in index])
        robots.append(f"Sitemap: {site}{publisher.sitemap_index_path}")
    out[publisher.robots_path] = "\n".join(robots) + "\n"
    # The same documents the spider asks for (crawler/discovery.listing_documents): the feeds list
    # every article, a section's feed and page that section's.
    for feed in publisher.feeds:
        out[_path(site, feed)] = _rss(publisher, items, built)
    for section in publisher.sections:
        listed = [item for item in items if item["section"] == section.slug]
        if publisher.rss_path:
            out[_path(site, publisher.rss_path.format(section=section.slug))] = _rss(publisher, listed, built)
        if publisher.section_path:
            out[_path(site, publisher.section_path.format(section=section.slug))] = _section(
                publisher, listed
            )
    return out


def _path(site: str, where: str) -> str:
    return urlsplit(urljoin(site + "/", where)).path


def _e(text: str) -> str:
    return htmlmod.escape(text, quote=True)


def _urlset(publisher: Publisher, items: list[dict[str, Any]]) -> str:
    rows = "".join(
        f"<url><loc>{_e(publisher.base_url + i['path'])}</loc><lastmod>{i['lastmod']}</lastmod></url>\n"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + rows + "</urlset>\n"
    )


def _rss(publisher: Publisher, items: list[dict[str, Any]], built: datetime) -> str:
    rows = "".join(
        f"<item><title>{_e(i['title'])}</title><link>{_e(publisher.base_url + i['path'])}</link>"
        f"<description>{_e(i['lead'])}</description>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(i['published']))}</pubDate></item>\n"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{_e(publisher.name)}</title><link>{publisher.base_url}/</link>"
        f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>\n" + rows + "</channel></rss>\n"
    )


def _section(publisher: Publisher, items: list[dict[str, Any]]) -> str:
    links = "".join(
        f'<li><a href="{_e(publisher.base_url + i["path"])}">{_e(i["title"])}</a></li>' for i in items
    )
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{_e(publisher.name)}</title>'
        f"</head><body><ul>{links}</ul></body></html>\n"
    )


def main(argv: list[str]) -> int:
    """``python -m crawler.snapshot.sitecopy KEY PAGE.html``: (re)make a publisher's template."""
    key, page = argv
    publisher = PUBLISHERS[key]
    template = make_template(publisher, Path(page).read_bytes())
    target = Path(__file__).parent / "sites" / key / TEMPLATE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
