"""Agenda proposals: `/ivb voorstel` and `/ivb agenda`, the form, the message shortcut, the review buttons.

Permissions are checked on the server (in the services), never by hiding buttons.
"""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.request import BoltRequest

from bot.blocks import ids
from bot.blocks.dialogue import build_duplicate_question
from bot.blocks.kit import ALREADY_DONE, Reply, build_refused, simple
from bot.blocks.proposal_forms import CONFIDENTIAL_VALUE, build_edit_modal, build_proposal_modal
from bot.blocks.proposals import build_agenda, build_created, build_saved
from bot.runtime.deps import Deps
from bot.runtime.followups import DirectMessage, OpenView, SendReview, UpdateReview
from bot.services import filing, proposals
from bot.services.deliveries import first_delivery
from bot.services.errors import NotAllowed, Refused
from bot.services.filing import Place
from bot.services.meetings import read_planned
from bot.services.overleggen import overleg_names, read_overleggen
from bot.text.proposal_text import split_proposal_text, strip_confidential
from bot.text.slack import escape_sentence, plain_text_from_slack
from handlers.command import Command
from handlers.payload import action_value, button_ids, delivery_id, form_values, user_of

logger = logging.getLogger(__name__)

FORM_MEETINGS = 40
# Where a `/ivb voorstel` waiting for "Toch nog een keer?" is kept: apart from a dialogue in the same DM.
COMMAND_PLACE = "/ivb voorstel"
REVIEW_MEETINGS = 5


# --- /ivb voorstel, /ivb agenda -----------------------------------------------------------------


def propose(deps: Deps, command: Command) -> Reply | None:
    """`/ivb voorstel [overleg[:]] TITEL` proposes at once (in an overleg's own channel for that one);
    without text the form opens. The same title twice within a day is asked about first."""
    if not command.text:
        deps.followups.now(OpenView(command.trigger_id, proposal_form(deps)))
        return None
    now, tz = deps.clock.now(), deps.settings.tz
    # /ivb has should_escape: Slack sends entities and <@U…|naam>; stored is what was typed.
    typed, confidential = strip_confidential(plain_text_from_slack(command.text))
    with deps.sessions.begin() as session:
        if not first_delivery(session=session, event_id=command.delivery, now=now):
            return simple(ALREADY_DONE)
        names = overleg_names(read_overleggen(session=session))
        overleg, title = split_proposal_text(typed, overleg_names=names)
        outcome = filing.propose_at(
            session=session,
            place=Place(command.user_id, command.channel_id, COMMAND_PLACE),
            title=title,
            overleg=overleg or command.channel_overleg or None,
            now=now,
            tz=tz,
            confidential=confidential,
        )
        if outcome.created is not None:
            deps.followups.after_commit(session, SendReview(outcome.created.proposal.id))
            return build_created(outcome.created, tz=tz)
    if outcome.kind == "duplicate":
        return build_duplicate_question(outcome, tz=tz, today=now.astimezone(tz).date())
    return simple(f":warning: {escape_sentence(outcome.error)}")


def agenda(deps: Deps, command: Command) -> Reply:
    """`/ivb agenda [overleg]`: the next meeting's agenda, without others' confidential items."""
    with deps.reads() as session:
        found = proposals.read_agenda(
            session=session,
            overleg=command.text,
            now=deps.clock.now(),
            viewer_id=command.user_id,
            is_admin=deps.settings.is_admin(command.user_id),
        )
        return build_agenda(found, tz=deps.settings.tz)


def proposal_form(deps: Deps, **kwargs: Any) -> dict[str, Any]:
    """The new-proposal form; `kwargs` pre-fill it (the message shortcut, a reminder's overleg)."""
    with deps.reads() as session:
        overleggen = read_overleggen(session=session)
        if kwargs.get("overleg_key") not in {o.key for o in overleggen}:
            kwargs.pop("overleg_key", None)  # "home", or an overleg that is gone: the form's default
        return build_proposal_modal(
            overleggen=overleggen,
            meetings=read_planned(session=session, now=deps.clock.now(), limit=FORM_MEETINGS),
            tz=deps.settings.tz,
            **kwargs,
        )


# --- buttons ------------------------------------------------------------------------------------------


def open_edit_form(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()
    user_id = user_of(body)
    try:
        proposal_id, _, _ = button_ids(action_value(body))
        with deps.reads() as session:
            view = build_edit_modal(
                proposals.editable(session=session, proposal_id=proposal_id, user_id=user_id)
            )
    except (NotAllowed, Refused) as exc:
        deps.followups.now(DirectMessage(user_id, build_refused(exc)))
        return
    deps.followups.now(OpenView(str(body.get("trigger_id", "")), view))


def open_form(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """The "Agendapunt voorstellen" button (Home tab, `/ivb volgende`, a deadline reminder in a channel):
    the form, with the overleg the button names chosen (its value is the overleg's key)."""
    ack()
    key = action_value(body)
    with deps.reads() as session:
        known = {o.key for o in read_overleggen(session=session)}
    chosen = {"overleg_key": key} if key in known else {}
    deps.followups.now(OpenView(str(body.get("trigger_id", "")), proposal_form(deps, **chosen)))


def propose_message(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """Message shortcut `agendeer_bericht`: the form, filled with the message, asking first if it was
    proposed before. The link to the message is fetched for the review post, not here."""
    ack()
    message = body.get("message") or {}
    channel = str((body.get("channel") or {}).get("id") or "")
    ts = str(message.get("ts") or body.get("message_ts") or "")
    text = plain_text_from_slack(str(message.get("text") or "").replace("\x00", "")).strip()
    with deps.reads() as session:
        earlier = proposals.earlier_from_message(session=session, channel=channel, ts=ts)
    view = proposal_form(
        deps,
        title=text.split("\n", 1)[0].strip()[: proposals.TITLE_LIMIT],
        explanation=text[: proposals.EXPLANATION_LIMIT],
        metadata={"channel": channel, "ts": ts},
        duplicate_of=[p.id for p in earlier] or None,
    )
    deps.followups.now(OpenView(str(body.get("trigger_id", "")), view))


# --- forms ---------------------------------------------------------------------------------------


def submit_new(
    deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any], request: BoltRequest
) -> None:
    """The new-proposal form: stored, confirmed by DM, posted for review; errors show on their field."""
    user_id = user_of(body)
    values = form_values(view)
    meta = _metadata(view)
    source = (str(meta.get("channel") or ""), str(meta.get("ts") or ""))
    tz = deps.settings.tz
    try:
        with deps.sessions.begin() as session:
            if not first_delivery(session=session, event_id=delivery_id(request), now=deps.clock.now()):
                ack()  # the same submission again (a replay): it was handled the first time
                return
            if all(source) and not meta.get("duplicate_ok"):
                earlier = proposals.earlier_from_message(session=session, channel=source[0], ts=source[1])
                if earlier:  # someone made one from this message meanwhile: ask before making a second
                    ack(response_action="update", view=_again(deps, values, meta, [p.id for p in earlier]))
                    return
            meeting = values.get(ids.MEETING_BLOCK, "")
            created = proposals.create_proposal(
                session=session,
                proposer_id=user_id,
                title=values.get(ids.TITLE_BLOCK, ""),
                explanation=values.get(ids.EXPLANATION_BLOCK, ""),
                overleg=values.get(ids.OVERLEG_BLOCK) or None,
                meeting_id=int(meeting) if meeting.isdigit() else None,
                now=deps.clock.now(),
                tz=tz,
                source_channel=source[0] or None,
                source_ts=source[1] or None,
                confidential=_ticked(values),
            )
            deps.followups.after_commit(
                session,
                DirectMessage(user_id, build_created(created, tz=tz)),
                SendReview(created.proposal.id),
            )
    except Refused as exc:
        ack(response_action="errors", errors={_field(exc.field, values): exc.message})
        return
    ack()


def _ticked(values: dict[str, str]) -> bool:
    """The form's Vertrouwelijk checkbox."""
    return CONFIDENTIAL_VALUE in values.get(ids.CONFIDENTIAL_BLOCK, "").split(",")


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _field(field: str, values: dict[str, str]) -> str:
    """The form block an error belongs to (the title when the form has no such field)."""
    return field if field in values or field in {ids.TITLE_BLOCK, ids.OVERLEG_BLOCK} else ids.TITLE_BLOCK


def _again(deps: Deps, values: dict[str, str], meta: dict[str, Any], earlier: list[int]) -> dict[str, Any]:
    return proposal_form(
        deps,
        title=values.get(ids.TITLE_BLOCK, ""),
        explanation=values.get(ids.EXPLANATION_BLOCK, ""),
        overleg_key=values.get(ids.OVERLEG_BLOCK, "ivb"),
        metadata=meta,
        duplicate_of=earlier,
        confidential=_ticked(values),
    )


def submit_edit(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    """The proposer's edit form: title and explanation, while the proposal is still ingediend."""
    user_id = user_of(body)
    values = form_values(view)
    try:
        proposal_id = int(view.get("private_metadata") or "0")
        with deps.sessions.begin() as session:
            proposal = proposals.edit(
                session=session,
                proposal_id=proposal_id,
                user_id=user_id,
                title=values.get(ids.TITLE_BLOCK, ""),
                explanation=values.get(ids.EXPLANATION_BLOCK, ""),
                now=deps.clock.now(),
                confidential=_ticked(values) if ids.CONFIDENTIAL_BLOCK in values else None,
            )
            deps.followups.after_commit(
                session, DirectMessage(user_id, build_saved(proposal)), UpdateReview(proposal_id)
            )
    except Refused as exc:
        ack(response_action="errors", errors={_field(exc.field, values): exc.message})
        return
    except (NotAllowed, ValueError) as exc:
        message = exc.message if isinstance(exc, NotAllowed) else "Dit formulier klopt niet meer."
        ack(response_action="errors", errors={ids.TITLE_BLOCK: message})
        return
    ack()


def register(app: App, deps: Deps) -> None:
    app.action(ids.OPEN_PROPOSAL_FORM)(partial(open_form, deps))
    app.action(ids.EDIT_PROPOSAL)(partial(open_edit_form, deps))
    app.view(ids.NEW_PROPOSAL_VIEW)(partial(submit_new, deps))
    app.view(ids.EDIT_PROPOSAL_VIEW)(partial(submit_edit, deps))
    app.shortcut(ids.PROPOSE_MESSAGE_SHORTCUT)(partial(propose_message, deps))
