"""What the digest counts and lists: new proposals since the last digest, per overleg.

The digest goes to a channel: confidential items, rejected and withdrawn proposals are never in it (not
listed, not counted), and neither are action points (their owners hear by DM).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import Session

from storage.models import AgendaProposal, Overleg, ProposalState


def _new(since: datetime, until: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        AgendaProposal.created_at >= since,
        AgendaProposal.created_at < until,
        AgendaProposal.state.not_in((ProposalState.INGETROKKEN, ProposalState.AFGEWEZEN)),
        AgendaProposal.confidential.is_(false()),
    )


@dataclass(frozen=True)
class OverlegCount:
    overleg_id: int
    label: str  # the short name where there is one
    count: int


def new_proposal_counts(*, session: Session, since: datetime, until: datetime) -> list[OverlegCount]:
    """Per overleg, how many proposals made in [since, until) are still on their way or on the agenda;
    in the overleggen's own order. One GROUP BY, however many proposals there are."""
    stmt = (
        select(Overleg.id, Overleg.short_name, Overleg.name, func.count(AgendaProposal.id))
        .join(AgendaProposal, AgendaProposal.overleg_id == Overleg.id)
        .where(*_new(since, until))
        .group_by(Overleg.id, Overleg.short_name, Overleg.name, Overleg.sort_order)
        .order_by(Overleg.sort_order, Overleg.id)
    )
    return [OverlegCount(row[0], row[1] or row[2], int(row[3])) for row in session.execute(stmt)]


def new_agendered(*, session: Session, since: datetime, until: datetime, limit: int) -> list[tuple[int, str]]:
    """(overleg id, title) of the proposals made in [since, until) that are geagendeerd, oldest first."""
    stmt = (
        select(AgendaProposal.overleg_id, AgendaProposal.title)
        .where(*_new(since, until), AgendaProposal.state == ProposalState.GEAGENDEERD)
        .order_by(AgendaProposal.created_at, AgendaProposal.id)
        .limit(limit)
    )
    return [(int(row[0]), str(row[1])) for row in session.execute(stmt)]
