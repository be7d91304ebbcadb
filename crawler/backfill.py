"""What a ``--since/--until`` window reads: the daily sitemaps the index lists for it, guesses beyond.

The sitemap index (and the indexes it nests) says which days have a daily sitemap. A window reads
those of its days; a day inside the index's reach (between its oldest and newest listed day) that the
index does not list has no sitemap and is not asked for. Only days outside that reach (newer than the
newest listed day, older than the oldest, or every day when the index lists none) are guessed at the
spec's path (``/sitemap-article-YYYY-MM-DD.xml``), newest first, a batch of ``probe_days`` at a time:
the next batch of a stretch is read only when the previous one found at least one sitemap. So a
window back to 2000 on a copy whose index lists 40 days costs 40 sitemaps and one batch of guesses,
not 9,000 requests. Pure: the spider feeds it the index links and the guesses' answers.
"""

from __future__ import annotations

from datetime import date, timedelta

from crawler.discovery import Link, daily_sitemap_date, days_between

# Days guessed per batch beyond the index's reach. A daily paper publishes every day (holidays
# included), so a week of days without a sitemap means the sitemaps stop there.
DEFAULT_PROBE_DAYS = 7
ONE_DAY = timedelta(days=1)


def unreached_spans(since: date, until: date, listed_days: set[date]) -> list[list[date]]:
    """Stretches of the window the index does not reach, each newest first (newer stretch first)."""
    if not listed_days:
        return [days_between(since, until)]
    oldest, newest = min(listed_days), max(listed_days)
    spans = []
    if until > newest:
        spans.append(days_between(max(since, newest + ONE_DAY), until))
    if since < oldest:
        spans.append(days_between(since, min(until, oldest - ONE_DAY)))
    return [span for span in spans if span]


class WindowReader:
    """One window's state: the daily sitemaps the index listed, then the guessing rounds."""

    def __init__(self, since: date, until: date, probe_days: int = DEFAULT_PROBE_DAYS) -> None:
        self.since, self.until = since, until
        self.probe_days = max(1, probe_days)
        self.listed: dict[date, str] = {}  # day -> the URL the index gives for it
        self.already_read: set[date] = set()  # days whose sitemap was read as it was found
        self.planned = False
        self.spans: list[list[date]] = []  # days still to guess, per stretch, newest first
        self.found: list[bool] = []  # did the stretch's last batch find a sitemap?
        self.guessed = 0
        self.stopped: list[date] = []  # per stretch given up: the last day guessed

    def index_links(self, links: list[Link]) -> list[Link]:
        """Record an index's daily sitemaps; return its other documents (nested indexes, maybe)."""
        others = []
        for link in links:
            day = daily_sitemap_date(link.url)
            if day is None:
                others.append(link)
            else:
                self.listed.setdefault(day, link.url)
        return others

    def plan(self) -> list[tuple[date, str]]:
        """Once the index is read: the listed daily sitemaps of the window, newest first."""
        self.planned = True
        self.spans = unreached_spans(self.since, self.until, set(self.listed))
        self.found = [True] * len(self.spans)  # the first batch of every stretch is read
        days = sorted(set(self.listed) - self.already_read, reverse=True)
        return [(day, self.listed[day]) for day in days if self.in_window(day)]

    def in_window(self, day: date) -> bool:
        return self.since <= day <= self.until

    def exhausted(self) -> bool:
        """Planned, and no stretch will be guessed further: the window's reading is over."""
        return self.planned and all(
            not days or not found for days, found in zip(self.spans, self.found, strict=True)
        )

    def sitemap_found(self, stretch: int) -> None:
        if 0 <= stretch < len(self.found):
            self.found[stretch] = True

    def next_guesses(self) -> list[tuple[int, date]]:
        """(stretch, day) to guess now: the next batch of every stretch whose last batch found one."""
        guesses: list[tuple[int, date]] = []
        for stretch, days in enumerate(self.spans):
            if not days:
                continue
            if not self.found[stretch]:
                self.stopped.append(days[0] + ONE_DAY)
                self.spans[stretch] = []
                continue
            batch, self.spans[stretch] = days[: self.probe_days], days[self.probe_days :]
            self.found[stretch] = False
            guesses.extend((stretch, day) for day in batch)
        self.guessed += len(guesses)
        return guesses
