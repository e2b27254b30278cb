"""Each agenda item's history: one step per state change, with the meeting it refers to.

`decisions.transition` (every state change) and `proposals.create_proposal` write a step next to
the audit event; the trail ("aangehouden 22 mrt → geagendeerd 28 jun → behandeld 28 jun: …") is
read from the steps for `/ivb open`, the review post, `/ivb besluiten` and the archive.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from bot.records.model import HistoryStep
from storage.models import ProposalStep
from storage.queries import history as queries

SUBMITTED = "ingediend"
NOTE_LIMIT = 1000


def record_step(
    *,
    session: Session,
    proposal_id: int,
    state: str,
    at: datetime,
    actor_id: str,
    meeting_id: int | None,
    note: str = "",
) -> None:
    """Add one step to the caller's transaction."""
    session.add(
        ProposalStep(
            proposal_id=proposal_id,
            at=at,
            state=state,
            meeting_id=meeting_id,
            actor_id=actor_id[:40],
            note=note[:NOTE_LIMIT],
        )
    )


def trails(*, session: Session, proposal_ids: Collection[int]) -> dict[int, tuple[HistoryStep, ...]]:
    """Per proposal the steps after it was submitted (what the trail shows), oldest first."""
    found: dict[int, list[HistoryStep]] = {}
    for row in queries.steps_of(session=session, proposal_ids=proposal_ids):
        if row.state != SUBMITTED:
            step = HistoryStep(row.state, at=row.at, meeting_starts_at=row.starts_at, note=row.note or "")
            found.setdefault(row.proposal_id, []).append(step)
    return {proposal_id: tuple(steps) for proposal_id, steps in found.items()}


def trail_of(*, session: Session, proposal_id: int) -> tuple[HistoryStep, ...]:
    return trails(session=session, proposal_ids=[proposal_id]).get(proposal_id, ())
