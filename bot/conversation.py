"""The proposal dialogue in DMs and mentions, kept in the database so any replica can continue it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import calendar, proposals
from bot.calendar import normalise
from bot.formatting import plain_text_from_slack
from bot.proposals import Created, ValidationError
from storage.models import Conversation, Overleg

EXPIRY = timedelta(minutes=30)

STEP_TITLE = "titel"
STEP_EXPLANATION = "toelichting"
STEP_OVERLEG = "overleg"
STEP_CONFIRM = "bevestigen"

# `agendapunt: <titel>` or `agendapunt kob: <titel>`, optionally followed by lines of explanation.
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
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


@dataclass(frozen=True)
class Outcome:
    """What the bot answers to one message. `kind` names the answer; the builder turns it into Dutch."""

    kind: str  # ask_title | ask_explanation | ask_overleg | confirm | cancelled | expired | created
    #            | error | hint | not_yours
    error: str = ""
    created: Created | None = None
    data: dict[str, Any] = field(default_factory=dict)
    overleggen: tuple[Overleg, ...] = ()
    conversation_id: int | None = None


def clean_text(text: str) -> str:
    """The message as typed, without bot mentions; the user's own line breaks stay."""
    return plain_text_from_slack(_MENTION.sub(" ", text.replace("\x00", ""))).strip()


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


def _find(*, session: Session, user_id: str, channel_id: str, thread_ts: str) -> Conversation | None:
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


def handle_message(  # noqa: PLR0912 - one branch per dialogue step
    *, session: Session, user_id: str, channel_id: str, thread_ts: str, text: str, now: datetime, tz: ZoneInfo
) -> Outcome:
    """One message from a user: a direct proposal, the start or next step of the dialogue, or a hint."""
    cleaned = clean_text(text)
    word = normalise(cleaned)
    conversation = _find(session=session, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts)
    expired = False
    if conversation is not None and conversation.expires_at <= now:
        session.delete(conversation)
        session.flush()
        conversation, expired = None, True

    direct = parse_direct(cleaned)
    if direct is not None:
        if conversation is not None:
            session.delete(conversation)
        overleg, title, explanation = direct
        try:
            created = proposals.create_proposal(
                session=session,
                proposer_id=user_id,
                title=title,
                explanation=explanation,
                overleg=overleg,
                now=now,
                tz=tz,
            )
        except ValidationError as exc:
            return Outcome("error", error=exc.message)
        return Outcome("created", created=created)

    if conversation is None:
        if wants_dialogue(cleaned):
            conversation = _start(
                session=session,
                existing=None,
                user_id=user_id,
                channel_id=channel_id,
                thread_ts=thread_ts,
                now=now,
            )
            return Outcome("ask_title", conversation_id=conversation.id)
        return Outcome("expired" if expired else "hint")

    if word in _STOP:
        session.delete(conversation)
        session.flush()
        return Outcome("cancelled")

    data = dict(conversation.data or {})
    step = conversation.step
    if step == STEP_TITLE:
        try:
            data["title"] = proposals.check_title(cleaned)
        except ValidationError as exc:
            _touch(conversation, step=step, data=data, now=now)
            return Outcome("error", error=exc.message + " Wat is de titel?")
        _touch(conversation, step=STEP_EXPLANATION, data=data, now=now)
        return Outcome("ask_explanation", data=data, conversation_id=conversation.id)
    if step == STEP_EXPLANATION:
        try:
            data["explanation"] = "" if word in _SKIP else proposals.check_explanation(cleaned)
        except ValidationError as exc:
            _touch(conversation, step=step, data=data, now=now)
            return Outcome("error", error=exc.message)
        _touch(conversation, step=STEP_OVERLEG, data=data, now=now)
        return Outcome(
            "ask_overleg",
            data=data,
            overleggen=tuple(calendar.list_overleggen(session=session)),
            conversation_id=conversation.id,
        )
    if step == STEP_OVERLEG:
        try:
            body = proposals.resolve_overleg(session=session, text=cleaned or "-")
        except ValidationError as exc:
            _touch(conversation, step=step, data=data, now=now)
            return Outcome("error", error=exc.message)
        data["overleg"] = body.key
        data["overleg_name"] = body.name
        _touch(conversation, step=STEP_CONFIRM, data=data, now=now)
        return Outcome("confirm", data=data, conversation_id=conversation.id)
    # STEP_CONFIRM: typing "indienen" works as well as the button.
    if word in _SUBMIT:
        return submit(session=session, conversation_id=conversation.id, user_id=user_id, now=now, tz=tz)
    _touch(conversation, step=step, data=data, now=now)
    return Outcome("confirm", data=data, conversation_id=conversation.id)


def _get(*, session: Session, conversation_id: int, now: datetime) -> Conversation | None:
    conversation = session.scalar(
        select(Conversation).where(Conversation.id == conversation_id).with_for_update()
    )
    if conversation is not None and conversation.expires_at <= now:
        session.delete(conversation)
        session.flush()
        return None
    return conversation


def submit(*, session: Session, conversation_id: int, user_id: str, now: datetime, tz: ZoneInfo) -> Outcome:
    """Indienen: store the proposal from the dialogue and end it. A second click finds nothing to submit."""
    conversation = _get(session=session, conversation_id=conversation_id, now=now)
    if conversation is None:
        return Outcome("expired")
    if conversation.user_id != user_id:
        return Outcome("not_yours")
    data = dict(conversation.data or {})
    if conversation.step != STEP_CONFIRM:
        return Outcome(
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
    except ValidationError as exc:
        return Outcome("error", error=exc.message)
    session.delete(conversation)
    session.flush()
    return Outcome("created", created=created)


def cancel(*, session: Session, conversation_id: int, user_id: str, now: datetime) -> Outcome:
    conversation = _get(session=session, conversation_id=conversation_id, now=now)
    if conversation is None:
        return Outcome("expired")
    if conversation.user_id != user_id:
        return Outcome("not_yours")
    session.delete(conversation)
    session.flush()
    return Outcome("cancelled")
