"""Shared steps for the proposal tests through HTTP: Slack payloads, fake-Slack lookups, database reads."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from slack_bolt import App
from sqlalchemy import select

from bot.runtime.app import create_app
from bot.runtime.deps import Deps
from bot.runtime.slack_client import make_web_client
from storage.models import AgendaProposal, ReviewPost
from tests.conftest import AMS
from tests.fakes.slack import Call, FakeSlack
from tests.support.blockcheck import assert_valid_message, assert_valid_view
from tests.support.factories import add_meeting
from tests.support.slackclient import HttpResult, SlackSender
from tests.support.waiting import wait_for

_ts = itertools.count(1)
BOT = "U0VGGBOT01"


@contextmanager
def app_with_own_executor(deps: Deps) -> Iterator[App]:
    """The app with a thread pool for lazy listeners that is drained at the end, before the engine goes."""
    executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lazy")
    try:
        yield create_app(deps, client=make_web_client(deps.settings), listener_executor=executor)
    finally:
        executor.shutdown(wait=True)


def seed_ivb_2023(deps: Deps) -> list[int]:
    """The IVB dates of 2023 from the seed: 20 March, 26 June, 13 November, 09:30."""
    with deps.sessions.begin() as s:
        return [
            add_meeting(s, "ivb", datetime(2023, month, day, 9, 30, tzinfo=AMS)).id
            for month, day in ((3, 20), (6, 26), (11, 13))
        ]


def next_ts() -> str:
    return f"{1_677_660_000 + next(_ts)}.000100"


def dm_event(text: str, *, user: str, **extra: Any) -> dict[str, Any]:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D" + user[1:],
        "user": user,
        "text": text,
        "ts": next_ts(),
    }
    event.update(extra)
    return event


def send_dm(slack: SlackSender, text: str, *, user: str, event_id: str | None = None) -> HttpResult:
    result = slack.event(dm_event(text, user=user), event_id=event_id)
    assert result.status == 200
    return result


def mention_event(
    text: str, *, user: str, channel: str = "C0GENERAL01", thread_ts: str = ""
) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "channel": channel,
        "user": user,
        "text": f"<@{BOT}> {text}",
        "ts": next_ts(),
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def payload_message(call: Call) -> dict[str, Any]:
    blocks = call.args.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return {"text": call.args.get("text", ""), "blocks": blocks}


def posts(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """Messages posted to `channel`, each checked against Slack's Block Kit limits."""
    out = []
    for call in fake.calls_to("chat.postMessage"):
        if call.args.get("channel") == channel:
            message = payload_message(call)
            assert_valid_message(message)
            out.append({**message, "thread_ts": call.args.get("thread_ts")})
    return out


def wait_posts(fake: FakeSlack, channel: str, count: int) -> list[dict[str, Any]]:
    return wait_for(
        lambda: (found := posts(fake, channel)) and len(found) >= count and found,
        what=f"{count} posts to {channel}",
    )


def wait_post(fake: FakeSlack, channel: str, phrase: str) -> dict[str, Any]:
    """The first post to `channel` containing `phrase` (worker threads may post in any order)."""

    def probe() -> dict[str, Any] | None:
        return next((p for p in posts(fake, channel) if phrase in str(p)), None)

    found: dict[str, Any] = wait_for(probe, what=f"a post to {channel} with {phrase!r}")
    return found


def opened_views(fake: FakeSlack) -> list[dict[str, Any]]:
    views = []
    for call in fake.calls_to("views.open"):
        view = call.args["view"]
        view = json.loads(view) if isinstance(view, str) else view
        assert_valid_view(view)
        views.append({"trigger_id": call.args.get("trigger_id"), **view})
    return views


def all_proposals(deps: Deps) -> list[AgendaProposal]:
    with deps.sessions.begin() as s:
        return list(s.scalars(select(AgendaProposal).order_by(AgendaProposal.id)))


def review_place(deps: Deps, proposal_id: int) -> tuple[str, str] | None:
    """(channel, ts) of a proposal's first review post, once it is stored."""
    with deps.sessions.begin() as s:
        row = s.scalar(
            select(ReviewPost).where(ReviewPost.proposal_id == proposal_id).order_by(ReviewPost.id)
        )
        return (row.channel, row.ts) if row is not None else None


def review_places(deps: Deps, proposal_id: int) -> list[tuple[str, str]]:
    """(channel, ts) of every stored review post of a proposal."""
    with deps.sessions.begin() as s:
        rows = s.scalars(
            select(ReviewPost).where(ReviewPost.proposal_id == proposal_id).order_by(ReviewPost.id)
        )
        return [(row.channel, row.ts) for row in rows]


def button_values(message: dict[str, Any], action_id: str) -> list[str]:
    values = []
    for block in message["blocks"]:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                if "value" in element:
                    values.append(element["value"])
                values.extend(o["value"] for o in element.get("options", []))
    return values


_VIEW_IDS = itertools.count(1)


def view_submission(
    slack: SlackSender,
    callback_id: str,
    values: dict[str, str],
    *,
    user: str,
    private_metadata: str = "",
    selects: tuple[str, ...] = ("overleg", "vergadering"),
) -> HttpResult:
    """Submit a form as Slack does; every call is its own view (Slack gives each opened form an id)."""
    state: dict[str, Any] = {}
    for block_id, value in values.items():
        if block_id in selects:
            state[block_id] = {"waarde": {"type": "static_select", "selected_option": {"value": value}}}
        else:
            state[block_id] = {"waarde": {"type": "plain_text_input", "value": value}}
    payload = {
        "type": "view_submission",
        "user": {"id": user, "username": user.lower(), "team_id": "T0FAKE0001"},
        "trigger_id": "9.1234.abcdef",
        "view": {
            "id": f"V{next(_VIEW_IDS):010d}",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": state},
            "hash": "1.abc",
        },
    }
    return slack.interaction(payload)


def shortcut(slack: SlackSender, *, user: str, channel: str, ts: str, text: str) -> HttpResult:
    return slack.interaction(
        {
            "type": "message_action",
            "callback_id": "agendeer_bericht",
            "trigger_id": "8.1234.abcdef",
            "user": {"id": user, "username": user.lower(), "team_id": "T0FAKE0001"},
            "channel": {"id": channel, "name": "algemeen"},
            "message_ts": ts,
            "message": {"type": "message", "user": "U0WRITER001", "ts": ts, "text": text},
            "response_url": "http://127.0.0.1:9/response",
        }
    )
