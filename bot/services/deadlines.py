"""The agenda deadline: so many working days before a meeting, at a time of day.

The rule is per overleg (`deadline_working_days`, `deadline_time`): "10 werkdagen vóór de
vergadering, 12:00". Counting skips Saturdays, Sundays and Dutch public holidays, so a deadline never
falls on one. Without a time of day the deadline is at the meeting's own start time; for an all-day
meeting (which has none) it is the end of that working day, stored as the next midnight, so that a
deadline is never read as "00:00" and the day itself still counts.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.services.working_days import working_days_before
from storage.queries.rows import MeetingRow

MAX_WORKING_DAYS = 60

_day_before = lru_cache(maxsize=4096)(working_days_before)


def agenda_deadline(meeting: MeetingRow, *, tz: ZoneInfo) -> datetime:
    """The last moment a proposal counts for `meeting` (never after its start)."""
    overleg = meeting.overleg
    local_start = meeting.starts_at.astimezone(tz)
    day = _day_before(local_start.date(), overleg.deadline_working_days)
    if overleg.deadline_time is not None:
        local = datetime.combine(day, overleg.deadline_time, tzinfo=tz)
    elif meeting.all_day:
        local = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz)
    else:
        local = datetime.combine(day, local_start.time().replace(tzinfo=None), tzinfo=tz)
    return min(local.astimezone(meeting.starts_at.tzinfo), meeting.starts_at)


def describe_rule(working_days: int, at: time | None) -> str:
    """`10 werkdagen vóór de vergadering, 12:00`, in the words the secretariaat reads."""
    days = (
        "op de werkdag van de vergadering"
        if working_days == 0
        else (f"{working_days} werkdag{'en' if working_days != 1 else ''} vóór de vergadering")
    )
    if at is not None:
        return f"{days}, {at:%H:%M}"
    return f"{days}, op de begintijd van de vergadering (hele dag: tot het eind van die werkdag)"


def widest_span_days(working_days: int) -> int:
    """Calendar days a working-day rule can span at most (weekends and a cluster of holidays)."""
    return working_days * 7 // 5 + 7
