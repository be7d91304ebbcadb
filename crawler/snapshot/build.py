"""Build an offline copy of baonghean.vn as files: ``build_snapshot(directory, articles=N, version=1)``.

What it holds: robots.txt, the sitemap index, the news sitemap (last two days), one daily sitemap per
day, RSS and a section page per section, N generated E3 articles, the project's sample pages of every
era at their real paths (E1 and E2 ids included), and pages that must never be archived as articles
(lunar calendar, video, /en/ mirror, tag page), plus a 404 page and the placeholder pictures.

The generated articles are demo stories (crawler/snapshot/stories.py): each one coherent story, at a
URL whose slug starts with ``demo-``, its figure a placeholder at /demo-images/ on this server. Only the
sample pages are real baonghean.vn articles, at their real URLs (their photos, not bundled, replaced by
a placeholder that says so).

Version 2 of the same snapshot (same ``anchor``) adds new articles and edits some recent ones, with
updated ``<lastmod>``: what the incremental-crawl test and the demo's second run need.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from crawler.discovery import LOCAL_TZ
from crawler.snapshot import extra, pages, placeholders
from crawler.snapshot.pages import SITE, ArticleSpec
from crawler.snapshot.stories import Corpus
from crawler.snapshot.text import read_data
from extraction.publishers import get as get_publisher

PUBLISHER = get_publisher("baonghean")
FIRST_ID = 10400000  # above every id in the samples, still an 8-digit E3 id starting with 10
# Every generated story's slug starts with this: its URL (on the real site's host, where the archive's
# canonical rule puts it) says at a glance that it is a demo story, not a baonghean.vn article.
DEMO_PREFIX = "demo-"
# Where pages say their placeholder pictures are when the builder is not told (the port `vnnews demo`
# serves its site on): the archive keeps image URLs as pages give them, so they must name a server.
DEFAULT_IMAGE_BASE = "http://127.0.0.1:8002"
RECENT_ARTICLES = 20  # with ``days``: the newest ones stay ten a day (news sitemap, edits, feeds)

# Sample pages of every era, served at the URL they were captured from, listed on section pages.
SAMPLE_PAGES = {
    "e3-10308168.html": (
        "kinh-te",
        "/suc-bat-tu-phong-trao-nong-dan-nghe-an-thi-dua-san-xuat-kinh-doanh-gioi-10308168.html",
    ),
    "e3-10289658.html": ("thoi-su", "/nghe-an-thong-tin-noi-bat-ngay-19-1-10289658.html"),
    "e2-post275412-seed.html": (
        "xay-dung-dang",
        "/thuong-truc-tinh-uy-giao-ban-to-chuc-tinh-uy-nghien-cuu-tham-muu-ban-hanh-quy-dinh-thi-diem-dieu-dong-can-bo-cap-so-nganh-ve-tang-cuong-o-cap-xa-post275412.html",
    ),
    "e2-post249990.html": ("thoi-su", "/nghe-an-thong-tin-noi-bat-ngay-31-1-post249990.html"),
    "e1-67164.html": ("xa-hoi", "/vung-dat-hai-cong-troi-67164.html"),
    "e1-51874.html": ("xa-hoi", "/tinh-doan-nghe-an-tang-qua-tai-huyen-ky-son-51874.html"),
}
LUNAR_PATH = "/am-duong-lich-ngay-14-thang-10-nam-2025.html"
TAG_PATH = "/tag/v%C3%A0o+tr%C6%B0%E1%BB%9Dng+h%E1%BB%8Dc.html"


@dataclass
class Snapshot:
    """A built snapshot: ``root/site`` is the document tree, ``manifest`` describes it."""

    root: Path
    manifest: dict[str, Any]

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def anchor(self) -> datetime:
        return datetime.fromisoformat(self.manifest["anchor"])

    @property
    def first_day(self) -> date:
        return date.fromisoformat(self.manifest["first_day"])

    @property
    def last_day(self) -> date:
        return date.fromisoformat(self.manifest["last_day"])

    @property
    def articles(self) -> list[dict[str, Any]]:
        """Generated articles: path, article_id, key, title, published, lastmod, new, edited."""
        return list(self.manifest["articles"])

    @property
    def sample_paths(self) -> list[str]:
        return list(self.manifest["samples"])

    @property
    def non_article_paths(self) -> list[str]:
        return list(self.manifest["non_articles"])

    @property
    def linked_articles(self) -> list[dict[str, Any]]:
        """Old stories only links reach: path (E3), linked_as (the URL path linked), host, key."""
        return list(self.manifest.get("linked", []))

    @property
    def redirects(self) -> dict[str, str]:
        """Old-era paths that answer 301 with the story's E3 path."""
        return dict(self.manifest.get("redirects", {}))

    @property
    def media_articles(self) -> list[dict[str, Any]]:
        """eMagazine, video, photo and podcast stories: path, key, format, listed (in a sitemap)."""
        return list(self.manifest.get("media", []))

    @property
    def listing_paths(self) -> list[str]:
        """/emagazine, /video, /photo, /podcast: listing pages, never articles."""
        return list(self.manifest.get("listings", []))

    @classmethod
    def load(cls, root: str | Path) -> Snapshot:
        root = Path(root)
        return cls(root, json.loads((root / "snapshot.json").read_text(encoding="utf-8")))


def story_spec(story: dict[str, Any], article_id: int, published: datetime, image_base: str) -> ArticleSpec:
    """The page of one demo story (crawler/snapshot/stories.py): its slug says ``demo-``."""
    image = story["images"][0]
    return ArticleSpec(
        article_id=article_id,
        slug=DEMO_PREFIX + pages.make_slug(story["title"]),
        title=story["title"],
        lead=story["lead"],
        paragraphs=list(story["paragraphs"]),
        subheading=story["subheading"],
        caption=image["caption"],
        authors=list(story["authors"]),
        section=story["section"],
        section_name=story["section_name"],
        published=published,
        tags=list(story["tags"]),
        image=placeholders.url(image_base, image["file"]),
        credit=image["credit"],
        story={"story": story["key"], **{name: story[name] for name in ("topic", "marker", "place", "wire")}},
    )


def article_times(count: int, anchor: datetime, days: int | None) -> list[datetime]:
    """Publication times, newest first: ten a day (a hundred beyond 200 articles) back from ``anchor``;
    with ``days``, the newest RECENT_ARTICLES so and the rest spread evenly back to ``days`` before."""
    per_day = 10 if count <= 200 else 100
    spacing = timedelta(days=1) / per_day
    times = [anchor - timedelta(minutes=5) - k * spacing for k in range(count)]
    if days is not None and count > RECENT_ARTICLES:
        start = times[RECENT_ARTICLES - 1]
        step = (start - (anchor - timedelta(days=days))) / (count - RECENT_ARTICLES)
        times[RECENT_ARTICLES:] = [start - (k + 1) * step for k in range(count - RECENT_ARTICLES)]
    return [moment.replace(microsecond=0) for moment in times]


def generate_articles(
    count: int,
    version: int,
    anchor: datetime,
    now: datetime,
    days: int | None = None,
    image_base: str = DEFAULT_IMAGE_BASE,
) -> list[tuple[ArticleSpec, str]]:
    """(spec, state) newest first; state is "", "new" (version 2) or "edited" (version 2)."""
    times = article_times(count, anchor, days)
    corpus = Corpus(PUBLISHER.key, seed=0)
    corpus.first_day = min(times, default=anchor).astimezone(LOCAL_TZ).date()
    specs: list[tuple[ArticleSpec, str]] = []
    for k, published in enumerate(times):
        spec = story_spec(corpus.story(published), FIRST_ID + count - k, published, image_base)
        if k % 4 == 1 and published + timedelta(hours=1) <= anchor:
            spec.modified = published + timedelta(hours=1)
        specs.append((spec, ""))
    if version < 2:
        return specs
    edited = max(2, count // 15)
    for position in range(1, 2 * edited, 2):  # every other recent article: still in the news window
        if position < len(specs):
            spec = specs[position][0]
            spec.paragraphs.append(update_note(spec, now))
            spec.modified = now
            specs[position] = (spec, "edited")
    new = []
    for j in range(max(3, count // 10)):
        published = now - timedelta(minutes=7 * j)
        new.append(
            (story_spec(corpus.story(published), FIRST_ID + count + j + 1, published, image_base), "new")
        )
    return sorted(new, key=lambda pair: pair[0].published, reverse=True) + specs


def update_note(spec: ArticleSpec, now: datetime) -> str:
    """The paragraph an editor adds to a story (version 2): about the same story, dated."""
    about = spec.story.get("marker") or "sự việc"
    where = f" ở {spec.story['place']}" if spec.story.get("place") else ""
    return f"Cập nhật lúc {now:%H:%M} ngày {now:%d/%m/%Y}: tòa soạn bổ sung thông tin mới về {about}{where}."


def _write(site: Path, path: str, content: str | bytes) -> None:
    target = site / path.lstrip("/")
    if path.endswith("/") or ("." not in path.rsplit("/", 1)[-1] and not path.startswith("/rss/")):
        target = target / "index.html"  # section pages: /thoi-su -> thoi-su/index.html
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    target.write_bytes(content)


def build_snapshot(
    directory: str | Path,
    articles: int = 30,
    version: int = 1,
    anchor: datetime | None = None,
    now: datetime | None = None,
    days: int | None = None,
    image_base: str = DEFAULT_IMAGE_BASE,
) -> Snapshot:
    """Write the snapshot into ``directory`` (replacing one already there) and return it.

    ``days``: spread the older articles over that many days back from ``anchor`` (the demo's year of
    news) instead of ten a day. ``image_base``: the origin (``http://127.0.0.1:PORT``) of the server
    that will serve the snapshot, named by the pages' image URLs (placeholders at /demo-images/).

    ``anchor``: the newest version-1 article's time (default: now, to the minute). Build version 2
    with the version-1 snapshot's ``anchor`` so the unchanged articles stay byte-identical.
    ``now``: when version 2's new and edited articles appear (default: the real time), so they are
    newer than any capture a crawl of version 1 made.
    """
    # Rounded up to the next second: captures are stamped to the second, and version 2's changes must
    # be strictly newer than a capture made in the same second the snapshot was built.
    real_now = datetime.now(LOCAL_TZ).replace(microsecond=0) + timedelta(seconds=1)
    anchor = (anchor or real_now).astimezone(LOCAL_TZ).replace(second=0, microsecond=0)
    now = (now or max(real_now, anchor + timedelta(minutes=1))).astimezone(LOCAL_TZ).replace(microsecond=0)
    root = Path(directory)
    site = root / "site"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    specs = generate_articles(articles, version, anchor, now, days, image_base)
    placeholders.write_all(site)
    newest = max(spec.lastmod for spec, _ in specs)
    # Old stories only links reach, linked from recent articles of version 1 (the same in version 2).
    hosts = [spec for spec, state in specs if state != "new"][2::2][: max(1, articles // 100)]
    linked = extra.add_linked(hosts, max(3, articles // 100), anchor, image_base)
    media = extra.media_stories(anchor, image_base)

    for spec, _state in specs:
        _write(site, spec.path, pages.render_article(spec))
    for item in linked:
        _write(site, item.spec.path, pages.render_article(item.spec))
    for story in media:
        _write(site, story.spec.path, extra.render_media(story))
    for folder in extra.MEDIA_LISTINGS:
        _write(site, f"/{folder}", extra.listing_page(folder, [m for m in media if m.format == folder]))

    # Pages that are not articles (or not Vietnamese articles) but are linked like them.
    lead = specs[0][0]
    video = next(m.spec for m in media if m.format == "video")
    mirror_path = f"/en/{lead.slug}-{lead.article_id}.html"
    non_articles = [LUNAR_PATH, mirror_path, TAG_PATH]
    _write(site, LUNAR_PATH, read_data("am-duong-lich-ngay-14-thang-10-nam-2025.html"))
    _write(site, mirror_path, pages.render_article(lead))
    _write(site, TAG_PATH, pages.section_page("tag", "Vào trường học", []))
    for name, (_section, path) in SAMPLE_PAGES.items():  # real pages; photos not bundled: a placeholder
        _write(site, path, placeholders.photos_replaced(read_data(name), image_base))
    _write(site, "/404.html", read_data("404.html"))

    # Daily sitemaps (every day from the oldest article to the newest), news sitemap, index.
    by_day: dict[date, list[ArticleSpec]] = {}
    for spec in [spec for spec, _ in specs] + [m.spec for m in media if m.listed]:
        by_day.setdefault(spec.published.date(), []).append(spec)
    first_day, last_day = min(by_day), max(by_day)
    index: list[tuple[str, datetime]] = [
        (f"{SITE}/sitemap-news.xml", newest),
        (f"{SITE}/sitemap-category.xml", newest),
    ]
    day = last_day
    while day >= first_day:
        entries: list[tuple[str, datetime, str | None]] = [
            (s.url, s.lastmod, s.image) for s in by_day.get(day, [])
        ]
        if day == last_day:
            entries.append((SITE + LUNAR_PATH, newest, None))
            entries.append((SITE + mirror_path, newest, None))
        name = f"/sitemap-article-{day.isoformat()}.xml"
        _write(site, name, pages.daily_sitemap(entries))
        day_lastmod = max(
            (s.lastmod for s in by_day.get(day, [])),
            default=datetime.combine(day, datetime.min.time(), LOCAL_TZ),
        )
        index.append((SITE + name, day_lastmod))
        day -= timedelta(days=1)
    _write(site, "/sitemap.xml", pages.sitemap_index(index))
    window = newest - timedelta(days=2)
    news = [(s.url, s.published, s.title) for s, _ in specs if s.published >= window]
    _write(site, "/sitemap-news.xml", pages.news_sitemap(news))
    categories = [(f"{SITE}/{section.slug}", newest, None) for section in PUBLISHER.sections]
    _write(site, "/sitemap-category.xml", pages.daily_sitemap(categories))
    _write(site, "/robots.txt", read_data("robots.txt"))

    # RSS and section pages: the 20 newest of each section; the samples and odd links on top.
    for position, section in enumerate(PUBLISHER.sections):
        mine = [s for s, _ in specs if s.section == section.slug][:20]
        items = [(s.url, s.title, s.lead, s.published) for s in mine]
        if position == 0 and items:
            # A mobile-host link with tracking parameters: normalised and deduplicated by the crawler.
            link, title, summary, when = items[0]
            items.append(
                (
                    link.replace("https://baonghean.vn", "https://m.baonghean.vn")
                    + "?utm_source=rss&fbclid=x1",
                    title,
                    summary,
                    when,
                )
            )
        _write(site, f"/rss/{section.slug}", pages.rss_feed(section.slug, section.name, items, newest))
        links = [(s.url, s.title) for s in mine]
        links += [(SITE + path, name) for name, (slug, path) in SAMPLE_PAGES.items() if slug == section.slug]
        if position == 0:
            links += [(video.url, video.title), (SITE + TAG_PATH, "Vào trường học")]
        _write(site, f"/{section.slug}", pages.section_page(section.slug, section.name, links))
    _write(
        site, "/index.html", pages.section_page("", "Báo Nghệ An", [(s.url, s.title) for s, _ in specs[:20]])
    )

    manifest = {
        "version": version,
        "anchor": anchor.isoformat(),
        "built_at": now.isoformat(),
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat(),
        "image_base": image_base,
        "images": [f"/{placeholders.FOLDER}/{name}.svg" for name in placeholders.THEMES],
        "articles": [
            {
                "path": s.path,
                "article_id": str(s.article_id),
                "key": f"baonghean:e3:{s.article_id}",
                "title": s.title,
                "published": s.published.isoformat(),
                "lastmod": s.lastmod.isoformat(),
                "new": state == "new",
                "edited": state == "edited",
                **s.story,
            }
            for s, state in specs
        ],
        "samples": [path for _section, path in SAMPLE_PAGES.values()],
        "non_articles": non_articles,
        "linked": [
            {
                "path": item.spec.path,
                "linked_as": item.linked_as,
                "host": item.host,
                "article_id": str(item.spec.article_id),
                "key": f"baonghean:e3:{item.spec.article_id}",
                **item.spec.story,
            }
            for item in linked
        ],
        "redirects": extra.redirects(linked),
        "media": [
            {
                "path": m.spec.path,
                "article_id": str(m.spec.article_id),
                "key": f"baonghean:e3:{m.spec.article_id}",
                "format": m.format,
                "listed": m.listed,
                **m.spec.story,
            }
            for m in media
        ],
        "listings": [f"/{folder}" for folder in extra.MEDIA_LISTINGS],
    }
    (root / "snapshot.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Snapshot(root, manifest)
