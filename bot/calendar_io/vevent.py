"""The one iCalendar event writer, for the export and the subscribable feed, and the calendar around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from bot.calendar_io.vtimezone import add_timezone
from storage.models import MeetingStatus
from storage.queries.rows import MeetingRow

PRODID = "-//Vereniging Groninger Gemeenten//VGG-bot//NL"
DEFAULT_DURATION = timedelta(hours=2)
TEAMS_URL = "X-MICROSOFT-SKYPETEAMSMEETINGURL"


@dataclass(frozen=True)
class EventText:
    """What an event says besides its times: its identity and the words shown in the calendar."""

    uid: str
    summary: str
    description: str
    sequence: int
    categories: tuple[str, ...] = ()
    created: bool = False  # CREATED / LAST-MODIFIED from the meeting (the export keeps them)
    online_url: str = ""  # written as Teams' own property (Outlook shows a join button)


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
        # RFC 7986's REFRESH-INTERVAL, and X-PUBLISHED-TTL, which Outlook reads instead.
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(refresh))
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
    event.add("sequence", text.sequence)
    if text.categories:
        event.add("categories", list(text.categories))
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if text.description:
        event.add("description", text.description)
    if text.online_url:
        event.add(TEAMS_URL, text.online_url)
    return event


def add_zone(calendar: icalendar.Calendar, tz: ZoneInfo, now: datetime) -> None:
    """The full VTIMEZONE of the bot's zone (yearly rules), plus any other zone an event uses."""
    add_timezone(calendar, tz, year=now.astimezone(tz).year)
    calendar.add_missing_timezones()
