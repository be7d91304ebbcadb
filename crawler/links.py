"""Articles that only links reach: article links in the article and section pages a crawl fetches.

No sitemap, feed or section page lists some articles (an old-era URL in a recent article's body, a
"Tin liên quan" box pointing at a story from 2019). The spider hands every fetched article and
section page to ``LinkFollower.found``; when the listed work is done (the spider is idle) it asks
``LinkFollower.take`` for the links still unknown: same publisher, article URLs of any id scheme,
never an article the archive holds or this run already fetched, at most ``VNNEWS_LINK_BUDGET`` per
run. Those pages are fetched like any article (redirects followed, the original URL kept), and their
own links join the next round. Waiting for idle means a link never races the sitemap that lists the
same article: what is counted as found by links is exactly what nothing listed.

``article_links`` is pure (bytes in, URLs out); the spider does the Scrapy part.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from urllib.parse import urljoin, urlsplit

from crawler.discovery import article_url
from extraction.publishers import Publisher

# Article links per run when no setting says otherwise. A first crawl of the real site reads a year
# or more of daily sitemaps; the pages it fetches link a few thousand older stories. 5,000 lets a first
# full crawl of a copy complete and keeps one run's extra fetches bounded (at the polite 1 s delay,
# under an hour and a half); the rest waits for the pages that link them to be fetched again.
DEFAULT_BUDGET = 5000
# Only the first bytes of a page are searched for links: an article page is < 1 MB (DOWNLOAD_MAXSIZE
# caps a body at 16 MB); its body, related box and "tin mới" list come long before 2 MB.
MAX_SCANNED_BYTES = 2 * 1024 * 1024
# Distinct hrefs looked at per page: a real page has 100-300; more is a link farm, not news.
MAX_HREFS_PER_PAGE = 2000
# Candidates waiting for the next idle round: bounds memory on a site whose pages all link elsewhere.
MAX_PENDING = 100_000
# Normalised answers kept per run for hrefs that mean the same on every page (absolute or
# root-relative): a site's menus, "tin mới" and sidebars repeat the same links on every page.
MAX_CACHED_HREFS = 50_000
# href="…" or href='…' of <a> and <link> tags, read from the raw bytes: a regex pass is a fraction of a
# second parse of a 100 KB page, and the archive parses the page once already. The pattern starts with
# a literal ("ref") so the regex engine can skip ahead; the "h"/"H" before it is checked by hand
# (0.14 ms for a 50 KB page, against 1.2 ms for a case-insensitive pattern).
_HREF = re.compile(rb"""ref\s*=\s*["']\s*([^"'<>]*)""")
_BASE = re.compile(rb"""<base\s[^>]*href\s*=\s*["']\s*([^"'<>]+?)\s*["']""", re.IGNORECASE)


def article_links(
    body: bytes,
    page_url: str,
    base_url: str,
    publisher: Publisher,
    cache: dict[bytes, str | None] | None = None,
) -> list[str]:
    """Article URLs (normalised and rebased like listed ones) that ``body`` links to, in page order.

    ``cache``: a run's answers for hrefs that do not depend on the page (absolute, root-relative).
    """
    head = body[:MAX_SCANNED_BYTES]
    base = _BASE.search(head)
    if base:
        page_url = urljoin(page_url, html.unescape(base.group(1).decode("utf-8", "replace")))
        cache = None  # every href now depends on this page's <base>
    found: dict[str, None] = {}
    hrefs = dict.fromkeys(
        match.group(1) for match in _HREF.finditer(head) if head[match.start() - 1 : match.start()] in b"hH"
    )
    for count, raw in enumerate(hrefs):
        if count >= MAX_HREFS_PER_PAGE:
            break
        shared = cache if cache is not None and raw.startswith((b"http", b"/")) else None
        if shared is not None and raw in shared:
            url = shared[raw]
        else:
            url = _article_link(raw, page_url, base_url, publisher)
            if shared is not None and len(shared) < MAX_CACHED_HREFS:
                shared[raw] = url
        if url is not None:
            found[url] = None
    return list(found)


def _article_link(raw: bytes, page_url: str, base_url: str, publisher: Publisher) -> str | None:
    href = raw.decode("utf-8", "replace").strip()
    if "&" in href:
        href = html.unescape(href)
    # Article URLs of every id scheme end in .html: a cheap test before the full normalisation.
    if not urlsplit(href).path.lower().endswith((".html", ".htm")):
        return None
    return article_url(urljoin(page_url, href), base_url, publisher)


class LinkFollower:
    """The run's link candidates and budget. ``budget`` 0 turns link discovery off."""

    def __init__(self, budget: int, publisher: Publisher) -> None:
        self.budget = max(0, budget)
        self.publisher = publisher
        self.pending: dict[str, None] = {}
        self.taken = 0  # articles requested because of a link, this run
        self.over_budget = 0  # unknown linked articles left for a later run
        self.dropped = 0  # candidates beyond MAX_PENDING
        self.fetched_ids: set[str] = set()  # ids of pages fetched this run, final URLs of redirects too
        self.warned = False
        self.cache: dict[bytes, str | None] = {}  # see article_links
        self.carried = 0  # links of earlier, unfinished runs (crawler/relink.py)
        self.carried_partial = False

    @property
    def enabled(self) -> bool:
        return self.budget > 0

    def found(self, urls: Iterable[str]) -> None:
        if not self.enabled:
            return
        for url in urls:
            if url in self.pending:
                continue
            if len(self.pending) >= MAX_PENDING:
                self.dropped += 1
                continue
            self.pending[url] = None

    def carry(self, urls: list[str], partial: bool = False) -> None:
        """Links of pages a cut-short earlier run archived (crawler/relink.py), followed like ours;
        ``partial``: some of those pages are left for a later run."""
        self.carried = len(urls)
        self.carried_partial = partial
        self.found(urls)

    def status(self, reason: str) -> str:
        """For the run's summary: were all links followed? (``complete``, ``incomplete``, ``off``)"""
        if not self.enabled:
            return "off"
        done = reason == "finished" and not (self.over_budget or self.dropped or self.pending)
        done = done and not self.carried_partial
        return "complete" if done else "incomplete"

    def fetched(self, url: str) -> None:
        """A page answered at ``url`` (after redirects): links to the same article need no fetch."""
        ref = self.publisher.article_ref(url)
        if ref is not None:
            self.fetched_ids.add(ref.article_id)

    def take(self, known: Callable[[str, str], bool]) -> list[str]:
        """The pending links to fetch now, within the budget; ``known(url, article_id)`` says which
        the archive or this run already has. Unknown links beyond the budget are counted, not kept."""
        pending, self.pending = list(self.pending), {}
        chosen = []
        for url in pending:
            ref = self.publisher.article_ref(url)
            if ref is None or ref.article_id in self.fetched_ids or known(url, ref.article_id):
                continue
            if self.taken >= self.budget:
                self.over_budget += 1
                continue
            self.taken += 1
            self.fetched_ids.add(ref.article_id)  # one request per article, whatever URL links it
            chosen.append(url)
        return chosen


# A linked URL that answers these is a dead link on the site (an old story deleted, a typo in a
# body): recorded as a capture, counted as ``links_dead``, not a failure of the crawl.
DEAD_LINK_STATUSES = (404, 410)


def outcome_key(source: str, status: int, outcome: str) -> str:
    """The counter a stored page goes to (``vnnews/<key>``): a dead link is not an HTTP error."""
    if source == "link" and outcome in ("gone", "http_error") and status in DEAD_LINK_STATUSES:
        return "links_dead"
    return f"outcome/{outcome}"
