"""Action points: `/ivb actie @persoon tekst [voor datum]`, its form, and Afgerond / Heropenen / new date.

Every click is checked again on the server: the payload says who clicked, the database says who
owns the item; a forged or stale click changes nothing and gets a Dutch answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks import ids
from bot.blocks.action_points import (
    build_action_assigned_dm,
    build_action_created,
    build_action_done,
    build_action_modal,
    build_action_reopened,
    build_answer_modal,
    build_due_changed,
)
from bot.blocks.kit import ALREADY_DONE, Reply, build_refused, simple
from bot.runtime.deps import Deps
from bot.runtime.followups import DirectMessage, Ephemeral, Followup, OpenView, PublishHome
from bot.services import action_points
from bot.services.deliveries import first_delivery
from bot.services.errors import NotAllowed, Refused
from bot.services.open_items import ActionItem
from bot.text.due_dates import looks_like_date, parse_due_date
from bot.text.slack import USER_MENTION, plain_text_from_slack
from handlers.command import Command
from handlers.payload import action_of, delivery_id, form_values, user_of

logger = logging.getLogger(__name__)

EXAMPLE = action_points.EXAMPLE
ADMIN_ONLY = "Alleen het secretariaat kan actiepunten vastleggen en toewijzen. Vraag het secretariaat."
NOT_FOUND = "Dat actiepunt ken ik niet. Kijk met `/ivb open` wat er openstaat."

Change = Callable[[Session, int, str, bool], ActionItem]


@dataclass(frozen=True)
class ActionRequest:
    """`/ivb actie [overleg] @persoon TEKST [voor DATUM]`, as plain values."""

    owner_id: str
    text: str
    due_date: date | None
    overleg_word: str


def read_command(text: str, *, now: datetime, tz: ZoneInfo) -> ActionRequest:
    """The owner (a Slack mention), the text and the due date: what follows the last " voor " when it
    looks like a date (digits, a month, "morgen", "week" …); otherwise "voor" belongs to the text."""
    cleaned = text.replace("\x00", "").strip()
    match = USER_MENTION.search(cleaned)
    if match is None:
        raise Refused(
            f"Wie moet het doen? Noem de eigenaar met @, bijvoorbeeld {EXAMPLE}, "
            "of open het formulier met `/ivb actie`."
        )
    rest = cleaned[match.end() :].strip()
    due: date | None = None
    head, sep, tail = rest.rpartition(" voor ")
    if not sep and rest.lower().startswith("voor "):
        head, sep, tail = "", "voor ", rest[5:]
    if sep and looks_like_date(tail):
        due = parse_due_date(tail, now=now, tz=tz)
        rest = head.strip()
    return ActionRequest(
        owner_id=match.group(1),
        text=plain_text_from_slack(rest),  # stored as typed: Slack's entities and <@U…|naam> decoded
        due_date=due,
        overleg_word=plain_text_from_slack(cleaned[: match.start()]).strip(),
    )


def owner_refusal(client: WebClient, owner_id: str) -> str | None:
    """A Dutch reason when `owner_id` is no person in this workspace; None when they are."""
    try:
        user = client.users_info(user=owner_id).get("user") or {}
    except SlackApiError as exc:
        if exc.response.get("error") in {"user_not_found", "users_not_found"}:
            return "Die persoon ken ik niet in deze Slack. Noem de eigenaar met @naam."
        logger.exception("users.info failed")
        return None  # Slack hiccup: the id came from a real mention, so go ahead
    if user.get("deleted"):
        return "Dat account bestaat niet meer. Kies een andere eigenaar."
    if user.get("is_bot"):
        return "Een bot kan geen actiepunt uitvoeren. Kies een persoon."
    return None


def create(deps: Deps, command: Command) -> Reply | None:
    """`/ivb actie …` (secretariaat): the action point, or the form when nothing follows."""
    if not deps.settings.is_admin(command.user_id):
        return simple(ADMIN_ONLY)
    if not command.text:
        return _open_form(deps, command)
    request = read_command(command.text, now=deps.clock.now(), tz=deps.settings.tz)
    if not request.text:
        raise Refused(f"Wat moet er gebeuren? Schrijf de actie achter de naam: {EXAMPLE}.")
    refusal = owner_refusal(command.client, request.owner_id)
    if refusal is not None:
        return simple(refusal)
    with deps.sessions.begin() as session:
        if not first_delivery(session=session, event_id=command.delivery, now=deps.clock.now()):
            return simple(ALREADY_DONE)
        item = action_points.create_action_point(
            session=session,
            actor_id=command.user_id,
            is_admin=True,
            owner_id=request.owner_id,
            text=request.text,
            due_date=request.due_date,
            now=deps.clock.now(),
            overleg_word=request.overleg_word or command.channel_overleg,
        )
        if item.owner_id != command.user_id:
            dm = build_action_assigned_dm(item, by=command.user_id)
            deps.followups.after_commit(session, DirectMessage(item.owner_id, dm))
    return build_action_created(item)


def _open_form(deps: Deps, command: Command) -> Reply | None:
    with deps.reads() as session:
        choices = action_points.meeting_choices(session=session, now=deps.clock.now())
    try:
        # In the acknowledgement on purpose: the trigger expires in 3 s, and when the form cannot
        # open the official is told what to type instead.
        command.client.views_open(
            trigger_id=command.trigger_id, view=build_action_modal(choices, tz=deps.settings.tz)
        )
    except SlackApiError:
        logger.exception("could not open the action point form")
        return simple(f"Het formulier ging niet open. Probeer het nog eens, of typ {EXAMPLE}.")
    return None


# --- buttons ---------------------------------------------------------------------------------------


def _answer(body: dict[str, Any], reply: Reply, *, changed: bool) -> list[Followup]:
    """Tell the clicker where they clicked: on the Home tab the refreshed tab shows a change (a refusal
    opens a small modal); in a conversation an ephemeral message answers."""
    user_id = user_of(body)
    if (body.get("container") or {}).get("type") == "view":
        if changed:
            return [PublishHome(user_id)]
        return [PublishHome(user_id), OpenView(str(body.get("trigger_id", "")), build_answer_modal(reply))]
    channel = str((body.get("channel") or {}).get("id", ""))
    return [Ephemeral(channel, user_id, reply) if channel else DirectMessage(user_id, reply)]


def _change(
    deps: Deps, body: dict[str, Any], item_text: str, change: Change, done: Callable[[ActionItem], Reply]
) -> None:
    user_id = user_of(body)
    try:
        item_id = int(item_text)
    except ValueError:
        deps.followups.now(*_answer(body, build_refused(NotAllowed(NOT_FOUND)), changed=False))
        return
    try:
        with deps.sessions.begin() as session:
            item = change(session, item_id, user_id, deps.settings.is_admin(user_id))
            deps.followups.after_commit(session, *_answer(body, done(item), changed=True))
    except (NotAllowed, Refused) as exc:
        deps.followups.now(*_answer(body, build_refused(exc), changed=False))


def complete(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()

    def change(session: Session, item_id: int, user_id: str, is_admin: bool) -> ActionItem:
        return action_points.complete_action_point(
            session=session, action_id=item_id, actor_id=user_id, is_admin=is_admin, now=deps.clock.now()
        )

    _change(deps, body, str(action_of(body).get("value", "")), change, build_action_done)


def reopen(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()

    def change(session: Session, item_id: int, user_id: str, is_admin: bool) -> ActionItem:
        return action_points.reopen_action_point(
            session=session, action_id=item_id, actor_id=user_id, is_admin=is_admin, now=deps.clock.now()
        )

    _change(deps, body, str(action_of(body).get("value", "")), change, build_action_reopened)


def move_due_date(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()
    action = action_of(body)
    due = _picked_date(deps, str(action.get("selected_date", "")))
    if isinstance(due, Reply):
        deps.followups.now(*_answer(body, due, changed=False))
        return

    def change(session: Session, item_id: int, user_id: str, is_admin: bool) -> ActionItem:
        return action_points.change_due_date(
            session=session,
            action_id=item_id,
            actor_id=user_id,
            is_admin=is_admin,
            due_date=due,
            now=deps.clock.now(),
        )

    block_id = str(action.get("block_id", ""))
    item_text = (
        block_id.removeprefix(ids.ACTION_DUE_BLOCK_PREFIX)
        if block_id.startswith(ids.ACTION_DUE_BLOCK_PREFIX)
        else ""
    )
    _change(deps, body, item_text, change, build_due_changed)


def _picked_date(deps: Deps, text: str) -> date | Reply:
    """A date from the date picker, or the Dutch answer when it is unusable (missing, in the past)."""
    try:
        due = date.fromisoformat(text)
    except ValueError:
        return simple("Kies een datum in de datumkiezer.")
    if due < deps.clock.now().astimezone(deps.settings.tz).date():
        return simple("Die datum ligt in het verleden. Kies vandaag of later.")
    return due


def submit_form(
    deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any], request: BoltRequest
) -> None:
    """The `/ivb actie` form: validated on the form; the owner's DM and the confirmation follow."""
    user_id = user_of(body)
    values = form_values(view)
    owner, text, meeting = (values.get(b, "") for b in (ids.OWNER_BLOCK, ids.TEXT_BLOCK, ids.MEETING_BLOCK))
    errors: dict[str, str] = {}
    due = _picked_date(deps, values[ids.DUE_BLOCK]) if values.get(ids.DUE_BLOCK) else None
    if isinstance(due, Reply):
        errors[ids.DUE_BLOCK] = due.text
    if not text.strip():
        errors[ids.TEXT_BLOCK] = "Schrijf op wat er moet gebeuren."
    if not owner:
        errors[ids.OWNER_BLOCK] = "Kies wie het gaat doen."
    if errors or isinstance(due, Reply):
        ack(response_action="errors", errors=errors)
        return
    try:
        with deps.sessions.begin() as session:
            if not first_delivery(session=session, event_id=delivery_id(request), now=deps.clock.now()):
                ack()  # the same submission again (a replay): it was handled the first time
                return
            item = action_points.create_action_point(
                session=session,
                actor_id=user_id,
                is_admin=deps.settings.is_admin(user_id),
                owner_id=owner,
                text=text,
                due_date=due,
                now=deps.clock.now(),
                meeting_id=int(meeting) if meeting.isdigit() else None,
            )
            later: list[Followup] = [DirectMessage(user_id, build_action_created(item))]
            if item.owner_id != user_id:
                later.insert(0, DirectMessage(item.owner_id, build_action_assigned_dm(item, by=user_id)))
            deps.followups.after_commit(session, *later)
    except (NotAllowed, Refused) as exc:
        ack(response_action="errors", errors={ids.TEXT_BLOCK: exc.message[:150]})
        return
    ack()


def register(app: App, deps: Deps) -> None:
    app.action(ids.COMPLETE_ACTION)(partial(complete, deps))
    app.action(ids.REOPEN_ACTION)(partial(reopen, deps))
    app.action(ids.MOVE_ACTION_DUE)(partial(move_due_date, deps))
    app.view(ids.ACTION_VIEW)(partial(submit_form, deps))
