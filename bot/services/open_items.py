"""Open items ("open punten"): proposals still pending and action points still open, as plain values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.records.model import HistoryStep
from bot.services.history import trails
from storage.models import ActionPoint, ActionStatus, MeetingStatus, ProposalState
from storage.queries import open_items as queries
from storage.queries.open_items import OpenFilter

PAGE_SIZE = 10  # the Home tab's lists and the report's batches of old
PROPOSAL_PAGE = 8
ACTION_PAGE = 6
LATE_SHOWN = 5  # the asker's own overdue action points, on top of every page

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
    meeting_status: MeetingStatus | None = None
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
    """What `/ivb open` shows: the asker's overdue action points first, then a page of proposals (what is
    next first) and a page of the other action points, each list paged on its own, with the totals."""

    proposals: list[ProposalItem]
    proposal_total: int
    actions: list[ActionItem]
    action_total: int
    proposal_offset: int = 0
    action_offset: int = 0
    late: list[ActionItem] = field(default_factory=list)
    late_total: int = 0

    @property
    def more_proposals(self) -> bool:
        return self.proposal_offset + len(self.proposals) < self.proposal_total

    @property
    def more_actions(self) -> bool:
        return self.action_offset + len(self.actions) < self.action_total


def age_days(created_at: datetime, *, today: date, tz: ZoneInfo) -> int:
    """Whole days an item has been open (0 on the day it was made)."""
    return max(0, (today - created_at.astimezone(tz).date()).days)


def is_overdue(item: ActionItem, *, today: date) -> bool:
    return item.status == ActionStatus.OPEN and item.due_date is not None and item.due_date < today


def open_proposals(
    *,
    session: Session,
    flt: OpenFilter,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    now: datetime | None = None,
    with_history: bool = False,
) -> list[ProposalItem]:
    """A page of open proposals; with `now`, those of the soonest meeting first."""
    rows = queries.proposals(session=session, flt=flt, offset=offset, limit=limit, now=now)
    items = [ProposalItem(*tuple(row)) for row in rows]
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


def open_page(
    *,
    session: Session,
    flt: OpenFilter,
    viewer_id: str,
    now: datetime,
    tz: ZoneInfo,
    proposal_offset: int = 0,
    action_offset: int = 0,
) -> OpenPage:
    """`/ivb open`: the viewer's overdue action points, a page of proposals, a page of action points."""
    today = now.astimezone(tz).date()
    proposal_offset, action_offset = max(0, proposal_offset), max(0, action_offset)
    late = OpenFilter(user_id=viewer_id, overleg_id=flt.overleg_id, today=today, late_only=True)
    mine_or_all = flt.user_id in {None, viewer_id}
    others = replace(flt, today=today, except_late_of=viewer_id) if mine_or_all else flt
    return OpenPage(
        proposals=open_proposals(
            session=session,
            flt=flt,
            offset=proposal_offset,
            limit=PROPOSAL_PAGE,
            now=now,
            with_history=True,
        ),
        proposal_total=queries.count_proposals(session=session, flt=flt),
        actions=open_actions(session=session, flt=others, offset=action_offset, limit=ACTION_PAGE),
        action_total=queries.count_actions(session=session, flt=others),
        proposal_offset=proposal_offset,
        action_offset=action_offset,
        late=open_actions(session=session, flt=late, limit=LATE_SHOWN) if mine_or_all else [],
        late_total=queries.count_actions(session=session, flt=late) if mine_or_all else 0,
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
