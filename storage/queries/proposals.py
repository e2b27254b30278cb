"""Agenda proposals: the agenda of a meeting, proposals made from one message, agenda positions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import AgendaProposal, AuditEvent, Meeting, ProposalState, ReviewPost


def for_update(*, session: Session, proposal_id: int) -> AgendaProposal | None:
    """The proposal, row-locked until the transaction ends (SQLite: the transaction holds the write lock)."""
    stmt = select(AgendaProposal).where(AgendaProposal.id == proposal_id).with_for_update(of=AgendaProposal)
    return session.scalar(stmt.execution_options(populate_existing=True))


def lock_meeting(*, session: Session, meeting_id: int) -> None:
    """Lock a meeting's row: agenda positions on it are handed out one transaction at a time."""
    session.execute(select(Meeting.id).where(Meeting.id == meeting_id).with_for_update())


def agenda(*, session: Session, meeting_id: int) -> list[AgendaProposal]:
    """The geagendeerde items of a meeting, in agenda order."""
    stmt = (
        select(AgendaProposal)
        .where(AgendaProposal.meeting_id == meeting_id, AgendaProposal.state == ProposalState.GEAGENDEERD)
        .order_by(AgendaProposal.position.nulls_last(), AgendaProposal.id)
    )
    return list(session.scalars(stmt))


def last_position(*, session: Session, meeting_id: int) -> int:
    """The highest agenda position used on a meeting (0 for an empty agenda)."""
    # Every state: a behandeld item keeps its place, and places are unique per meeting.
    stmt = select(func.max(AgendaProposal.position)).where(AgendaProposal.meeting_id == meeting_id)
    return int(session.scalar(stmt) or 0)


def from_source(*, session: Session, channel: str, ts: str) -> list[AgendaProposal]:
    """Live proposals made from one Slack message (message shortcut), oldest first."""
    stmt = (
        select(AgendaProposal)
        .where(
            AgendaProposal.source_channel == channel,
            AgendaProposal.source_ts == ts,
            AgendaProposal.state.not_in((ProposalState.INGETROKKEN, ProposalState.AFGEWEZEN)),
        )
        .order_by(AgendaProposal.id)
    )
    return list(session.scalars(stmt))


def review_places(*, session: Session, proposal_id: int) -> list[ReviewPost]:
    stmt = select(ReviewPost).where(ReviewPost.proposal_id == proposal_id).order_by(ReviewPost.id)
    return list(session.scalars(stmt))


def review_place(*, session: Session, proposal_id: int, channel: str) -> ReviewPost | None:
    stmt = select(ReviewPost).where(ReviewPost.proposal_id == proposal_id, ReviewPost.channel == channel)
    return session.scalar(stmt)


def recent_of_proposer(
    *, session: Session, proposer_id: str, overleg_id: int, since: datetime, limit: int = 50
) -> list[AgendaProposal]:
    """One person's proposals for one overleg made since `since` (not withdrawn or rejected), newest first."""
    stmt = (
        select(AgendaProposal)
        .where(
            AgendaProposal.proposer_id == proposer_id,
            AgendaProposal.overleg_id == overleg_id,
            AgendaProposal.created_at >= since,
            AgendaProposal.state.not_in((ProposalState.INGETROKKEN, ProposalState.AFGEWEZEN)),
        )
        .order_by(AgendaProposal.created_at.desc(), AgendaProposal.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


# The audit actions that are a decision on a proposal (by the secretariaat, or withdrawing by the proposer).
DECISION_ACTIONS = ("agenderen", "aanhouden", "afwijzen", "ingetrokken")


def last_decision(*, session: Session, proposal_id: int) -> AuditEvent | None:
    """The latest decision on a proposal: who, when, what."""
    stmt = (
        select(AuditEvent)
        .where(
            AuditEvent.entity == "proposal",
            AuditEvent.entity_id == proposal_id,
            AuditEvent.action.in_(DECISION_ACTIONS),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)
