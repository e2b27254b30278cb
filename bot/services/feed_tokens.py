"""Per-user secrets for the subscribable calendar feed. Only a SHA-256 hash of a token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services import audit
from storage.models import FeedToken
from storage.queries import feed_tokens as queries

FEED_PATH = "/kalender.ics"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_feed_token(*, session: Session, user_id: str, now: datetime) -> str:
    """A new secret for `user_id`; earlier ones stop working (only one link per person is live)."""
    revoke_feed_tokens(session=session, user_id=user_id, now=now)
    token = secrets.token_urlsafe(32)
    row = FeedToken(user_id=user_id, token_hash=token_hash(token), created_at=now)
    session.add(row)
    session.flush()
    audit.record(
        session=session, entity=audit.FEED_TOKEN, entity_id=row.id, actor_id=user_id, at=now, action="created"
    )
    session.flush()
    return token


def revoke_feed_tokens(*, session: Session, user_id: str, now: datetime) -> int:
    """Revoke every live token of `user_id`; returns how many were live."""
    live = queries.live_of_user(session=session, user_id=user_id)
    for row in live:
        row.revoked_at = now
        audit.record(
            session=session,
            entity=audit.FEED_TOKEN,
            entity_id=row.id,
            actor_id=user_id,
            at=now,
            action="revoked",
        )
    session.flush()
    return len(live)


def token_is_valid(*, session: Session, token: str) -> bool:
    if not token or len(token) > 200:
        return False
    row = queries.by_hash(session=session, token_hash=token_hash(token))
    return row is not None and row.revoked_at is None


def feed_url(public_url: str | None, token: str, overleg_key: str | None = None) -> str | None:
    if not public_url:
        return None
    path = f"/kalender/{overleg_key}.ics" if overleg_key else FEED_PATH
    return f"{public_url}{path}?token={token}"
