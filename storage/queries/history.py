"""Agenda items' history: the steps of a set of proposals, with the start of the meeting each refers to."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from storage.models import Meeting, ProposalStep

# Bind parameters per IN list: well under SQLite's and PostgreSQL's limits.
CHUNK = 500


def steps_of(*, session: Session, proposal_ids: Collection[int]) -> list[Row[Any]]:
    """(proposal_id, at, state, note, meeting start or None) for every step, oldest first per proposal."""
    wanted = sorted(set(proposal_ids))
    rows: list[Row[Any]] = []
    for start in range(0, len(wanted), CHUNK):
        stmt = (
            select(
                ProposalStep.proposal_id,
                ProposalStep.at,
                ProposalStep.state,
                ProposalStep.note,
                Meeting.starts_at,
            )
            .outerjoin(Meeting, Meeting.id == ProposalStep.meeting_id)
            .where(ProposalStep.proposal_id.in_(wanted[start : start + CHUNK]))
            .order_by(ProposalStep.proposal_id, ProposalStep.at, ProposalStep.id)
        )
        rows.extend(session.execute(stmt))
    return rows
