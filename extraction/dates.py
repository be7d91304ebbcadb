"""Dates of Vietnamese news pages: always day-first, always +07:00 (Vietnam has no DST)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

VN_TZ = timezone(timedelta(hours=7))

# A page's date signal outside this window is a typo or a placeholder ("0001-01-01", "1970-01-01",
# "9999-12-31"): it is ignored and the next signal is read. Vietnamese papers went online in the late
# 1990s; a page may be dated a little ahead of the clock (time zones, scheduled posts), never days ahead.
EARLIEST = datetime(1990, 1, 1, tzinfo=VN_TZ)
MAX_AHEAD = timedelta(days=2)

_VISIBLE_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_VISIBLE_TIME = re.compile(
    r"(?<!\d)(\d{1,2})\s*[:hg]\s*(\d{2})(?:\s*:\s*(\d{2}))?(?!\d)(?:\s*(am|pm|sa|ch)\b)?", re.IGNORECASE
)
# Year first with slashes or dots ("2025/06/19"): machine-made, never ambiguous.
_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{1,2})(?!\d)")
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?\s*$"
)


def to_iso(moment: datetime) -> str:
    """ISO 8601 in Vietnam time; naive datetimes are taken to be Vietnam time already.

    Only for moments within datetime's range in Vietnam time (see ``in_vietnam``)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()


def in_vietnam(moment: datetime) -> datetime | None:
    """The moment in Vietnam time, or None when that falls outside datetime's range (9999-12-31 23:00Z)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    try:
        return moment.astimezone(VN_TZ)
    except (OverflowError, ValueError):
        return None


def plausible_iso(moment: datetime) -> str | None:
    """ISO 8601 +07:00 for a plausible publication moment (EARLIEST .. now + MAX_AHEAD), else None."""
    local = in_vietnam(moment)
    if local is None or local < EARLIEST or local > datetime.now(VN_TZ) + MAX_AHEAD:
        return None
    return to_iso(local)


def parse_iso(value: str | None) -> str | None:
    """A machine date (meta, JSON-LD, time[datetime]) as ISO +07:00; None when it is not one."""
    if not value:
        return None
    match = _ISO.match(value)
    if not match:
        return parse_visible(value) or _parse_rfc822(value)
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        if zone:
            if zone == "Z":
                offset = timedelta(0)
            else:
                sign = -1 if zone[0] == "-" else 1
                digits = zone[1:].replace(":", "")
                offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            moment = moment.replace(tzinfo=timezone(offset))  # ValueError beyond +-24 h
    except ValueError:
        return None
    return plausible_iso(moment)


def parse_visible(value: str | None) -> str | None:
    """ "14/10/2025 08:45", "14/10/2025 - 08:45", "08:45 14/10/2025", "Thứ Ba, 14/10/2025 08:45".

    Day first, always: stored copies of this site were seen with day and month swapped by other tools.
    """
    if not value:
        return None
    date_match = _VISIBLE_DATE.search(value)
    if date_match:
        day, month, year = (int(g) for g in date_match.groups())
    else:
        date_match = _YEAR_FIRST.search(value)
        if not date_match:
            return None
        year, month, day = (int(g) for g in date_match.groups())
    rest = value[: date_match.start()] + " " + value[date_match.end() :]
    time_match = _VISIBLE_TIME.search(rest)
    hour = minute = second = 0
    if time_match:
        hour, minute = int(time_match.group(1)), int(time_match.group(2))
        second = int(time_match.group(3) or 0)
        half = (time_match.group(4) or "").lower()  # "07:22 PM", "07:22 CH" (chiều)
        if half in ("pm", "ch") and hour < 12:
            hour += 12
        elif half in ("am", "sa") and hour == 12:
            hour = 0
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)
    except ValueError:
        return None
    return plausible_iso(moment)


def _parse_rfc822(value: str) -> str | None:
    """ "Thu, 19 Jun 2025 19:22:00 +0700" (RSS style, sometimes copied into meta tags)."""
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return plausible_iso(moment) if moment else None


def parse_captured_at(value: str | datetime | None) -> datetime | None:
    """The capture time given by a caller, as an aware datetime (naive = Vietnam time)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return in_vietnam(value)
    text = str(value).strip()
    try:  # any moment in datetime's range: a capture time is the caller's word, not the page's
        moment = datetime.fromisoformat(text)
    except ValueError:
        iso = parse_iso(text)  # a visible or RFC 822 date
        return datetime.fromisoformat(iso) if iso else None
    return in_vietnam(moment)
