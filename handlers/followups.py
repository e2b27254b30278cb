"""Web API work that may wait until after the acknowledgement: posts, DMs, review posts, views.open.

A listener's ack function does the database work and lists its follow-ups as plain dicts in the Bolt
context; `runner(deps)` is registered as the listener's lazy function, so Bolt runs them in a worker
thread after the acknowledgement has gone out. Each follow-up stands alone: one failing is logged and
the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import calendar, proposals
from bot.blocks import Reply
from bot.blocks_proposals import build_review
from bot.deps import Deps
from storage.models import AgendaProposal

logger = logging.getLogger(__name__)

KEY = "vgg_followups"


def post(channel: str, reply: Reply, *, thread_ts: str = "") -> dict[str, Any]:
    return {"kind": "post", "channel": channel, "thread_ts": thread_ts, **reply.as_message()}


def update(channel: str, ts: str, reply: Reply) -> dict[str, Any]:
    return {"kind": "update", "channel": channel, "ts": ts, **reply.as_message()}


def dm(user_id: str, reply: Reply) -> dict[str, Any]:
    return {"kind": "dm", "user": user_id, **reply.as_message()}


def review(proposal_id: int) -> dict[str, Any]:
    return {"kind": "review", "proposal_id": proposal_id}


def review_update(proposal_id: int, *, channel: str = "", ts: str = "") -> dict[str, Any]:
    return {"kind": "review_update", "proposal_id": proposal_id, "channel": channel, "ts": ts}


def open_view(trigger_id: str, view: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "open_view", "trigger_id": trigger_id, "view": view}


def add(context: BoltContext, *items: dict[str, Any]) -> None:
    context.setdefault(KEY, []).extend(items)


def _review_reply(deps: Deps, proposal_id: int) -> tuple[Reply, AgendaProposal] | None:
    with deps.sessions.begin() as session:
        proposal = session.get(AgendaProposal, proposal_id)
        if proposal is None:
            return None
        meetings = calendar.next_meetings(
            session=session, overleg_id=proposal.overleg_id, now=deps.clock.now(), limit=5
        )
        return build_review(proposal, meetings=meetings, tz=deps.settings.tz), proposal


def _open_dm(client: WebClient, user_id: str) -> str:
    opened = client.conversations_open(users=user_id)
    return str(opened["channel"]["id"])


def _send_review(deps: Deps, client: WebClient, proposal_id: int) -> None:
    built = _review_reply(deps, proposal_id)
    if built is None:
        return
    reply, _ = built
    settings = deps.settings
    targets = [settings.review_channel] if settings.review_channel else list(settings.admin_user_ids)
    if not targets:
        logger.warning("proposal %s has no reviewer: set REVIEW_CHANNEL or ADMIN_USER_IDS", proposal_id)
        return
    stored = False
    for target in targets:
        channel = target if settings.review_channel else _open_dm(client, target)
        result = client.chat_postMessage(channel=channel, **reply.as_message())
        if not stored:
            # One message is remembered for chat.update; other admins' DMs are updated when clicked.
            with deps.sessions.begin() as session:
                proposals.set_review_message(
                    session=session,
                    proposal_id=proposal_id,
                    channel=str(result["channel"]),
                    ts=str(result["ts"]),
                )
            stored = True


def _update_review(deps: Deps, client: WebClient, item: dict[str, Any]) -> None:
    built = _review_reply(deps, int(item["proposal_id"]))
    if built is None:
        return
    reply, proposal = built
    places = []
    if proposal.review_channel and proposal.review_ts:
        places.append((proposal.review_channel, proposal.review_ts))
    clicked = (str(item.get("channel") or ""), str(item.get("ts") or ""))
    if all(clicked) and clicked not in places:
        places.append(clicked)
    for channel, ts in places:
        client.chat_update(channel=channel, ts=ts, **reply.as_message())


def run_one(deps: Deps, client: WebClient, item: dict[str, Any]) -> None:
    kind = item["kind"]
    message = {"text": item.get("text", ""), "blocks": item.get("blocks", [])}
    if kind == "post":
        thread = {"thread_ts": item["thread_ts"]} if item.get("thread_ts") else {}
        client.chat_postMessage(channel=item["channel"], **message, **thread)
    elif kind == "update":
        client.chat_update(channel=item["channel"], ts=item["ts"], **message)
    elif kind == "dm":
        client.chat_postMessage(channel=_open_dm(client, item["user"]), **message)
    elif kind == "review":
        _send_review(deps, client, int(item["proposal_id"]))
    elif kind == "review_update":
        _update_review(deps, client, item)
    elif kind == "open_view":
        client.views_open(trigger_id=item["trigger_id"], view=item["view"])
    else:
        raise ValueError(f"unknown follow-up {kind!r}")


def run_all(deps: Deps, client: WebClient, items: list[dict[str, Any]]) -> None:
    for item in items:
        try:
            run_one(deps, client, item)
        except SlackApiError as exc:
            logger.warning("Slack refused follow-up %s: %s", item.get("kind"), exc.response.get("error"))
        except Exception:
            logger.exception("follow-up %s failed", item.get("kind"))


def runner(deps: Deps) -> Callable[..., None]:
    """The lazy function for a listener whose ack function filled `context[KEY]`."""

    def run_followups(context: BoltContext, client: WebClient) -> None:
        items = list(context.get(KEY) or [])
        if items:
            run_all(deps, client, items)

    return run_followups
