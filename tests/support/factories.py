"""Small builders for test data; they flush, the caller's transaction commits."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AuditEvent, Meeting, MeetingStatus
from storage.queries.meetings import overleg_for_update as get_overleg

_uids = itertools.count(1)


def add_meeting(
    session: Session,
    key: str,
    start: datetime,
    *,
    hours: float = 2.5,
    location: str = "VGG, Groningen",
    status: MeetingStatus = MeetingStatus.GEPLAND,
) -> Meeting:
    overleg = get_overleg(session=session, key=key)
    assert overleg is not None, key
    meeting = Meeting(
        overleg=overleg,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        location=location,
        status=status,
        uid=f"test-{next(_uids)}@vggbot",
    )
    session.add(meeting)
    session.flush()
    return meeting


def audit_trail(session: Session, entity: str, entity_id: int) -> list[AuditEvent]:
    """The audit events of one proposal or action point, oldest first."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(session.scalars(stmt))
