"""Buttons and forms around proposals: review decisions, withdraw / edit, the dialogue's Indienen / Annuleren.

Permissions are checked here on the server (and again in the services), never by hiding buttons.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot import calendar, conversation, proposals
from bot.blocks_proposals import (
    AANHOUDEN,
    AFWIJZEN,
    AGENDEREN,
    AGENDEREN_OP,
    BEWERKEN,
    GESPREK_ANNULEREN,
    GESPREK_INDIENEN,
    INTREKKEN,
    OPEN_FORM,
    VIEW_EDIT,
    VIEW_NEW,
    VIEW_REJECT,
    build_created,
    build_decision_dm,
    build_dialogue_closed,
    build_edit_modal,
    build_outcome,
    build_proposal_modal,
    build_refusal,
    build_reject_modal,
    build_saved,
)
from bot.deps import Deps
from bot.proposals import Decision, NotAllowed, ValidationError
from handlers import followups

logger = logging.getLogger(__name__)

MODAL_MEETINGS = 40


def action_value(body: dict[str, Any]) -> str:
    action = (body.get("actions") or [{}])[0]
    selected = action.get("selected_option") or {}
    return str(action.get("value") or selected.get("value") or "")


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id", ""))


def _clicked(body: dict[str, Any]) -> tuple[str, str]:
    container = body.get("container") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    ts = str(container.get("message_ts") or "")
    return channel, "" if ts == "0" else ts  # the offline shell's clicks come from no real message


def _ids(value: str) -> tuple[int, int | None, str]:
    """`12`, `12:34` (proposal:meeting) or `12 reden…` -> (proposal, meeting, rest)."""
    head, _, rest = value.strip().partition(" ")
    proposal_part, _, meeting_part = head.partition(":")
    try:
        return int(proposal_part), int(meeting_part) if meeting_part else None, rest.strip()
    except ValueError:
        raise ValidationError("Deze knop klopt niet (meer). Vraag het overzicht opnieuw op.") from None


def new_proposal_view(deps: Deps, **kwargs: Any) -> dict[str, Any]:
    with deps.sessions.begin() as session:
        overleggen = calendar.list_overleggen(session=session)
        meetings = calendar.upcoming_meetings(
            session=session, now=deps.clock.now(), limit=MODAL_MEETINGS, include_cancelled=False
        )
        return build_proposal_modal(overleggen=overleggen, meetings=meetings, tz=deps.settings.tz, **kwargs)


def _decided(context: BoltContext, deps: Deps, decision: Decision, body: dict[str, Any]) -> None:
    channel, ts = _clicked(body)
    proposal = decision.proposal
    followups.add(
        context,
        followups.dm(proposal.proposer_id, build_decision_dm(decision, tz=deps.settings.tz)),
        followups.review_update(proposal.id, channel=channel, ts=ts),
    )


def register(app: App, deps: Deps) -> None:  # noqa: PLR0915 - one small closure per button
    lazy = followups.runner(deps)
    tz = deps.settings.tz

    def refuse(context: BoltContext, user_id: str, message: str) -> None:
        followups.add(context, followups.dm(user_id, build_refusal(message)))

    def decide(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        user_id = _user(body)
        action_id = str((body.get("actions") or [{}])[0].get("action_id", ""))
        try:
            proposal_id, meeting_id, reason = _ids(action_value(body))
            if action_id == AFWIJZEN and not reason:
                # Ask for the reason in a form; only the secretariaat gets the form.
                if not deps.settings.is_admin(user_id):
                    raise NotAllowed(
                        "Alleen het secretariaat kan over agendavoorstellen beslissen. Er is niets veranderd."
                    )
                with deps.sessions.begin() as session:
                    view = build_reject_modal(
                        proposals.get_proposal(session=session, proposal_id=proposal_id)
                    )
                followups.add(context, followups.open_view(str(body.get("trigger_id", "")), view))
                return
            decision_word = {AGENDEREN: "agenderen", AGENDEREN_OP: "agenderen", AANHOUDEN: "aanhouden"}.get(
                action_id, "afwijzen"
            )
            with deps.sessions.begin() as session:
                decision = proposals.decide(
                    session=session,
                    proposal_id=proposal_id,
                    actor_id=user_id,
                    admin_ids=deps.settings.admin_user_ids,
                    decision=decision_word,
                    meeting_id=meeting_id,
                    reason=reason,
                    now=deps.clock.now(),
                )
        except (NotAllowed, ValidationError) as exc:
            logger.info("decision refused for %s on %s", user_id, action_id)
            refuse(context, user_id, exc.message)
            return
        _decided(context, deps, decision, body)

    def withdraw(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        user_id = _user(body)
        try:
            proposal_id, _, _ = _ids(action_value(body))
            with deps.sessions.begin() as session:
                decision = proposals.withdraw(
                    session=session, proposal_id=proposal_id, user_id=user_id, now=deps.clock.now()
                )
        except (NotAllowed, ValidationError) as exc:
            refuse(context, user_id, exc.message)
            return
        _decided(context, deps, decision, body)

    def open_edit(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        user_id = _user(body)
        try:
            proposal_id, _, _ = _ids(action_value(body))
            with deps.sessions.begin() as session:
                proposal = proposals.editable(session=session, proposal_id=proposal_id, user_id=user_id)
                view = build_edit_modal(proposal)
        except (NotAllowed, ValidationError) as exc:
            refuse(context, user_id, exc.message)
            return
        followups.add(context, followups.open_view(str(body.get("trigger_id", "")), view))

    def dialogue(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        user_id = _user(body)
        action_id = str((body.get("actions") or [{}])[0].get("action_id", ""))
        channel, summary_ts = _clicked(body)
        thread_ts = str((body.get("message") or {}).get("thread_ts") or "")
        try:
            conversation_id, _, _ = _ids(action_value(body))
        except ValidationError as exc:
            refuse(context, user_id, exc.message)
            return
        now = deps.clock.now()
        with deps.sessions.begin() as session:
            if action_id == GESPREK_INDIENEN:
                outcome = conversation.submit(
                    session=session, conversation_id=conversation_id, user_id=user_id, now=now, tz=tz
                )
            else:
                outcome = conversation.cancel(
                    session=session, conversation_id=conversation_id, user_id=user_id, now=now
                )
            reply = build_outcome(outcome, tz=tz)
        closed = build_dialogue_closed(outcome)
        if closed is not None and channel and summary_ts:
            # The summary loses its buttons, so it cannot be pressed twice by accident.
            followups.add(context, followups.update(channel, summary_ts, closed))
        if reply is not None:
            followups.add(context, followups.post(channel, reply, thread_ts=thread_ts))
        if outcome.created is not None:
            followups.add(context, followups.review(outcome.created.proposal.id))

    def open_form(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        followups.add(context, followups.open_view(str(body.get("trigger_id", "")), new_proposal_view(deps)))

    app.action(AGENDEREN)(ack=decide, lazy=[lazy])
    app.action(AGENDEREN_OP)(ack=decide, lazy=[lazy])
    app.action(AANHOUDEN)(ack=decide, lazy=[lazy])
    app.action(AFWIJZEN)(ack=decide, lazy=[lazy])
    app.action(INTREKKEN)(ack=withdraw, lazy=[lazy])
    app.action(BEWERKEN)(ack=open_edit, lazy=[lazy])
    app.action(GESPREK_INDIENEN)(ack=dialogue, lazy=[lazy])
    app.action(GESPREK_ANNULEREN)(ack=dialogue, lazy=[lazy])
    app.action(OPEN_FORM)(ack=open_form, lazy=[lazy])
    register_views(app, deps, lazy)


def _values(view: dict[str, Any]) -> dict[str, str]:
    """Every input of a submitted view as block_id -> text (or selected option value)."""
    out: dict[str, str] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for element in actions.values():
            selected = element.get("selected_option") or {}
            out[block_id] = str(element.get("value") or selected.get("value") or "")
    return out


def register_views(app: App, deps: Deps, lazy: Any) -> None:  # noqa: PLR0915 - one closure per form
    tz = deps.settings.tz

    def submit_new(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        user_id = _user(body)
        values = _values(view)
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        source_channel = str(meta.get("channel") or "") or None
        source_ts = str(meta.get("ts") or "") or None
        meeting_text = values.get("vergadering", "")
        try:
            with deps.sessions.begin() as session:
                if source_channel and source_ts and not meta.get("duplicate_ok"):
                    earlier = proposals.proposals_from_source(
                        session=session, channel=source_channel, ts=source_ts
                    )
                    if earlier:
                        # Someone made one from this message meanwhile: ask before making a second.
                        ack(
                            response_action="update",
                            view=build_proposal_modal(
                                overleggen=calendar.list_overleggen(session=session),
                                meetings=calendar.upcoming_meetings(
                                    session=session,
                                    now=deps.clock.now(),
                                    limit=MODAL_MEETINGS,
                                    include_cancelled=False,
                                ),
                                tz=tz,
                                title=values.get("titel", ""),
                                explanation=values.get("toelichting", ""),
                                overleg_key=values.get("overleg", "ivb"),
                                metadata=meta,
                                duplicate_of=[p.id for p in earlier],
                            ),
                        )
                        return
                created = proposals.create_proposal(
                    session=session,
                    proposer_id=user_id,
                    title=values.get("titel", ""),
                    explanation=values.get("toelichting", ""),
                    overleg=values.get("overleg") or None,
                    meeting_id=int(meeting_text) if meeting_text.isdigit() else None,
                    now=deps.clock.now(),
                    tz=tz,
                    source_channel=source_channel,
                    source_ts=source_ts,
                    source_permalink=str(meta.get("permalink") or "") or None,
                )
                reply = build_created(created, tz=tz)
        except ValidationError as exc:
            field = exc.field if exc.field in values or exc.field in {"titel", "overleg"} else "titel"
            ack(response_action="errors", errors={field: exc.message})
            return
        ack()
        followups.add(context, followups.dm(user_id, reply), followups.review(created.proposal.id))

    def submit_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        user_id = _user(body)
        values = _values(view)
        try:
            proposal_id = int(view.get("private_metadata") or "0")
            with deps.sessions.begin() as session:
                proposal = proposals.edit(
                    session=session,
                    proposal_id=proposal_id,
                    user_id=user_id,
                    title=values.get("titel", ""),
                    explanation=values.get("toelichting", ""),
                    now=deps.clock.now(),
                )
                reply = build_saved(proposal)
        except ValidationError as exc:
            ack(response_action="errors", errors={exc.field if exc.field in values else "titel": exc.message})
            return
        except (NotAllowed, ValueError) as exc:
            message = exc.message if isinstance(exc, NotAllowed) else "Dit formulier klopt niet meer."
            ack(response_action="errors", errors={"titel": message})
            return
        ack()
        followups.add(context, followups.dm(user_id, reply), followups.review_update(proposal_id))

    def submit_reject(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        user_id = _user(body)
        values = _values(view)
        try:
            proposal_id = int(view.get("private_metadata") or "0")
            with deps.sessions.begin() as session:
                decision = proposals.decide(
                    session=session,
                    proposal_id=proposal_id,
                    actor_id=user_id,
                    admin_ids=deps.settings.admin_user_ids,
                    decision="afwijzen",
                    reason=values.get("reden", ""),
                    now=deps.clock.now(),
                )
        except (NotAllowed, ValidationError, ValueError) as exc:
            message = (
                exc.message if isinstance(exc, NotAllowed | ValidationError) else "Dit formulier klopt niet."
            )
            ack(response_action="errors", errors={"reden": message})
            return
        ack()
        followups.add(
            context,
            followups.dm(decision.proposal.proposer_id, build_decision_dm(decision, tz=tz)),
            followups.review_update(decision.proposal.id),
        )

    app.view(VIEW_NEW)(ack=submit_new, lazy=[lazy])
    app.view(VIEW_EDIT)(ack=submit_edit, lazy=[lazy])
    app.view(VIEW_REJECT)(ack=submit_reject, lazy=[lazy])
