"""The biweekly digest: what it says for one slot, as plain data (bot/blocks_digest.py renders it).

Every list is fetched with a LIMIT and counted with COUNT, so a large database costs a handful of
indexed queries, not a scan into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.calendar import agenda_deadline, list_overleggen
from bot.slots import Schedule, Slot
from storage.models import (
    ActionPoint,
    ActionStatus,
    AgendaProposal,
    Meeting,
    MeetingStatus,
    ProposalState,
)

# How many of each the digest lists before it summarises ("en 14 andere voorstellen").
MAX_MEETINGS = 20
MAX_DEADLINES = 10
MAX_PROPOSALS = 10
MAX_ACTIONS = 10


@dataclass(frozen=True)
class Deadline:
    overleg_name: str
    deadline: datetime
    meeting_start: datetime


@dataclass(frozen=True)
class Digest:
    """The content of one digest; lists are the first N, totals are exact counts."""

    at: datetime  # the slot's moment; the window starts here
    until: datetime  # end of the look-ahead window
    since: datetime  # proposals from here (the previous digest)
    next_at: datetime | None  # the next digest: action points due before it are listed
    weeks_ahead: int
    meetings: list[Meeting]
    meetings_total: int
    deadlines: list[Deadline]
    deadlines_total: int
    proposals: list[AgendaProposal]
    proposals_total: int
    actions: list[ActionPoint]
    actions_total: int
    overdue_total: int

    @property
    def empty(self) -> bool:
        return not (self.meetings_total or self.deadlines_total or self.proposals_total or self.actions_total)


def _wall_shift(moment: datetime, days: int, tz: ZoneInfo) -> datetime:
    """`moment` plus `days` calendar days at the same wall-clock time in tz."""
    local = moment.astimezone(tz).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=tz)


def _count(session: Session, stmt: Select[Any]) -> int:
    return int(session.scalar(stmt) or 0)


def build_digest(
    *,
    session: Session,
    at: datetime,
    since: datetime,
    next_at: datetime | None,
    tz: ZoneInfo,
    weeks_ahead: int,
) -> Digest:
    """The digest for the moment `at`: the coming `weeks_ahead` weeks, news since `since`."""
    until = _wall_shift(at, 7 * weeks_ahead, tz)

    in_window = (Meeting.starts_at >= at, Meeting.starts_at < until)
    meetings = list(
        session.scalars(
            select(Meeting).where(*in_window).order_by(Meeting.starts_at, Meeting.id).limit(MAX_MEETINGS)
        )
    )
    meetings_total = _count(session, select(func.count()).select_from(Meeting).where(*in_window))

    deadlines, deadlines_total = _deadlines(session=session, at=at, until=until, tz=tz)

    new_proposals = (
        AgendaProposal.created_at >= since,
        AgendaProposal.created_at < at,
        AgendaProposal.state != ProposalState.INGETROKKEN,
    )
    proposals = list(
        session.scalars(
            select(AgendaProposal)
            .where(*new_proposals)
            .order_by(AgendaProposal.created_at, AgendaProposal.id)
            .limit(MAX_PROPOSALS)
        )
    )
    proposals_total = _count(session, select(func.count()).select_from(AgendaProposal).where(*new_proposals))

    today = at.astimezone(tz).date()
    horizon: date = (next_at or _wall_shift(at, 14, tz)).astimezone(tz).date()
    due = (
        ActionPoint.status == ActionStatus.OPEN,
        ActionPoint.due_date.is_not(None),
        ActionPoint.due_date < horizon,
    )
    actions = list(
        session.scalars(
            select(ActionPoint).where(*due).order_by(ActionPoint.due_date, ActionPoint.id).limit(MAX_ACTIONS)
        )
    )
    actions_total = _count(session, select(func.count()).select_from(ActionPoint).where(*due))
    overdue_total = _count(
        session,
        select(func.count())
        .select_from(ActionPoint)
        .where(ActionPoint.status == ActionStatus.OPEN, ActionPoint.due_date < today),
    )
    return Digest(
        at=at,
        until=until,
        since=since,
        next_at=next_at,
        weeks_ahead=weeks_ahead,
        meetings=meetings,
        meetings_total=meetings_total,
        deadlines=deadlines,
        deadlines_total=deadlines_total,
        proposals=proposals,
        proposals_total=proposals_total,
        actions=actions,
        actions_total=actions_total,
        overdue_total=overdue_total,
    )


def _deadlines(
    *, session: Session, at: datetime, until: datetime, tz: ZoneInfo
) -> tuple[list[Deadline], int]:
    """Agenda deadlines in [at, until): per overleg, meetings starting `deadline_days` after the window."""
    found: list[Deadline] = []
    total = 0
    for overleg in list_overleggen(session=session):
        days = overleg.deadline_days
        where = (
            Meeting.overleg_id == overleg.id,
            Meeting.status != MeetingStatus.GEANNULEERD,
            Meeting.starts_at >= _wall_shift(at, days, tz),
            Meeting.starts_at < _wall_shift(until, days, tz),
        )
        total += _count(session, select(func.count()).select_from(Meeting).where(*where))
        for meeting in session.scalars(
            select(Meeting).where(*where).order_by(Meeting.starts_at).limit(MAX_DEADLINES)
        ):
            found.append(Deadline(overleg.name, agenda_deadline(meeting, tz=tz), meeting.starts_at))
    found.sort(key=lambda d: d.deadline)
    return found[:MAX_DEADLINES], total


def digest_for_slot(*, session: Session, schedule: Schedule, slot: Slot, weeks_ahead: int) -> Digest:
    """The digest of one slot: news since the previous slot, action points due before the next."""
    at = slot.at or slot.nominal
    previous = schedule.previous_slot(slot)
    since = (
        (previous.at or previous.nominal)
        if previous
        else _wall_shift(at, -schedule.interval_days, schedule.tz)
    )
    following = schedule.next_slot(at)
    return build_digest(
        session=session,
        at=at,
        since=since,
        next_at=following.at if following else None,
        tz=schedule.tz,
        weeks_ahead=weeks_ahead,
    )
