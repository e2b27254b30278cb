"""The besluitenlijst, read: a meeting's items with their outcome, decision, trail and action points.

An item is on a meeting's besluitenlijst when an outcome was recorded for it there (behandeld,
doorgeschoven, vervallen) or when it is still geagendeerd on it (no outcome yet). Recording is in
`minutes_record`; who sees confidential items is decided by `visible_to`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.orm import Session

from bot.records.model import HistoryStep
from bot.services.confidential import may_see
from bot.services.errors import NotAllowed, Refused
from bot.services.history import trails
from bot.services.overleggen import resolve_overleg
from bot.text.dutch import last_local_day
from storage.models import MeetingStatus
from storage.queries import meetings as meeting_queries
from storage.queries import minutes as queries
from storage.queries.rows import MeetingRow, OverlegRow

NOT_ADMIN = "Alleen het secretariaat legt de besluitenlijst vast. Er is niets veranderd."
# How far back the morning-after DM is still sent (a bot that was down catches up) and the look-back.
DUE_LIMIT = 50


@dataclass(frozen=True)
class MinutesAction:
    """An action point of the meeting; `proposal_id` is the item it stems from (None: a loose one)."""

    id: int
    text: str
    owner_id: str
    due_date: date | None
    status: str
    created_at: datetime
    completed_at: datetime | None
    proposal_id: int | None
    confidential: bool  # it stems from a confidential item
    proposer_id: str  # that item's proposer ("" for a loose one)


@dataclass(frozen=True)
class MinutesItem:
    """One agenda item on the besluitenlijst; `outcome` is "" while nothing is recorded."""

    proposal_id: int
    position: int | None
    title: str
    explanation: str
    proposer_id: str
    confidential: bool
    proposed_at: datetime
    outcome: str
    decision: str
    next_meeting_at: datetime | None  # doorgeschoven: the meeting it went to (None: not planned yet)
    history: tuple[HistoryStep, ...]
    actions: tuple[MinutesAction, ...]


@dataclass(frozen=True)
class Minutes:
    meeting: MeetingRow
    items: tuple[MinutesItem, ...]
    loose_actions: tuple[MinutesAction, ...]

    @property
    def pending(self) -> tuple[MinutesItem, ...]:
        return tuple(item for item in self.items if not item.outcome)


def _item(row: Row[Any], *, recorded: bool, history: tuple[HistoryStep, ...]) -> MinutesItem:
    return MinutesItem(
        proposal_id=row.id,
        position=row.position,
        title=row.title,
        explanation=row.explanation or "",
        proposer_id=row.proposer_id,
        confidential=bool(row.confidential),
        proposed_at=row.created_at,
        outcome=str(row.outcome.value) if recorded else "",
        decision=(row.decision or "") if recorded else "",
        next_meeting_at=row.starts_at if recorded and row.outcome.value == "doorgeschoven" else None,
        history=history,
        actions=(),
    )


def read_minutes(*, session: Session, meeting: MeetingRow) -> Minutes:
    """The meeting's besluitenlijst as it stands: items in agenda order, each with its action points."""
    recorded = queries.recorded_lines(session=session, meeting_id=meeting.id)
    pending = queries.pending_lines(session=session, meeting_id=meeting.id)
    steps = trails(session=session, proposal_ids=[row.id for row in (*recorded, *pending)])
    items = [_item(row, recorded=True, history=steps.get(row.id, ())) for row in recorded]
    items += [_item(row, recorded=False, history=steps.get(row.id, ())) for row in pending]
    items.sort(key=lambda item: (item.position is None, item.position or 0, item.proposal_id))
    actions = [_action(row) for row in queries.meeting_actions(session=session, meeting_id=meeting.id)]
    shown = {item.proposal_id for item in items}
    return Minutes(
        meeting=meeting,
        items=tuple(
            replace(item, actions=tuple(a for a in actions if a.proposal_id == item.proposal_id))
            for item in items
        ),
        loose_actions=tuple(a for a in actions if a.proposal_id not in shown),
    )


def _action(row: Row[Any]) -> MinutesAction:
    return MinutesAction(
        id=row.id,
        text=row.text,
        owner_id=row.owner_id,
        due_date=row.due_date,
        status=str(row.status.value),
        created_at=row.created_at,
        completed_at=row.completed_at,
        proposal_id=row.proposal_id,
        confidential=bool(row.confidential),
        proposer_id=row.proposer_id or "",
    )


def visible_to(minutes: Minutes, *, viewer_id: str, is_admin: bool) -> Minutes:
    """The besluitenlijst as one viewer may see it: others' confidential items (and their action
    points, unless the viewer owns one) are left out, without a gap."""

    def shown(action: MinutesAction) -> bool:
        return action.owner_id == viewer_id or may_see(
            action.confidential, action.proposer_id, viewer_id=viewer_id, is_admin=is_admin
        )

    items, own_hidden = [], []
    for item in minutes.items:
        if may_see(item.confidential, item.proposer_id, viewer_id=viewer_id, is_admin=is_admin):
            items.append(replace(item, actions=tuple(a for a in item.actions if shown(a))))
        else:  # the owner of an action point from a hidden item still sees their own, without the item
            own_hidden += [a for a in item.actions if a.owner_id == viewer_id]
    loose = tuple(a for a in minutes.loose_actions if shown(a)) + tuple(own_hidden)
    return replace(minutes, items=tuple(items), loose_actions=loose)


def held_meeting(*, session: Session, meeting_id: int, now: datetime) -> MeetingRow:
    """The meeting, if a besluitenlijst can be made for it: it exists, took place and was not cancelled."""
    meeting = meeting_queries.meeting(session=session, meeting_id=meeting_id)
    if meeting is None:
        raise NotAllowed("Die vergadering bestaat niet (meer).")
    if meeting.starts_at > now:
        raise Refused("Die vergadering is nog niet geweest; de besluitenlijst volgt erna.")
    if meeting.status == MeetingStatus.GEANNULEERD:
        raise Refused("Die vergadering is geannuleerd; er is geen besluitenlijst.")
    return meeting


def minutes_form(
    *, session: Session, meeting_id: int, actor_id: str, admin_ids: tuple[str, ...], now: datetime
) -> Minutes:
    """What the besluitenlijst form shows: only for the secretariaat, only for a meeting that took place."""
    if actor_id not in admin_ids:
        raise NotAllowed(NOT_ADMIN)
    meeting = held_meeting(session=session, meeting_id=meeting_id, now=now)
    return read_minutes(session=session, meeting=meeting)


@dataclass(frozen=True)
class LastMinutes:
    """`/ivb besluiten`: the overleg, its last besluitenlijst, and a meeting still waiting for one."""

    overleg: OverlegRow
    minutes: Minutes | None
    waiting: MeetingRow | None
    waiting_items: int


def last_minutes(*, session: Session, overleg: str | None, now: datetime) -> LastMinutes:
    body = resolve_overleg(meeting_queries.overleggen(session=session), overleg)
    recorded = queries.latest_recorded(session=session, overleg_id=body.id, now=now)
    meeting = meeting_queries.meeting(session=session, meeting_id=recorded) if recorded else None
    minutes = read_minutes(session=session, meeting=meeting) if meeting else None
    waiting = queries.held_with_pending(session=session, start=None, end=now, limit=1, overleg_id=body.id)
    return LastMinutes(
        overleg=body,
        minutes=minutes,
        waiting=waiting[0][0] if waiting else None,
        waiting_items=waiting[0][1] if waiting else 0,
    )


@dataclass(frozen=True)
class DueMinutes:
    """A meeting whose secretariaat gets the morning-after DM now."""

    meeting: MeetingRow
    pending: int
    due_at: datetime


def morning_after(meeting: MeetingRow, *, tz: ZoneInfo, at_time: time) -> datetime:
    """`at_time` on the day after the meeting's last day, in `tz`."""
    last = last_local_day(meeting.starts_at, meeting.ends_at, meeting.all_day, tz)
    return datetime.combine(last + timedelta(days=1), at_time, tzinfo=tz)


def due_minutes(
    *, session: Session, now: datetime, tz: ZoneInfo, at_time: time, days: int
) -> list[DueMinutes]:
    """Meetings with items still geagendeerd whose morning after has come, at most `days` days ago."""
    start = now - timedelta(days=days + 3)  # a meeting of up to three days still counts
    due = []
    for meeting, pending in queries.held_with_pending(session=session, start=start, end=now, limit=DUE_LIMIT):
        at = morning_after(meeting, tz=tz, at_time=at_time)
        if at <= now < at + timedelta(days=days):
            due.append(DueMinutes(meeting, pending, at))
    return due
