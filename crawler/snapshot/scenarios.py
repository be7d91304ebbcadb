"""What a real site does to a copy between two crawls, applied to a copy of a built snapshot.

    later = copy_snapshot(snapshot, tmp / "later")
    edit_silently(later, path)                 # the page changes, no sitemap or feed says so
    withdraw(later, path, at=when)             # 404, dropped from its day's sitemap (index lastmod moved)
    restore(later, snapshot, path, at=when)    # back again, listed again

The original snapshot is never modified (a session-wide fixture may share it). A copy replayed a year
later is ``build_snapshot(..., anchor=a_year_ago, now=a_year_ago + timedelta(days=1))``: its edits
carry dates that are all earlier than the crawler's clock.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

from crawler.snapshot.build import Snapshot
from crawler.snapshot.pages import SITE, _iso

_BODY_START = '<div class="b-maincontent"><div class="entry entry-no-padding">'
_BODY_END = "\n</div></div>"
SILENT_EDIT = "Bài viết đã được cập nhật: tòa soạn bổ sung thông tin về số liệu sau khi kiểm tra lại."


def copy_snapshot(snapshot: Snapshot, directory: str | Path) -> Snapshot:
    """A copy of ``snapshot`` in ``directory`` (file times kept) to change without touching the original."""
    root = Path(directory)
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(snapshot.root, root)
    return Snapshot.load(root)


def _file(snapshot: Snapshot, path: str) -> Path:
    return snapshot.site / path.lstrip("/")


def edit_silently(snapshot: Snapshot, path: str, paragraph: str = SILENT_EDIT) -> None:
    """Add a paragraph to an article's body; its sitemap ``<lastmod>``, feeds and dates stay as they were
    (an editor's quick fix the CMS does not announce)."""
    target = _file(snapshot, path)
    html = target.read_text(encoding="utf-8")
    start = html.index(_BODY_START)
    end = html.index(_BODY_END, start)
    target.write_text(html[:end] + f"\n<p>{paragraph}</p>" + html[end:], encoding="utf-8")


def daily_sitemap_of(snapshot: Snapshot, path: str) -> Path:
    """The daily sitemap that lists an article."""
    needle = f"<loc>{SITE}{path}</loc>"
    for sitemap in sorted(snapshot.site.glob("sitemap-article-*.xml")):
        if needle in sitemap.read_text(encoding="utf-8"):
            return sitemap
    raise LookupError(f"no daily sitemap lists {path}")


def set_index_lastmod(snapshot: Snapshot, sitemap_name: str, when: datetime) -> None:
    """Set a sitemap's ``<lastmod>`` in the index (what a CMS does when the day's list changes)."""
    index = snapshot.site / "sitemap.xml"
    text = index.read_text(encoding="utf-8")
    pattern = re.compile(
        rf"(<loc>{re.escape(SITE)}/{re.escape(sitemap_name)}</loc><lastmod>)[^<]*(</lastmod>)"
    )
    text, count = pattern.subn(rf"\g<1>{_iso(when)}\g<2>", text)
    if count != 1:
        raise LookupError(f"the index does not list {sitemap_name}")
    index.write_text(text, encoding="utf-8")


def withdraw(snapshot: Snapshot, path: str, at: datetime) -> None:
    """Take an article down: its page answers 404 and its day's sitemap no longer lists it (the
    index gives that sitemap a new ``<lastmod>``, ``at``). Feeds and section pages are left alone."""
    sitemap = daily_sitemap_of(snapshot, path)
    text = sitemap.read_text(encoding="utf-8")
    entry = re.compile(rf"<url><loc>{re.escape(SITE + path)}</loc>.*?</url>\n", re.S)
    sitemap.write_text(entry.sub("", text, count=1), encoding="utf-8")
    set_index_lastmod(snapshot, sitemap.name, at)
    _file(snapshot, path).unlink()


def restore(snapshot: Snapshot, original: Snapshot, path: str, at: datetime) -> None:
    """Put a withdrawn article back as ``original`` served it, listed again by its day's sitemap."""
    sitemap = daily_sitemap_of(original, path)
    shutil.copy2(sitemap, snapshot.site / sitemap.name)
    set_index_lastmod(snapshot, sitemap.name, at)
    shutil.copy2(_file(original, path), _file(snapshot, path))
