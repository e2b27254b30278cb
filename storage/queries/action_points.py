"""Action points: one loaded and locked for a change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ActionPoint


def for_update(*, session: Session, action_id: int) -> ActionPoint | None:
    """The action point, row-locked (PostgreSQL): two clicks at once serialise."""
    stmt = select(ActionPoint).where(ActionPoint.id == action_id).with_for_update(of=ActionPoint)
    return session.scalar(stmt)
