"""The audit trail: who changed what, when, from which value to which. The one writer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.models import AuditEvent

PROPOSAL = "proposal"
ACTION_POINT = "action_point"
FEED_TOKEN = "feed_token"  # noqa: S105 - an entity name, not a secret
PRIVACY = "privacy"


def record(
    *,
    session: Session,
    entity: str,
    entity_id: int,
    actor_id: str,
    at: datetime,
    action: str,
    from_value: str = "",
    to_value: str = "",
) -> None:
    """Add one audit event to the caller's transaction (values cut to the column's 200 characters)."""
    session.add(
        AuditEvent(
            entity=entity,
            entity_id=entity_id,
            actor_id=actor_id[:40],
            at=at,
            action=action,
            from_value=from_value[:200],
            to_value=to_value[:200],
        )
    )
