"""Deciding on proposals: the review post for the secretariaat and its buttons, and withdrawing.

Agenderen / Agenderen op… / Aanhouden / Afwijzen (with a reason, in a form) for the secretariaat;
Intrekken for the proposer. Every click is checked in the service; a refusal is a DM. After a
decision the proposer gets a DM and the review post shows it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks import ids
from bot.blocks.confidential import build_redacted_review
from bot.blocks.decisions import build_decided_note, build_decision_dm
from bot.blocks.kit import Reply, build_refused
from bot.blocks.proposal_forms import build_reject_modal
from bot.blocks.proposals import build_review
from bot.runtime.deps import Deps
from bot.runtime.followups import DirectMessage, OpenView, Respond, SendReview, UpdateReview, open_dm
from bot.runtime.posting import Poster
from bot.services import decisions, proposals
from bot.services import review as review_service
from bot.services.errors import NotAllowed, Refused
from handlers.payload import action_value, button_ids, form_values, shown_state, user_of

logger = logging.getLogger(__name__)

DECISIONS = {
    ids.SCHEDULE_PROPOSAL: "agenderen",
    ids.SCHEDULE_PROPOSAL_ON: "agenderen",
    ids.DEFER_PROPOSAL: "aanhouden",
    ids.REJECT_PROPOSAL: "afwijzen",
}


def decide(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """Agenderen, Agenderen op…, Aanhouden, Afwijzen (which asks for the reason in a form)."""
    ack()
    action_id = str((body.get("actions") or [{}])[0].get("action_id", ""))
    _decide(deps, body, DECISIONS.get(action_id, "afwijzen"), action_value(body))


def decide_from_list(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """The ⋯ menu on an open proposal in `/ivb open`: the same decisions; the answer goes below the list
    (an ephemeral message cannot be updated), the review post and the proposer hear as always."""
    ack()
    decision, _, value = action_value(body).partition(" ")
    if decision not in {"agenderen", "aanhouden", "afwijzen"}:
        decision, value = "", ""
    _decide(deps, body, decision, value, answer_url=str(body.get("response_url") or ""))


def _decide(
    deps: Deps,
    body: dict[str, Any],
    decision: str,
    value: str,
    *,
    answer_url: str = "",
) -> None:
    user_id = user_of(body)
    value, shown = shown_state(value)
    try:
        proposal_id, meeting_id, reason = button_ids(value)
        if decision == "afwijzen" and not reason:
            _ask_reason(deps, body, user_id, proposal_id, shown)
            return
        with deps.sessions.begin() as session:
            made = decisions.decide(
                session=session,
                proposal_id=proposal_id,
                actor_id=user_id,
                admin_ids=deps.settings.admin_user_ids,
                decision=decision,
                meeting_id=meeting_id,
                reason=reason,
                now=deps.clock.now(),
                shown_state=shown,
            )
            _announce(deps, session, made)
            if answer_url:
                note = build_decided_note(made, tz=deps.settings.tz)
                deps.followups.after_commit(session, Respond(answer_url, note, replace_original=False))
    except (NotAllowed, Refused) as exc:
        logger.info("decision refused: %s", decision or "unknown")
        deps.followups.now(DirectMessage(user_id, build_refused(exc)))


def _ask_reason(deps: Deps, body: dict[str, Any], user_id: str, proposal_id: int, shown: str) -> None:
    """Afwijzen without a reason: the form for it, only for the secretariaat."""
    if not deps.settings.is_admin(user_id):
        raise NotAllowed(
            "Alleen het secretariaat kan over agendavoorstellen beslissen. Er is niets veranderd."
        )
    with deps.reads() as session:
        view = build_reject_modal(
            proposals.get_proposal(session=session, proposal_id=proposal_id), shown=shown
        )
    deps.followups.now(OpenView(str(body.get("trigger_id", "")), view))


def _announce(deps: Deps, session: Session, decision: decisions.Decision) -> None:
    """The proposer hears about the decision; the review post (and the clicked message) shows it."""
    proposal = decision.proposal
    deps.followups.after_commit(
        session,
        DirectMessage(proposal.proposer_id, build_decision_dm(decision, tz=deps.settings.tz)),
        UpdateReview(proposal.id),
    )


def withdraw(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()
    user_id = user_of(body)
    try:
        proposal_id, _, _ = button_ids(action_value(body))
        with deps.sessions.begin() as session:
            decision = decisions.withdraw(
                session=session, proposal_id=proposal_id, user_id=user_id, now=deps.clock.now()
            )
            _announce(deps, session, decision)
    except (NotAllowed, Refused) as exc:
        deps.followups.now(DirectMessage(user_id, build_refused(exc)))


def submit_reason(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    """The reject form: the reason goes to the proposer; an empty or too long one shows on the form."""
    try:
        metadata, shown = shown_state(str(view.get("private_metadata") or "0"))
        proposal_id = int(metadata)
        with deps.sessions.begin() as session:
            decision = decisions.decide(
                session=session,
                proposal_id=proposal_id,
                actor_id=user_of(body),
                admin_ids=deps.settings.admin_user_ids,
                decision="afwijzen",
                reason=form_values(view).get(ids.REASON_BLOCK, ""),
                now=deps.clock.now(),
                shown_state=shown,
            )
            _announce(deps, session, decision)
    except (NotAllowed, Refused, ValueError) as exc:
        message = exc.message if isinstance(exc, NotAllowed | Refused) else "Dit formulier klopt niet."
        ack(response_action="errors", errors={ids.REASON_BLOCK: message})
        return
    ack()


# --- performers: what SendReview and UpdateReview do after the acknowledgement -----------------------


@dataclass(frozen=True)
class _Built:
    """The review post as it should look now, where its copies are, and whether it is confidential."""

    reply: Reply
    places: list[tuple[str, str]]
    confidential: bool


def _review(deps: Deps, proposal_id: int) -> _Built | None:
    with deps.reads() as session:
        review = review_service.read_review(
            session=session, proposal_id=proposal_id, now=deps.clock.now(), tz=deps.settings.tz
        )
        if review is None:
            return None
        proposal = review.proposal
        reply = build_review(
            proposal,
            meetings=review.meetings,
            default_id=review.default_id,
            tz=deps.settings.tz,
            history=review.history,
            decided_by=review.decided_by,
            decided_at=review.decided_at,
        )
        places = review_service.review_places(session=session, proposal_id=proposal_id)
        return _Built(reply, places, proposal.confidential)


def send_review(deps: Deps, poster: Poster, item: SendReview) -> None:
    """Post a new proposal to REVIEW_CHANNEL, or DM it to each admin; remember every copy for updates.

    A confidential proposal never goes to the channel: each admin gets it by DM.
    """
    _fetch_source_link(deps, poster.client, item.proposal_id)
    built = _review(deps, item.proposal_id)
    if built is None:
        return
    _post_review(deps, poster, item.proposal_id, built.reply, in_channel=not built.confidential)


def _post_review(deps: Deps, poster: Poster, proposal_id: int, reply: Reply, *, in_channel: bool) -> None:
    settings = deps.settings
    channel = settings.review_channel if in_channel else ""
    targets = [channel] if channel else list(settings.admin_user_ids)
    if not targets:
        logger.warning("proposal %s has no reviewer: set REVIEW_CHANNEL or ADMIN_USER_IDS", proposal_id)
        return
    for target in targets:
        posted = poster.post(target if channel else open_dm(poster.client, target), reply, part=target)
        with deps.sessions.begin() as session:
            review_service.remember_review_post(
                session=session, proposal_id=proposal_id, channel=posted.channel, ts=posted.ts
            )


def _fetch_source_link(deps: Deps, client: WebClient, proposal_id: int) -> None:
    """A proposal made from a message (the shortcut) links to it: the link comes from Slack, not the form."""
    with deps.reads() as session:
        source = review_service.missing_source_link(session=session, proposal_id=proposal_id)
    if source is None:
        return
    try:
        link = str(client.chat_getPermalink(channel=source[0], message_ts=source[1]).get("permalink") or "")
    except SlackApiError as exc:
        logger.warning("no permalink for a proposal's message: %s", exc.response.get("error"))
        return
    with deps.sessions.begin() as session:
        review_service.set_source_link(session=session, proposal_id=proposal_id, permalink=link)


def update_review(deps: Deps, poster: Poster, item: UpdateReview) -> None:
    """Every copy of the review post shows the proposal as it is now (the stored places only: a click's
    own channel and ts are the sender's word, not ours).

    When the proposal became confidential while its post is in REVIEW_CHANNEL, the channel's copy is
    replaced by a line without title or proposer, and the admins get the full post by DM (once).
    """
    built = _review(deps, item.proposal_id)
    if built is None:
        return
    review_channel = deps.settings.review_channel or ""
    for channel, ts in built.places:
        if built.confidential and channel == review_channel:
            redacted = build_redacted_review(item.proposal_id)
            poster.client.chat_update(channel=channel, ts=ts, **redacted.as_message())
        else:
            poster.client.chat_update(channel=channel, ts=ts, **built.reply.as_message())
    only_in_channel = bool(built.places) and all(channel == review_channel for channel, _ in built.places)
    if built.confidential and review_channel and only_in_channel:
        _post_review(deps, poster, item.proposal_id, built.reply, in_channel=False)


def register(app: App, deps: Deps) -> None:
    for action_id in DECISIONS:
        app.action(action_id)(partial(decide, deps))
    app.action(ids.DECIDE_FROM_LIST)(partial(decide_from_list, deps))
    app.action(ids.WITHDRAW_PROPOSAL)(partial(withdraw, deps))
    app.view(ids.REJECT_REASON_VIEW)(partial(submit_reason, deps))
