"""Marking an agenda item `vertrouwelijk` from its review post (the secretariaat's button).

The review post then moves out of REVIEW_CHANNEL: the channel's copy shows only that an item became
confidential, and each admin gets the full post by DM (see `review.update_review`). The proposer hears
about it by DM. The proposer marks their own item in the forms (`proposals`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import ids
from bot.blocks.confidential import build_confidential_dm
from bot.blocks.kit import build_refused
from bot.runtime.deps import Deps
from bot.runtime.followups import DirectMessage, UpdateReview
from bot.services.confidential import set_confidential
from bot.services.errors import NotAllowed, Refused
from handlers.payload import action_value, button_ids, user_of

YES = "ja"


def toggle(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """ "Vertrouwelijk" / "Niet vertrouwelijk" (value `<id> ja` or `<id> nee`); checked on the server."""
    ack()
    user_id = user_of(body)
    try:
        proposal_id, _, wanted = button_ids(action_value(body))
        with deps.sessions.begin() as session:
            proposal = set_confidential(
                session=session,
                proposal_id=proposal_id,
                actor_id=user_id,
                is_admin=deps.settings.is_admin(user_id),
                confidential=wanted == YES,
                now=deps.clock.now(),
            )
            later = [UpdateReview(proposal.id)]
            if proposal.proposer_id != user_id:
                dm = DirectMessage(proposal.proposer_id, build_confidential_dm(proposal))
                deps.followups.after_commit(session, dm)
            deps.followups.after_commit(session, *later)
    except (NotAllowed, Refused) as exc:
        deps.followups.now(DirectMessage(user_id, build_refused(exc)))


def register(app: App, deps: Deps) -> None:
    app.action(ids.TOGGLE_CONFIDENTIAL)(partial(toggle, deps))
