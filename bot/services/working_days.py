"""Dutch working days: weekends and public holidays (Koningsdag, Tweede Kerstdag, …)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _nl_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_holiday(day: date) -> bool:
    """A Dutch public holiday, from the maintained `holidays` package."""
    return day in _nl_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (0: `day` itself, or the working day before it)."""
    found = day
    while not is_working_day(found):
        found -= timedelta(days=1)
    if count <= 0:
        return found
    left = count
    found = day
    while left:
        found -= timedelta(days=1)
        if is_working_day(found):
            left -= 1
    return found
