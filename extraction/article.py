"""The article record every part of vnnews exchanges (see shared/article.schema.json).

Plain data: extraction produces it, the archive stores it, exports print it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extraction.publishers.spec import ArticleRef

# The keys of an article.schema.json object, in schema order; ``Article.to_dict`` writes exactly these.
ARTICLE_FIELDS = (
    "publisher",
    "article_id",
    "url",
    "title",
    "lead",
    "authors",
    "source",
    "published_at",
    "modified_at",
    "section",
    "tags",
    "images",
    "paragraphs",
    "text",
    "language",
    "parser",
    "format",
)

# Long-form, photo, video and podcast pages that carry an article id are archived like any article.
ARTICLE_FORMATS = ("article", "emagazine", "photo", "video", "podcast")


class ExtractionError(Exception):
    """A page could not be turned into an article. ``reason`` is one line for humans."""

    exit_code = 1

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotHtmlError(ExtractionError):
    """The input is empty, binary or otherwise not an HTML document."""

    exit_code = 2


class NotAnArticleError(ExtractionError):
    """The input is HTML but not an article: a section page, a 404 page, a utility page."""

    exit_code = 3


class ExtractionFailed(NotAnArticleError):
    """The extractor itself failed on the page (a bug, or markup it cannot walk): no verdict on the page.

    A ``NotAnArticleError`` so that callers still meet only the two documented errors, but the archive
    records it as an ``error`` capture, which ``reparse`` and the next crawl retry after a fix.
    """


class LimitExceeded(NotAnArticleError):
    """The page is beyond one of extraction's bounds (size, markup, output; see extraction/limits.py).

    ``limit`` names the constant; ``reason`` says what was found and the bound. Not a verdict on the
    page, but not a bug either: the same bytes always fail the same way, so the archive records it as
    ``not_article`` (settled, not refetched every crawl) with the reason; raising the constant and running
    ``vnnews reparse`` reads it from the WARC. ``vnnews extract`` exits 2 (unusable input).
    """

    exit_code = 2

    def __init__(self, reason: str, limit: str) -> None:
        super().__init__(reason)
        self.limit = limit


@dataclass
class Image:
    url: str
    caption: str | None = None
    credit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "caption": self.caption, "credit": self.credit}


@dataclass
class Article:
    publisher: str
    url: str
    title: str
    lead: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    language: str = "vi"
    parser: str = "generic"
    article_id: str | None = None
    # Who the text is credited to when it is not the paper's own ("TTXVN" from "Theo TTXVN"); never an author.
    source: str | None = None
    # What kind of page carries the story: one of ARTICLE_FORMATS.
    format: str = "article"
    # The id scheme of ``article_id`` (``e3``, ``post``...), set by extraction when it decides the
    # article's identity (``ref``). Not part of the article JSON (article.schema.json): the archive
    # stores it as ``articles.id_scheme``. None (an article read back from JSON): the archive works
    # the identity out from the URLs (archive.store.resolve_ref).
    id_scheme: str | None = None

    @property
    def ref(self) -> ArticleRef | None:
        """The identity extraction decided (publisher, id scheme, article id), or None."""
        if self.id_scheme is None or self.article_id is None:
            return None
        return ArticleRef(self.publisher, self.id_scheme, self.article_id)

    @property
    def text(self) -> str:
        body = "\n\n".join(self.paragraphs)
        if self.lead:
            return f"{self.lead}\n\n{body}" if body else self.lead
        return body

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of article.schema.json, keys in schema order."""
        return {
            "publisher": self.publisher,
            "article_id": self.article_id,
            "url": self.url,
            "title": self.title,
            "lead": self.lead,
            "authors": list(self.authors),
            "source": self.source,
            "published_at": self.published_at,
            "modified_at": self.modified_at,
            "section": self.section,
            "tags": list(self.tags),
            "images": [image.to_dict() for image in self.images],
            "paragraphs": list(self.paragraphs),
            "text": self.text,
            "language": self.language,
            "parser": self.parser,
            "format": self.format,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            publisher=data["publisher"],
            url=data["url"],
            title=data["title"],
            lead=data.get("lead"),
            authors=list(data.get("authors") or []),
            published_at=data.get("published_at"),
            modified_at=data.get("modified_at"),
            section=data.get("section"),
            tags=list(data.get("tags") or []),
            images=[Image(**image) for image in data.get("images") or []],
            paragraphs=list(data.get("paragraphs") or []),
            language=data.get("language") or "vi",
            parser=data.get("parser") or "generic",
            article_id=data.get("article_id"),
            source=data.get("source"),
            format=data.get("format") or "article",
        )
