"""Dutch working days: weekends and public holidays (Koningsdag, Tweede Kerstdag, …)."""

from __future__ import annotations

from datetime import date
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
