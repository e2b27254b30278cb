"""The subscribable calendar feed: per-user secret tokens and the iCalendar body.

Only a SHA-256 hash of a token is stored; the token itself is shown once to its owner. A request
without a valid token gets the same 404 as an unknown path, so nothing about the calendar leaks.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.calendar import agenda_deadline, get_overleg, list_overleggen
from storage.db import SessionFactory
from storage.models import AuditEvent, FeedToken, Meeting, MeetingStatus

logger = logging.getLogger(__name__)

FEED_PATH = "/kalender.ics"
FEED_PAST = timedelta(days=90)
FEED_AHEAD = timedelta(days=550)
FEED_LIMIT = 3000
DEADLINE_MINUTES = 15

Response = tuple[int, list[tuple[str, str]], bytes]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_feed_token(*, session: Session, user_id: str, now: datetime) -> str:
    """A new secret for `user_id`; earlier ones stop working (only one link per person is live)."""
    revoke_feed_tokens(session=session, user_id=user_id, now=now)
    token = secrets.token_urlsafe(32)
    row = FeedToken(user_id=user_id, token_hash=token_hash(token), created_at=now)
    session.add(row)
    session.flush()
    session.add(AuditEvent(entity="feed_token", entity_id=row.id, actor_id=user_id, at=now, action="created"))
    session.flush()
    return token


def revoke_feed_tokens(*, session: Session, user_id: str, now: datetime) -> int:
    """Revoke every live token of `user_id`; returns how many were live."""
    live = list(
        session.scalars(select(FeedToken).where(FeedToken.user_id == user_id, FeedToken.revoked_at.is_(None)))
    )
    if live:
        session.execute(
            update(FeedToken).where(FeedToken.id.in_([t.id for t in live])).values(revoked_at=now)
        )
        for token in live:
            session.add(
                AuditEvent(
                    entity="feed_token", entity_id=token.id, actor_id=user_id, at=now, action="revoked"
                )
            )
        session.flush()
    return len(live)


def token_is_valid(*, session: Session, token: str) -> bool:
    if not token or len(token) > 200:
        return False
    row = session.scalar(select(FeedToken).where(FeedToken.token_hash == token_hash(token)))
    return row is not None and row.revoked_at is None


def feed_url(public_url: str | None, token: str, overleg_key: str | None = None) -> str | None:
    if not public_url:
        return None
    path = f"/kalender/{overleg_key}.ics" if overleg_key else FEED_PATH
    return f"{public_url}{path}?token={token}"


def build_feed(
    *,
    session: Session,
    now: datetime,
    tz: ZoneInfo,
    overleg_id: int | None = None,
    title: str = "VGG-overleggen",
) -> bytes:
    """Meetings and agenda deadlines from 90 days back to 18 months ahead, as iCalendar with TZID."""
    calendar = Calendar()
    calendar.add("prodid", "-//VGG-bot//vggbot//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", str(tz))
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    stmt = select(Meeting).where(Meeting.starts_at >= now - FEED_PAST, Meeting.starts_at < now + FEED_AHEAD)
    if overleg_id is not None:
        stmt = stmt.where(Meeting.overleg_id == overleg_id)
    for meeting in session.scalars(stmt.order_by(Meeting.starts_at, Meeting.id).limit(FEED_LIMIT)):
        calendar.add_component(_meeting_event(meeting, tz, now))
        if meeting.status != MeetingStatus.GEANNULEERD:
            calendar.add_component(_deadline_event(meeting, tz, now))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _meeting_event(meeting: Meeting, tz: ZoneInfo, now: datetime) -> Event:
    event = Event()
    # Our own id, not the imported Outlook UID: a subscription must not collide with the invitation.
    event.add("uid", f"vggbot-meeting-{meeting.id}@vgg.nl")
    event.add("dtstamp", now)
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.overleg.name)
    start = meeting.starts_at.astimezone(tz)
    if meeting.all_day:
        event.add("dtstart", start.date())
        event.add("dtend", start.date() + timedelta(days=1))
    else:
        event.add("dtstart", start)
        event.add("dtend", (meeting.ends_at or meeting.starts_at + timedelta(hours=2)).astimezone(tz))
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.status == MeetingStatus.GEANNULEERD:
        event.add("status", "CANCELLED")
        event.add("description", "Deze vergadering is geannuleerd.")
    else:
        event.add("status", "CONFIRMED")
        if meeting.status == MeetingStatus.VERPLAATST:
            event.add("description", "Deze vergadering is verplaatst.")
    return event


def _deadline_event(meeting: Meeting, tz: ZoneInfo, now: datetime) -> Event:
    deadline = agenda_deadline(meeting, tz=tz).astimezone(tz)
    event = Event()
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
            overleg = get_overleg(session=session, key=overleg_key.lower())
            if overleg is None:
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
        keys = [o.key for o in list_overleggen(session=session)]

    def route(key: str | None) -> Callable[[dict[str, list[str]]], Response]:
        def handle(query: dict[str, list[str]]) -> Response:
            return feed_response(sessions=sessions, now=clock_now(), tz=tz, query=query, overleg_key=key)

        return handle

    routes = {FEED_PATH: route(None)}
    routes.update({f"/kalender/{key}.ics": route(key) for key in keys})
    return routes
