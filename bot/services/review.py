"""The review post's data: a proposal with the meetings it can be agendered on, and where its post is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from storage.models import AgendaProposal
from storage.queries import meetings as meeting_queries
from storage.queries import proposals as proposal_queries
from storage.queries.rows import MeetingRow


@dataclass(frozen=True)
class Review:
    """What the review post shows: the proposal, the meetings it can be agendered on, and the latest
    decision on it (who, when), if any."""

    proposal: AgendaProposal
    meetings: list[MeetingRow]
    decided_by: str = ""
    decided_at: datetime | None = None


def read_review(*, session: Session, proposal_id: int, now: datetime, limit: int = 5) -> Review | None:
    proposal = session.get(AgendaProposal, proposal_id)
    if proposal is None:
        return None
    coming = meeting_queries.coming_meetings(
        session=session, overleg_id=proposal.overleg_id, now=now, limit=limit
    )
    decided = proposal_queries.last_decision(session=session, proposal_id=proposal_id)
    return Review(
        proposal,
        [meeting for meeting, _ in coming],
        decided_by=decided.actor_id if decided else "",
        decided_at=decided.at if decided else None,
    )


def missing_source_link(*, session: Session, proposal_id: int) -> tuple[str, str] | None:
    """(channel, ts) of the message a proposal was made from, when its link is not known yet."""
    proposal = session.get(AgendaProposal, proposal_id)
    if proposal is None or proposal.source_permalink or not (proposal.source_channel and proposal.source_ts):
        return None
    return proposal.source_channel, proposal.source_ts


def set_source_link(*, session: Session, proposal_id: int, permalink: str) -> None:
    proposal = session.get(AgendaProposal, proposal_id)
    if proposal is not None:
        proposal.source_permalink = permalink[:500] or None
        session.flush()


def set_review_message(*, session: Session, proposal_id: int, channel: str, ts: str) -> None:
    proposal = session.get(AgendaProposal, proposal_id)
    if proposal is not None:
        proposal.review_channel = channel
        proposal.review_ts = ts
        session.flush()
