"""DMs to the bot and mentions in channels: `agendapunt: …` and the "ik wil iets agenderen" dialogue,
and the dialogue summary's Indienen / Annuleren buttons."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import ids
from bot.blocks.dialogue import build_confidential_received, build_dialogue_closed, build_dialogue_reply
from bot.blocks.kit import build_refused
from bot.runtime.deps import Deps
from bot.runtime.followups import DirectMessage, PostMessage, SendReview, UpdateMessage
from bot.services import dialogue
from bot.services.deliveries import first_delivery
from bot.services.errors import Refused
from bot.text.slack import without_mentions
from handlers.payload import action_of, action_value, button_ids, clicked_message, user_of


def _handle(deps: Deps, body: dict[str, Any], event: dict[str, Any], *, in_thread: bool) -> None:
    user_id = str(event.get("user", ""))
    channel_id = str(event.get("channel", ""))
    if not user_id or not channel_id or event.get("bot_id") or event.get("subtype"):
        return  # our own posts, other bots, edits and deletions
    # In a channel the dialogue lives in the thread of the first mention; in a DM there is one per user.
    thread_ts = str(event.get("thread_ts") or event.get("ts") or "") if in_thread else ""
    now = deps.clock.now()
    tz = deps.settings.tz
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
            tz=tz,
        )
        reply = build_dialogue_reply(outcome, tz=tz)
        created = outcome.created
        if reply is not None and created is not None and created.proposal.confidential and in_thread:
            # A confidential item is never repeated in a channel: the confirmation goes by DM.
            deps.followups.after_commit(
                session,
                DirectMessage(user_id, reply),
                PostMessage(
                    channel_id, build_confidential_received(created.proposal.id), thread_ts=thread_ts
                ),
            )
        elif reply is not None:
            deps.followups.after_commit(session, PostMessage(channel_id, reply, thread_ts=thread_ts))
        if created is not None:
            deps.followups.after_commit(session, SendReview(created.proposal.id))


def direct_message(deps: Deps, ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
    ack()
    if event.get("channel_type") == "im":
        _handle(deps, body, event, in_thread=False)


def mention(deps: Deps, ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
    ack()
    _handle(deps, body, event, in_thread=True)


def summary_button(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """Indienen or Annuleren on the dialogue's summary; the summary then loses its buttons."""
    ack()
    user_id = user_of(body)
    channel, summary_ts = clicked_message(body)
    thread_ts = str((body.get("message") or {}).get("thread_ts") or "")
    try:
        conversation_id, _, _ = button_ids(action_value(body))
    except Refused as exc:
        deps.followups.now(DirectMessage(user_id, build_refused(exc)))
        return
    now, tz = deps.clock.now(), deps.settings.tz
    with deps.sessions.begin() as session:
        if action_of(body).get("action_id") == ids.SUBMIT_DIALOGUE:
            outcome = dialogue.submit(
                session=session, conversation_id=conversation_id, user_id=user_id, now=now, tz=tz
            )
        else:
            outcome = dialogue.cancel(
                session=session, conversation_id=conversation_id, user_id=user_id, now=now
            )
        closed = build_dialogue_closed(outcome)
        reply = build_dialogue_reply(outcome, tz=tz)
        if closed is not None and channel and summary_ts:
            deps.followups.after_commit(session, UpdateMessage(channel, summary_ts, closed))
        if reply is not None:
            deps.followups.after_commit(session, PostMessage(channel, reply, thread_ts=thread_ts))
        if outcome.created is not None:
            deps.followups.after_commit(session, SendReview(outcome.created.proposal.id))


def register(app: App, deps: Deps) -> None:
    app.event("message")(partial(direct_message, deps))
    app.event("app_mention")(partial(mention, deps))
    app.action(ids.SUBMIT_DIALOGUE)(partial(summary_button, deps))
    app.action(ids.CANCEL_DIALOGUE)(partial(summary_button, deps))
