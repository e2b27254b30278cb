"""Builders for open-item test data (proposals and action points); they flush, the caller commits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from storage.models import ActionPoint, ActionStatus, AgendaProposal, Meeting, ProposalState
from storage.queries.meetings import overleg_for_update as get_overleg


def add_proposal(
    session: Session,
    key: str,
    title: str,
    proposer: str,
    *,
    created: datetime,
    meeting: Meeting | None = None,
    state: ProposalState = ProposalState.INGEDIEND,
) -> AgendaProposal:
    overleg = get_overleg(session=session, key=key)
    assert overleg is not None, key
    proposal = AgendaProposal(
        overleg_id=overleg.id,
        meeting_id=meeting.id if meeting else None,
        title=title,
        proposer_id=proposer,
        state=state,
        created_at=created,
        updated_at=created,
    )
    session.add(proposal)
    session.flush()
    return proposal


def add_action(
    session: Session,
    key: str,
    text: str,
    owner: str,
    *,
    created: datetime,
    due: date | None = None,
    status: ActionStatus = ActionStatus.OPEN,
    meeting: Meeting | None = None,
) -> ActionPoint:
    overleg = get_overleg(session=session, key=key)
    assert overleg is not None, key
    point = ActionPoint(
        overleg_id=overleg.id,
        meeting_id=meeting.id if meeting else None,
        text=text,
        owner_id=owner,
        due_date=due,
        status=status,
        created_by="U0ADMIN0001",
        created_at=created,
    )
    session.add(point)
    session.flush()
    return point
