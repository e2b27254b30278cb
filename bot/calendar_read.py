"""Fast read-only calendar queries for the answers officials ask most (`/ivb volgende`, `/ivb kalender`).

The same answers as bot.calendar, read with prebuilt Core statements on the session's connection in one
or two round trips, instead of ORM queries (which cost ~0.8 ms each in statement building and object
loading; see README "Performance"). Every call reads the database, so nothing can be stale, however many
replicas write.

What comes back are *detached snapshots*: Overleg and Meeting instances that belong to no session, for
reading and for the build_* functions. Never add them to a session or hang new objects on them; write
paths use bot.calendar, which returns objects of the caller's session.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from bot.calendar import LIVE_PROPOSAL_STATES, NextMeeting, agenda_deadline, normalise
from storage.models import AgendaProposal, Base, Meeting, MeetingStatus, Overleg, UTCDateTime

_MEETING = Meeting.__table__
_OVERLEG = Overleg.__table__
_PROPOSAL = AgendaProposal.__table__

_OVERLEGGEN = select(_OVERLEG).order_by(_OVERLEG.c.sort_order, _OVERLEG.c.key)

_LIVE_PROPOSALS = (
    select(func.count())
    .where(_PROPOSAL.c.meeting_id == _MEETING.c.id, _PROPOSAL.c.state.in_(LIVE_PROPOSAL_STATES))
    .scalar_subquery()
    .label("live_proposals")
)

# next_meetings(limit=2) and proposal_count of each, in one statement.
_NEXT_TWO = (
    select(_MEETING, _LIVE_PROPOSALS)
    .where(
        _MEETING.c.overleg_id == bindparam("overleg_id"),
        _MEETING.c.starts_at > bindparam("now", type_=UTCDateTime()),
        _MEETING.c.status != MeetingStatus.GEANNULEERD,
    )
    .order_by(_MEETING.c.starts_at)
    .limit(2)
)

# upcoming_meetings(now, limit) with the overleg of each, in one statement.
_UPCOMING = (
    select(_MEETING, _OVERLEG)
    .join(_OVERLEG, _OVERLEG.c.id == _MEETING.c.overleg_id)
    .where(_MEETING.c.starts_at > bindparam("now", type_=UTCDateTime()))
    .order_by(_MEETING.c.starts_at, _MEETING.c.id)
    .limit(bindparam("limit"))
)

_COUNT_UPCOMING = (
    select(func.count())
    .select_from(_MEETING)
    .where(_MEETING.c.starts_at > bindparam("now", type_=UTCDateTime()))
)

M = TypeVar("M", bound=Base)


def _snapshot(cls: type[M], row: Row[Any]) -> M:
    """A detached instance of `cls` from the columns of its table in `row`."""
    mapping = row._mapping
    mapper = cls.__mapper__
    # As the ORM's own loader does: a new instance without __init__, its values straight in __dict__.
    obj: M = mapper.class_manager.new_instance()
    obj.__dict__.update({attr.key: mapping[attr.columns[0]] for attr in mapper.column_attrs})
    return obj


def _meeting(row: Row[Any], overleg: Overleg) -> Meeting:
    meeting = _snapshot(Meeting, row)
    meeting.__dict__["overleg"] = overleg  # no backref event: overleg.meetings stays unloaded
    return meeting


def read_overleggen(*, session: Session) -> list[Overleg]:
    """All overleggen, in menu order, as detached snapshots."""
    return [_snapshot(Overleg, row) for row in session.connection().execute(_OVERLEGGEN)]


def match_overleg(overleggen: list[Overleg], text: str) -> Overleg | None:
    """The overleg whose key, name or alias is `text` (as bot.calendar.find_overleg, without a query)."""
    wanted = normalise(text)
    if not wanted:
        return None
    for overleg in overleggen:
        names = {normalise(overleg.key), normalise(overleg.name), *map(normalise, overleg.alias_list)}
        if wanted in names:
            return overleg
    return None


def read_next_meeting(*, session: Session, overleg: Overleg, now: datetime, tz: ZoneInfo) -> NextMeeting:
    """What bot.calendar.next_meeting_info returns, in one round trip, with detached snapshots."""
    rows = list(session.connection().execute(_NEXT_TWO, {"overleg_id": overleg.id, "now": now}))
    if not rows:
        return NextMeeting(overleg, None, None, False, 0, None, None)
    meeting = _meeting(rows[0], overleg)
    deadline = agenda_deadline(meeting, tz=tz)
    following = _meeting(rows[1], overleg) if len(rows) > 1 else None
    return NextMeeting(
        overleg=overleg,
        meeting=meeting,
        deadline=deadline,
        deadline_passed=deadline <= now,
        proposal_count=int(rows[0].live_proposals or 0),
        following=following,
        following_deadline=agenda_deadline(following, tz=tz) if following else None,
    )


def next_meeting_valid_until(info: NextMeeting, *, now: datetime) -> datetime | None:
    """Until when `info` stays right without any write: the meeting starts, or its deadline passes."""
    if info.meeting is None:
        return None
    moments = [info.meeting.starts_at]
    if info.deadline is not None and info.deadline > now:
        moments.append(info.deadline)
    return min(moments)


def read_upcoming(*, session: Session, now: datetime, limit: int) -> tuple[list[Meeting], int]:
    """Coming meetings of all overleggen (cancelled ones included, to be marked) and how many there are."""
    connection = session.connection()
    overleggen: dict[int, Overleg] = {}
    meetings: list[Meeting] = []
    for row in connection.execute(_UPCOMING, {"now": now, "limit": limit}):
        overleg_id = row._mapping[_OVERLEG.c.id]
        overleg = overleggen.get(overleg_id)
        if overleg is None:
            overleg = overleggen[overleg_id] = _snapshot(Overleg, row)
        meetings.append(_meeting(row, overleg))
    total = len(meetings)
    if total == limit:
        total = int(connection.execute(_COUNT_UPCOMING, {"now": now}).scalar_one())
    return meetings, total
