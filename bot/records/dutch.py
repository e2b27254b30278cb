"""Dutch dates for the records: "maandag 22 maart 2027, 09:30-12:00", "7-8 december 2027"
(ranges are written with an en dash, as Dutch typography has them).

Kept inside `bot.records` (rather than shared with the chat's date text) so the archive and the
year report read only their own inputs; Babel does the Dutch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.records.model import HistoryStep, MeetingRecord

LOCALE = "nl_NL"


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def clock_time(moment: datetime, tz: ZoneInfo) -> str:
    """`09:30`"""
    return moment.astimezone(tz).strftime("%H:%M")


def long_date(day: date) -> str:
    """`maandag 22 maart 2027`"""
    return format_date(day, "EEEE d MMMM y", locale=LOCALE)


def day_month(day: date) -> str:
    """`22 maart`"""
    return format_date(day, "d MMMM", locale=LOCALE)


def short_day_month(day: date, *, with_year: bool = False) -> str:
    """`22 mrt` (or `22 mrt 2027`)"""
    return format_date(day, "d MMM y" if with_year else "d MMM", locale=LOCALE)


def last_day(meeting: MeetingRecord, tz: ZoneInfo) -> date:
    """The local date the meeting ends on (an all-day end is exclusive, as in iCalendar)."""
    first = local_date(meeting.starts_at, tz)
    if meeting.ends_at is None:
        return first
    end = local_date(meeting.ends_at, tz)
    if meeting.all_day:
        end -= timedelta(days=1)
    return max(first, end)


def day_range(first: date, last: date, *, with_year: bool = True) -> str:
    """`7-8 december 2027`, `30 november - 1 december 2027`, `30 december 2027 - 2 januari 2028`."""
    year = f" {last.year}" if with_year else ""
    if first == last:
        return day_month(first) + year
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day_month(last)}{year}"
    if first.year == last.year:
        return f"{day_month(first)} – {day_month(last)}{year}"
    return f"{day_month(first)} {first.year} – {day_month(last)} {last.year}"


def meeting_when(meeting: MeetingRecord, tz: ZoneInfo) -> str:
    """When a meeting is, the Dutch way; all-day meetings without a clock time."""
    first, last = local_date(meeting.starts_at, tz), last_day(meeting, tz)
    if meeting.all_day:
        return f"{long_date(first)} (hele dag)" if first == last else day_range(first, last)
    start = f"{long_date(first)}, {clock_time(meeting.starts_at, tz)}"
    if meeting.ends_at is None:
        return start
    if first == last:
        return f"{start}–{clock_time(meeting.ends_at, tz)}"
    return f"{start} – {long_date(last)}, {clock_time(meeting.ends_at, tz)}"


def meeting_days(meeting: MeetingRecord, tz: ZoneInfo) -> str:
    """The meeting's day(s) without the year, for a sentence about one year: `20 maart`, `7-8 december`."""
    return day_range(local_date(meeting.starts_at, tz), last_day(meeting, tz), with_year=False)


def join_words(words: Sequence[str]) -> str:
    """`a`, `a en b`, `a, b en c`"""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " en " + words[-1]


def trail(history: Sequence[HistoryStep], tz: ZoneInfo) -> str:
    """`aangehouden 22 mrt → geagendeerd 28 jun → behandeld 28 jun: <besluit>`.

    A step's date is that of the meeting it refers to, else when it was recorded; the year is
    written only when the steps do not all fall in one year.
    """
    days = [local_date(step.meeting_starts_at or step.at, tz) for step in history]
    with_year = len({day.year for day in days}) > 1
    parts = []
    for step, day in zip(history, days, strict=True):
        part = f"{step.state} {short_day_month(day, with_year=with_year)}"
        parts.append(f"{part}: {step.note}" if step.note else part)
    return " → ".join(parts)


def number_text(value: float) -> str:
    """`12`, `2,5` — one decimal at most, decimal comma."""
    return f"{round(value, 1):.1f}".replace(".", ",").removesuffix(",0")
