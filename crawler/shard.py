"""Publishers sharded over Scrapyd nodes: who crawls what, and ``schedule.json`` for each share.

Assignment (docs/scaling.md):

- Each publisher has a *home node*, chosen by rendezvous hashing of (node URL, publisher key): the
  node with the highest sha256 wins. It is deterministic (every operator and every cron job computes
  the same plan) and stable: adding a node moves only the publishers the new node wins, removing one
  moves only its own. Stability matters because a node keeps its publishers' incremental state (what
  it fetched, the site's change signals) in its archive: a publisher that moves is crawled afresh.
- With a window (``--since``/``--until``, a backfill), each publisher's window is cut into contiguous
  slices of whole days, one per node, and slice i goes to node (home + i) mod N: one publisher's
  backfill spreads over the cluster.

Which spider: the one named like the publisher key when the node's egg has it (``baonghean`` today),
else the generic ``news`` spider with ``publisher=KEY`` (the per-publisher and generic spiders being
built on another branch), asked of each node with ``listspiders.json``.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# One Scrapyd API call (listspiders, schedule): they answer at once, or the node is not well.
REQUEST_TIMEOUT = 10.0
# Scrapyd answers are a few hundred bytes; more is not Scrapyd.
MAX_ANSWER_BYTES = 1 << 20
GENERIC_SPIDER = "news"


class ShardError(Exception):
    """A node refused or could not be asked; the message names the node."""


@dataclass(frozen=True)
class Shard:
    node: str  # the node's Scrapyd URL, as normalised by ``node_url``
    node_number: int  # 1-based position of the node on the command line ({node} in the archive template)
    publisher: str
    since: date | None = None
    until: date | None = None

    @property
    def window(self) -> str:
        return f"{self.since}..{self.until}" if self.since else "incremental"

    def archive(self, template: str) -> str:
        host = urllib.parse.urlsplit(self.node).netloc.replace(":", "-")
        return template.format(node=self.node_number, host=host, publisher=self.publisher)


@dataclass
class Scheduled:
    shard: Shard
    spider: str
    archive: str
    job: str | None = None
    error: str | None = None
    args: dict[str, str] = field(default_factory=dict)


def node_url(value: str) -> str:
    """A Scrapyd URL, normalised (no trailing slash); ValueError names what is wrong."""
    parts = urllib.parse.urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value!r} is not a Scrapyd URL like http://127.0.0.1:6800")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError(f"{value!r} has a bad port") from None
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def home_node(publisher: str, nodes: list[str]) -> int:
    """The index in ``nodes`` of the publisher's home: rendezvous (highest random weight) hashing."""
    weights = [hashlib.sha256(f"{node}\n{publisher}".encode()).digest() for node in nodes]
    return max(range(len(nodes)), key=lambda i: weights[i])


def split_days(since: date, until: date, parts: int) -> list[tuple[date, date]]:
    """``since``..``until`` (inclusive) cut into at most ``parts`` contiguous slices of whole days, the
    longer slices first."""
    days = (until - since).days + 1
    parts = max(1, min(parts, days))
    slices = []
    start = since
    for index in range(parts):
        length = days // parts + (1 if index < days % parts else 0)
        slices.append((start, start + timedelta(days=length - 1)))
        start += timedelta(days=length)
    return slices


def plan(
    publishers: list[str], nodes: list[str], since: date | None = None, until: date | None = None
) -> list[Shard]:
    """Every (node, publisher, window) share, in publisher order."""
    shards = []
    for publisher in sorted(set(publishers)):
        home = home_node(publisher, nodes)
        if since is None or until is None:
            shards.append(Shard(nodes[home], home + 1, publisher))
            continue
        for offset, (first, last) in enumerate(split_days(since, until, len(nodes))):
            index = (home + offset) % len(nodes)
            shards.append(Shard(nodes[index], index + 1, publisher, first, last))
    return shards


def _call(url: str, data: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=REQUEST_TIMEOUT) as response:
            raw = response.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise ShardError(f"{url}: HTTP {error.code}") from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ShardError(f"{url}: {reason}") from None
    if len(raw) > MAX_ANSWER_BYTES:
        raise ShardError(f"{url}: answer over {MAX_ANSWER_BYTES} bytes (MAX_ANSWER_BYTES); not Scrapyd")
    try:
        answer = json.loads(raw)
    except ValueError:
        raise ShardError(f"{url}: the answer is not JSON; not Scrapyd") from None
    if not isinstance(answer, dict) or answer.get("status") != "ok":
        message = answer.get("message", answer) if isinstance(answer, dict) else answer
        raise ShardError(f"{url}: Scrapyd said {str(message).strip()[:300]}")
    return answer


def spiders(node: str, project: str) -> list[str]:
    query = urllib.parse.urlencode({"project": project})
    return [str(name) for name in _call(f"{node}/listspiders.json?{query}").get("spiders", [])]


def spider_for(publisher: str, available: list[str]) -> tuple[str, dict[str, str]]:
    """(spider, extra spider arguments) that crawls ``publisher`` on a node with ``available``."""
    if publisher in available:
        return publisher, {}
    if GENERIC_SPIDER in available:
        return GENERIC_SPIDER, {"publisher": publisher}
    raise ShardError(f"no spider {publisher!r} nor {GENERIC_SPIDER!r} in this node's egg")


def schedule(
    shards: list[Shard],
    project: str,
    archive_template: str,
    settings: list[tuple[str, str]],
    spider_args: list[tuple[str, str]],
) -> list[Scheduled]:
    """POST each share to its node's ``schedule.json``; a node that fails is reported, the others go
    on. ``VNNEWS_DB`` is the share's archive (``archive_template``), so each node crawls into its own."""
    known: dict[str, list[str] | ShardError] = {}
    done = []
    for shard in shards:
        archive = shard.archive(archive_template)
        if shard.node not in known:
            try:
                known[shard.node] = spiders(shard.node, project)
            except ShardError as error:
                known[shard.node] = error
        available = known[shard.node]
        if isinstance(available, ShardError):
            done.append(Scheduled(shard, "", archive, error=str(available)))
            continue
        try:
            spider, extra = spider_for(shard.publisher, available)
        except ShardError as error:
            done.append(Scheduled(shard, "", archive, error=f"{shard.node}: {error}"))
            continue
        args = dict(spider_args) | extra
        if shard.since is not None:
            args |= {"since": shard.since.isoformat(), "until": str(shard.until)}
        fields = [("project", project), ("spider", spider), ("setting", f"VNNEWS_DB={archive}")]
        fields += [("setting", f"{name}={value}") for name, value in settings if name != "VNNEWS_DB"]
        fields += list(args.items())
        item = Scheduled(shard, spider, archive, args=args)
        try:
            item.job = str(_call(f"{shard.node}/schedule.json", fields)["jobid"])
        except (ShardError, KeyError) as error:
            item.error = str(error)
        done.append(item)
    return done
