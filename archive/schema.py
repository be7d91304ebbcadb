"""The archive's schema, created and changed only through sqlite-utils migrations.

Table and column names are a public contract (docs/architecture.md, docs/archive.md): Datasette users
write SQL against them. Add a migration to change anything; never edit an applied one.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from archive.paths import MIGRATION_SET

migrations = Migrations(MIGRATION_SET)  # its rows mark a file as a vnnews archive (archive/paths.py)

# `articles.id` (the ArticleRef key) is the primary key users see. `doc_id` is an explicit, stable
# integer that equals the row's rowid on insert and is the rowid of the FTS index: a table without an
# INTEGER PRIMARY KEY may have its rowids renumbered by VACUUM, which would silently detach the index.
_CORE = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    args TEXT,
    pages_fetched INTEGER NOT NULL DEFAULT 0,
    articles_new INTEGER NOT NULL DEFAULT 0,
    articles_changed INTEGER NOT NULL DEFAULT 0,
    articles_unchanged INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    summary TEXT
);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    publisher TEXT NOT NULL,
    id_scheme TEXT NOT NULL,
    article_id TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    lead TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    published_at TEXT,
    published_month TEXT,
    modified_at TEXT,
    section TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    images TEXT NOT NULL DEFAULT '[]',
    paragraphs TEXT NOT NULL DEFAULT '[]',
    text TEXT NOT NULL DEFAULT '',
    language TEXT,
    parser TEXT,
    word_count INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_fetched_at TEXT NOT NULL,
    last_changed_at TEXT NOT NULL,
    revision_count INTEGER NOT NULL DEFAULT 0,
    capture_id INTEGER,
    doc_id INTEGER NOT NULL UNIQUE
);
CREATE INDEX articles_published_at ON articles(published_at);
CREATE INDEX articles_published_month ON articles(published_month);
CREATE INDEX articles_section ON articles(section, published_at);
CREATE INDEX articles_publisher_article ON articles(publisher, article_id);
CREATE INDEX articles_parser ON articles(parser);

CREATE TABLE article_authors (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    author TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX article_authors_author ON article_authors(author);
CREATE TABLE article_tags (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX article_tags_tag ON article_tags(tag);
CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    caption TEXT,
    credit TEXT,
    UNIQUE (article_id, position)
);

CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    title TEXT,
    lead TEXT,
    text TEXT,
    authors TEXT,
    tags TEXT,
    section TEXT,
    published_at TEXT,
    modified_at TEXT,
    content_hash TEXT NOT NULL,
    captured_at TEXT,
    superseded_at TEXT,
    capture_id INTEGER,
    paragraphs TEXT,
    images TEXT,
    parser TEXT,
    UNIQUE (article_id, revision)
);
CREATE INDEX revisions_hash ON revisions(article_id, content_hash);

CREATE TABLE captures (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT,
    status INTEGER,
    fetched_at TEXT NOT NULL,
    content_type TEXT,
    content_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    warc_file TEXT,
    warc_offset INTEGER,
    warc_length INTEGER,
    warc_record_id TEXT,
    article_id TEXT REFERENCES articles(id) ON DELETE SET NULL,
    outcome TEXT,
    parser TEXT,
    error TEXT,
    run_id INTEGER REFERENCES runs(id)
);
CREATE UNIQUE INDEX captures_identity ON captures(url, fetched_at, content_hash);
CREATE INDEX captures_record ON captures(warc_record_id);
CREATE INDEX captures_article ON captures(article_id, fetched_at);
CREATE INDEX captures_run ON captures(run_id);
CREATE INDEX captures_outcome ON captures(outcome);
"""

# Search: Python writes folded copies (extraction.text.fold) into article_search; triggers keep the FTS5
# index in sync with it. `extra` holds the article's words that contain đ, lower-cased but not folded,
# because unicode61 never folds đ: Datasette's search box passes "Đảng" through unchanged.
_SEARCH = """
CREATE TABLE article_search (
    doc_id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    lead TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT ''
);
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, lead, text, extra,
    content='article_search', content_rowid='doc_id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER article_search_ai AFTER INSERT ON article_search BEGIN
    INSERT INTO articles_fts(rowid, title, lead, text, extra)
    VALUES (new.doc_id, new.title, new.lead, new.text, new.extra);
END;
CREATE TRIGGER article_search_ad AFTER DELETE ON article_search BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, lead, text, extra)
    VALUES ('delete', old.doc_id, old.title, old.lead, old.text, old.extra);
END;
CREATE TRIGGER article_search_au AFTER UPDATE ON article_search BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, lead, text, extra)
    VALUES ('delete', old.doc_id, old.title, old.lead, old.text, old.extra);
    INSERT INTO articles_fts(rowid, title, lead, text, extra)
    VALUES (new.doc_id, new.title, new.lead, new.text, new.extra);
END;
CREATE TRIGGER articles_search_ad AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE doc_id = old.doc_id;
END;
"""


def _run_script(db: sqlite_utils.Database, script: str) -> None:
    # Inside the migration's transaction, executescript runs statement by statement (no implicit COMMIT).
    db.executescript(script)


@migrations(name="001_core_tables")
def core_tables(db: sqlite_utils.Database) -> None:
    _run_script(db, _CORE)


@migrations(name="002_search")
def search_index(db: sqlite_utils.Database) -> None:
    _run_script(db, _SEARCH)


# `source` and `format` are article.schema.json fields; `withdrawn_at` marks an article the site no longer
# serves (404/410, a redirect to a section page, dropped from its sitemap), its archived text kept.
_FORMAT_SOURCE_WITHDRAWN = """
ALTER TABLE articles ADD COLUMN source TEXT;
ALTER TABLE articles ADD COLUMN format TEXT NOT NULL DEFAULT 'article';
ALTER TABLE articles ADD COLUMN withdrawn_at TEXT;
ALTER TABLE revisions ADD COLUMN source TEXT;
ALTER TABLE revisions ADD COLUMN format TEXT;
CREATE INDEX articles_format ON articles(format);
"""


@migrations(name="003_format_source_withdrawn")
def format_source_withdrawn(db: sqlite_utils.Database) -> None:
    _run_script(db, _FORMAT_SOURCE_WITHDRAWN)


@migrations(name="004_run_owner")
def run_owner(db: sqlite_utils.Database) -> None:
    # Who runs a run (archive/runs.py): a run whose process is gone can then be closed as interrupted.
    # Nullable: rows written before this migration have no owner.
    _run_script(
        db,
        """
        ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
        ALTER TABLE runs ADD COLUMN owner_host TEXT;
        ALTER TABLE runs ADD COLUMN owner_start TEXT;
        CREATE INDEX runs_status ON runs(status);
        """,
    )


# Near-duplicates (archive/neardup.py): MinHash signatures, their LSH buckets, and the groups found.
_NEAR_DUPLICATES = """
CREATE TABLE article_minhash (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    signature BLOB
);
CREATE TABLE article_lsh (
    band INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band, bucket, article_id)
) WITHOUT ROWID;
CREATE INDEX article_lsh_article ON article_lsh(article_id);
CREATE TABLE near_duplicates (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    group_id TEXT NOT NULL,
    similarity REAL NOT NULL
);
CREATE INDEX near_duplicates_group ON near_duplicates(group_id);
CREATE VIEW near_duplicate_groups AS
SELECT d.group_id,
       count(*) AS articles,
       count(DISTINCT a.publisher) AS publishers,
       min(a.published_at) AS first_published,
       max(a.published_at) AS last_published,
       (SELECT title FROM articles WHERE id = d.group_id) AS title,
       json_group_array(a.id) AS members
FROM near_duplicates d JOIN articles a ON a.id = d.article_id
GROUP BY d.group_id;
"""


@migrations(name="005_near_duplicates")
def near_duplicates(db: sqlite_utils.Database) -> None:
    _run_script(db, _NEAR_DUPLICATES)


# What the site itself said about each listed article and each discovery document when we last saw it
# (archive/crawlstate.py): an incremental crawl re-fetches what *differs*, never comparing the site's
# clock with ours. `withdrawals` keeps every time an archived article went away and came back.
_CRAWL_SIGNALS = """
CREATE TABLE article_signals (
    key TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    article_id TEXT REFERENCES articles(id) ON DELETE SET NULL,
    sitemap_lastmod TEXT,
    news_published TEXT,
    feed_date TEXT,
    etag TEXT,
    last_modified TEXT,
    listed_in TEXT,
    last_status INTEGER,
    last_checked_at TEXT,
    signals_seen_at TEXT
);
CREATE INDEX article_signals_article ON article_signals(article_id);
CREATE INDEX article_signals_listed_in ON article_signals(listed_in);
CREATE TABLE document_signals (
    path TEXT PRIMARY KEY,
    kind TEXT,
    index_lastmod TEXT,
    etag TEXT,
    last_modified TEXT,
    last_status INTEGER,
    last_read_at TEXT
);
CREATE TABLE withdrawals (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    withdrawn_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    capture_id INTEGER REFERENCES captures(id),
    restored_at TEXT,
    restored_capture_id INTEGER REFERENCES captures(id)
);
CREATE INDEX withdrawals_article ON withdrawals(article_id, withdrawn_at);
CREATE INDEX withdrawals_withdrawn_at ON withdrawals(withdrawn_at);
CREATE INDEX articles_withdrawn_at ON articles(withdrawn_at);
"""


@migrations(name="006_crawl_signals")
def crawl_signals(db: sqlite_utils.Database) -> None:
    _run_script(db, _CRAWL_SIGNALS)


# Places (archive/gazetteer.py, archive/places.py, archive/placeindex.py): the gazetteer, the places each
# article mentions, which content hash and gazetteer each article was tagged with, and one point per
# article for the map (``main``: its most specific place, then the most mentioned, then the first; chosen
# when the article is tagged, so the map's view is a plain indexed join).
_PLACES = """
CREATE TABLE places (
    place_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    level TEXT NOT NULL,
    unit_type TEXT NOT NULL,
    era TEXT NOT NULL,
    province TEXT NOT NULL,
    old_province TEXT,
    district TEXT,
    lat REAL,
    lon REAL,
    successor_id TEXT
);
CREATE INDEX places_name ON places(name);
CREATE TABLE article_places (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    place_id TEXT NOT NULL,
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    level TEXT NOT NULL,
    era TEXT NOT NULL,
    province TEXT NOT NULL,
    lat REAL,
    lon REAL,
    mentions INTEGER NOT NULL,
    first_offset INTEGER NOT NULL,
    successor_id TEXT,
    main INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, place_id)
);
CREATE INDEX article_places_main ON article_places(article_id) WHERE main = 1;
CREATE INDEX article_places_place ON article_places(place_id);
CREATE INDEX article_places_province ON article_places(province);
CREATE INDEX article_places_name ON article_places(name);
CREATE TABLE article_places_indexed (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    gazetteer TEXT NOT NULL,
    places INTEGER NOT NULL
);
CREATE VIEW article_map AS
SELECT a.id AS article_id, a.title, a.publisher, a.published_at, a.section, a.url,
       p.name AS place, p.full_name, p.level, p.era, p.province, p.mentions,
       p.lat AS latitude, p.lon AS longitude
FROM article_places p JOIN articles a ON a.id = p.article_id
WHERE p.main = 1;
"""


@migrations(name="007_places")
def places(db: sqlite_utils.Database) -> None:
    _run_script(db, _PLACES)


# Fast at a million articles (docs/performance.md). The articles page lists a search's matches newest
# first: SQLite walks the published_at index and keeps the rows whose doc_id the search matched. With
# doc_id in the index that walk never reads the article rows themselves (5-10 KB each); the same for a
# section's page. Each replaces the index it extends (same leading columns, so no query loses one).
# The facets of a search count the columns of its first 2,000 matches (vnnews/web/plugin/facets.py):
# from articles_doc_facets (~150 bytes an article) instead of 2,000 article rows, which at a million
# articles are rarely all in memory.
_COVERING_INDEXES = """
CREATE INDEX articles_published_doc ON articles(published_at, doc_id);
DROP INDEX articles_published_at;
CREATE INDEX articles_section_doc ON articles(section, published_at, doc_id);
DROP INDEX articles_section;
CREATE INDEX articles_doc_facets ON articles(doc_id, section, published_month, format, authors, tags);
"""


@migrations(name="008_covering_indexes")
def covering_indexes(db: sqlite_utils.Database) -> None:
    _run_script(db, _COVERING_INDEXES)


# The ranking asks which of a search's newest matches have every word in the title, and which in the
# lead (archive/search.py). Asked of articles_fts, whose position lists hold all four columns, that
# reads every word's whole list when the matches are few and old: 30 ms a look-up for a rare phrase
# of common words at a million articles. This index holds only the folded title and lead (about a
# fifth of the words), so the same look-ups read a fifth as much (6 ms). Kept by its own triggers on
# the same article_search rows; built from them once here (12 s at a million articles).
_HEAD_INDEX = """
CREATE VIRTUAL TABLE articles_head_fts USING fts5(
    title, lead,
    content='article_search', content_rowid='doc_id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER article_search_head_ai AFTER INSERT ON article_search BEGIN
    INSERT INTO articles_head_fts(rowid, title, lead) VALUES (new.doc_id, new.title, new.lead);
END;
CREATE TRIGGER article_search_head_ad AFTER DELETE ON article_search BEGIN
    INSERT INTO articles_head_fts(articles_head_fts, rowid, title, lead)
    VALUES ('delete', old.doc_id, old.title, old.lead);
END;
CREATE TRIGGER article_search_head_au AFTER UPDATE ON article_search BEGIN
    INSERT INTO articles_head_fts(articles_head_fts, rowid, title, lead)
    VALUES ('delete', old.doc_id, old.title, old.lead);
    INSERT INTO articles_head_fts(rowid, title, lead) VALUES (new.doc_id, new.title, new.lead);
END;
INSERT INTO articles_head_fts(articles_head_fts) VALUES ('rebuild');
"""


@migrations(name="009_head_index")
def head_index(db: sqlite_utils.Database) -> None:
    _run_script(db, _HEAD_INDEX)


def migrate(db: sqlite_utils.Database) -> None:
    migrations.apply(db)


def is_current(db: sqlite_utils.Database) -> bool:
    return not migrations.pending(db)
