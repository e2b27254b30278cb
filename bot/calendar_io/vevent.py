"""The one iCalendar event writer, for the export and the subscribable feed, and the calendar around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from storage.models import MeetingStatus
from storage.queries.rows import MeetingRow

PRODID = "-//Vereniging Groninger Gemeenten//VGG-bot//NL"
DEFAULT_DURATION = timedelta(hours=2)


@dataclass(frozen=True)
class EventText:
    """What an event says besides its times: its identity and the words shown in the calendar."""

    uid: str
    summary: str
    description: str
    categories: tuple[str, ...] = ()
    created: bool = False  # CREATED / LAST-MODIFIED from the meeting (the export keeps them)


def new_calendar(
    name: str, *, refresh: timedelta | None = None, zone: ZoneInfo | None = None
) -> icalendar.Calendar:
    """An empty VCALENDAR that Outlook and Google accept; `refresh` for a subscribed feed."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if zone is not None:
        calendar.add("x-wr-timezone", str(zone))
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    return calendar


def meeting_event(
    meeting: MeetingRow, text: EventText, *, tz: ZoneInfo, now: datetime, default_end: bool = False
) -> icalendar.Event:
    """One meeting as a VEVENT: TZID times (all-day as dates), STATUS, SEQUENCE, TRANSP."""
    event = icalendar.Event()
    event.add("uid", text.uid)
    event.add("dtstamp", now.astimezone(UTC))
    if text.created:
        event.add("created", meeting.created_at.astimezone(UTC))
        event.add("last-modified", meeting.updated_at.astimezone(UTC))
    start = meeting.starts_at.astimezone(tz)
    end = meeting.ends_at or (meeting.starts_at + DEFAULT_DURATION if default_end else None)
    if meeting.all_day:
        event.add("dtstart", start.date())
        if end is not None or default_end:
            event.add(
                "dtend", end.astimezone(tz).date() if end is not None else start.date() + timedelta(days=1)
            )
    else:
        event.add("dtstart", start)
        if end is not None:
            event.add("dtend", end.astimezone(tz))
    event.add("summary", text.summary)
    if meeting.location:
        event.add("location", meeting.location)
    cancelled = meeting.status == MeetingStatus.GEANNULEERD
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", meeting.sequence)
    if text.categories:
        event.add("categories", list(text.categories))
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if text.description:
        event.add("description", text.description)
    return event


def add_zones(calendar: icalendar.Calendar, first: date | None, last: date | None) -> None:
    """VTIMEZONE rules only for the years in use, so the file stays small."""
    if first is not None and last is not None:
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1)
        )
    else:
        calendar.add_missing_timezones()
