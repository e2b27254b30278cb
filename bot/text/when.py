"""When a meeting is and until when to propose, in Dutch: all-day and multi-day meetings never show a
clock time, and a deadline at the end of a day (stored as the next midnight) is never shown as 00:00."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.text.dutch import (
    LOCALE,
    dutch_date,
    dutch_datetime,
    dutch_short_date,
    dutch_time,
    list_date,
    list_datetime,
)


class Timed(Protocol):
    """Anything with a meeting's times: a query row or a loaded meeting."""

    @property
    def starts_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime | None: ...

    @property
    def all_day(self) -> bool: ...


def last_day(meeting: Timed, tz: ZoneInfo) -> date:
    """The local day a meeting ends on (an end at midnight, as all-day events have, is the day before)."""
    first = meeting.starts_at.astimezone(tz).date()
    if meeting.ends_at is None:
        return first
    end = meeting.ends_at.astimezone(tz)
    day = end.date() - timedelta(days=1) if end.time() == time() else end.date()
    return max(first, day)


def spans_days(meeting: Timed, tz: ZoneInfo) -> bool:
    return last_day(meeting, tz) > meeting.starts_at.astimezone(tz).date()


def has_clock_time(meeting: Timed, tz: ZoneInfo) -> bool:
    """Only a meeting within one day that is not all-day shows a time."""
    return not meeting.all_day and not spans_days(meeting, tz)


def day_range(first: date, last: date, *, short: bool = False) -> str:
    """`7-8 december 2026`, `30 november - 1 december 2026`, `31 december 2026 - 2 januari 2027`."""
    month = "MMM" if short else "MMMM"
    if first.year != last.year:
        pattern = f"d {month} y"
        return f"{format_date(first, pattern, locale=LOCALE)} – {format_date(last, pattern, locale=LOCALE)}"
    if first.month != last.month:
        start = format_date(first, f"d {month}", locale=LOCALE)
        return f"{start} – {format_date(last, f'd {month} y', locale=LOCALE)}"
    return f"{first.day}–{format_date(last, f'd {month} y', locale=LOCALE)}"


def meeting_when(meeting: Timed, tz: ZoneInfo, *, with_end: bool = False) -> str:
    """`maandag 7 december 2026, 10:00` (`-12:00` with the end), `… (hele dag)`, or `7-8 december 2026`."""
    if spans_days(meeting, tz):
        return day_range(meeting.starts_at.astimezone(tz).date(), last_day(meeting, tz))
    if meeting.all_day:
        return dutch_date(meeting.starts_at, tz) + " (hele dag)"
    when = dutch_datetime(meeting.starts_at, tz)
    if with_end and meeting.ends_at is not None:
        when += "–" + dutch_time(meeting.ends_at, tz)
    return when


def meeting_when_short(meeting: Timed, tz: ZoneInfo) -> str:
    """`ma 7 dec 2026 10:00`, `ma 7 dec 2026 (hele dag)`, `7-8 dec 2026`: for lists and options."""
    if spans_days(meeting, tz):
        return day_range(meeting.starts_at.astimezone(tz).date(), last_day(meeting, tz), short=True)
    if meeting.all_day:
        return dutch_short_date(meeting.starts_at, tz) + " (hele dag)"
    return f"{dutch_short_date(meeting.starts_at, tz)} {dutch_time(meeting.starts_at, tz)}"


def meeting_day_short(meeting: Timed, tz: ZoneInfo) -> str:
    """The day (or days) only: `ma 7 dec 2026`, `7-8 dec 2026`."""
    if spans_days(meeting, tz):
        return day_range(meeting.starts_at.astimezone(tz).date(), last_day(meeting, tz), short=True)
    return dutch_short_date(meeting.starts_at, tz)


def ends_a_day(deadline: datetime, tz: ZoneInfo) -> bool:
    """A deadline at local midnight is the end of the day before it."""
    return deadline.astimezone(tz).time() == time()


def deadline_day(deadline: datetime, tz: ZoneInfo) -> date:
    """The day a deadline falls on (the end of a day counts as that day)."""
    local = deadline.astimezone(tz)
    return local.date() - timedelta(days=1) if local.time() == time() else local.date()


def dutch_deadline(deadline: datetime, tz: ZoneInfo) -> str:
    """`maandag 30 november 2026, 10:00`, or `woensdag 16 december 2026` for the end of that day.

    Read after "uiterlijk" or "deadline", the day alone includes the day itself."""
    if ends_a_day(deadline, tz):
        return dutch_date(deadline_day(deadline, tz))
    return dutch_datetime(deadline, tz)


def dutch_deadline_short(deadline: datetime, tz: ZoneInfo) -> str:
    """`ma 30 nov 2026`: the day of a deadline, for compact lists."""
    return dutch_short_date(deadline_day(deadline, tz))


def list_meeting(meeting: Timed, today: date, tz: ZoneInfo) -> str:
    """`ma 7 dec 10:00`, `ma 7 dec` (all day), `7-8 dec 2026` in a list; the year only when not this year."""
    if spans_days(meeting, tz):
        return day_range(meeting.starts_at.astimezone(tz).date(), last_day(meeting, tz), short=True)
    if not has_clock_time(meeting, tz):
        return list_date(meeting.starts_at, today, tz)
    return list_datetime(meeting.starts_at, today, tz)


def list_deadline(deadline: datetime, today: date, tz: ZoneInfo) -> str:
    """`ma 30 nov 10:00`, or the day alone when the deadline is the end of that day."""
    if ends_a_day(deadline, tz):
        return list_date(deadline_day(deadline, tz), today)
    return list_datetime(deadline, today, tz)


def month_list_meeting(meeting: Timed, tz: ZoneInfo) -> str:
    """`di 8 dec 09:00`, `do 17 dec (hele dag)`, `7-8 dec`: under a month heading, so never a year."""
    first = meeting.starts_at.astimezone(tz).date()
    if spans_days(meeting, tz):
        last = last_day(meeting, tz)
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day}–{format_date(last, 'd MMM', locale=LOCALE)}"
        return f"{format_date(first, 'd MMM', locale=LOCALE)} – {format_date(last, 'd MMM', locale=LOCALE)}"
    day = format_date(first, "EEE d MMM", locale=LOCALE)
    if meeting.all_day:
        return f"{day} (hele dag)"
    return f"{day} {dutch_time(meeting.starts_at, tz)}"


def relative_deadline(deadline: datetime, now: datetime, tz: ZoneInfo) -> str:
    """`vandaag 17:00`, `morgen 13:30`, `vr 4 dec 13:30 (over 3 dagen)`, `ma 8 mrt 2027`: how soon.

    A deadline at the end of a day shows the day alone (`morgen`)."""
    today = now.astimezone(tz).date()
    day = deadline_day(deadline, tz)
    clock = "" if ends_a_day(deadline, tz) else " " + dutch_time(deadline, tz)
    days = (day - today).days
    if days == 0:
        return f"vandaag{clock}"
    if days == 1:
        return f"morgen{clock}"
    shown = list_deadline(deadline, today, tz)
    return f"{shown} (over {days} dagen)" if 1 < days <= 14 else shown
