"""Action points: one loaded and locked for a change; those coming due, for their owners' DMs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ActionPoint, ActionStatus, PostSlot


def for_update(*, session: Session, action_id: int) -> ActionPoint | None:
    """The action point, row-locked (PostgreSQL): two clicks at once serialise."""
    stmt = select(ActionPoint).where(ActionPoint.id == action_id).with_for_update(of=ActionPoint)
    return session.scalar(stmt)


def open_due_between(*, session: Session, first: date, last: date) -> list[ActionPoint]:
    """Open action points due on a day in [first, last], soonest first (for the owners' DMs; the caller
    keeps the range to days, so the list stays short)."""
    stmt = (
        select(ActionPoint)
        .where(
            ActionPoint.status == ActionStatus.OPEN,
            ActionPoint.due_date.is_not(None),
            ActionPoint.due_date >= first,
            ActionPoint.due_date <= last,
        )
        .order_by(ActionPoint.due_date, ActionPoint.id)
    )
    return list(session.scalars(stmt))


def settled_posts(*, session: Session, kinds: tuple[str, ...], slot_keys: list[str]) -> set[tuple[str, str]]:
    """(kind, slot_key) of the scheduled posts among these that are done (posted or deliberately skipped),
    so a job passes them over without a claim each."""
    done: set[tuple[str, str]] = set()
    for start in range(0, len(slot_keys), 500):
        stmt = select(PostSlot.kind, PostSlot.slot_key).where(
            PostSlot.kind.in_(kinds),
            PostSlot.slot_key.in_(slot_keys[start : start + 500]),
            PostSlot.status.in_(("posted", "skipped")),
        )
        done.update((str(row[0]), str(row[1])) for row in session.execute(stmt))
    return done
