"""Confidential agenda items (`vertrouwelijk`): who may mark them, and who may see them.

A confidential item is shown only to its proposer and the secretariaat, and only where nobody else
reads along: DMs and answers only the asker sees. It never appears in a channel post (the review
channel, reminders), the digest, the calendar feed or a public archive export; the action points
that stem from it are hidden with it (their owner still sees their own).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.errors import NotAllowed
from bot.services.proposals import get_proposal, record_confidential_flag, ref
from storage.models import AgendaProposal


def may_see(proposal_confidential: bool, proposer_id: str, *, viewer_id: str, is_admin: bool) -> bool:
    return not proposal_confidential or is_admin or proposer_id == viewer_id


def set_confidential(
    *, session: Session, proposal_id: int, actor_id: str, is_admin: bool, confidential: bool, now: datetime
) -> AgendaProposal:
    """Mark or unmark an item (the secretariaat, or its proposer); audited. Unchanged is no error."""
    proposal = get_proposal(session=session, proposal_id=proposal_id)
    if not (is_admin or proposal.proposer_id == actor_id):
        raise NotAllowed(
            f"Alleen wie voorstel {ref(proposal.id)} indiende of het secretariaat kan dat veranderen. "
            "Er is niets veranderd."
        )
    if proposal.confidential != confidential:
        old = proposal.confidential
        proposal.confidential = confidential
        proposal.updated_at = now
        record_confidential_flag(session, proposal, actor_id=actor_id, now=now, old=old)
        session.flush()
    return proposal
