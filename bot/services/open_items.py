"""Open items ("open punten"): proposals still pending and action points still open, as plain values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.records.model import HistoryStep
from bot.services.history import trails
from storage.models import ActionPoint, ActionStatus, ProposalState
from storage.queries import open_items as queries
from storage.queries.open_items import OpenFilter

PAGE_SIZE = 10

# OpenFilter (which items: mine, one overleg) is the queries' and part of this module's API.
__all__ = ["ActionItem", "OpenFilter", "OpenPage", "ProposalItem", "open_page", "report_rows"]


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
    confidential: bool = False
    # The item's trail after it was submitted (filled for `/ivb open`, empty elsewhere).
    history: tuple[HistoryStep, ...] = ()


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


def open_proposals(
    *, session: Session, flt: OpenFilter, offset: int = 0, limit: int = PAGE_SIZE, with_history: bool = False
) -> list[ProposalItem]:
    items = [
        ProposalItem(*tuple(row))
        for row in queries.proposals(session=session, flt=flt, offset=offset, limit=limit)
    ]
    if not with_history or not items:
        return items
    steps = trails(session=session, proposal_ids=[item.id for item in items])
    return [replace(item, history=steps.get(item.id, ())) for item in items]


def open_actions(
    *, session: Session, flt: OpenFilter, offset: int = 0, limit: int = PAGE_SIZE
) -> list[ActionItem]:
    return [
        ActionItem(*tuple(row))
        for row in queries.actions(session=session, flt=flt, offset=offset, limit=limit)
    ]


def open_page(*, session: Session, flt: OpenFilter, offset: int = 0, page_size: int = PAGE_SIZE) -> OpenPage:
    """One page of both lists: the same offset walks through proposals and action points together."""
    offset = max(0, offset)
    return OpenPage(
        proposals=open_proposals(session=session, flt=flt, offset=offset, limit=page_size, with_history=True),
        proposal_total=queries.count_proposals(session=session, flt=flt),
        actions=open_actions(session=session, flt=flt, offset=offset, limit=page_size),
        action_total=queries.count_actions(session=session, flt=flt),
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


def report_rows(*, session: Session, flt: OpenFilter, now: datetime, tz: ZoneInfo) -> Iterator[list[str]]:
    """Every open item as report cells (plain text); streamed in batches so memory stays flat."""
    today = now.astimezone(tz).date()

    def local(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment is not None else ""

    for row in queries.all_proposals(session=session, flt=flt):
        p = ProposalItem(*tuple(row))
        yield [
            "agendavoorstel",
            str(p.id),
            p.overleg_key,
            local(p.meeting_starts_at),
            p.title,
            p.proposer_id,
            p.state.value,
            local(p.created_at),
            "",
            str(age_days(p.created_at, today=today, tz=tz)),
            "",
        ]
    for row in queries.all_actions(session=session, flt=flt):
        a = ActionItem(*tuple(row))
        yield [
            "actiepunt",
            str(a.id),
            a.overleg_key,
            local(a.meeting_starts_at),
            a.text,
            a.owner_id,
            a.status.value,
            local(a.created_at),
            a.due_date.isoformat() if a.due_date else "",
            str(age_days(a.created_at, today=today, tz=tz)),
            "ja" if is_overdue(a, today=today) else "nee",
        ]


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
