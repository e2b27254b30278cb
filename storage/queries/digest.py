"""What the digest counts and lists: new proposals since the last digest, action points coming due.

The digest goes to a channel: confidential items, and the action points that stem from them, are never
in it (not listed, not counted).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from storage.models import ActionPoint, ActionStatus, AgendaProposal, ProposalState
from storage.queries.open_items import hidden_proposals


def _new(since: datetime, until: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        AgendaProposal.created_at >= since,
        AgendaProposal.created_at < until,
        AgendaProposal.state != ProposalState.INGETROKKEN,
        AgendaProposal.confidential.is_(false()),
    )


def new_proposals(*, session: Session, since: datetime, until: datetime, limit: int) -> list[AgendaProposal]:
    """Proposals made in [since, until) that were not withdrawn, oldest first."""
    stmt = (
        select(AgendaProposal)
        .where(*_new(since, until))
        .order_by(AgendaProposal.created_at, AgendaProposal.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def count_new_proposals(*, session: Session, since: datetime, until: datetime) -> int:
    stmt = select(func.count()).select_from(AgendaProposal).where(*_new(since, until))
    return int(session.scalar(stmt) or 0)


def _due(before: date) -> tuple[ColumnElement[bool], ...]:
    return (
        ActionPoint.status == ActionStatus.OPEN,
        ActionPoint.due_date.is_not(None),
        ActionPoint.due_date < before,
        or_(ActionPoint.proposal_id.is_(None), ActionPoint.proposal_id.not_in(hidden_proposals(None))),
    )


def actions_due(*, session: Session, before: date, limit: int) -> list[ActionPoint]:
    """Open action points due before `before` (overdue ones included), soonest first."""
    stmt = (
        select(ActionPoint).where(*_due(before)).order_by(ActionPoint.due_date, ActionPoint.id).limit(limit)
    )
    return list(session.scalars(stmt))


def count_actions_due(*, session: Session, before: date) -> int:
    return int(session.scalar(select(func.count()).select_from(ActionPoint).where(*_due(before))) or 0)
