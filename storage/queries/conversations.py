"""Dialogues in progress ("ik wil iets agenderen"), locked for the step being taken."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Conversation


def at_place_for_update(
    *, session: Session, user_id: str, channel_id: str, thread_ts: str
) -> Conversation | None:
    """The user's dialogue in this DM or thread, locked until the transaction ends."""
    stmt = (
        select(Conversation)
        .where(
            Conversation.user_id == user_id,
            Conversation.channel_id == channel_id,
            Conversation.thread_ts == thread_ts,
        )
        .with_for_update()
    )
    return session.scalar(stmt)


def by_token_for_update(*, session: Session, token: str) -> Conversation | None:
    """The dialogue a summary's button names, locked until the transaction ends."""
    return session.scalar(select(Conversation).where(Conversation.token == token).with_for_update())
