"""De-duplication of Slack deliveries: Slack retries events and Bolt does not filter them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import ProcessedEvent


def first_delivery(*, session: Session, event_id: str, now: datetime) -> bool:
    """Record `event_id` in the caller's transaction; False when it was handled before.

    Because the record is part of the listener's own transaction, a delivery whose work fails
    (and rolls back) leaves no record, and Slack's retry is then handled as new.
    """
    if not event_id:
        return True
    try:
        with session.begin_nested():
            session.add(ProcessedEvent(event_id=event_id[:100], received_at=now))
    except IntegrityError:
        return False
    return True


def forget_old_events(*, session: Session, now: datetime, keep: timedelta = timedelta(days=2)) -> int:
    """Slack retries within minutes; ids older than `keep` can go."""
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < now - keep))
    return int(getattr(result, "rowcount", 0) or 0)
