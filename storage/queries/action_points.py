"""Action points: one loaded and locked for a change; those coming due, for their owners' DMs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ActionPoint, ActionStatus


def for_update(*, session: Session, action_id: int) -> ActionPoint | None:
    """The action point, row-locked (PostgreSQL): two clicks at once serialise."""
    stmt = select(ActionPoint).where(ActionPoint.id == action_id).with_for_update(of=ActionPoint)
    return session.scalar(stmt)


def open_due_between(*, session: Session, first: date, last: date, limit: int) -> list[ActionPoint]:
    """Open action points due on a day in [first, last], soonest first (for the owners' DMs)."""
    stmt = (
        select(ActionPoint)
        .where(
            ActionPoint.status == ActionStatus.OPEN,
            ActionPoint.due_date.is_not(None),
            ActionPoint.due_date >= first,
            ActionPoint.due_date <= last,
        )
        .order_by(ActionPoint.due_date, ActionPoint.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))
