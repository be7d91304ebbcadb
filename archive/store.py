"""Storing an extracted Article: identity, content hash, revisions and the folded search copy.

Every function here runs inside the caller's transaction; none commits.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from typing import Any

from archive import history
from extraction import publishers
from extraction.article import Article
from extraction.publishers import ArticleRef

# The fields that make up an article's content. Capture times are left out on purpose: refetching an
# unchanged page must not look like a change.
CONTENT_FIELDS = (
    "title",
    "lead",
    "paragraphs",
    "authors",
    "tags",
    "section",
    "published_at",
    "modified_at",
    "images",
)
ARTICLE_COLUMNS = (
    "id",
    "publisher",
    "id_scheme",
    "article_id",
    "url",
    "title",
    "lead",
    "authors",
    "source",
    "published_at",
    "published_month",
    "modified_at",
    "section",
    "tags",
    "images",
    "paragraphs",
    "text",
    "language",
    "parser",
    "format",
    "word_count",
    "content_hash",
)
_TOKEN = re.compile(r"\w+")
_MARKS = re.compile(r"[\u0300-\u036f]")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def content_hash(article: Article) -> str:
    """sha256 over the content fields (CONTENT_FIELDS), never over capture times."""
    return _hash_row(_list_columns(article), article)


def _list_columns(article: Article) -> dict[str, str]:
    return {
        "authors": dumps(article.authors),
        "tags": dumps(article.tags),
        "images": dumps([image.to_dict() for image in article.images]),
        "paragraphs": dumps(article.paragraphs),
    }


def _hash_row(lists: dict[str, str], article: Article) -> str:
    scalars = {
        "title": article.title,
        "lead": article.lead,
        "section": article.section,
        "published_at": article.published_at,
        "modified_at": article.modified_at,
    }
    parts = [lists[name] if name in lists else dumps(scalars[name]) for name in CONTENT_FIELDS]
    # Fields added after the first archives were written count only when set, so that the hash of every
    # article stored before them stays the same (an unchanged page must not turn into a revision).
    if article.source is not None:
        parts.append("source=" + article.source)
    if article.format != "article":
        parts.append("format=" + article.format)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def identity(article: Article, *fallback_urls: str | None) -> tuple[ArticleRef, str] | None:
    """The article's identity and canonical URL as extraction decided them (``Article.ref``, its
    ``url``); only an article without one (read back from JSON, or whose canonical link names no
    article) is worked out from its URLs (``resolve_ref``)."""
    ref = article.ref
    if ref is not None:
        return ref, article.url
    return resolve_ref(article, *fallback_urls)


def resolve_ref(article: Article, *fallback_urls: str | None) -> tuple[ArticleRef, str] | None:
    """The fallback when an article carries no identity: its canonical link first, then the final URL
    after redirects, then the requested URL. m./amp. hosts and tracking parameters resolve to one
    article; a URL on a host no publisher owns (a mirror) is read with the article's publisher's paths."""
    for candidate in (article.url, *fallback_urls):
        if not candidate:
            continue
        publisher = publishers.for_url(candidate) or publishers.PUBLISHERS.get(article.publisher)
        if publisher is None:
            continue
        canonical, ref = publisher.identify(candidate)  # the mirror rule: Publisher.identify
        if ref is not None:
            return ref, canonical
    return None


def article_row(article: Article, ref: ArticleRef, url: str) -> dict[str, Any]:
    lists = _list_columns(article)
    published = article.published_at or None
    text = article.text
    return {
        "id": ref.key,
        "publisher": ref.publisher,
        "id_scheme": ref.scheme,
        "article_id": ref.article_id,
        "url": url,
        "title": article.title,
        "lead": article.lead,
        "authors": lists["authors"],
        "source": article.source,
        "published_at": published,
        "published_month": published[:7] if published and len(published) >= 7 else None,
        "modified_at": article.modified_at,
        "section": article.section,
        "tags": lists["tags"],
        "images": lists["images"],
        "paragraphs": lists["paragraphs"],
        "text": text,
        "language": article.language,
        "parser": article.parser,
        "format": article.format,
        # Whitespace-separated words, as a reader would count them (and much cheaper than a regex).
        "word_count": len(text.split()),
        "content_hash": _hash_row(lists, article),
    }


def fast_fold(value: str) -> str:
    """``extraction.text.fold`` with the same result (a test checks it), about twice as fast on long text:
    plain str.replace for đ instead of a per-character translate table. Indexing folds every article."""
    if not value:
        return ""
    value = value.replace("đ", "d").replace("Đ", "d").replace("ð", "d")
    return _MARKS.sub("", unicodedata.normalize("NFD", value)).casefold()


def folded_fields(row: dict[str, Any]) -> tuple[str, str, str, str]:
    """(title, lead, text, extra) for article_search. ``text`` is the body without the lead (the lead
    has its own column), so no word is indexed twice. Pure: bulk imports compute it on another thread."""
    title, lead, text = row["title"] or "", row["lead"] or "", row["text"] or ""
    if lead and text.startswith(lead):
        text = text[len(lead) :].lstrip()
    lowered = f"{title} {lead} {text}".lower()
    d_words = {m for w in lowered.split() if "đ" in w for m in _TOKEN.findall(w) if "đ" in m}
    return (fast_fold(title), fast_fold(lead), fast_fold(text), " ".join(sorted(d_words)))


def search_row(doc_id: int, row: dict[str, Any]) -> tuple[Any, ...]:
    return (doc_id, *folded_fields(row))


PreparedBatch = tuple[list[dict[str, Any]], list[tuple[str, str, str, str]], int]


def prepare_batch(articles: list[Article]) -> PreparedBatch:
    """Rows, folded search copies and the number of articles without an id, for ``Store.save_many``.
    Pure and picklable: bulk imports run it on a helper thread or in worker processes."""
    rows = []
    for article in articles:
        resolved = identity(article)
        if resolved is not None:
            rows.append(article_row(article, *resolved))
    return rows, [folded_fields(row) for row in rows], len(articles) - len(rows)


class Store:
    """Writes articles and their satellites through one sqlite3 connection (caller owns the transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def current(self, key: str) -> dict[str, Any] | None:
        cursor = self.conn.execute("SELECT * FROM articles WHERE id = ?", (key,))
        row = cursor.fetchone()
        if row is None:
            return None
        return {c[0]: v for c, v in zip(cursor.description, row, strict=True)}

    def save(self, row: dict[str, Any], fetched_at: str, capture_id: int | None) -> str:
        """Insert or update one article row; returns new / changed / unchanged."""
        old = self.current(row["id"])
        if old is None:
            self._insert(row, fetched_at, capture_id)
            return "new"
        if fetched_at < old["last_fetched_at"]:
            # Older than the newest capture (a backfill, an old WARC): history, never the current text;
            # the history comes out as if the captures had arrived in time order (archive/history.py).
            return history.place_past(
                self.conn, old, row, fetched_at, capture_id, lambda r: self._replace_content(r, old)
            )
        first_seen = min(old["first_seen_at"], fetched_at)
        if old["content_hash"] == row["content_hash"]:
            newer = fetched_at >= old["last_fetched_at"]
            self.conn.execute(
                "UPDATE articles SET last_fetched_at = ?, first_seen_at = ?, capture_id = ? WHERE id = ?",
                (
                    max(old["last_fetched_at"], fetched_at),
                    first_seen,
                    capture_id if newer and capture_id is not None else old["capture_id"],
                    row["id"],
                ),
            )
            return "unchanged"
        # A newer capture with other content is a change, even back to an earlier version (a revert).
        self._add_revision(old["id"], old["revision_count"] + 1, old, old["last_changed_at"], fetched_at)
        self._update(row, old, fetched_at, capture_id, first_seen)
        return "changed"

    def save_many(
        self,
        rows: list[dict[str, Any]],
        fetched_at: str,
        folded: list[tuple[str, str, str, str]] | None = None,
    ) -> list[str]:
        """``save`` for a batch, with the same outcomes; articles not yet archived (the bulk of an import)
        are written with one executemany per table instead of statement by statement. ``folded``:
        ``folded_fields`` of each row when already computed."""
        keys = [row["id"] for row in rows]
        known: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            known.update(
                r[0] for r in self.conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
            )
        fresh: list[dict[str, Any]] = []
        fresh_folded: list[tuple[str, str, str, str]] = []
        seen: set[str] = set()
        later: list[int] = []
        for index, row in enumerate(rows):
            if row["id"] in known or row["id"] in seen:
                later.append(index)  # an update, or a second copy within the batch: the careful path
            else:
                seen.add(row["id"])
                fresh.append(row)
                fresh_folded.append(folded[index] if folded is not None else folded_fields(row))
        outcomes = ["new"] * len(rows)
        self._insert_many(fresh, fetched_at, fresh_folded)
        for index in later:
            outcomes[index] = self.save(rows[index], fetched_at, None)
        return outcomes

    def _insert_many(
        self, rows: list[dict[str, Any]], fetched_at: str, folded: list[tuple[str, str, str, str]]
    ) -> None:
        if not rows:
            return
        first = self.conn.execute("SELECT coalesce(max(doc_id), 0) + 1 FROM articles").fetchone()[0]
        extra = {
            "first_seen_at": fetched_at,
            "last_fetched_at": fetched_at,
            "last_changed_at": fetched_at,
            "revision_count": 0,
            "capture_id": None,
        }
        values = [{**row, **extra, "doc_id": first + i} for i, row in enumerate(rows)]
        columns = ", ".join(values[0])
        marks = ", ".join(f":{name}" for name in values[0])
        self.conn.executemany(f"INSERT INTO articles (rowid, {columns}) VALUES (:doc_id, {marks})", values)
        self.conn.executemany(
            "INSERT INTO article_authors (article_id, position, author) VALUES (?, ?, ?)",
            [(row["id"], i, name) for row in rows for i, name in enumerate(json.loads(row["authors"]))],
        )
        self.conn.executemany(
            "INSERT INTO article_tags (article_id, position, tag) VALUES (?, ?, ?)",
            [(row["id"], i, tag) for row in rows for i, tag in enumerate(json.loads(row["tags"]))],
        )
        self.conn.executemany(
            "INSERT INTO images (article_id, position, url, caption, credit) VALUES (?, ?, ?, ?, ?)",
            [
                (row["id"], i, image["url"], image.get("caption"), image.get("credit"))
                for row in rows
                for i, image in enumerate(json.loads(row["images"]))
            ],
        )
        self.conn.executemany(
            "INSERT INTO article_search (doc_id, title, lead, text, extra) VALUES (?, ?, ?, ?, ?)",
            [(value["doc_id"], *fields) for value, fields in zip(values, folded, strict=True)],
        )

    def _known_revision(self, key: str, digest: str) -> bool:
        found = self.conn.execute(
            "SELECT 1 FROM revisions WHERE article_id = ? AND content_hash = ? LIMIT 1", (key, digest)
        ).fetchone()
        return found is not None

    def _insert(self, row: dict[str, Any], fetched_at: str, capture_id: int | None) -> None:
        doc_id = self.conn.execute("SELECT coalesce(max(doc_id), 0) + 1 FROM articles").fetchone()[0]
        values = {
            **row,
            "first_seen_at": fetched_at,
            "last_fetched_at": fetched_at,
            "last_changed_at": fetched_at,
            "revision_count": 0,
            "capture_id": capture_id,
            "doc_id": doc_id,
        }
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        self.conn.execute(f"INSERT INTO articles (rowid, {columns}) VALUES (:doc_id, {marks})", values)
        self._write_satellites(row, doc_id, replace=False)

    def _update(
        self,
        row: dict[str, Any],
        old: dict[str, Any],
        fetched_at: str,
        capture_id: int | None,
        first_seen: str,
    ) -> None:
        values = {
            **row,
            "first_seen_at": first_seen,
            "last_fetched_at": max(fetched_at, old["last_fetched_at"]),
            "last_changed_at": fetched_at,
            "capture_id": capture_id if capture_id is not None else old["capture_id"],
        }
        assignments = ", ".join(f"{name} = :{name}" for name in values if name != "id")
        self.conn.execute(
            f"UPDATE articles SET {assignments}, revision_count = revision_count + 1 WHERE id = :id", values
        )
        self._write_satellites(row, old["doc_id"], replace=True)

    def _replace_content(self, row: dict[str, Any], old: dict[str, Any]) -> None:
        """The current version's content from an earlier capture of it (same content hash)."""
        assignments = ", ".join(f"{name} = :{name}" for name in row if name != "id")
        self.conn.execute(f"UPDATE articles SET {assignments} WHERE id = :id", row)
        self._write_satellites(row, old["doc_id"], replace=True)

    def _add_revision(
        self, key: str, number: int, version: dict[str, Any], captured_at: str, superseded_at: str
    ) -> None:
        self.conn.execute(
            """INSERT INTO revisions (article_id, revision, title, lead, text, authors, tags, section,
                   published_at, modified_at, content_hash, captured_at, superseded_at, capture_id,
                   paragraphs, images, parser, source, format)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                key,
                number,
                version["title"],
                version["lead"],
                version["text"],
                version["authors"],
                version["tags"],
                version["section"],
                version["published_at"],
                version["modified_at"],
                version["content_hash"],
                captured_at,
                superseded_at,
                version.get("capture_id"),
                version["paragraphs"],
                version["images"],
                version["parser"],
                version.get("source"),
                version.get("format") or "article",
            ),
        )

    def _write_satellites(self, row: dict[str, Any], doc_id: int, replace: bool) -> None:
        key = row["id"]
        if replace:
            for table in ("article_authors", "article_tags", "images"):
                self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (key,))
        self.conn.executemany(
            "INSERT INTO article_authors (article_id, position, author) VALUES (?, ?, ?)",
            [(key, i, name) for i, name in enumerate(json.loads(row["authors"]))],
        )
        self.conn.executemany(
            "INSERT INTO article_tags (article_id, position, tag) VALUES (?, ?, ?)",
            [(key, i, tag) for i, tag in enumerate(json.loads(row["tags"]))],
        )
        self.conn.executemany(
            "INSERT INTO images (article_id, position, url, caption, credit) VALUES (?, ?, ?, ?, ?)",
            [
                (key, i, image["url"], image.get("caption"), image.get("credit"))
                for i, image in enumerate(json.loads(row["images"]))
            ],
        )
        values = search_row(doc_id, row)
        if replace:
            # An UPDATE, not INSERT OR REPLACE: REPLACE's implicit delete fires the FTS trigger only when
            # recursive_triggers is on, which other clients of the file may not set.
            self.conn.execute(
                "UPDATE article_search SET title = ?, lead = ?, text = ?, extra = ? WHERE doc_id = ?",
                (*values[1:], doc_id),
            )
        else:
            self.conn.execute(
                "INSERT INTO article_search (doc_id, title, lead, text, extra) VALUES (?, ?, ?, ?, ?)", values
            )
