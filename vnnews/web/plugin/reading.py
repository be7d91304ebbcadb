"""The reading view of one article: title, byline, lead, figures, text, tags, its citation and its
revisions. Authors, tags, the section and the publisher link to their filtered article lists.

Every stored value goes through ``escape`` (markupsafe's ``format``); only markup written here is live.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from extraction import publishers
from vnnews.web.plugin import citation
from vnnews.web.plugin.filters import AUTHOR_ARG, TAG_ARG
from vnnews.web.plugin.render import (
    READING_MAX_IMAGES,
    READING_MAX_TAGS,
    clip,
    display_date,
    figures_html,
    json_list,
    more_note,
    paragraphs_html,
    safe_http_url,
)
from vnnews.web.plugin.render import (
    field as row_field,
)

# Revisions listed in the reading view; an article corrected more often than this is rare, and the
# article_revisions query and the revisions table list them all.
READING_MAX_REVISIONS = 50
# Each earlier version, newest first, and which fields the version after it changed (compared inside
# SQLite: the texts never leave it). The same comparison as the article_revisions query.
REVISIONS_SQL = """
with versions as (
  select revision, id as row_id, captured_at, title, lead, text, authors, tags, section, published_at,
         modified_at, source, format
  from revisions where article_id = :article
  union all
  select null, null, last_changed_at, title, lead, text, authors, tags, section, published_at,
         modified_at, source, format
  from articles where id = :article
),
changes as (
  select revision, row_id, captured_at,
    trim(
      iif(title is not lead(title) over w, 'title ', '') ||
      iif(lead is not lead(lead) over w, 'lead ', '') ||
      iif(text is not lead(text) over w, 'text ', '') ||
      iif(authors is not lead(authors) over w, 'authors ', '') ||
      iif(tags is not lead(tags) over w, 'tags ', '') ||
      iif(section is not lead(section) over w, 'section ', '') ||
      iif(published_at is not lead(published_at) over w, 'published_at ', '') ||
      iif(modified_at is not lead(modified_at) over w, 'modified_at ', '') ||
      iif(source is not lead(source) over w, 'source ', '') ||
      iif(format is not lead(format) over w, 'format', '')
    ) as changed
  from versions
  window w as (order by revision is null, captured_at, revision)
)
select revision, row_id, captured_at, changed from changes
where revision is not null
order by revision is null, captured_at desc, revision desc
limit :limit"""


@dataclass
class Revision:
    """One earlier version: its number, when it was captured, and what the next version changed."""

    revision: int
    captured_at: str | None
    changed: list[str]
    url: str  # its row in the revisions table


@dataclass
class ReadingLinks:
    # (argument, value) -> the articles list filtered so: ("section", "Thời sự"), ("_author", "Quang An")
    list_url: Callable[[str, str], str]
    revisions_url: str | None = None  # the article_revisions query, with the diff of each change
    revisions: list[Revision] = field(default_factory=list)


def publisher_name(key: object) -> str:
    """The paper's name (Báo Nghệ An) for a publisher key; the key itself for one not known here."""
    spec = publishers.PUBLISHERS.get(str(key or ""))
    return spec.name if spec else str(key or "")


def _link(url: str, text: str, css: str = "") -> Markup:
    return Markup('<a class="{}" href="{}">{}</a>').format(css, url, clip(text))


def _byline(get: Callable[[str], Any], links: ReadingLinks) -> Markup:
    names = [str(a) for a in json_list(get("authors"))[:READING_MAX_TAGS] if a]
    authors = Markup(", ").join(_link(links.list_url(AUTHOR_ARG, n), n, "vn-author") for n in names)
    source = safe_http_url(clip(get("url") or ""))
    if not source:
        return authors
    host = urlsplit(source).hostname or source
    original = Markup('<a href="{}" rel="noopener noreferrer nofollow">{}</a>').format(source, host)
    return Markup("{} · original at {}").format(authors, original) if names else original


def _kicker(get: Callable[[str], Any], links: ReadingLinks) -> Markup:
    parts: list[Markup] = []
    if get("publisher"):
        name = publisher_name(get("publisher"))
        parts.append(_link(links.list_url("publisher", str(get("publisher"))), name, "vn-publisher"))
    if get("section"):
        parts.append(_link(links.list_url("section", str(get("section"))), str(get("section")), "vn-section"))
    if display_date(get("published_at")):
        parts.append(Markup("{}").format(display_date(get("published_at"))))
    return Markup('<p class="vn-kicker">{}</p>').format(Markup(" · ").join(parts))


def _tags(get: Callable[[str], Any], links: ReadingLinks) -> list[Markup]:
    tags = [str(tag) for tag in json_list(get("tags")) if tag]
    if not tags:
        return []
    items = Markup("").join(
        Markup("<li>{}</li>").format(_link(links.list_url(TAG_ARG, tag), tag, "vn-tag"))
        for tag in tags[:READING_MAX_TAGS]
    )
    parts = [Markup('<ul class="vn-tags">{}</ul>').format(items)]
    if len(tags) > READING_MAX_TAGS:
        parts.append(more_note(len(tags) - READING_MAX_TAGS, "tags", "the tags column of the exports"))
    return parts


def _revisions(get: Callable[[str], Any], links: ReadingLinks) -> Markup:
    count = int(get("revision_count") or 0)
    if not count or not links.revisions_url:
        return Markup("")
    items = Markup("").join(
        Markup('<li><a href="{}">revision {}</a>, captured {}; the next version changed: {}</li>').format(
            revision.url,
            revision.revision,
            display_date(revision.captured_at) or "?",
            ", ".join(revision.changed) or "nothing stored",
        )
        for revision in links.revisions
    )
    more = count - len(links.revisions)
    if more > 0:
        items += Markup("<li>{}</li>").format(more_note(more, "revisions", "the revisions table"))
    return Markup(
        '<section class="vn-revisions"><h3>Earlier versions ({})</h3><ul>{}</ul>'
        '<p><a href="{}">See what changed: the text before and after, side by side</a></p></section>'
    ).format(count, items, links.revisions_url)


def article_html(row: Mapping[str, Any], links: ReadingLinks) -> Markup:
    """The reading view of one ``articles`` row."""

    def get(key: str) -> Any:
        return row_field(row, key)

    images = [image for image in json_list(get("images")) if isinstance(image, Mapping)]
    parts = [_kicker(get, links), Markup('<h2 class="vn-title">{}</h2>').format(clip(get("title") or ""))]
    parts.append(Markup('<p class="vn-byline">{}</p>').format(_byline(get, links)))
    if get("lead"):
        parts.append(Markup('<p class="vn-lead">{}</p>').format(clip(get("lead"))))
    if images:
        parts.append(figures_html(images[:1], limit=1))
    parts.append(paragraphs_html(json_list(get("paragraphs"))))
    if len(images) > 1:
        parts.append(figures_html(images[1:], limit=READING_MAX_IMAGES - 1))
    parts.extend(_tags(get, links))
    captured = get("last_changed_at") or get("first_seen_at")
    footer = Markup("Text and images © {}. Archived {}; this version captured {}; last fetched {}.").format(
        publisher_name(get("publisher")) or "their publisher",
        display_date(get("first_seen_at")),
        display_date(captured),
        display_date(get("last_fetched_at")),
    )
    parts.append(Markup('<p class="vn-archive-note">{}</p>').format(footer))
    parts.append(_revisions(get, links))
    work = citation.Work(
        title=clip(get("title") or ""),
        authors=tuple(clip(str(a)) for a in json_list(get("authors"))[:READING_MAX_TAGS] if a),
        publisher=publisher_name(get("publisher")),
        published_at=get("published_at"),
        url=safe_http_url(clip(get("url") or "")),
        archived=display_date(captured),
    )
    parts.append(citation.citation_html(work))
    return Markup('<article class="vn-article" lang="vi">{}</article>').format(Markup("").join(parts))
