"""Open items: the pending proposals and open action points of one filter, paged and counted.

Every list is a LIMIT query and every total a COUNT, so an answer costs the same on an empty database
and on one with tens of thousands of rows. The CSV report streams in batches (`yield_per`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, case, false, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from storage.models import (
    OPEN_PROPOSAL_STATES,
    ActionPoint,
    ActionStatus,
    AgendaProposal,
    Meeting,
    Overleg,
)

REPORT_BATCH = 1000


@dataclass(frozen=True)
class OpenFilter:
    """Which open items: only those of `user_id` ("mijn"), and/or one overleg. With `viewer_id`, others'
    confidential items and the action points that stem from them are left out (not the secretariaat).

    For action points, with `today` set: `late_only` keeps those due before today, and `except_late_of`
    leaves out that person's overdue ones (listed apart, first).
    """

    user_id: str | None = None
    overleg_id: int | None = None
    viewer_id: str | None = None
    today: date | None = None
    late_only: bool = False
    except_late_of: str | None = None


def _proposal_where(flt: OpenFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [AgendaProposal.state.in_(OPEN_PROPOSAL_STATES)]
    if flt.user_id is not None:
        conditions.append(AgendaProposal.proposer_id == flt.user_id)
    if flt.overleg_id is not None:
        conditions.append(AgendaProposal.overleg_id == flt.overleg_id)
    if flt.viewer_id is not None:
        conditions.append(
            or_(AgendaProposal.confidential.is_(false()), AgendaProposal.proposer_id == flt.viewer_id)
        )
    return conditions


def hidden_proposals(viewer_id: str | None) -> Any:
    """The confidential proposals `viewer_id` did not make (None: all of them), as a subquery of ids."""
    stmt = select(AgendaProposal.id).where(AgendaProposal.confidential.is_(true()))
    return stmt if viewer_id is None else stmt.where(AgendaProposal.proposer_id != viewer_id)


def _action_where(flt: OpenFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [ActionPoint.status == ActionStatus.OPEN]
    if flt.user_id is not None:
        conditions.append(ActionPoint.owner_id == flt.user_id)
    if flt.overleg_id is not None:
        conditions.append(ActionPoint.overleg_id == flt.overleg_id)
    if flt.viewer_id is not None:
        conditions.append(
            or_(
                ActionPoint.proposal_id.is_(None),
                ActionPoint.owner_id == flt.viewer_id,
                ActionPoint.proposal_id.not_in(hidden_proposals(flt.viewer_id)),
            )
        )
    if flt.today is not None and flt.late_only:
        conditions.append(ActionPoint.due_date < flt.today)
    if flt.today is not None and flt.except_late_of is not None:
        conditions.append(
            or_(
                ActionPoint.owner_id != flt.except_late_of,
                ActionPoint.due_date.is_(None),
                ActionPoint.due_date >= flt.today,
            )
        )
    return conditions


# The overleg's short name for lists (IVB, KOB-tafel), its name when it has none: OverlegRow.label.
OVERLEG_LABEL = func.coalesce(func.nullif(Overleg.short_name, ""), Overleg.name)


# Typed as Any: Select's type parameters differ between SQLAlchemy 2.0 (a tuple) and 2.1 (variadic).
def _proposal_rows(flt: OpenFilter, *, now: datetime | None = None) -> Any:
    meeting = aliased(Meeting)
    stmt = (
        select(
            AgendaProposal.id,
            Overleg.key,
            OVERLEG_LABEL,
            AgendaProposal.meeting_id,
            meeting.starts_at,
            AgendaProposal.title,
            AgendaProposal.proposer_id,
            AgendaProposal.state,
            AgendaProposal.created_at,
            AgendaProposal.confidential,
            meeting.status,
        )
        .join(Overleg, Overleg.id == AgendaProposal.overleg_id)
        .outerjoin(meeting, meeting.id == AgendaProposal.meeting_id)
        .where(*_proposal_where(flt))
    )
    if now is not None:
        # What is next first: coming meetings soonest first, then not yet planned, then meetings
        # that have passed (most recent first); within a meeting oldest first.
        coming = meeting.starts_at >= now
        return stmt.order_by(
            case((coming, 0), (meeting.starts_at.is_(None), 1), else_=2),
            case((coming, meeting.starts_at), else_=None).asc(),
            meeting.starts_at.desc(),
            Overleg.sort_order,
            Overleg.id,
            AgendaProposal.meeting_id,
            AgendaProposal.id,
        )
    # The report: grouped by overleg, then by meeting (soonest first, unplanned last), then oldest first.
    return stmt.order_by(
        Overleg.sort_order,
        Overleg.id,
        meeting.starts_at.asc().nulls_last(),
        AgendaProposal.meeting_id,
        AgendaProposal.id,
    )


def _action_rows(flt: OpenFilter) -> Any:
    meeting = aliased(Meeting)
    stmt = (
        select(
            ActionPoint.id,
            Overleg.key,
            Overleg.name,
            meeting.starts_at,
            ActionPoint.text,
            ActionPoint.owner_id,
            ActionPoint.due_date,
            ActionPoint.status,
            ActionPoint.created_at,
        )
        .join(Overleg, Overleg.id == ActionPoint.overleg_id)
        .outerjoin(meeting, meeting.id == ActionPoint.meeting_id)
    )
    stmt = stmt.where(*_action_where(flt))
    if flt.today is not None and not flt.late_only:
        # What is next first: due from today on (soonest first), then overdue (most recent first), then
        # those without a due date, so a list does not open with what was due years ago.
        coming = ActionPoint.due_date >= flt.today
        return stmt.order_by(
            case((coming, 0), (ActionPoint.due_date.is_(None), 2), else_=1),
            case((coming, ActionPoint.due_date), else_=None).asc(),
            ActionPoint.due_date.desc(),
            ActionPoint.id,
        )
    # Most urgent first: by due date (none last), then oldest.
    return stmt.order_by(ActionPoint.due_date.asc().nulls_last(), ActionPoint.id)


def count_proposals(*, session: Session, flt: OpenFilter) -> int:
    stmt = select(func.count()).select_from(AgendaProposal).where(*_proposal_where(flt))
    return session.scalar(stmt) or 0


def count_actions(*, session: Session, flt: OpenFilter) -> int:
    stmt = select(func.count()).select_from(ActionPoint).where(*_action_where(flt))
    return session.scalar(stmt) or 0


def proposals(
    *, session: Session, flt: OpenFilter, offset: int, limit: int, now: datetime | None = None
) -> list[Row[Any]]:
    """One page of open proposals; with `now`, what is next first (else grouped by overleg)."""
    return list(session.execute(_proposal_rows(flt, now=now).offset(offset).limit(limit)))


def actions(*, session: Session, flt: OpenFilter, offset: int, limit: int) -> list[Row[Any]]:
    return list(session.execute(_action_rows(flt).offset(offset).limit(limit)))


def all_proposals(*, session: Session, flt: OpenFilter) -> Iterator[Row[Any]]:
    """Every open proposal, streamed in batches."""
    yield from session.execute(_proposal_rows(flt).execution_options(yield_per=REPORT_BATCH))


def all_actions(*, session: Session, flt: OpenFilter) -> Iterator[Row[Any]]:
    """Every open action point, streamed in batches."""
    yield from session.execute(_action_rows(flt).execution_options(yield_per=REPORT_BATCH))
