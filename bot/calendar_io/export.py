"""`vggbot calendar export`: the meetings back out as iCalendar that Outlook and Google import."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.calendar_io.vevent import EventText, add_zones, meeting_event, new_calendar
from bot.services.meetings import agenda_deadline
from bot.services.overleggen import resolve_overleg
from bot.text.dutch import dutch_datetime
from storage.models import MeetingStatus
from storage.queries import meetings as queries
from storage.queries.rows import MeetingRow


def export_calendar(*, session: Session, overleg_key: str | None, tz: ZoneInfo, now: datetime) -> bytes:
    """All meetings (or one overleg's), each under its own iCalendar identity (the original UID for
    imported one-off events), with the overleg's key in CATEGORIES so that importing it gives them back."""
    name, overleg_id = "VGG-overleggen", None
    if overleg_key:
        overleg = resolve_overleg(queries.overleggen(session=session), overleg_key)
        name, overleg_id = overleg.name, overleg.id
    calendar = new_calendar(name)
    meetings = queries.all_meetings(session=session, overleg_id=overleg_id)
    for meeting in meetings:
        text = EventText(
            uid=meeting.uid,
            summary=meeting.overleg.name,
            description=_description(meeting, tz),
            categories=(meeting.overleg.key,),
            created=True,
        )
        calendar.add_component(meeting_event(meeting, text, tz=tz, now=now))
    if meetings:
        add_zones(
            calendar,
            meetings[0].starts_at.astimezone(tz).date(),
            meetings[-1].starts_at.astimezone(tz).date(),
        )
    ical: bytes = calendar.to_ical()
    return ical


def _description(meeting: MeetingRow, tz: ZoneInfo) -> str:
    lines = [f"{meeting.overleg.name}."]
    if meeting.status == MeetingStatus.GEANNULEERD:
        lines.append("Deze vergadering is geannuleerd.")
    else:
        if meeting.status == MeetingStatus.VERPLAATST:
            lines.append("Deze vergadering is verplaatst.")
        deadline = dutch_datetime(agenda_deadline(meeting, tz=tz), tz)
        lines.append(f"Agendadeadline: {deadline}. Agendapunten aandragen kan via /ivb in Slack.")
    return "\n".join(lines)
