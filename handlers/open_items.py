"""`/ivb open [mijn|overleg]`, `/ivb actie …` and the "meer" button. Thin: values → service → blocks."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot import actions_service, calendar
from bot.answer_cache import Computed, read_through
from bot.blocks import Reply, build_unknown_overleg, simple
from bot.blocks_open import (
    OPEN_MORE,
    Viewer,
    build_action_assigned_dm,
    build_action_created,
    build_action_modal,
    build_open_items,
    parse_more_value,
)
from bot.deps import Deps
from bot.open_items import OpenFilter, action_item, open_page
from handlers import followups
from handlers.commands import CommandContext, VerbHandler
from storage.models import ActionPoint

logger = logging.getLogger(__name__)

MINE_WORDS = {"mijn", "mine", "my", "me", "ik"}
ADMIN_ONLY = "Alleen het secretariaat kan actiepunten vastleggen en toewijzen. Vraag het hun."


def _open_page_reply(
    session: Session, deps: Deps, *, user_id: str, scope: str, offset: int, now: datetime
) -> tuple[Reply, bool]:
    """One page of open items for `scope`, and False when `scope` named no known overleg."""
    words = scope.split()
    mine = bool(words) and words[0].lower() in MINE_WORDS
    overleg_word = " ".join(words[1:] if mine else words)
    tz = deps.settings.tz
    overleg = None
    if overleg_word:
        overleg = calendar.find_overleg(session=session, text=overleg_word)
        if overleg is None:
            return build_unknown_overleg(overleg_word, calendar.list_overleggen(session=session)), False
    flt = OpenFilter(user_id=user_id if mine else None, overleg_id=overleg.id if overleg else None)
    page = open_page(session=session, flt=flt, offset=offset)
    label = ", ".join(
        part for part in ("mijn punten" if mine else "", overleg.name if overleg else "") if part
    )
    viewer = Viewer(user_id=user_id, is_admin=deps.settings.is_admin(user_id))
    reply = build_open_items(
        page, viewer=viewer, scope=scope, scope_label=label, today=now.astimezone(tz).date(), tz=tz
    )
    return reply, True


def open_reply(deps: Deps, *, user_id: str, scope: str, offset: int = 0) -> Reply:
    """One page of open items for `scope`: "" (all), "mijn", an overleg, or "mijn <overleg>"."""
    with deps.sessions.begin() as session:
        reply, _known = _open_page_reply(
            session, deps, user_id=user_id, scope=scope, offset=offset, now=deps.clock.now()
        )
    return reply


def open_verb(ctx: CommandContext) -> Reply:
    # The first page is kept until a write or local midnight (ages and "te laat" count in days):
    # bot/answer_cache.py. On the large database a fresh page costs ~15 ms of sorting and counting.
    deps = ctx.deps
    now = deps.clock.now()
    tz = deps.settings.tz
    midnight = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(0), tzinfo=tz)

    def compute(session: Session) -> Computed[Reply]:
        reply, known = _open_page_reply(session, deps, user_id=ctx.user_id, scope=ctx.text, offset=0, now=now)
        return Computed(reply, midnight, keep=known)

    key = ("open", ctx.user_id, ctx.text, deps.settings.is_admin(ctx.user_id), deps.settings.bot_timezone)
    return read_through(deps, key, now, compute)


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


def notify_owner(client: WebClient, deps: Deps, item_id: int, *, by: str) -> None:
    """DM the owner about a new action point; a failure is logged, the action point stays."""
    with deps.sessions.begin() as session:
        point = session.get(ActionPoint, item_id)
        if point is None:
            return
        item = action_item(point)
    if item.owner_id == by:
        return  # nobody needs a DM about what they just gave themselves
    reply = build_action_assigned_dm(item, by=by)
    try:
        client.chat_postMessage(channel=item.owner_id, **reply.as_message())
    except SlackApiError:
        logger.exception("could not DM the owner of action point %s", item.id)


def actie_verb(ctx: CommandContext) -> Reply | None:
    deps = ctx.deps
    if not deps.settings.is_admin(ctx.user_id):
        return simple(ADMIN_ONLY)
    now = deps.clock.now()
    if not ctx.text:
        with deps.sessions.begin() as session:
            view = build_action_modal(
                actions_service.meeting_choices(session=session, now=now), tz=deps.settings.tz
            )
        try:
            # In the acknowledgement on purpose: the trigger expires in 3 s, and when the form cannot
            # open the official is told what to type instead.
            ctx.client.views_open(trigger_id=ctx.trigger_id, view=view)
        except SlackApiError:
            logger.exception("could not open the action point form")
            return simple(
                "Het formulier ging niet open. Probeer het nog eens, of typ "
                "`/ivb actie @Piet Notitie rondsturen voor 15 maart`."
            )
        return None
    try:
        request = actions_service.parse_action_command(ctx.text, now=now, tz=deps.settings.tz)
        if not request.text:
            raise actions_service.ActionPointError(
                "Wat moet er gebeuren? Schrijf de actie achter de naam: "
                "`/ivb actie @Piet Notitie rondsturen voor 15 maart`."
            )
        refusal = owner_refusal(ctx.client, request.owner_id)
        if refusal is not None:
            return simple(refusal)
        with deps.sessions.begin() as session:
            point = actions_service.create_action_point(
                session=session,
                actor_id=ctx.user_id,
                is_admin=True,
                owner_id=request.owner_id,
                text=request.text,
                due_date=request.due_date,
                now=now,
                overleg_word=request.overleg_word,
            )
            item = action_item(point)
    except actions_service.ActionPointError as exc:
        return simple(str(exc))
    if item.owner_id != ctx.user_id:
        # After the acknowledgement, like every other Web API call a command makes.
        ctx.followups.append(followups.post(item.owner_id, build_action_assigned_dm(item, by=ctx.user_id)))
    return build_action_created(item)


def open_verbs() -> dict[str, VerbHandler]:
    return {"open": open_verb, "actie": actie_verb}


def register(app: App, deps: Deps) -> None:
    def more(ack: Ack) -> None:
        ack()

    def show_more(body: dict[str, Any], client: WebClient) -> None:
        user_id = str(body.get("user", {}).get("id", ""))
        action = (body.get("actions") or [{}])[0]
        offset, scope = parse_more_value(str(action.get("value", "")))
        reply = open_reply(deps, user_id=user_id, scope=scope, offset=offset)
        channel = str((body.get("channel") or {}).get("id", "")) or user_id
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, **reply.as_message())
        except SlackApiError:
            logger.exception("could not show the next page of open items")

    app.action(OPEN_MORE)(ack=more, lazy=[show_more])
