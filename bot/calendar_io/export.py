"""`vggbot calendar export`: the meetings back out as iCalendar that Outlook and Google import.

It writes back what it read (Outlook's title, description, location, online-meeting link, UID and
SEQUENCE), so a round trip through Outlook changes nothing. What the bot adds (the overleg's key in
CATEGORIES, the agenda deadline in X-VGGBOT-AGENDADEADLINE) is ignored by the import.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy.orm import Session

from bot.calendar_io.vevent import EventText, add_zone, meeting_event, new_calendar
from bot.services.deadlines import agenda_deadline
from bot.services.overleggen import resolve_overleg
from bot.text.when import dutch_deadline
from storage.models import MeetingStatus
from storage.queries import meetings as queries
from storage.queries.rows import MeetingRow

DEADLINE_PROPERTY = "X-VGGBOT-AGENDADEADLINE"


def export_calendar(*, session: Session, overleg_key: str | None, tz: ZoneInfo, now: datetime) -> bytes:
    """All meetings (or one overleg's), each under its own iCalendar identity (the original UID for
    imported one-off events), with the overleg's key in CATEGORIES so that importing it gives them back."""
    name, overleg_id = "VGG-overleggen", None
    if overleg_key:
        overleg = resolve_overleg(queries.overleggen(session=session), overleg_key)
        name, overleg_id = overleg.name, overleg.id
    calendar = new_calendar(name)
    for meeting in queries.all_meetings(session=session, overleg_id=overleg_id):
        calendar.add_component(_event(meeting, tz, now))
    add_zone(calendar, tz, now)
    ical: bytes = calendar.to_ical()
    return ical


def _event(meeting: MeetingRow, tz: ZoneInfo, now: datetime) -> icalendar.Event:
    # Teams' property only when the link is not already in the text it came from.
    url = meeting.online_url
    written = url and url not in meeting.description and url not in meeting.location
    text = EventText(
        uid=meeting.uid,
        summary=meeting.title or meeting.overleg.name,
        description=meeting.description,
        sequence=meeting.sequence,
        categories=(meeting.overleg.key,),
        created=True,
        online_url=url if written else "",
    )
    event = meeting_event(meeting, text, tz=tz, now=now)
    if meeting.takes_proposals and meeting.status != MeetingStatus.GEANNULEERD:
        event.add(DEADLINE_PROPERTY, dutch_deadline(agenda_deadline(meeting, tz=tz), tz))
    return event
