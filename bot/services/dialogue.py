"""The proposal dialogue in DMs and mentions, kept in the database so any replica can continue it.

Text comes in as the user typed it (the listener decodes Slack's encoding and drops mentions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services import proposals
from bot.services.confidential import split_confidential
from bot.services.errors import Refused
from bot.services.meetings import Target, read_target
from bot.services.overleggen import resolve_overleg
from bot.services.proposals import Created
from bot.text.dutch import normalise
from storage.models import Conversation
from storage.queries import conversations as queries
from storage.queries import meetings as meeting_queries
from storage.queries.rows import OverlegRow

EXPIRY = timedelta(minutes=30)

STEP_TITLE = "titel"
STEP_EXPLANATION = "toelichting"
STEP_OVERLEG = "overleg"
STEP_CONFIRM = "bevestigen"

# `agendapunt: <titel>` or `agendapunt kob: <titel>`, optionally followed by lines of explanation;
# `agendapunt vertrouwelijk: <titel>` (or `agendapunt kob vertrouwelijk: …`) makes it confidential.
_DIRECT = re.compile(
    r"^\s*(?:agendapunt|agendavoorstel|agenda item|agenda-item|agenda point)"
    r"(?:\s+(?P<overleg>[^:\n]{1,60}?))?\s*:(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "ik wil iets agenderen", "kan ik iets op de agenda zetten", "I want to add an agenda item", …
_START = re.compile(
    r"\bagender|\bop de agenda\b|\bagendapunt|\bagendavoorstel|\bagenda ?item|\bon the agenda\b"
    r"|\bto the agenda\b|\bvoorstel (?:indienen|doen)\b|\bpropose (?:an? )?(?:agenda )?(?:item|topic)\b",
)
_STOP = {"stop", "annuleer", "annuleren", "cancel", "laat maar", "stoppen", "quit"}
_SKIP = {"geen", "nee", "-", "niets", "no", "none", "skip", "overslaan", "geen toelichting"}
_SUBMIT = {"indienen", "ja", "ok", "oke", "yes", "submit", "verstuur", "versturen"}


@dataclass(frozen=True)
class DialogueOutcome:
    """What the bot answers to one message. `kind` names the answer; the builder turns it into Dutch."""

    kind: str  # ask_title | ask_explanation | ask_overleg | confirm | cancelled | expired | created
    #            | error | hint | not_yours
    error: str = ""
    created: Created | None = None
    data: dict[str, Any] = field(default_factory=dict)
    overleggen: tuple[OverlegRow, ...] = ()
    conversation_id: int | None = None
    target: Target | None = None  # the summary names the meeting the proposal would go to


def wants_dialogue(text: str) -> bool:
    return bool(_START.search(normalise(text)))


def parse_direct(text: str) -> tuple[str | None, str, str] | None:
    """`agendapunt [overleg]: titel\\ntoelichting` -> (overleg or None, title, explanation)."""
    match = _DIRECT.match(text)
    if match is None:
        return None
    rest = match.group("rest").strip()
    title, _, explanation = rest.partition("\n")
    overleg = (match.group("overleg") or "").strip() or None
    return overleg, title.strip(), explanation.strip()


def _touch(conversation: Conversation, *, step: str, data: dict[str, Any], now: datetime) -> None:
    conversation.step = step
    conversation.data = dict(data)  # a new dict, so the JSON column sees the change
    conversation.updated_at = now
    conversation.expires_at = now + EXPIRY


def _start(
    *,
    session: Session,
    existing: Conversation | None,
    user_id: str,
    channel_id: str,
    thread_ts: str,
    now: datetime,
) -> Conversation:
    if existing is None:
        existing = Conversation(user_id=user_id, channel_id=channel_id, thread_ts=thread_ts, step=STEP_TITLE)
        session.add(existing)
    _touch(existing, step=STEP_TITLE, data={}, now=now)
    session.flush()
    return existing


def handle_message(
    *, session: Session, user_id: str, channel_id: str, thread_ts: str, text: str, now: datetime, tz: ZoneInfo
) -> DialogueOutcome:
    """One message from a user: a direct proposal, the start or next step of the dialogue, or a hint."""
    cleaned = text.replace("\x00", "").strip()
    conversation = queries.at_place_for_update(
        session=session, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts
    )
    expired = False
    if conversation is not None and conversation.expires_at <= now:
        session.delete(conversation)
        session.flush()
        conversation, expired = None, True

    direct = parse_direct(cleaned)
    if direct is not None:
        if conversation is not None:
            session.delete(conversation)
        overleg_word, title, explanation = direct
        overleg, confidential = split_confidential(overleg_word)
        try:
            created = proposals.create_proposal(
                session=session,
                proposer_id=user_id,
                title=title,
                explanation=explanation,
                overleg=overleg,
                now=now,
                tz=tz,
                confidential=confidential,
            )
        except Refused as exc:
            return DialogueOutcome("error", error=exc.message)
        return DialogueOutcome("created", created=created)

    if conversation is None:
        if not wants_dialogue(cleaned):
            return DialogueOutcome("expired" if expired else "hint")
        conversation = _start(
            session=session,
            existing=None,
            user_id=user_id,
            channel_id=channel_id,
            thread_ts=thread_ts,
            now=now,
        )
        return DialogueOutcome("ask_title", conversation_id=conversation.id)
    return _next_step(session, conversation, cleaned, user_id=user_id, now=now, tz=tz)


def _next_step(
    session: Session, conversation: Conversation, cleaned: str, *, user_id: str, now: datetime, tz: ZoneInfo
) -> DialogueOutcome:
    """The answer to the step the dialogue is at; a bad answer asks the same question again."""
    word = normalise(cleaned)
    if word in _STOP:
        session.delete(conversation)
        session.flush()
        return DialogueOutcome("cancelled")
    data = dict(conversation.data or {})
    step = conversation.step
    if step == STEP_CONFIRM and word in _SUBMIT:  # typing "indienen" works as well as the button
        return submit(session=session, conversation_id=conversation.id, user_id=user_id, now=now, tz=tz)
    try:
        next_step, outcome = _answer(session, step, cleaned, word, data)
    except Refused as exc:
        _touch(conversation, step=step, data=data, now=now)
        again = " Wat is de titel?" if step == STEP_TITLE else ""
        return DialogueOutcome("error", error=exc.message + again)
    _touch(conversation, step=next_step, data=data, now=now)
    target = None
    if outcome == "confirm":
        body = resolve_overleg(meeting_queries.overleggen(session=session), str(data.get("overleg", "")))
        target = read_target(session=session, overleg_id=body.id, now=now, tz=tz)
    return DialogueOutcome(
        outcome,
        data=data,
        overleggen=tuple(meeting_queries.overleggen(session=session)) if outcome == "ask_overleg" else (),
        conversation_id=conversation.id,
        target=target,
    )


def _answer(session: Session, step: str, cleaned: str, word: str, data: dict[str, Any]) -> tuple[str, str]:
    """Store the answer to `step` in `data`; the next step and what to ask there. Refused when unusable."""
    if step == STEP_TITLE:
        data["title"] = proposals.check_title(cleaned)
        return STEP_EXPLANATION, "ask_explanation"
    if step == STEP_EXPLANATION:
        data["explanation"] = "" if word in _SKIP else proposals.check_explanation(cleaned)
        return STEP_OVERLEG, "ask_overleg"
    if step == STEP_OVERLEG:
        body = resolve_overleg(meeting_queries.overleggen(session=session), cleaned or "-")
        data["overleg"] = body.key
        data["overleg_name"] = body.name
        return STEP_CONFIRM, "confirm"
    return STEP_CONFIRM, "confirm"


def _get(*, session: Session, conversation_id: int, now: datetime) -> Conversation | None:
    conversation = queries.by_id_for_update(session=session, conversation_id=conversation_id)
    if conversation is not None and conversation.expires_at <= now:
        session.delete(conversation)
        session.flush()
        return None
    return conversation


def submit(
    *, session: Session, conversation_id: int, user_id: str, now: datetime, tz: ZoneInfo
) -> DialogueOutcome:
    """Indienen: store the proposal from the dialogue and end it. A second click finds nothing to submit."""
    conversation = _get(session=session, conversation_id=conversation_id, now=now)
    if conversation is None:
        return DialogueOutcome("expired")
    if conversation.user_id != user_id:
        return DialogueOutcome("not_yours")
    data = dict(conversation.data or {})
    if conversation.step != STEP_CONFIRM:
        return DialogueOutcome(
            "error", error="Het gesprek is nog niet klaar om in te dienen. Beantwoord eerst de vraag."
        )
    try:
        created = proposals.create_proposal(
            session=session,
            proposer_id=user_id,
            title=str(data.get("title", "")),
            explanation=str(data.get("explanation", "")),
            overleg=str(data.get("overleg", "")),
            now=now,
            tz=tz,
        )
    except Refused as exc:
        return DialogueOutcome("error", error=exc.message)
    session.delete(conversation)
    session.flush()
    return DialogueOutcome("created", created=created)


def cancel(*, session: Session, conversation_id: int, user_id: str, now: datetime) -> DialogueOutcome:
    conversation = _get(session=session, conversation_id=conversation_id, now=now)
    if conversation is None:
        return DialogueOutcome("expired")
    if conversation.user_id != user_id:
        return DialogueOutcome("not_yours")
    session.delete(conversation)
    session.flush()
    return DialogueOutcome("cancelled")
