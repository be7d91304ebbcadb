"""Near-duplicates: reprints, wire copy run by several papers, an article re-published under a new id.

Each article's folded text (the search copy in ``article_search``) is cut into word 5-shingles and
summarised by a MinHash signature (datasketch, 64 permutations). Locality-sensitive hashing finds the
candidates: the signature is cut into 8 bands of 8 values and every band is a bucket key in
``article_lsh``; two articles that share any bucket are compared on their whole signatures, and pairs
whose estimated Jaccard similarity reaches ``THRESHOLD`` are near-duplicates. With 8 bands of 8, a
pair at similarity 0.8 shares a bucket with probability 0.89, and one at 0.5 with probability 0.03.

Groups are stored in ``near_duplicates``: one row per article that has at least one near-duplicate,
with ``group_id``, the id of the group's earliest-published member (the original, as far as the
archive knows). ``update`` brings the index up to date incrementally: it indexes articles whose
content hash differs from the one it indexed, so it runs at the end of every crawl, import and
reparse and the archive is never out of date.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

NUM_PERM = 64
BANDS = 8
ROWS_PER_BAND = NUM_PERM // BANDS
SHINGLE_WORDS = 5
# Estimated Jaccard similarity of 5-shingles at or above which two texts are the same story: a reprint
# with a new lead, a changed dateline or a cut paragraph stays above it; two reports of one event
# written separately fall far below.
THRESHOLD = 0.8
# Texts shorter than this have too few shingles to judge (a photo caption, a one-line brief).
MIN_WORDS = 40
# Articles indexed per transaction: bounded memory, and a long update does not block writers for long.
BATCH = 500


def _hash32(data: bytes) -> int:
    # crc32 is C-fast and stable across processes (Python's hash() is salted per process).
    return zlib.crc32(data)


def signature(folded_text: str) -> Any | None:
    """The MinHash signature (uint32 array of NUM_PERM) of a folded text, or None when too short."""
    from datasketch import MinHash

    words = folded_text.split()
    if len(words) < MIN_WORDS:
        return None
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    minhash = MinHash(num_perm=NUM_PERM, seed=7, hashfunc=_hash32)
    minhash.update_batch(list(shingles))
    return minhash.hashvalues.astype("<u4")


def buckets(sig: Any) -> list[tuple[int, int]]:
    """(band, bucket key) for every band of ``sig``."""
    keys = []
    for band in range(BANDS):
        part = sig[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND].tobytes()
        keys.append((band, int.from_bytes(hashlib.blake2b(part, digest_size=8).digest(), "little") >> 1))
    return keys


def similarity(a: Any, b: Any) -> float:
    return float((a == b).mean())


@dataclass
class UpdateResult:
    indexed: int = 0
    skipped_short: int = 0
    pairs: int = 0


def _pending(conn: sqlite3.Connection) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of (id, content_hash, folded title, lead, text) of articles not indexed at their hash."""
    keys = [
        row[0]
        for row in conn.execute(
            """SELECT a.id FROM articles a LEFT JOIN article_minhash m ON m.article_id = a.id
               WHERE m.article_id IS NULL OR m.content_hash != a.content_hash"""
        )
    ]
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        marks = ", ".join("?" * len(chunk))
        yield conn.execute(
            f"""SELECT a.id, a.content_hash, s.title, s.lead, s.text
                FROM articles a JOIN article_search s ON s.doc_id = a.doc_id WHERE a.id IN ({marks})""",
            chunk,
        ).fetchall()


@contextlib.contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def update(conn: sqlite3.Connection) -> UpdateResult:
    """Index every article that is new or changed since it was last indexed, and regroup around it.

    ``conn`` is in autocommit mode (the archive's); each batch of ``BATCH`` articles is one transaction.
    """
    import numpy as np

    result = UpdateResult()
    for rows in _pending(conn):
        with _immediate(conn):
            for key, content_hash, title, lead, text in rows:
                sig = signature(" ".join(part for part in (title, lead, text) if part))
                _forget(conn, key)
                conn.execute(
                    "INSERT INTO article_minhash (article_id, content_hash, signature) VALUES (?, ?, ?)",
                    (key, content_hash, None if sig is None else sig.tobytes()),
                )
                if sig is None:
                    result.skipped_short += 1
                    continue
                keys = buckets(sig)
                conn.executemany(
                    "INSERT OR IGNORE INTO article_lsh (band, bucket, article_id) VALUES (?, ?, ?)",
                    [(band, bucket, key) for band, bucket in keys],
                )
                matches = _matches(conn, key, sig, keys, np)
                result.pairs += len(matches)
                if matches:
                    _join(conn, key, matches)
                result.indexed += 1
    return result


def _forget(conn: sqlite3.Connection, key: str) -> None:
    """Drop an article's old signature and group membership (its text changed, or it is re-indexed)."""
    conn.execute("DELETE FROM article_lsh WHERE article_id = ?", (key,))
    conn.execute("DELETE FROM article_minhash WHERE article_id = ?", (key,))
    row = conn.execute("SELECT group_id FROM near_duplicates WHERE article_id = ?", (key,)).fetchone()
    if row is None:
        return
    conn.execute("DELETE FROM near_duplicates WHERE article_id = ?", (key,))
    _settle(conn, row[0])


def _matches(
    conn: sqlite3.Connection, key: str, sig: Any, keys: list[tuple[int, int]], np: Any
) -> dict[str, float]:
    clauses = " OR ".join("(band = ? AND bucket = ?)" for _ in keys)
    params = [value for pair in keys for value in pair]
    candidates = [
        row[0]
        for row in conn.execute(
            f"SELECT DISTINCT article_id FROM article_lsh WHERE ({clauses}) AND article_id != ?",
            [*params, key],
        )
    ]
    found: dict[str, float] = {}
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for other, blob in conn.execute(
            f"SELECT article_id, signature FROM article_minhash WHERE article_id IN ({marks})", chunk
        ):
            if blob is None:
                continue
            score = similarity(sig, np.frombuffer(blob, dtype="<u4"))
            if score >= THRESHOLD:
                found[other] = score
    return found


def _join(conn: sqlite3.Connection, key: str, matches: dict[str, float]) -> None:
    """Put ``key`` and its matches in one group, merging the groups they already belong to."""
    members = {key, *matches}
    marks = ", ".join("?" * len(matches))
    groups = {
        row[0]
        for row in conn.execute(
            f"SELECT group_id FROM near_duplicates WHERE article_id IN ({marks})", list(matches)
        )
    }
    if groups:
        marks = ", ".join("?" * len(groups))
        members.update(
            row[0]
            for row in conn.execute(
                f"SELECT article_id FROM near_duplicates WHERE group_id IN ({marks})", list(groups)
            )
        )
    # Each row keeps the best similarity its article has to another member.
    for member, score in [(key, max(matches.values())), *matches.items()]:
        conn.execute(
            """INSERT INTO near_duplicates (article_id, group_id, similarity) VALUES (?, ?, ?)
               ON CONFLICT (article_id) DO UPDATE SET similarity = max(similarity, excluded.similarity)""",
            (member, member, round(score, 4)),
        )
    _relabel(conn, members)


def _relabel(conn: sqlite3.Connection, members: set[str]) -> None:
    marks = ", ".join("?" * len(members))
    first = conn.execute(
        f"""SELECT id FROM articles WHERE id IN ({marks})
            ORDER BY published_at IS NULL, published_at, first_seen_at, id LIMIT 1""",
        list(members),
    ).fetchone()[0]
    conn.execute(f"UPDATE near_duplicates SET group_id = ? WHERE article_id IN ({marks})", [first, *members])


def _settle(conn: sqlite3.Connection, group_id: str) -> None:
    """After a member left: a group of one is no group; otherwise its earliest member names it."""
    members = {
        row[0]
        for row in conn.execute("SELECT article_id FROM near_duplicates WHERE group_id = ?", (group_id,))
    }
    if len(members) <= 1:
        conn.execute("DELETE FROM near_duplicates WHERE group_id = ?", (group_id,))
    else:
        _relabel(conn, members)
