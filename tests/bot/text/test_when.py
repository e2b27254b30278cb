"""When, in Dutch: one-day meetings with their time, all-day ones with "(hele dag)", multi-day ones as a
range; a deadline at the end of a day shows the day alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.text.when import day_range, dutch_deadline, has_clock_time, meeting_when, meeting_when_short
from tests.conftest import AMS


@dataclass(frozen=True)
class Times:
    starts_at: datetime
    ends_at: datetime | None
    all_day: bool = False


def test_day_ranges() -> None:
    """Seven to eight December 2026 as one range, and ranges across months and years."""
    assert day_range(date(2026, 12, 7), date(2026, 12, 8)) == "7–8 december 2026"
    assert day_range(date(2026, 11, 30), date(2026, 12, 1)) == "30 november – 1 december 2026"
    assert day_range(date(2026, 12, 31), date(2027, 1, 2)) == "31 december 2026 – 2 januari 2027"
    assert day_range(date(2026, 12, 7), date(2026, 12, 8), short=True) == "7–8 dec 2026"


def test_meeting_when_by_kind() -> None:
    """Timed: date and time; all-day: no time; two days (all-day or timed): the range, no time."""
    timed = Times(datetime(2026, 12, 7, 10, tzinfo=AMS), datetime(2026, 12, 7, 12, tzinfo=AMS))
    all_day = Times(datetime(2026, 12, 7, tzinfo=AMS), datetime(2026, 12, 8, tzinfo=AMS), True)
    two_days = Times(datetime(2026, 12, 7, tzinfo=AMS), datetime(2026, 12, 9, tzinfo=AMS), True)
    timed_two = Times(datetime(2026, 12, 7, 9, tzinfo=AMS), datetime(2026, 12, 8, 17, tzinfo=AMS))
    assert meeting_when(timed, AMS, with_end=True) == "maandag 7 december 2026, 10:00–12:00"
    assert meeting_when_short(timed, AMS) == "ma 7 dec 2026 10:00"
    assert meeting_when(all_day, AMS) == "maandag 7 december 2026 (hele dag)"
    assert meeting_when(two_days, AMS) == "7–8 december 2026"
    assert meeting_when(timed_two, AMS) == "7–8 december 2026"
    assert [has_clock_time(m, AMS) for m in (timed, all_day, two_days, timed_two)] == [
        True,
        False,
        False,
        False,
    ]


def test_deadline_at_midnight_is_the_day_before() -> None:
    """A deadline stored as the next midnight reads as the day it ends; any other time shows the time."""
    assert dutch_deadline(datetime(2026, 12, 17, 0, 0, tzinfo=AMS), AMS) == "woensdag 16 december 2026"
    assert (
        dutch_deadline(datetime(2026, 12, 16, 12, 0, tzinfo=AMS), AMS) == "woensdag 16 december 2026, 12:00"
    )
