"""Everything stored about one Slack user id (AVG/GDPR export and erasure)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, delete, or_, select
from sqlalchemy.orm import Session

from storage.models import (
    ActionPoint,
    AgendaOutcome,
    AgendaProposal,
    AuditEvent,
    Conversation,
    FeedToken,
    OutboxMessage,
    PostSlot,
    ProposalStep,
)


def _mentions(column: Any, user_id: str) -> Any:
    return column.contains(user_id)


def proposals_about(*, session: Session, user_id: str) -> list[AgendaProposal]:
    stmt = (
        select(AgendaProposal)
        .where(
            or_(
                AgendaProposal.proposer_id == user_id,
                _mentions(AgendaProposal.title, user_id),
                _mentions(AgendaProposal.explanation, user_id),
                _mentions(AgendaProposal.reason, user_id),
            )
        )
        .order_by(AgendaProposal.id)
    )
    return list(session.scalars(stmt))


def action_points_about(*, session: Session, user_id: str) -> list[ActionPoint]:
    stmt = (
        select(ActionPoint)
        .where(
            or_(
                ActionPoint.owner_id == user_id,
                ActionPoint.created_by == user_id,
                ActionPoint.completed_by == user_id,
                _mentions(ActionPoint.text, user_id),
            )
        )
        .order_by(ActionPoint.id)
    )
    return list(session.scalars(stmt))


def audit_events_about(*, session: Session, user_id: str) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.actor_id == user_id,
                _mentions(AuditEvent.from_value, user_id),
                _mentions(AuditEvent.to_value, user_id),
            )
        )
        .order_by(AuditEvent.id)
    )
    return list(session.scalars(stmt))


def conversations_of(*, session: Session, user_id: str) -> list[Conversation]:
    stmt = select(Conversation).where(Conversation.user_id == user_id).order_by(Conversation.id)
    return list(session.scalars(stmt))


def feed_tokens_of(*, session: Session, user_id: str) -> list[FeedToken]:
    return list(session.scalars(select(FeedToken).where(FeedToken.user_id == user_id).order_by(FeedToken.id)))


def delete_conversations_of(*, session: Session, user_id: str) -> int:
    return _count(session.execute(delete(Conversation).where(Conversation.user_id == user_id)))


def delete_feed_tokens_of(*, session: Session, user_id: str) -> int:
    return _count(session.execute(delete(FeedToken).where(FeedToken.user_id == user_id)))


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def steps_about(*, session: Session, user_id: str) -> list[ProposalStep]:
    """History steps the user took, or whose note mentions them."""
    stmt = (
        select(ProposalStep)
        .where(or_(ProposalStep.actor_id == user_id, _mentions(ProposalStep.note, user_id)))
        .order_by(ProposalStep.id)
    )
    return list(session.scalars(stmt))


def outcomes_about(*, session: Session, user_id: str) -> list[AgendaOutcome]:
    """Besluitenlijst lines the user recorded, or whose decision mentions them."""
    stmt = (
        select(AgendaOutcome)
        .where(or_(AgendaOutcome.recorded_by == user_id, _mentions(AgendaOutcome.decision, user_id)))
        .order_by(AgendaOutcome.id)
    )
    return list(session.scalars(stmt))


def outbox_mentioning(*, session: Session, user_id: str) -> list[OutboxMessage]:
    """Outbox messages whose payload holds the id (a DM to them, a text that names them)."""
    stmt = select(OutboxMessage).where(cast(OutboxMessage.payload, Text).contains(user_id))
    return list(session.scalars(stmt.order_by(OutboxMessage.id)))


def delete_dm_claims_of(*, session: Session, user_id: str) -> int:
    """The bookkeeping of DMs sent to the user once (the besluitenlijst DM's claims: channel = user id)."""
    return _count(session.execute(delete(PostSlot).where(PostSlot.channel == user_id)))
