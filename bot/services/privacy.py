"""AVG/GDPR: export and erase what is stored about one Slack user.

The bot stores Slack user ids only (never names or e-mail addresses). What is *about* a person:
- conversations (a dialogue in progress), calendar feed tokens, the claims of DMs sent to them once
  (the besluitenlijst DM) and outbox messages that name them (sent ones are kept a week; one still
  waiting is not sent): deleted on erasure;
- agendavoorstellen, actiepunten, audit events, history steps and besluitenlijst lines: they are the
  meetings' history, so they stay, but the person's id is replaced by `PLACEHOLDER` everywhere
  (proposer, owner, creator, completer, actor, recorder, and `<@id>` mentions inside titles,
  explanations, reasons, decisions, notes and action texts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.services import audit
from bot.services.errors import Refused
from storage.models import ActionPoint, AgendaProposal, AuditEvent, Base
from storage.queries import privacy as queries

PLACEHOLDER = "U_VERWIJDERD"
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,39}$")


def check_user_id(user_id: str) -> str:
    if not SLACK_USER_ID.match(user_id):
        raise Refused(f"{user_id!r} is geen Slack-gebruikers-id (zoals U0123ABCD)", field="user_id")
    return user_id


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _row(obj: Base, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in skip}


def _whole_id(user_id: str) -> re.Pattern[str]:
    """`user_id` as a whole id: U0PRIV1 is not found inside U0PRIV12."""
    return re.compile(rf"(?<![A-Z0-9]){re.escape(user_id)}(?![A-Z0-9])")


def _about(rows: Sequence[Base], user_id: str) -> list[dict[str, Any]]:
    """The rows (found by a substring search in the database) that really name `user_id`."""
    named = _whole_id(user_id)
    found = [_row(row) for row in rows]
    return [row for row in found if any(isinstance(v, str) and named.search(v) for v in row.values())]


def export_user(*, session: Session, user_id: str) -> dict[str, Any]:
    """Everything stored about `user_id`, as plain JSON-ready values."""
    check_user_id(user_id)
    return {
        "user_id": user_id,
        "agenda_proposals": _about(queries.proposals_about(session=session, user_id=user_id), user_id),
        "action_points": _about(queries.action_points_about(session=session, user_id=user_id), user_id),
        "audit_events": _about(queries.audit_events_about(session=session, user_id=user_id), user_id),
        "proposal_steps": _about(queries.steps_about(session=session, user_id=user_id), user_id),
        "agenda_outcomes": _about(queries.outcomes_about(session=session, user_id=user_id), user_id),
        "conversations": [_row(c) for c in queries.conversations_of(session=session, user_id=user_id)],
        # The hash is derived from a secret; it says nothing about the person and is left out.
        "feed_tokens": [
            _row(t, skip=frozenset({"token_hash"}))
            for t in queries.feed_tokens_of(session=session, user_id=user_id)
        ],
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
    return None if text is None else _whole_id(user_id).sub(PLACEHOLDER, text)


def _delete_outbox(session: Session, user_id: str) -> int:
    """Messages (sent, or still waiting) that name the user: the texts go, a message not yet sent with it."""
    named = _whole_id(user_id)
    gone = [
        m for m in queries.outbox_mentioning(session=session, user_id=user_id) if named.search(str(m.payload))
    ]
    for message in gone:
        session.delete(message)
    return len(gone)


def _erase_minutes(session: Session, user_id: str) -> None:
    """History steps and besluitenlijst lines: the id replaced, the lines kept."""
    for step in queries.steps_about(session=session, user_id=user_id):
        step.actor_id = PLACEHOLDER if step.actor_id == user_id else step.actor_id
        step.note = _scrub(step.note, user_id) or ""
    for line in queries.outcomes_about(session=session, user_id=user_id):
        line.recorded_by = PLACEHOLDER if line.recorded_by == user_id else line.recorded_by
        line.decision = _scrub(line.decision, user_id) or ""


def erase_user(*, session: Session, user_id: str, now: datetime, actor_id: str = "cli") -> Erasure:
    """Delete what is only about `user_id`, anonymise what the meetings' history needs; flushes."""
    check_user_id(user_id)
    result = Erasure()
    result.deleted["conversations"] = queries.delete_conversations_of(session=session, user_id=user_id)
    result.deleted["feed_tokens"] = queries.delete_feed_tokens_of(session=session, user_id=user_id)
    result.deleted["dm_claims"] = queries.delete_dm_claims_of(session=session, user_id=user_id)
    result.deleted["outbox"] = _delete_outbox(session, user_id)

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
    _erase_minutes(session, user_id)
    result.anonymised["agenda_proposals"] = len(exported["agenda_proposals"])
    result.anonymised["action_points"] = len(exported["action_points"])
    result.anonymised["audit_events"] = len(exported["audit_events"])
    result.anonymised["proposal_steps"] = len(exported["proposal_steps"])
    result.anonymised["agenda_outcomes"] = len(exported["agenda_outcomes"])
    # That an erasure happened is itself history; whose it was is not recorded.
    audit.record(
        session=session, entity=audit.PRIVACY, entity_id=0, actor_id=actor_id, at=now, action="erase"
    )
    session.flush()
    return result
