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
    title: str = "",
    days: int = 0,
    takes_proposals: bool = True,
    online_url: str = "",
) -> Meeting:
    """A meeting of overleg `key`; `days` > 0: an all-day meeting of that many days from `start`'s date."""
    overleg = get_overleg(session=session, key=key)
    assert overleg is not None, key
    end = start + timedelta(hours=hours)
    if days:
        start = start.replace(hour=0, minute=0, second=0, microsecond=0)
        end = (start.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=start.tzinfo)
    meeting = Meeting(
        overleg=overleg,
        starts_at=start,
        ends_at=end,
        all_day=bool(days),
        location=location,
        title=title,
        online_url=online_url,
        status=status,
        takes_proposals=takes_proposals,
        announced_starts_at=start,
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
