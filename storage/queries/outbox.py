"""The outbox: messages that are due, claimed for one attempt at a time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from storage.models import OutboxMessage

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
GIVEN_UP = "given_up"


def due_for_update(*, session: Session, now: datetime, lease: timedelta, limit: int) -> list[OutboxMessage]:
    """Messages to attempt now: pending ones whose time has come, and ones whose sender went quiet
    (claimed longer than `lease` ago: it crashed or hung). Locked; another process skips them."""
    stmt = (
        select(OutboxMessage)
        .where(
            or_(
                and_(OutboxMessage.status == PENDING, OutboxMessage.not_before <= now),
                and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < now - lease),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt))


def by_id(*, session: Session, message_id: int) -> OutboxMessage | None:
    return session.get(OutboxMessage, message_id)


def delete_done_before(*, session: Session, before: datetime) -> int:
    done = (SENT, GIVEN_UP)
    stmt = delete(OutboxMessage).where(OutboxMessage.status.in_(done), OutboxMessage.created_at < before)
    return int(getattr(session.execute(stmt), "rowcount", 0) or 0)
