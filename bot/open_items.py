"""Open items ("open punten"): proposals still pending and action points still open.

Every query is bounded: a page is fetched with LIMIT/OFFSET and the totals with COUNT, so the
answer costs the same on an empty database and on one with tens of thousands of rows. The CSV
report streams rows in batches instead of loading a table.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from storage.models import (
    ActionPoint,
    ActionStatus,
    AgendaProposal,
    Meeting,
    Overleg,
    ProposalState,
)

# Proposals that still need something from someone: not behandeld, afgewezen or ingetrokken.
OPEN_PROPOSAL_STATES = (ProposalState.INGEDIEND, ProposalState.GEAGENDEERD, ProposalState.AANGEHOUDEN)
PAGE_SIZE = 10
REPORT_BATCH = 1000


@dataclass(frozen=True)
class OpenFilter:
    """Which open items to show: only those of `user_id` ("mijn"), and/or one overleg."""

    user_id: str | None = None
    overleg_id: int | None = None


@dataclass(frozen=True)
class ProposalItem:
    id: int
    overleg_key: str
    overleg_name: str
    meeting_id: int | None
    meeting_starts_at: datetime | None
    title: str
    proposer_id: str
    state: ProposalState
    created_at: datetime


@dataclass(frozen=True)
class ActionItem:
    id: int
    overleg_key: str
    overleg_name: str
    meeting_starts_at: datetime | None
    text: str
    owner_id: str
    due_date: date | None
    status: ActionStatus
    created_at: datetime


@dataclass(frozen=True)
class OpenPage:
    """One page of open items, with the totals so the reader knows how much more there is."""

    proposals: list[ProposalItem]
    proposal_total: int
    actions: list[ActionItem]
    action_total: int
    offset: int
    page_size: int

    @property
    def has_more(self) -> bool:
        end = self.offset + self.page_size
        return end < self.proposal_total or end < self.action_total

    @property
    def next_offset(self) -> int:
        return self.offset + self.page_size


def age_days(created_at: datetime, *, today: date, tz: ZoneInfo) -> int:
    """Whole days an item has been open (0 on the day it was made)."""
    return max(0, (today - created_at.astimezone(tz).date()).days)


def is_overdue(item: ActionItem, *, today: date) -> bool:
    return item.status == ActionStatus.OPEN and item.due_date is not None and item.due_date < today


def _proposal_where(flt: OpenFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [AgendaProposal.state.in_(OPEN_PROPOSAL_STATES)]
    if flt.user_id is not None:
        conditions.append(AgendaProposal.proposer_id == flt.user_id)
    if flt.overleg_id is not None:
        conditions.append(AgendaProposal.overleg_id == flt.overleg_id)
    return conditions


def _action_where(flt: OpenFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [ActionPoint.status == ActionStatus.OPEN]
    if flt.user_id is not None:
        conditions.append(ActionPoint.owner_id == flt.user_id)
    if flt.overleg_id is not None:
        conditions.append(ActionPoint.overleg_id == flt.overleg_id)
    return conditions


# Typed as Any: Select's type parameters differ between SQLAlchemy 2.0 (a tuple) and 2.1 (variadic).
def _proposal_rows(flt: OpenFilter) -> Any:
    meeting = aliased(Meeting)
    stmt = (
        select(
            AgendaProposal.id,
            Overleg.key,
            Overleg.name,
            AgendaProposal.meeting_id,
            meeting.starts_at,
            AgendaProposal.title,
            AgendaProposal.proposer_id,
            AgendaProposal.state,
            AgendaProposal.created_at,
        )
        .join(Overleg, Overleg.id == AgendaProposal.overleg_id)
        .outerjoin(meeting, meeting.id == AgendaProposal.meeting_id)
    )
    # Grouped by overleg, then by meeting (soonest first, unplanned last), then oldest first.
    return stmt.where(*_proposal_where(flt)).order_by(
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
    # Most urgent first: by due date (none last), then oldest.
    return stmt.where(*_action_where(flt)).order_by(ActionPoint.due_date.asc().nulls_last(), ActionPoint.id)


def count_open_proposals(*, session: Session, flt: OpenFilter) -> int:
    stmt = select(func.count()).select_from(AgendaProposal).where(*_proposal_where(flt))
    return session.scalar(stmt) or 0


def count_open_actions(*, session: Session, flt: OpenFilter) -> int:
    stmt = select(func.count()).select_from(ActionPoint).where(*_action_where(flt))
    return session.scalar(stmt) or 0


def _proposal_item(row: Any) -> ProposalItem:
    return ProposalItem(*row)


def _action_item(row: Any) -> ActionItem:
    return ActionItem(*row)


def open_proposals(
    *, session: Session, flt: OpenFilter, offset: int = 0, limit: int = PAGE_SIZE
) -> list[ProposalItem]:
    rows = session.execute(_proposal_rows(flt).offset(offset).limit(limit))
    return [_proposal_item(row) for row in rows]


def open_actions(
    *, session: Session, flt: OpenFilter, offset: int = 0, limit: int = PAGE_SIZE
) -> list[ActionItem]:
    rows = session.execute(_action_rows(flt).offset(offset).limit(limit))
    return [_action_item(row) for row in rows]


def open_page(*, session: Session, flt: OpenFilter, offset: int = 0, page_size: int = PAGE_SIZE) -> OpenPage:
    """One page of both lists: the same offset walks through proposals and action points together."""
    offset = max(0, offset)
    return OpenPage(
        proposals=open_proposals(session=session, flt=flt, offset=offset, limit=page_size),
        proposal_total=count_open_proposals(session=session, flt=flt),
        actions=open_actions(session=session, flt=flt, offset=offset, limit=page_size),
        action_total=count_open_actions(session=session, flt=flt),
        offset=offset,
        page_size=page_size,
    )


# --- the CSV report -------------------------------------------------------------------------------

REPORT_COLUMNS = (
    "soort",
    "id",
    "overleg",
    "vergadering",
    "omschrijving",
    "persoon",
    "status",
    "aangemaakt",
    "deadline",
    "dagen_open",
    "te_laat",
)


def _cell(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def report_rows(*, session: Session, flt: OpenFilter, now: datetime, tz: ZoneInfo) -> Iterator[list[str]]:
    """Every open item, as CSV cells; streamed in batches so memory stays flat."""
    today = now.astimezone(tz).date()

    def local(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment is not None else ""

    proposals = session.execute(_proposal_rows(flt).execution_options(yield_per=REPORT_BATCH))
    for row in proposals:
        p = _proposal_item(row)
        yield [
            "agendavoorstel",
            str(p.id),
            p.overleg_key,
            local(p.meeting_starts_at),
            _cell(p.title),
            p.proposer_id,
            p.state.value,
            local(p.created_at),
            "",
            str(age_days(p.created_at, today=today, tz=tz)),
            "",
        ]
    actions = session.execute(_action_rows(flt).execution_options(yield_per=REPORT_BATCH))
    for row in actions:
        a = _action_item(row)
        yield [
            "actiepunt",
            str(a.id),
            a.overleg_key,
            local(a.meeting_starts_at),
            _cell(a.text),
            a.owner_id,
            a.status.value,
            local(a.created_at),
            a.due_date.isoformat() if a.due_date else "",
            str(age_days(a.created_at, today=today, tz=tz)),
            "ja" if is_overdue(a, today=today) else "nee",
        ]


def write_report(out: IO[str], *, session: Session, flt: OpenFilter, now: datetime, tz: ZoneInfo) -> int:
    """Write the open items as CSV to `out`; returns the number of rows (without the header)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    count = 0
    for cells in report_rows(session=session, flt=flt, now=now, tz=tz):
        writer.writerow(cells)
        count += 1
    return count


def action_item(point: ActionPoint) -> ActionItem:
    """The plain view of one loaded action point (for confirmations and DMs)."""
    return ActionItem(
        id=point.id,
        overleg_key=point.overleg.key,
        overleg_name=point.overleg.name,
        meeting_starts_at=point.meeting.starts_at if point.meeting is not None else None,
        text=point.text,
        owner_id=point.owner_id,
        due_date=point.due_date,
        status=point.status,
        created_at=point.created_at,
    )
