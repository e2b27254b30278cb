"""The besluitenlijst: a meeting's agenda lines (recorded or still open), its action points, and the
meetings that took place with items still waiting for an outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from storage.models import (
    ActionPoint,
    AgendaOutcome,
    AgendaProposal,
    Meeting,
    MeetingStatus,
    Overleg,
    ProposalState,
)
from storage.queries.rows import MeetingRow, OverlegRow

_M = Meeting.__table__
_O = Overleg.__table__

_ITEM_COLUMNS = (
    AgendaProposal.id,
    AgendaProposal.title,
    AgendaProposal.explanation,
    AgendaProposal.proposer_id,
    AgendaProposal.confidential,
    AgendaProposal.created_at,
    AgendaProposal.state,
)


def recorded_lines(*, session: Session, meeting_id: int) -> list[Row[Any]]:
    """The items with an outcome on this meeting: item columns, then position, outcome, decision, and
    the start of the meeting the item is on now (for doorgeschoven: the next one)."""
    now_on = Meeting.__table__.alias("now_on")
    stmt = (
        select(
            *_ITEM_COLUMNS,
            AgendaOutcome.position,
            AgendaOutcome.outcome,
            AgendaOutcome.decision,
            now_on.c.starts_at,
        )
        .join(AgendaProposal, AgendaProposal.id == AgendaOutcome.proposal_id)
        .outerjoin(now_on, now_on.c.id == AgendaProposal.meeting_id)
        .where(AgendaOutcome.meeting_id == meeting_id)
    )
    return list(session.execute(stmt))


def pending_lines(*, session: Session, meeting_id: int) -> list[Row[Any]]:
    """The items still geagendeerd on this meeting (no outcome yet): item columns, then position."""
    stmt = select(*_ITEM_COLUMNS, AgendaProposal.position).where(
        AgendaProposal.meeting_id == meeting_id, AgendaProposal.state == ProposalState.GEAGENDEERD
    )
    return list(session.execute(stmt))


def meeting_actions(*, session: Session, meeting_id: int) -> list[Row[Any]]:
    """The meeting's action points with the item each stems from (its confidentiality and proposer)."""
    stmt = (
        select(
            ActionPoint.id,
            ActionPoint.text,
            ActionPoint.owner_id,
            ActionPoint.due_date,
            ActionPoint.status,
            ActionPoint.created_at,
            ActionPoint.completed_at,
            ActionPoint.proposal_id,
            AgendaProposal.confidential,
            AgendaProposal.proposer_id,
        )
        .outerjoin(AgendaProposal, AgendaProposal.id == ActionPoint.proposal_id)
        .where(ActionPoint.meeting_id == meeting_id)
        .order_by(ActionPoint.id)
    )
    return list(session.execute(stmt))


def latest_recorded(*, session: Session, overleg_id: int, now: datetime) -> int | None:
    """The meeting of an overleg that most recently got a besluitenlijst (that started before now)."""
    stmt = (
        select(Meeting.id)
        .where(
            Meeting.overleg_id == overleg_id,
            Meeting.starts_at <= now,
            Meeting.id.in_(select(AgendaOutcome.meeting_id)),
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def held_with_pending(
    *, session: Session, start: datetime | None, end: datetime, limit: int, overleg_id: int | None = None
) -> list[tuple[MeetingRow, int]]:
    """Meetings that started in [start, end) (no start: any time before `end`), not cancelled, with
    items still geagendeerd on them, latest first, each with that number."""
    pending = (
        select(AgendaProposal.meeting_id, func.count().label("pending"))
        .where(AgendaProposal.state == ProposalState.GEAGENDEERD)
        .group_by(AgendaProposal.meeting_id)
        .subquery()
    )
    stmt = (
        select(_M, _O, pending.c.pending)
        .join(_O, _O.c.id == _M.c.overleg_id)
        .join(pending, pending.c.meeting_id == _M.c.id)
        .where(_M.c.starts_at < end, _M.c.status != MeetingStatus.GEANNULEERD)
        .order_by(_M.c.starts_at.desc(), _M.c.id.desc())
        .limit(limit)
    )
    if start is not None:
        stmt = stmt.where(_M.c.starts_at >= start)
    if overleg_id is not None:
        stmt = stmt.where(_M.c.overleg_id == overleg_id)
    found = []
    for row in session.connection().execute(stmt):
        mapping = row._mapping
        found.append((MeetingRow.from_mapping(mapping, OverlegRow.from_mapping(mapping)), int(row.pending)))
    return found


def proposal_for_update(*, session: Session, proposal_id: int) -> AgendaProposal | None:
    """The proposal, row-locked (PostgreSQL): two secretariaat members saving at once serialise."""
    stmt = select(AgendaProposal).where(AgendaProposal.id == proposal_id).with_for_update(of=AgendaProposal)
    return session.scalar(stmt)
