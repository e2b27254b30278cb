"""Meetings and agenda deadlines: which meeting is next, and which one a proposal made now goes to.

One implementation on plain query rows (`storage.queries.meetings`), used by `/ivb volgende`, the Home
tab, proposals, the review post and the digest alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from storage.queries import meetings as queries
from storage.queries.rows import MeetingRow, OverlegRow

# How many coming meetings are looked at to find the first whose agenda deadline is still ahead.
TARGET_LOOKAHEAD = 5


def agenda_deadline(meeting: MeetingRow, *, tz: ZoneInfo) -> datetime:
    """The last moment a proposal counts for `meeting`: N days before its start, same wall-clock time."""
    local_start = meeting.starts_at.astimezone(tz)
    local_deadline = (
        local_start.replace(tzinfo=None) - timedelta(days=meeting.overleg.deadline_days)
    ).replace(tzinfo=tz)
    return local_deadline.astimezone(meeting.starts_at.tzinfo)


@dataclass(frozen=True)
class NextMeeting:
    """What `/ivb volgende` shows for one overleg."""

    overleg: OverlegRow
    meeting: MeetingRow | None
    deadline: datetime | None
    deadline_passed: bool
    proposal_count: int
    # When the deadline of `meeting` has passed, new proposals go to this one.
    following: MeetingRow | None
    following_deadline: datetime | None


def next_meeting_of(
    overleg: OverlegRow, coming: list[tuple[MeetingRow, int]], *, now: datetime, tz: ZoneInfo
) -> NextMeeting:
    """The next meeting, from the overleg's coming meetings (soonest first, with live proposals)."""
    if not coming:
        return NextMeeting(overleg, None, None, False, 0, None, None)
    meeting, count = coming[0]
    deadline = agenda_deadline(meeting, tz=tz)
    following = coming[1][0] if len(coming) > 1 else None
    return NextMeeting(
        overleg=overleg,
        meeting=meeting,
        deadline=deadline,
        deadline_passed=deadline <= now,
        proposal_count=count,
        following=following,
        following_deadline=agenda_deadline(following, tz=tz) if following else None,
    )


def read_next_meeting(*, session: Session, overleg: OverlegRow, now: datetime, tz: ZoneInfo) -> NextMeeting:
    coming = queries.coming_meetings(session=session, overleg_id=overleg.id, now=now, limit=2)
    return next_meeting_of(overleg, coming, now=now, tz=tz)


def next_meeting_valid_until(info: NextMeeting, *, now: datetime) -> datetime | None:
    """Until when `info` stays right without any write: the meeting starts, or its deadline passes."""
    if info.meeting is None:
        return None
    moments = [info.meeting.starts_at]
    if info.deadline is not None and info.deadline > now:
        moments.append(info.deadline)
    return min(moments)


@dataclass(frozen=True)
class Target:
    """The meeting a proposal made now goes to, and the next meeting it skipped (its deadline passed)."""

    meeting: MeetingRow | None
    skipped: MeetingRow | None


def target_of(coming: list[MeetingRow], *, now: datetime, tz: ZoneInfo) -> Target:
    """The first coming meeting whose agenda deadline is still ahead."""
    meeting = next((m for m in coming if agenda_deadline(m, tz=tz) > now), None)
    skipped = coming[0] if coming and (meeting is None or coming[0].id != meeting.id) else None
    return Target(meeting, skipped)


def read_target(*, session: Session, overleg_id: int, now: datetime, tz: ZoneInfo) -> Target:
    coming = queries.coming_meetings(session=session, overleg_id=overleg_id, now=now, limit=TARGET_LOOKAHEAD)
    return target_of([m for m, _ in coming], now=now, tz=tz)


def meeting_after(*, session: Session, overleg_id: int, after: datetime) -> MeetingRow | None:
    """The first meeting of an overleg (not cancelled) that starts after `after`."""
    coming = queries.coming_meetings(session=session, overleg_id=overleg_id, now=after, limit=1)
    return coming[0][0] if coming else None


@dataclass(frozen=True)
class Upcoming:
    """The first coming meetings of all overleggen (cancelled ones included, to be marked) and how many."""

    meetings: list[MeetingRow]
    total: int


def read_upcoming(*, session: Session, now: datetime, limit: int) -> Upcoming:
    found = queries.upcoming(session=session, now=now, limit=limit)
    total = len(found) if len(found) < limit else queries.count_upcoming(session=session, now=now)
    return Upcoming(found, total)


def read_planned(*, session: Session, now: datetime, limit: int) -> list[MeetingRow]:
    """Coming meetings that are not cancelled: the choices in forms."""
    return queries.upcoming_planned(session=session, now=now, limit=limit)
