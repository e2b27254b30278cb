"""The subscribable calendar feed: `GET /kalender.ics?token=…` and `/kalender/<overleg>.ics` (HTTP mode):
meetings and agenda deadlines that Outlook and Google keep fresh.

Each event has a stable UID of our own and a SEQUENCE that rises with every change we publish (time,
title, place, status, the deadline rule), so a subscribed calendar replaces its copy; a cancelled
meeting (and its deadline) is published as STATUS:CANCELLED, not left out. REFRESH-INTERVAL and
X-PUBLISHED-TTL ask for a refresh every hour; the VTIMEZONE holds the zone's yearly rules.
A request without a valid token gets the same 404 as an unknown path, so nothing about the calendar
leaks. Overleggen are looked up per request, so a new overleg's feed works without a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy.orm import Session

from bot.calendar_io.vevent import EventText, add_zone, meeting_event, new_calendar
from bot.services.deadlines import agenda_deadline
from bot.services.feed_tokens import FEED_PATH, token_is_valid
from bot.services.meetings import shown_title
from bot.services.overleggen import match_overleg
from bot.text.when import deadline_day, dutch_deadline, ends_a_day, meeting_when
from storage.db import SessionFactory
from storage.models import MeetingStatus
from storage.queries import meetings as queries
from storage.queries.rows import MeetingRow

FEED_PAST = timedelta(days=90)
FEED_AHEAD = timedelta(days=550)
FEED_LIMIT = 3000
DEADLINE_MINUTES = 15
REFRESH = timedelta(hours=1)
OVERLEG_PREFIX = "/kalender/"

Response = tuple[int, list[tuple[str, str]], bytes]


def build_feed(
    *,
    session: Session,
    now: datetime,
    tz: ZoneInfo,
    overleg_id: int | None = None,
    title: str = "VGG-overleggen",
) -> bytes:
    """Meetings and agenda deadlines from 90 days back to 18 months ahead, as iCalendar with TZID."""
    calendar = new_calendar(title, refresh=REFRESH, zone=tz)
    meetings = queries.in_window(
        session=session, start=now - FEED_PAST, end=now + FEED_AHEAD, limit=FEED_LIMIT, overleg_id=overleg_id
    )
    for meeting in meetings:
        # Our own id, not the imported Outlook UID: a subscription must not collide with the invitation.
        text = EventText(
            uid=f"vggbot-meeting-{meeting.id}@vgg.nl",
            summary=meeting.title or meeting.overleg.name,
            description=_note(meeting, now),
            sequence=meeting.feed_sequence,
        )
        calendar.add_component(meeting_event(meeting, text, tz=tz, now=now, default_end=True))
        if meeting.takes_proposals:
            calendar.add_component(_deadline_event(meeting, tz, now))
    add_zone(calendar, tz, now)
    return bytes(calendar.to_ical())


def _note(meeting: MeetingRow, now: datetime) -> str:
    lines = []
    if meeting.status == MeetingStatus.GEANNULEERD:
        lines.append("Deze vergadering is geannuleerd.")
    elif meeting.status == MeetingStatus.VERPLAATST and meeting.starts_at > now:
        lines.append("Deze vergadering is verplaatst.")
    if shown_title(meeting) != meeting.overleg.name:
        lines.append(meeting.overleg.name)
    if meeting.online_url:
        lines.append(f"Online deelnemen: {meeting.online_url}")
    if meeting.description:
        lines.append(meeting.description)
    return "\n\n".join(lines)


def _deadline_event(meeting: MeetingRow, tz: ZoneInfo, now: datetime) -> icalendar.Event:
    """The agenda deadline: 15 minutes up to it, or the whole day when it is the end of a day."""
    deadline = agenda_deadline(meeting, tz=tz)
    event = icalendar.Event()
    event.add("uid", f"vggbot-deadline-{meeting.id}@vgg.nl")
    event.add("dtstamp", now)
    event.add("sequence", meeting.feed_sequence + meeting.overleg.deadline_version)
    event.add("summary", f"Agendadeadline {meeting.overleg.name}")
    if ends_a_day(deadline, tz):
        day = deadline_day(deadline, tz)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
    else:
        event.add("dtstart", deadline.astimezone(tz) - timedelta(minutes=DEADLINE_MINUTES))
        event.add("dtend", deadline.astimezone(tz))
    event.add("transp", "TRANSPARENT")
    cancelled = meeting.status == MeetingStatus.GEANNULEERD
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add(
        "description",
        f"Agendavoorstellen tellen mee voor de vergadering van {meeting_when(meeting, tz)} tot en met "
        f"{dutch_deadline(deadline, tz)}. Voorstellen: /ivb voorstel in Slack.",
    )
    return event


def _not_found() -> Response:
    return 404, [("Content-Type", "text/plain; charset=utf-8")], b"Not Found"


def feed_response(
    *,
    sessions: SessionFactory,
    now: datetime,
    tz: ZoneInfo,
    query: dict[str, list[str]],
    overleg_key: str | None = None,
) -> Response:
    """The GET handler's body: 404 for a missing, unknown or revoked token (or unknown overleg)."""
    token = (query.get("token") or [""])[0]
    overleg_key = overleg_key or (query.get("overleg") or [""])[0] or None
    with sessions.begin() as session:
        if not token_is_valid(session=session, token=token):
            return _not_found()
        overleg_id, title = None, "VGG-overleggen"
        if overleg_key:
            overleg = match_overleg(queries.overleggen(session=session), overleg_key)
            if overleg is None or overleg.key != overleg_key.lower():
                return _not_found()
            overleg_id, title = overleg.id, f"VGG: {overleg.name}"
        body = build_feed(session=session, now=now, tz=tz, overleg_id=overleg_id, title=title)
    headers = [
        ("Content-Type", "text/calendar; charset=utf-8"),
        ("Content-Disposition", 'inline; filename="vgg-kalender.ics"'),
        ("Cache-Control", "private, max-age=300"),
    ]
    return 200, headers, body


GetRoute = Callable[[dict[str, list[str]]], Response]
PrefixRoute = Callable[[str, dict[str, list[str]]], Response]


def feed_routes(
    *, sessions: SessionFactory, clock_now: Callable[[], datetime], tz: ZoneInfo
) -> tuple[dict[str, GetRoute], dict[str, PrefixRoute]]:
    """GET routes for SlackWSGI: /kalender.ics, and every /kalender/<key>.ics by prefix (the overleg is
    looked up per request, so one added later works without a restart)."""

    def everything(query: dict[str, list[str]]) -> Response:
        return feed_response(sessions=sessions, now=clock_now(), tz=tz, query=query)

    def one_overleg(rest: str, query: dict[str, list[str]]) -> Response:
        key = rest.removesuffix(".ics")
        if not rest.endswith(".ics") or not key or "/" in key:
            return _not_found()
        return feed_response(sessions=sessions, now=clock_now(), tz=tz, query=query, overleg_key=key)

    return {FEED_PATH: everything}, {OVERLEG_PREFIX: one_overleg}
