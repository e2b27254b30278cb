"""The subscribable calendar feed: `GET /kalender.ics?token=…` (HTTP mode), meetings and agenda deadlines.

A request without a valid token gets the same 404 as an unknown path, so nothing about the calendar leaks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy.orm import Session

from bot.calendar_io.vevent import EventText, meeting_event, new_calendar
from bot.services.feed_tokens import FEED_PATH, token_is_valid
from bot.services.meetings import agenda_deadline
from bot.services.overleggen import match_overleg
from storage.db import SessionFactory
from storage.models import MeetingStatus
from storage.queries import meetings as queries
from storage.queries.rows import MeetingRow

logger = logging.getLogger(__name__)

FEED_PAST = timedelta(days=90)
FEED_AHEAD = timedelta(days=550)
FEED_LIMIT = 3000
DEADLINE_MINUTES = 15

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
    calendar = new_calendar(title, refresh=timedelta(hours=1), zone=tz)
    meetings = queries.in_window(
        session=session, start=now - FEED_PAST, end=now + FEED_AHEAD, limit=FEED_LIMIT, overleg_id=overleg_id
    )
    for meeting in meetings:
        # Our own id, not the imported Outlook UID: a subscription must not collide with the invitation.
        text = EventText(
            uid=f"vggbot-meeting-{meeting.id}@vgg.nl",
            summary=meeting.overleg.name,
            description=_note(meeting),
        )
        calendar.add_component(meeting_event(meeting, text, tz=tz, now=now, default_end=True))
        if meeting.status != MeetingStatus.GEANNULEERD:
            calendar.add_component(_deadline_event(meeting, tz, now))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _note(meeting: MeetingRow) -> str:
    if meeting.status == MeetingStatus.GEANNULEERD:
        return "Deze vergadering is geannuleerd."
    if meeting.status == MeetingStatus.VERPLAATST:
        return "Deze vergadering is verplaatst."
    return ""


def _deadline_event(meeting: MeetingRow, tz: ZoneInfo, now: datetime) -> icalendar.Event:
    deadline = agenda_deadline(meeting, tz=tz).astimezone(tz)
    event = icalendar.Event()
    event.add("uid", f"vggbot-deadline-{meeting.id}@vgg.nl")
    event.add("dtstamp", now)
    event.add("sequence", meeting.sequence)
    event.add("summary", f"Agendadeadline {meeting.overleg.name}")
    event.add("dtstart", deadline - timedelta(minutes=DEADLINE_MINUTES))
    event.add("dtend", deadline)
    event.add("transp", "TRANSPARENT")
    event.add(
        "description",
        f"Tot dit moment tellen agendavoorstellen mee voor de vergadering van "
        f"{meeting.starts_at.astimezone(tz):%d-%m-%Y %H:%M}. Voorstellen: /ivb voorstel in Slack.",
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
            overleg_id, title = overleg.id, overleg.name
        body = build_feed(session=session, now=now, tz=tz, overleg_id=overleg_id, title=title)
    headers = [
        ("Content-Type", "text/calendar; charset=utf-8"),
        ("Content-Disposition", 'inline; filename="vgg-kalender.ics"'),
        ("Cache-Control", "private, max-age=300"),
    ]
    return 200, headers, body


def feed_routes(
    *, sessions: SessionFactory, clock_now: Callable[[], datetime], tz: ZoneInfo
) -> dict[str, Callable[[dict[str, list[str]]], Response]]:
    """GET routes for SlackWSGI: /kalender.ics and /kalender/<key>.ics for every overleg."""
    with sessions.begin() as session:
        keys = [o.key for o in queries.overleggen(session=session)]

    def route(key: str | None) -> Callable[[dict[str, list[str]]], Response]:
        def handle(query: dict[str, list[str]]) -> Response:
            return feed_response(sessions=sessions, now=clock_now(), tz=tz, query=query, overleg_key=key)

        return handle

    routes = {FEED_PATH: route(None)}
    routes.update({f"/kalender/{key}.ics": route(key) for key in keys})
    return routes
