"""Calendar-feed tokens, found by their hash."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import FeedToken


def live_of_user(*, session: Session, user_id: str) -> list[FeedToken]:
    stmt = select(FeedToken).where(FeedToken.user_id == user_id, FeedToken.revoked_at.is_(None))
    return list(session.scalars(stmt))


def by_hash(*, session: Session, token_hash: str) -> FeedToken | None:
    return session.scalar(select(FeedToken).where(FeedToken.token_hash == token_hash))
