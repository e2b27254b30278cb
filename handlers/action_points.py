"""Buttons on action points (afgerond, heropenen, nieuwe datum) and the action point form.

Every click is checked again on the server: the payload says who clicked, the database says who
owns the item; a forged or stale click changes nothing and gets a Dutch answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot import actions_service
from bot.actions_service import ActionPointError
from bot.blocks import Reply, simple
from bot.blocks_open import (
    ACTION_DONE,
    ACTION_DUE,
    ACTION_MODAL,
    ACTION_REOPEN,
    DUE_BLOCK_PREFIX,
    build_action_created,
    build_action_done,
    build_action_reopened,
    build_due_changed,
)
from bot.deps import Deps
from bot.open_items import ActionItem, action_item
from handlers.home import publish_home
from handlers.open_items import notify_owner
from storage.models import ActionPoint

logger = logging.getLogger(__name__)

Change = Callable[[Session, int, str, bool], ActionPoint]
NOT_FOUND = "Dat actiepunt ken ik niet. Kijk met `/ivb open` wat er openstaat."


def _item_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ActionPointError(NOT_FOUND) from None


@dataclass(frozen=True)
class Outcome:
    reply: Reply
    changed: bool


def answer_click(deps: Deps, client: WebClient, body: dict[str, Any], outcome: Outcome) -> None:
    """Tell the clicker the outcome where they clicked: on the Home tab the refreshed tab shows a
    change (a refusal opens a small modal); in a conversation an ephemeral message answers."""
    user_id = str(body.get("user", {}).get("id", ""))
    container = body.get("container") or {}
    reply = outcome.reply
    try:
        if container.get("type") == "view":
            publish_home(deps, client, user_id)
            if outcome.changed:
                return
            client.views_open(
                trigger_id=str(body.get("trigger_id", "")),
                view={
                    "type": "modal",
                    "title": {"type": "plain_text", "text": "Actiepunt"},
                    "close": {"type": "plain_text", "text": "Sluiten"},
                    "blocks": reply.blocks,
                },
            )
            return
        channel = str((body.get("channel") or {}).get("id", "")) or user_id
        client.chat_postEphemeral(channel=channel, user=user_id, **reply.as_message())
    except SlackApiError:
        logger.exception("could not answer a click on an action point")


CLICK_KEY = "vgg_click"


def remember(context: BoltContext, outcome: Outcome) -> None:
    """Keep the outcome for the lazy answer: the acknowledgement must not wait for Slack's Web API."""
    context[CLICK_KEY] = {
        "text": outcome.reply.text,
        "blocks": outcome.reply.blocks,
        "changed": outcome.changed,
    }


def answer_later(deps: Deps) -> Callable[..., None]:
    """The lazy half of a click: tell the clicker what happened (Home refresh, modal or ephemeral)."""

    def answer(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        saved = context.get(CLICK_KEY)
        if saved:
            outcome = Outcome(
                Reply(text=saved["text"], blocks=saved["blocks"]), changed=bool(saved["changed"])
            )
            answer_click(deps, client, body, outcome)

    return answer


def _run(
    deps: Deps, body: dict[str, Any], change: Change, item_text: str, ok: Callable[[ActionItem], Reply]
) -> Outcome:
    user_id = str(body.get("user", {}).get("id", ""))
    try:
        item_id = _item_id(item_text)
        with deps.sessions.begin() as session:
            point = change(session, item_id, user_id, deps.settings.is_admin(user_id))
            item = action_item(point)
    except ActionPointError as exc:
        return Outcome(simple(str(exc)), changed=False)
    return Outcome(ok(item), changed=True)


CREATED_KEY = "vgg_created_action"


def form_followup(deps: Deps) -> Callable[..., None]:
    """After the form closed: DM the owner and confirm to the secretariaat."""

    def confirm(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        item_id = context.get(CREATED_KEY)
        if item_id is None:
            return
        user_id = str(body.get("user", {}).get("id", ""))
        notify_owner(client, deps, int(item_id), by=user_id)
        with deps.sessions.begin() as session:
            point = session.get(ActionPoint, int(item_id))
            if point is None:
                return
            item = action_item(point)
        try:
            client.chat_postMessage(channel=user_id, **build_action_created(item).as_message())
        except SlackApiError:
            logger.exception("could not confirm a new action point")

    return confirm


def form_listener(deps: Deps) -> Callable[..., None]:
    """The submission of the `/ivb actie` form: validate and create; the DMs follow after the ack."""

    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        user_id = str(body.get("user", {}).get("id", ""))
        values = (view.get("state") or {}).get("values") or {}

        def field(block: str, key: str) -> Any:
            return (values.get(block) or {}).get("value", {}).get(key)

        owner = str(field("owner", "selected_user") or "")
        text = str(field("text", "value") or "")
        due_text = field("due", "selected_date")
        meeting = (field("meeting", "selected_option") or {}).get("value")
        errors: dict[str, str] = {}
        due: date | None = None
        if due_text:
            try:
                due = date.fromisoformat(str(due_text))
            except ValueError:
                errors["due"] = "Kies een datum in de datumkiezer."
            else:
                if due < deps.clock.now().astimezone(deps.settings.tz).date():
                    errors["due"] = "Die datum ligt in het verleden. Kies vandaag of later."
        if not text.strip():
            errors["text"] = "Schrijf op wat er moet gebeuren."
        if not owner:
            errors["owner"] = "Kies wie het gaat doen."
        if errors:
            ack(response_action="errors", errors=errors)
            return
        try:
            with deps.sessions.begin() as session:
                point = actions_service.create_action_point(
                    session=session,
                    actor_id=user_id,
                    is_admin=deps.settings.is_admin(user_id),
                    owner_id=owner,
                    text=text,
                    due_date=due,
                    now=deps.clock.now(),
                    meeting_id=int(meeting) if meeting and str(meeting).isdigit() else None,
                )
                item = action_item(point)
        except ActionPointError as exc:
            ack(response_action="errors", errors={"text": str(exc)[:150]})
            return
        context[CREATED_KEY] = item.id
        ack()

    return submit


def register(app: App, deps: Deps) -> None:
    def done(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()

        def change(session: Session, item_id: int, user_id: str, is_admin: bool) -> ActionPoint:
            return actions_service.complete_action_point(
                session=session, action_id=item_id, actor_id=user_id, is_admin=is_admin, now=deps.clock.now()
            )

        remember(context, _run(deps, body, change, str(action.get("value", "")), build_action_done))

    def reopen(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()

        def change(session: Session, item_id: int, user_id: str, is_admin: bool) -> ActionPoint:
            return actions_service.reopen_action_point(
                session=session, action_id=item_id, actor_id=user_id, is_admin=is_admin, now=deps.clock.now()
            )

        remember(context, _run(deps, body, change, str(action.get("value", "")), build_action_reopened))

    def new_due_date(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        block_id = str(action.get("block_id", ""))
        try:
            due = date.fromisoformat(str(action.get("selected_date", "")))
        except ValueError:
            remember(context, Outcome(simple("Kies een datum in de datumkiezer."), changed=False))
            return
        today = deps.clock.now().astimezone(deps.settings.tz).date()
        if due < today:
            past = simple("Die datum ligt in het verleden. Kies vandaag of later.")
            remember(context, Outcome(past, changed=False))
            return

        def change(session: Session, item_id: int, user_id: str, is_admin: bool) -> ActionPoint:
            return actions_service.change_due_date(
                session=session,
                action_id=item_id,
                actor_id=user_id,
                is_admin=is_admin,
                due_date=due,
                now=deps.clock.now(),
            )

        item_text = block_id.removeprefix(DUE_BLOCK_PREFIX) if block_id.startswith(DUE_BLOCK_PREFIX) else ""
        remember(context, _run(deps, body, change, item_text, build_due_changed))

    # The database change happens before the acknowledgement; the answer to the clicker follows
    # in a lazy listener, so a slow or rate-limited Slack API never delays the acknowledgement.
    app.action(ACTION_DONE)(ack=done, lazy=[answer_later(deps)])
    app.action(ACTION_REOPEN)(ack=reopen, lazy=[answer_later(deps)])
    app.action(ACTION_DUE)(ack=new_due_date, lazy=[answer_later(deps)])
    app.view(ACTION_MODAL)(ack=form_listener(deps), lazy=[form_followup(deps)])
