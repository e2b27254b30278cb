"""Filing a proposal made in chat: once, or after a question when it repeats a recent one; and the
buttons of the dialogue's summary, keyed by a token that never repeats.

A dialogue in progress, a question waiting for an answer ("Toch nog een keer?") and a receipt of a
filed dialogue are all rows of `conversation`, one per place (a DM, or a user's thread in a channel).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services import proposals
from bot.services.errors import Refused
from bot.services.meetings import Target
from bot.services.overleggen import resolve_overleg
from bot.services.proposals import Created
from bot.text.intents import Intent
from storage.models import AgendaProposal, Conversation, new_token
from storage.queries import conversations as queries
from storage.queries import meetings as meeting_queries
from storage.queries import proposals as proposal_queries
from storage.queries.rows import OverlegRow

EXPIRY = timedelta(minutes=30)
# A filed dialogue stays this long, so its summary's old buttons can say it was filed (and as what).
RECEIPT_KEPT = timedelta(days=1)
# The same person, the same title, the same overleg within this time: asked before it is filed again.
DUPLICATE_WINDOW = timedelta(hours=24)

STEP_TITLE = "titel"
STEP_EXPLANATION = "toelichting"
STEP_OVERLEG = "overleg"
STEP_CONFIRM = "bevestigen"
STEP_DUPLICATE = "dubbel"  # "Dit heb je al voorgesteld als #N. Toch nog een keer?"
STEP_FILED = "ingediend"


@dataclass(frozen=True)
class Place:
    """Where a dialogue lives: one per user in a DM, one per user and thread in a channel."""

    user_id: str
    channel_id: str
    thread_ts: str

    @classmethod
    def of(cls, conversation: Conversation) -> Place:
        return cls(conversation.user_id, conversation.channel_id, conversation.thread_ts)


@dataclass(frozen=True)
class Earlier:
    """The proposal a new one repeats."""

    id: int
    title: str
    created_at: datetime


@dataclass(frozen=True)
class DialogueOutcome:
    """What the bot answers to one message or click. `kind` names the answer; the builder writes the Dutch.

    kinds: ask_title | ask_explanation | ask_overleg | confirm | duplicate | created | filed_before |
    cancelled | expired | gone | error | not_yours | question | hint
    """

    kind: str
    error: str = ""
    created: Created | None = None
    data: dict[str, Any] = field(default_factory=dict)
    overleggen: tuple[OverlegRow, ...] = ()
    token: str = ""  # what the buttons of a summary or question carry
    summary_ts: str = ""  # the summary to close when the dialogue was ended by typing
    intent: Intent | None = None  # for "question": what was asked
    earlier: Earlier | None = None  # for "duplicate"
    target: Target | None = None  # for "confirm": the meeting the proposal would go to (the target rule)


def propose_at(
    *,
    session: Session,
    place: Place,
    title: str,
    explanation: str = "",
    overleg: str | None,
    now: datetime,
    tz: ZoneInfo,
    confidential: bool = False,
) -> DialogueOutcome:
    """A proposal typed in one go (`agendapunt: …`, `/ivb voorstel …`): filed, or first a question when the
    same person proposed the same title for the same overleg in the last day. Ends a dialogue there."""
    row = row_at(session, place)
    if row is not None:
        session.delete(row)
        session.flush()
    values = {
        "title": title,
        "explanation": explanation,
        "overleg": overleg or "",
        "confidential": confidential,
    }
    return file_from(session, place, None, values, now=now, tz=tz, force=False)


def submit(*, session: Session, token: str, user_id: str, now: datetime, tz: ZoneInfo) -> DialogueOutcome:
    """Indienen (or Toch indienen): file the dialogue's proposal. A second click says it was filed."""
    conversation = _clicked(session, token, user_id, now)
    if isinstance(conversation, DialogueOutcome):
        return conversation
    if conversation.step not in {STEP_CONFIRM, STEP_DUPLICATE}:
        return DialogueOutcome(
            "error", error="Het gesprek is nog niet klaar om in te dienen. Beantwoord eerst de vraag."
        )
    return submit_row(session, conversation, now=now, tz=tz, force=conversation.step == STEP_DUPLICATE)


def cancel(*, session: Session, token: str, user_id: str, now: datetime) -> DialogueOutcome:
    """Annuleren (or Nee): end the dialogue without a proposal."""
    conversation = _clicked(session, token, user_id, now)
    if isinstance(conversation, DialogueOutcome):
        return conversation
    return cancel_row(session, conversation)


def _clicked(session: Session, token: str, user_id: str, now: datetime) -> Conversation | DialogueOutcome:
    """The dialogue a button names, or the answer when there is none to act on: gone (expired, or a
    new dialogue began there), someone else's, or filed already (then as what)."""
    conversation = _by_token(session, token, now)
    if conversation is None:
        return DialogueOutcome("gone")
    if conversation.user_id != user_id:
        return DialogueOutcome("not_yours")
    if conversation.step == STEP_FILED:
        return DialogueOutcome("filed_before", data=dict(conversation.data or {}))
    return conversation


def remember_summary(*, session: Session, token: str, ts: str) -> None:
    """Where the summary (or the duplicate question) was posted, to close it when the user types `ja`."""
    conversation = queries.by_token_for_update(session=session, token=token)
    if conversation is not None:
        conversation.summary_ts = ts
        session.flush()


def dialogue_channel(*, session: Session, token: str) -> str | None:
    """The channel (DM or thread's channel) a dialogue lives in; None when it is gone."""
    conversation = queries.by_token_for_update(session=session, token=token[:32]) if token else None
    return conversation.channel_id if conversation is not None else None


def row_at(session: Session, place: Place) -> Conversation | None:
    """The row at `place`, locked until the transaction ends."""
    return queries.at_place_for_update(
        session=session, user_id=place.user_id, channel_id=place.channel_id, thread_ts=place.thread_ts
    )


def keep(
    session: Session,
    row: Conversation | None,
    place: Place,
    *,
    step: str,
    data: dict[str, Any],
    now: datetime,
    kept: timedelta = EXPIRY,
    fresh: bool = False,
) -> Conversation:
    """Store the dialogue at `step`; `fresh` starts a new one, whose buttons no old message carries."""
    if row is None:
        row = Conversation(user_id=place.user_id, channel_id=place.channel_id, thread_ts=place.thread_ts)
        session.add(row)
    if fresh:
        row.token, row.summary_ts = new_token(), None
    row.step = step
    row.data = dict(data)  # a new dict, so the JSON column sees the change
    row.updated_at = now
    row.expires_at = now + kept
    session.flush()
    return row


def submit_row(
    session: Session, conversation: Conversation, *, now: datetime, tz: ZoneInfo, force: bool
) -> DialogueOutcome:
    summary_ts = conversation.summary_ts or ""
    values = dict(conversation.data or {})
    outcome = file_from(session, Place.of(conversation), conversation, values, now=now, tz=tz, force=force)
    return replace(outcome, summary_ts=summary_ts)


def cancel_row(session: Session, conversation: Conversation) -> DialogueOutcome:
    summary_ts = conversation.summary_ts or ""
    session.delete(conversation)
    session.flush()
    return DialogueOutcome("cancelled", summary_ts=summary_ts)


def file_from(
    session: Session,
    place: Place,
    row: Conversation | None,
    values: dict[str, Any],
    *,
    now: datetime,
    tz: ZoneInfo,
    force: bool,
) -> DialogueOutcome:
    """File the proposal in `values`, or ask first when it repeats a recent one (unless `force`)."""
    title, overleg = str(values.get("title", "")), str(values.get("overleg", "")) or None
    try:
        earlier = None
        if not force:
            earlier = find_duplicate(
                session=session, proposer_id=place.user_id, title=title, overleg=overleg, now=now
            )
        if earlier is not None:
            data = {**values, "title": proposals.check_title(title), "earlier": earlier.id}
            pending = keep(session, row, place, step=STEP_DUPLICATE, data=data, now=now, fresh=row is None)
            found = Earlier(earlier.id, earlier.title, earlier.created_at)
            return DialogueOutcome("duplicate", data=data, token=pending.token, earlier=found)
        created = proposals.create_proposal(
            session=session,
            proposer_id=place.user_id,
            title=title,
            explanation=str(values.get("explanation", "")),
            overleg=overleg,
            now=now,
            tz=tz,
            confidential=bool(values.get("confidential")),
        )
    except Refused as exc:
        return DialogueOutcome("error", error=exc.message)
    if row is not None:  # kept as a receipt: the summary's buttons now say what it became
        receipt = {"proposal_id": created.proposal.id, "title": created.proposal.title}
        keep(session, row, place, step=STEP_FILED, data=receipt, now=now, kept=RECEIPT_KEPT)
    return DialogueOutcome("created", created=created)


def same_title(first: str, second: str) -> bool:
    """Titles that differ only in capitals and spacing are the same title."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def find_duplicate(
    *, session: Session, proposer_id: str, title: str, overleg: str | None, now: datetime
) -> AgendaProposal | None:
    """The proposal `proposer_id` made with this title for this overleg in the last 24 hours, if any."""
    body = resolve_overleg(meeting_queries.overleggen(session=session), overleg)
    recent = proposal_queries.recent_of_proposer(
        session=session, proposer_id=proposer_id, overleg_id=body.id, since=now - DUPLICATE_WINDOW
    )
    return next((p for p in recent if same_title(p.title, title)), None)


def _by_token(session: Session, token: str, now: datetime) -> Conversation | None:
    conversation = queries.by_token_for_update(session=session, token=token[:32]) if token else None
    if conversation is not None and conversation.expires_at <= now:
        session.delete(conversation)
        session.flush()
        return None
    return conversation
