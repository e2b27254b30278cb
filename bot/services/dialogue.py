"""Messages to the bot (DMs and mentions): proposals typed in one go, the proposal dialogue, and questions.

The dialogue is kept in the database so any replica can continue it (`bot.services.filing` files what
it gathers). Text comes in as the user typed it (the listener decodes Slack's encoding and drops
mentions). A message that is neither a proposal nor an answer in a dialogue is read as a question
(`bot.text.intents`): the outcome names the intent, plain data, and the listener answers it as the
matching `/ivb` command would.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services import proposals
from bot.services.errors import Refused
from bot.services.filing import (
    STEP_CONFIRM,
    STEP_DUPLICATE,
    STEP_EXPLANATION,
    STEP_FILED,
    STEP_OVERLEG,
    STEP_TITLE,
    DialogueOutcome,
    Place,
    cancel_row,
    keep,
    propose_at,
    row_at,
    submit_row,
)
from bot.services.meetings import read_target
from bot.services.overleggen import overleg_names, resolve_overleg
from bot.text.dutch import normalise
from bot.text.intents import read_intent
from bot.text.proposal_text import read_direct_proposal
from storage.models import Conversation
from storage.queries import meetings as meeting_queries

# What `/ivb` answers as well: the listener answers these as the command would.
QUESTION_KINDS = frozenset({"next_meeting", "agenda", "open", "calendar", "help", "greeting", "thanks"})

# "ik wil iets agenderen", "kan ik iets op de agenda zetten", "I want to add an agenda item", …
_START = re.compile(
    r"\bagender|\bop de agenda\b|\bagendapunt|\bagendavoorstel|\bagenda ?item|\bon the agenda\b"
    r"|\bto the agenda\b|\bvoorstel (?:indienen|doen)\b|\bpropose (?:an? )?(?:agenda )?(?:item|topic)\b",
)
_STOP = {"stop", "annuleer", "annuleren", "cancel", "laat maar", "stoppen", "quit"}
_NO = {"nee", "no", "neen", "niet", "toch niet", "nee dank je", "nee hoor"}
_SKIP = {"geen", "nee", "-", "niets", "no", "none", "skip", "overslaan", "geen toelichting"}
_SUBMIT = {
    "indienen",
    "ja",
    "ok",
    "oke",
    "yes",
    "submit",
    "verstuur",
    "versturen",
    "toch indienen",
    "ja graag",
}


def wants_dialogue(text: str) -> bool:
    return bool(_START.search(normalise(text)))


def handle_message(
    *, session: Session, user_id: str, channel_id: str, thread_ts: str, text: str, now: datetime, tz: ZoneInfo
) -> DialogueOutcome:
    """One message: a proposal typed in one go, the next step of a dialogue, its start, or a question."""
    cleaned = text.replace("\x00", "").strip()
    place = Place(user_id, channel_id, thread_ts)
    row, expired = _row_at(session, place, now)
    active = row if row is not None and row.step != STEP_FILED else None
    if active is not None and active.step == STEP_DUPLICATE:
        word = normalise(cleaned)
        if word in _SUBMIT:
            return submit_row(session, active, now=now, tz=tz, force=True)
        if word in _STOP | _NO:
            return cancel_row(session, active)
        session.delete(active)  # something else: the question lapses and the message counts on its own
        session.flush()
        row = active = None
    names = overleg_names(meeting_queries.overleggen(session=session))
    direct = read_direct_proposal(cleaned, overleg_names=names)
    if direct is not None:
        return propose_at(
            session=session,
            place=place,
            title=direct.title,
            explanation=direct.explanation,
            overleg=direct.overleg,
            now=now,
            tz=tz,
            confidential=direct.confidential,
        )
    if active is not None:
        return _next_step(session, active, cleaned, now=now, tz=tz)
    intent = read_intent(cleaned, overleg_names=names)
    if intent.kind == "propose" or (intent.kind == "unknown" and wants_dialogue(cleaned)):
        started = keep(session, row, place, step=STEP_TITLE, data={}, now=now, fresh=True)
        return DialogueOutcome("ask_title", token=started.token)
    if intent.kind in QUESTION_KINDS:
        return DialogueOutcome("question", intent=intent)
    return DialogueOutcome("expired" if expired else "hint")


def _row_at(session: Session, place: Place, now: datetime) -> tuple[Conversation | None, bool]:
    """The row at `place` (an expired one is deleted) and whether a dialogue in progress expired."""
    row = row_at(session, place)
    if row is None or row.expires_at > now:
        return row, False
    expired = row.step != STEP_FILED
    session.delete(row)
    session.flush()
    return None, expired


def _next_step(
    session: Session, conversation: Conversation, cleaned: str, *, now: datetime, tz: ZoneInfo
) -> DialogueOutcome:
    """The answer to the step the dialogue is at; a bad answer asks the same question again."""
    word = normalise(cleaned)
    step = conversation.step
    if word in _STOP or (step == STEP_CONFIRM and word in _NO):
        return cancel_row(session, conversation)
    if step == STEP_CONFIRM and word in _SUBMIT:  # typing "ja" works as well as the button
        return submit_row(session, conversation, now=now, tz=tz, force=False)
    data = dict(conversation.data or {})
    place = Place.of(conversation)
    try:
        next_step, outcome = _answer(session, step, cleaned, word, data)
    except Refused as exc:
        keep(session, conversation, place, step=step, data=data, now=now)
        again = " Wat is de titel?" if step == STEP_TITLE else ""
        return DialogueOutcome("error", error=exc.message + again)
    keep(session, conversation, place, step=next_step, data=data, now=now)
    target = None
    if outcome == "confirm":  # the summary names the meeting, in the words `/ivb volgende` uses
        body = resolve_overleg(meeting_queries.overleggen(session=session), str(data.get("overleg", "")))
        target = read_target(session=session, overleg_id=body.id, now=now, tz=tz)
    return DialogueOutcome(
        outcome,
        data=data,
        overleggen=tuple(meeting_queries.overleggen(session=session)) if outcome == "ask_overleg" else (),
        token=conversation.token,
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
