"""Reminders: which deadline and meeting-morning reminders are due now, and where they go."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services.deadlines import agenda_deadline, widest_span_days
from bot.text.when import deadline_day
from storage.queries import meetings as queries
from storage.queries.rows import MeetingRow

DEADLINE_REMINDER = "reminder_deadline"
MEETING_REMINDER = "reminder_meeting"


@dataclass(frozen=True)
class DueReminder:
    kind: str  # DEADLINE_REMINDER or MEETING_REMINDER
    slot_key: str  # meeting id and the local date it is about: a moved meeting gets a new reminder
    channel: str
    at: datetime  # when it was due
    meeting: MeetingRow
    deadline: datetime | None = None


def _at_local(day: date, at_time: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at_time, tzinfo=tz)


def due_reminders(
    *, session: Session, now: datetime, tz: ZoneInfo, days_before: int, at_time: time, grace: timedelta
) -> list[DueReminder]:
    """Reminders whose moment has come and is less than `grace` old, for overleggen with a channel.

    A deadline reminder (only for meetings that take proposals) is due at `at_time` on the day
    `days_before` days before the agenda deadline; a meeting reminder at `at_time` on the meeting's
    day (or an hour before an early meeting; an all-day meeting at `at_time` on its day). Cancelled
    meetings get none; a passed deadline or a started meeting gets none.
    """
    longest = widest_span_days(queries.longest_deadline_rule(session=session))
    horizon = now + timedelta(days=longest + days_before + 2)
    # From a day back: an all-day meeting has started (at midnight) when its morning reminder is due.
    meetings = queries.with_channel(session=session, start=now - timedelta(days=1), end=horizon, limit=500)
    due: list[DueReminder] = []
    for meeting in meetings:
        channel = meeting.overleg.channel_id
        assert channel
        morning = _morning(meeting, now=now, tz=tz, at_time=at_time, grace=grace)
        if morning is not None:
            due.append(morning)
        if not meeting.takes_proposals or meeting.starts_at <= now:
            continue
        deadline = agenda_deadline(meeting, tz=tz)
        day = deadline_day(deadline, tz)
        remind = _at_local(day - timedelta(days=days_before), at_time, tz)
        if remind >= deadline:
            remind = deadline - timedelta(hours=1)
        if remind <= now < min(remind + grace, deadline):
            key = f"{meeting.id}:{day.isoformat()}"
            due.append(DueReminder(DEADLINE_REMINDER, key, channel, remind, meeting, deadline))
    return due


def _morning(
    meeting: MeetingRow, *, now: datetime, tz: ZoneInfo, at_time: time, grace: timedelta
) -> DueReminder | None:
    """The meeting-day reminder, if it is due now."""
    day = meeting.starts_at.astimezone(tz).date()
    morning = _at_local(day, at_time, tz)
    if not meeting.all_day:
        if now >= meeting.starts_at:
            return None
        if morning >= meeting.starts_at:
            morning = meeting.starts_at - timedelta(hours=1)
    if not morning <= now < morning + grace:
        return None
    assert meeting.overleg.channel_id
    key = f"{meeting.id}:{day.isoformat()}"
    return DueReminder(MEETING_REMINDER, key, meeting.overleg.channel_id, morning, meeting)


def apply_overleg_channels(*, session: Session, channels: Mapping[str, str]) -> list[str]:
    """Set each named overleg's reminder channel (OVERLEG_CHANNELS); returns keys that do not exist."""
    unknown = []
    for key, channel in channels.items():
        overleg = queries.overleg_for_update(session=session, key=key)
        if overleg is None:
            unknown.append(key)
            continue
        overleg.channel_id = channel
    session.flush()
    return unknown
