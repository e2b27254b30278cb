"""Slack deliveries already handled (`processed_event`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.models import ProcessedEvent


def delete_received_before(*, session: Session, before: datetime) -> int:
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
