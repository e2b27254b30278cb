"""What the archive and the year report read besides the besluitenlijst: the year's rejected proposals
and the action points that belong to no meeting of the year."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from storage.models import ActionPoint, AgendaProposal, ProposalState


def rejected(*, session: Session, overleg_id: int, start: datetime, end: datetime) -> list[Row[Any]]:
    """Proposals for the overleg rejected in [start, end) (rejection is final: `updated_at` is its moment)."""
    stmt = (
        select(
            AgendaProposal.id,
            AgendaProposal.title,
            AgendaProposal.explanation,
            AgendaProposal.proposer_id,
            AgendaProposal.confidential,
            AgendaProposal.created_at,
            AgendaProposal.reason,
        )
        .where(
            AgendaProposal.overleg_id == overleg_id,
            AgendaProposal.state == ProposalState.AFGEWEZEN,
            AgendaProposal.updated_at >= start,
            AgendaProposal.updated_at < end,
        )
        .order_by(AgendaProposal.id)
    )
    return list(session.execute(stmt))


def other_actions(
    *, session: Session, overleg_id: int, start: datetime, end: datetime, meeting_ids: Collection[int]
) -> list[Row[Any]]:
    """The overleg's action points on none of `meeting_ids` that matter for [start, end): made before its
    end and not closed before its start."""
    confidential = select(AgendaProposal.confidential).where(AgendaProposal.id == ActionPoint.proposal_id)
    stmt = (
        select(
            ActionPoint.id,
            ActionPoint.text,
            ActionPoint.owner_id,
            ActionPoint.due_date,
            ActionPoint.status,
            ActionPoint.created_at,
            ActionPoint.completed_at,
            ActionPoint.proposal_id,
            confidential.scalar_subquery().label("confidential"),
        )
        .where(
            ActionPoint.overleg_id == overleg_id,
            ActionPoint.created_at < end,
            or_(ActionPoint.completed_at.is_(None), ActionPoint.completed_at >= start),
            or_(ActionPoint.meeting_id.is_(None), ActionPoint.meeting_id.not_in(list(meeting_ids) or [-1])),
        )
        .order_by(ActionPoint.id)
    )
    return list(session.execute(stmt))
