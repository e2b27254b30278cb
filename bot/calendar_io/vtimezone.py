"""A full VTIMEZONE: the zone's yearly rules as RRULEs, valid for every year (what Outlook and Google
write themselves), instead of a list of transitions that ends in 2038. A zone without one regular
yearly rule falls back to icalendar's list of transitions."""

from __future__ import annotations

import calendar as month_days
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_CHECK_YEARS = 3


@dataclass(frozen=True)
class _Rule:
    month: int
    weekday: int  # 0 = Monday
    nth: int  # 1..4, or -1 for the last
    at: time  # local wall-clock time before the change
    offset_from: timedelta
    offset_to: timedelta
    name: str

    def day(self, year: int) -> date:
        if self.nth == -1:
            last = date(year, self.month, month_days.monthrange(year, self.month)[1])
            return last - timedelta(days=(last.weekday() - self.weekday) % 7)
        first = date(year, self.month, 1)
        return first + timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.nth - 1))


def _transitions(tz: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """(instant, offset before, offset after, name after) of every change in `year`, to the hour."""
    found = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    before = day.astimezone(tz).utcoffset() or timedelta()
    while day.year == year:
        if (day + timedelta(days=1)).astimezone(tz).utcoffset() != before:
            for hour in range(1, 25):  # a day at a time, then the hour within the day that changed
                moment = day + timedelta(hours=hour)
                after = moment.astimezone(tz).utcoffset() or timedelta()
                if after != before:
                    found.append((moment, before, after, moment.astimezone(tz).tzname() or ""))
                    before = after
        day += timedelta(days=1)
    return found


def _rule(instant: datetime, before: timedelta, after: timedelta, name: str) -> _Rule:
    local = (instant + before).replace(tzinfo=None)
    days_in_month = month_days.monthrange(local.year, local.month)[1]
    nth = -1 if local.day + 7 > days_in_month else (local.day - 1) // 7 + 1
    return _Rule(local.month, local.weekday(), nth, local.time(), before, after, name)


@lru_cache(maxsize=8)
def _rules(zone: str, year: int) -> tuple[_Rule, ...] | None:
    """The zone's two yearly rules, if the next years follow them exactly."""
    tz = ZoneInfo(zone)
    rules = tuple(_rule(*t) for t in _transitions(tz, year))
    if len(rules) != 2:
        return None
    for later in range(year + 1, year + 1 + _CHECK_YEARS):
        expected = [(datetime.combine(r.day(later), r.at) - r.offset_from, r.offset_to) for r in rules]
        actual = [(t[0].replace(tzinfo=None), t[2]) for t in _transitions(tz, later)]
        if expected != actual:
            return None
    return rules


def _component(rule: _Rule) -> icalendar.Component:
    part = icalendar.TimezoneDaylight() if rule.offset_to > rule.offset_from else icalendar.TimezoneStandard()
    part.add("dtstart", datetime.combine(rule.day(1970), rule.at))
    part.add(
        "rrule", {"freq": "yearly", "bymonth": rule.month, "byday": f"{rule.nth}{_WEEKDAYS[rule.weekday]}"}
    )
    part.add("tzoffsetfrom", rule.offset_from)
    part.add("tzoffsetto", rule.offset_to)
    part.add("tzname", rule.name)
    return part


def add_timezone(calendar: icalendar.Calendar, tz: ZoneInfo, *, year: int) -> None:
    """The VTIMEZONE for `tz`: yearly rules when the zone has them (from `year` on), else transitions."""
    rules = _rules(str(tz), year)
    if rules is None:
        calendar.add_missing_timezones(first_date=date(year - 2, 1, 1), last_date=date(year + 5, 1, 1))
        return
    zone = icalendar.Timezone()
    zone.add("tzid", str(tz))
    zone.add("x-lic-location", str(tz))
    for rule in rules:
        zone.add_component(_component(rule))
    calendar.add_component(zone)
