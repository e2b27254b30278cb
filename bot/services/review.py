"""The review post's data: a proposal with the meetings it can be agendered on, and where its post is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.records.model import HistoryStep
from bot.services.history import trail_of
from bot.services.meetings import read_target
from storage.models import AgendaProposal, ReviewPost
from storage.queries import meetings as meeting_queries
from storage.queries import proposals as queries
from storage.queries.rows import MeetingRow


@dataclass(frozen=True)
class Review:
    """What the review post shows: the proposal, the meetings it can be agendered on, and the latest
    decision on it (who, when), if any."""

    proposal: AgendaProposal
    meetings: list[MeetingRow]  # coming meetings that take proposals
    default_id: int | None  # the "Agenderen" button's meeting: the proposal's own, else the target rule's
    history: tuple[HistoryStep, ...] = ()
    decided_by: str = ""
    decided_at: datetime | None = None


def read_review(
    *, session: Session, proposal_id: int, now: datetime, tz: ZoneInfo, limit: int = 5
) -> Review | None:
    proposal = session.get(AgendaProposal, proposal_id)
    if proposal is None:
        return None
    coming = meeting_queries.coming_meetings(
        session=session, overleg_id=proposal.overleg_id, now=now, limit=limit, proposals_only=True
    )
    meetings = [meeting for meeting, _ in coming]
    history = trail_of(session=session, proposal_id=proposal.id)
    decided = queries.last_decision(session=session, proposal_id=proposal_id)
    by, at = (decided.actor_id, decided.at) if decided else ("", None)
    if any(m.id == proposal.meeting_id for m in meetings):
        return Review(proposal, meetings, proposal.meeting_id, history, by, at)
    target = read_target(session=session, overleg_id=proposal.overleg_id, now=now, tz=tz).meeting
    if target is None:
        return Review(proposal, meetings, None, history, by, at)
    if all(m.id != target.id for m in meetings):
        meetings = [target, *meetings]
    return Review(proposal, meetings, target.id, history, by, at)


def missing_source_link(*, session: Session, proposal_id: int) -> tuple[str, str] | None:
    """(channel, ts) of the message a proposal was made from, when its link is not known yet."""
    proposal = session.get(AgendaProposal, proposal_id)
    if proposal is None or proposal.source_permalink or not (proposal.source_channel and proposal.source_ts):
        return None
    return proposal.source_channel, proposal.source_ts


# A message's permalink as Slack gives it; anything else is not shown as a link.
PERMALINK = re.compile(
    r"https://[a-z0-9-]+(?:\.enterprise)?\.slack\.com/archives/[A-Z0-9]+/p\d+(?:\?[\w=&.-]*)?"
)


def set_source_link(*, session: Session, proposal_id: int, permalink: str) -> None:
    """Keep the link to the message a proposal was made from, if it is a Slack message permalink."""
    proposal = session.get(AgendaProposal, proposal_id)
    if proposal is not None and PERMALINK.fullmatch(permalink[:500]):
        proposal.source_permalink = permalink[:500]
        session.flush()


def remember_review_post(*, session: Session, proposal_id: int, channel: str, ts: str) -> None:
    """Where a review post went, so every copy can show the decision later."""
    if queries.review_place(session=session, proposal_id=proposal_id, channel=channel) is None:
        session.add(ReviewPost(proposal_id=proposal_id, channel=channel, ts=ts))
        session.flush()


def review_places(*, session: Session, proposal_id: int) -> list[tuple[str, str]]:
    """(channel, ts) of every review post of a proposal."""
    return [(p.channel, p.ts) for p in queries.review_places(session=session, proposal_id=proposal_id)]
