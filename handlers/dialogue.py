"""DMs to the bot and mentions in channels: `agendapunt: …`, the "ik wil iets agenderen" dialogue, and
questions in words (answered as the matching `/ivb` command would); the buttons of the dialogue's
summary and of the "Toch nog een keer?" question."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks import ids
from bot.blocks.dialogue import build_confidential_received, build_dialogue_closed, build_dialogue_reply
from bot.blocks.kit import Reply
from bot.runtime.deps import Deps
from bot.runtime.followups import (
    DirectMessage,
    Ephemeral,
    Followup,
    PostMessage,
    PostSummary,
    Respond,
    SendReview,
    UpdateMessage,
)
from bot.runtime.posting import Poster
from bot.services import dialogue, filing
from bot.services.deliveries import first_delivery
from bot.services.filing import DialogueOutcome
from bot.text.slack import without_mentions
from handlers.command import Command, QuestionAnswerer, channel_overleg
from handlers.payload import action_of, action_value, clicked_message, user_of

# Outcomes whose message carries the Indienen / Toch indienen buttons: where it lands is remembered.
SUMMARIES = frozenset({"confirm", "duplicate"})


def _handle(
    deps: Deps,
    answer: QuestionAnswerer,
    body: dict[str, Any],
    event: dict[str, Any],
    client: WebClient,
    *,
    in_thread: bool,
) -> None:
    user_id = str(event.get("user", ""))
    channel_id = str(event.get("channel", ""))
    if not user_id or not channel_id or event.get("bot_id") or event.get("subtype"):
        return  # our own posts, other bots, edits and deletions
    # In a channel the dialogue lives in the thread of the first mention; in a DM there is one per user.
    thread_ts = str(event.get("thread_ts") or event.get("ts") or "") if in_thread else ""
    now = deps.clock.now()
    with deps.sessions.begin() as session:
        # The same transaction as the work: a retried delivery finds the id, a failed one left none.
        if not first_delivery(session=session, event_id=str(body.get("event_id", "")), now=now):
            return
        outcome = dialogue.handle_message(
            session=session,
            user_id=user_id,
            channel_id=channel_id,
            thread_ts=thread_ts,
            text=without_mentions(str(event.get("text", ""))),
            now=now,
            tz=deps.settings.tz,
        )
        if outcome.kind == "question" and outcome.intent is not None:
            overleg = channel_overleg(deps, channel_id)
            asker = Command(user_id, channel_id, "", "", client, channel_overleg=overleg)
            reply: Reply | None = answer(deps, outcome.intent, asker)
        else:
            reply = build_dialogue_reply(outcome, tz=deps.settings.tz, today=_today(deps, now))
        if _personal(outcome) and not channel_id.startswith("D"):
            # Open items name people: in a channel only the asker sees them.
            items: list[Followup] = (
                [Ephemeral(channel_id, user_id, reply, thread_ts=thread_ts)] if reply else []
            )
        else:
            items = _after_message(outcome, reply, user_id=user_id, channel=channel_id, thread_ts=thread_ts)
        deps.followups.after_commit(session, *items)


def _personal(outcome: DialogueOutcome) -> bool:
    return outcome.kind == "question" and outcome.intent is not None and outcome.intent.kind == "open"


def _after_message(
    outcome: DialogueOutcome, reply: Reply | None, *, user_id: str, channel: str, thread_ts: str
) -> list[Followup]:
    """The answer in the DM or thread; a summary ended by typing `ja` is closed; a new proposal reviewed.

    A confidential item is never repeated in a channel: there the thread gets a line without the title
    and the confirmation goes by DM."""
    items: list[Followup] = []
    closed = build_dialogue_closed(outcome)
    if closed is not None and outcome.summary_ts:
        items.append(UpdateMessage(channel, outcome.summary_ts, closed))
    created = outcome.created
    if reply is not None and created is not None and created.proposal.confidential and thread_ts:
        items.append(DirectMessage(user_id, reply))
        items.append(
            PostMessage(channel, build_confidential_received(created.proposal.id), thread_ts=thread_ts)
        )
    elif reply is not None and outcome.kind in SUMMARIES:
        items.append(PostSummary(channel, reply, outcome.token, thread_ts=thread_ts))
    elif reply is not None:
        items.append(PostMessage(channel, reply, thread_ts=thread_ts))
    if outcome.created is not None:
        items.append(SendReview(outcome.created.proposal.id))
    return items


def direct_message(  # noqa: PLR0917 - Bolt injects listener arguments by name, but only positional ones
    deps: Deps,
    answer: QuestionAnswerer,
    ack: Ack,
    body: dict[str, Any],
    event: dict[str, Any],
    client: WebClient,
) -> None:
    ack()
    if event.get("channel_type") == "im":
        _handle(deps, answer, body, event, client, in_thread=False)


def mention(  # noqa: PLR0917 - Bolt injects listener arguments by name, but only positional ones
    deps: Deps,
    answer: QuestionAnswerer,
    ack: Ack,
    body: dict[str, Any],
    event: dict[str, Any],
    client: WebClient,
) -> None:
    ack()
    _handle(deps, answer, body, event, client, in_thread=True)


def summary_button(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """Indienen / Annuleren on the summary, Toch indienen / Nee on the repeat question."""
    ack()
    user_id = user_of(body)
    token = action_value(body)
    now, tz = deps.clock.now(), deps.settings.tz
    with deps.sessions.begin() as session:
        if action_of(body).get("action_id") == ids.SUBMIT_DIALOGUE:
            outcome = filing.submit(session=session, token=token, user_id=user_id, now=now, tz=tz)
        else:
            outcome = filing.cancel(session=session, token=token, user_id=user_id, now=now)
        deps.followups.after_commit(session, *_after_click(deps, session, body, outcome, now))


def _after_click(
    deps: Deps, session: Session, body: dict[str, Any], outcome: DialogueOutcome, now: datetime
) -> list[Followup]:
    """The clicked message shows the result in place; an ephemeral one (after `/ivb`) through its
    response_url. Anything else is said in the DM or thread, or only to the clicker in a channel."""
    channel, ts = clicked_message(body)
    stored = filing.dialogue_channel(session=session, token=outcome.token or action_value(body))
    if stored is not None and channel != stored:
        # The click names a message elsewhere than where this dialogue lives: answer where it lives,
        # and update nothing in place (a click's container is the sender's word, not ours).
        channel, ts = stored, ""
    thread_ts = str((body.get("message") or {}).get("thread_ts") or "")
    reply = build_dialogue_reply(outcome, tz=deps.settings.tz, today=_today(deps, now))
    closed = build_dialogue_closed(outcome)
    in_place = reply if outcome.kind in SUMMARIES else closed
    review = [SendReview(outcome.created.proposal.id)] if outcome.created is not None else []
    if (body.get("container") or {}).get("is_ephemeral") and body.get("response_url"):
        shown = reply if outcome.kind in SUMMARIES | {"created"} else (closed or reply)
        replaces = in_place is not None or outcome.kind == "created"
        return [*([Respond(str(body["response_url"]), shown, replaces)] if shown else []), *review]
    items: list[Followup] = []
    if in_place is not None and channel and ts:
        items.append(UpdateMessage(channel, ts, in_place))
        if outcome.kind in SUMMARIES:
            filing.remember_summary(session=session, token=outcome.token, ts=ts)
    if reply is not None and outcome.kind not in SUMMARIES:
        if channel.startswith("D") or not channel:
            items.append(PostMessage(channel, reply, thread_ts=thread_ts))
        else:
            items.append(Ephemeral(channel, user_of(body), reply))
    return [*items, *review]


def post_summary(deps: Deps, poster: Poster, item: PostSummary) -> None:
    """PostSummary's performer: post it, then remember where (typing `ja` closes it later)."""
    posted = poster.post(item.channel, item.reply, thread_ts=item.thread_ts)
    with deps.sessions.begin() as session:
        filing.remember_summary(session=session, token=item.token, ts=posted.ts)


def _today(deps: Deps, now: datetime) -> date:
    return now.astimezone(deps.settings.tz).date()


def register(app: App, deps: Deps, *, answer: QuestionAnswerer) -> None:
    app.event("message")(partial(direct_message, deps, answer))
    app.event("app_mention")(partial(mention, deps, answer))
    app.action(ids.SUBMIT_DIALOGUE)(partial(summary_button, deps))
    app.action(ids.CANCEL_DIALOGUE)(partial(summary_button, deps))
