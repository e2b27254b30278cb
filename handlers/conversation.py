"""DMs to the bot and mentions in channels: `agendapunt: …` and the "ik wil iets agenderen" dialogue."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot import conversation
from bot.blocks_proposals import build_outcome
from bot.deps import Deps
from bot.events import first_delivery
from handlers import followups


def _handle(
    deps: Deps, context: BoltContext, body: dict[str, Any], event: dict[str, Any], *, in_thread: bool
) -> None:
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
        outcome = conversation.handle_message(
            session=session,
            user_id=user_id,
            channel_id=channel_id,
            thread_ts=thread_ts,
            text=str(event.get("text", "")),
            now=now,
            tz=tz,
        )
        reply = build_outcome(outcome, tz=tz)
    if reply is not None:
        followups.add(context, followups.post(channel_id, reply, thread_ts=thread_ts))
    if outcome.created is not None:
        followups.add(context, followups.review(outcome.created.proposal.id))


def register(app: App, deps: Deps) -> None:
    lazy = followups.runner(deps)

    def on_dm(ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        ack()
        if event.get("channel_type") != "im":
            return
        _handle(deps, context, body, event, in_thread=False)

    def on_mention(ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        ack()
        _handle(deps, context, body, event, in_thread=True)

    app.event("message")(ack=on_dm, lazy=[lazy])
    app.event("app_mention")(ack=on_mention, lazy=[lazy])
