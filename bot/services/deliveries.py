"""De-duplication of Slack deliveries: Slack retries events and Bolt does not filter them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import ProcessedEvent
from storage.queries import deliveries as queries

# Slack retries a delivery three times within about half an hour; ids are kept well beyond that.
KEEP_EVENT_IDS = timedelta(hours=24)


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


def forget_old_deliveries(*, session: Session, now: datetime, keep: timedelta = KEEP_EVENT_IDS) -> int:
    """Drop the ids of deliveries older than `keep`: Slack no longer retries them. Returns how many."""
    return queries.delete_received_before(session=session, before=now - keep)
