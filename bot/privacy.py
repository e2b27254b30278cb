"""AVG/GDPR: export and erase what is stored about one Slack user.

The bot stores Slack user ids only (never names or e-mail addresses). What is *about* a person:
- conversations (a dialogue in progress) and calendar feed tokens: deleted on erasure;
- agendavoorstellen, actiepunten and audit events: they are the meeting's history, so they stay,
  but the person's id is replaced by `PLACEHOLDER` everywhere (proposer, owner, creator, completer,
  actor, and `<@id>` mentions inside titles, explanations, reasons and action texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from storage.models import ActionPoint, AgendaProposal, AuditEvent, Base, Conversation, FeedToken

PLACEHOLDER = "U_VERWIJDERD"
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,39}$")


class PrivacyError(ValueError):
    """The user id is not a Slack user id."""


def check_user_id(user_id: str) -> str:
    if not SLACK_USER_ID.match(user_id):
        raise PrivacyError(f"{user_id!r} is not a Slack user id (like U0123ABCD)")
    return user_id


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _row(obj: Base, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in skip}


def _mentions(column: Any, user_id: str) -> Any:
    return column.contains(user_id)


def export_user(*, session: Session, user_id: str) -> dict[str, Any]:
    """Everything stored about `user_id`, as plain JSON-ready values."""
    check_user_id(user_id)
    proposals = session.scalars(
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
    ).all()
    actions = session.scalars(
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
    ).all()
    audit = session.scalars(
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.actor_id == user_id,
                _mentions(AuditEvent.from_value, user_id),
                _mentions(AuditEvent.to_value, user_id),
            )
        )
        .order_by(AuditEvent.id)
    ).all()
    conversations = session.scalars(
        select(Conversation).where(Conversation.user_id == user_id).order_by(Conversation.id)
    ).all()
    tokens = session.scalars(
        select(FeedToken).where(FeedToken.user_id == user_id).order_by(FeedToken.id)
    ).all()
    return {
        "user_id": user_id,
        "agenda_proposals": [_row(p) for p in proposals],
        "action_points": [_row(a) for a in actions],
        "audit_events": [_row(e) for e in audit],
        "conversations": [_row(c) for c in conversations],
        # The hash is derived from a secret; it says nothing about the person and is left out.
        "feed_tokens": [_row(t, skip=frozenset({"token_hash"})) for t in tokens],
    }


@dataclass
class Erasure:
    """What `erase_user` changed, per kind of record."""

    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{k} verwijderd: {v}" for k, v in self.deleted.items()]
        parts += [f"{k} geanonimiseerd: {v}" for k, v in self.anonymised.items()]
        return ", ".join(parts)


def _scrub(text: str | None, user_id: str) -> str | None:
    return None if text is None else text.replace(user_id, PLACEHOLDER)


def erase_user(*, session: Session, user_id: str, now: datetime, actor_id: str = "cli") -> Erasure:
    """Delete what is only about `user_id`, anonymise what the meetings' history needs; flushes."""
    check_user_id(user_id)
    result = Erasure()
    result.deleted["conversations"] = _count(
        session.execute(delete(Conversation).where(Conversation.user_id == user_id))
    )
    result.deleted["feed_tokens"] = _count(
        session.execute(delete(FeedToken).where(FeedToken.user_id == user_id))
    )

    exported = export_user(session=session, user_id=user_id)
    for row in exported["agenda_proposals"]:
        proposal = session.get_one(AgendaProposal, row["id"])
        if proposal.proposer_id == user_id:
            proposal.proposer_id = PLACEHOLDER
        proposal.title = _scrub(proposal.title, user_id) or ""
        proposal.explanation = _scrub(proposal.explanation, user_id) or ""
        proposal.reason = _scrub(proposal.reason, user_id) or ""
    for row in exported["action_points"]:
        action = session.get_one(ActionPoint, row["id"])
        action.owner_id = action.owner_id if action.owner_id != user_id else PLACEHOLDER
        action.created_by = action.created_by if action.created_by != user_id else PLACEHOLDER
        if action.completed_by == user_id:
            action.completed_by = PLACEHOLDER
        action.text = _scrub(action.text, user_id) or ""
    for row in exported["audit_events"]:
        event = session.get_one(AuditEvent, row["id"])
        if event.actor_id == user_id:
            event.actor_id = PLACEHOLDER
        event.from_value = _scrub(event.from_value, user_id) or ""
        event.to_value = _scrub(event.to_value, user_id) or ""
    result.anonymised["agenda_proposals"] = len(exported["agenda_proposals"])
    result.anonymised["action_points"] = len(exported["action_points"])
    result.anonymised["audit_events"] = len(exported["audit_events"])
    # That an erasure happened is itself history; whose it was is not recorded.
    session.add(
        AuditEvent(entity="privacy", entity_id=0, actor_id=actor_id[:40], at=now, action="erase", to_value="")
    )
    session.flush()
    return result


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
