"""Small builders for test data; they flush, the caller's transaction commits."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.calendar import get_overleg
from storage.models import Meeting, MeetingStatus

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
