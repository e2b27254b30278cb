"""The biweekly digest: what it says for one slot, as plain data (bot/blocks/digest.py renders it).

Every list is fetched with a LIMIT and counted with COUNT, so a large database costs a handful of
indexed queries, not a scan into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services.deadlines import agenda_deadline, widest_span_days
from bot.services.open_items import ActionItem, action_item
from storage.models import ProposalState
from storage.queries import digest as queries
from storage.queries import meetings as meeting_queries
from storage.queries.rows import MeetingRow

# How many of each the digest lists before it summarises ("en 14 andere voorstellen").
MAX_MEETINGS = 20
MAX_DEADLINES = 10
MAX_PROPOSALS = 10
MAX_ACTIONS = 10
# Meetings looked at per overleg to find the deadlines in the window.
DEADLINE_SCAN = 200


@dataclass(frozen=True)
class Deadline:
    overleg_name: str
    deadline: datetime
    meeting_start: datetime
    meeting: MeetingRow


@dataclass(frozen=True)
class DigestProposal:
    """A proposal made since the previous digest, as the digest shows it."""

    id: int
    title: str
    overleg_name: str
    created_at: datetime
    state: ProposalState


@dataclass(frozen=True)
class Digest:
    """The content of one digest; lists are the first N, totals are exact counts."""

    at: datetime  # the slot's moment; the window starts here
    until: datetime  # end of the look-ahead window
    since: datetime  # proposals from here (the previous digest)
    next_at: datetime | None  # the next digest: action points due before it are listed
    weeks_ahead: int
    meetings: list[MeetingRow]
    meetings_total: int
    deadlines: list[Deadline]
    deadlines_total: int
    proposals: list[DigestProposal]
    proposals_total: int
    actions: list[ActionItem]
    actions_total: int
    overdue_total: int

    @property
    def empty(self) -> bool:
        return not (self.meetings_total or self.deadlines_total or self.proposals_total or self.actions_total)


def wall_shift(moment: datetime, days: int, tz: ZoneInfo) -> datetime:
    """`moment` plus `days` calendar days at the same wall-clock time in tz."""
    local = moment.astimezone(tz).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=tz)


def build_digest(
    *,
    session: Session,
    at: datetime,
    since: datetime,
    next_at: datetime | None,
    tz: ZoneInfo,
    weeks_ahead: int,
) -> Digest:
    """The digest for the moment `at`: the coming `weeks_ahead` weeks, news since `since`."""
    until = wall_shift(at, 7 * weeks_ahead, tz)
    meetings = meeting_queries.in_window(session=session, start=at, end=until, limit=MAX_MEETINGS)
    meetings_total = meeting_queries.count_in_window(session=session, start=at, end=until)
    deadlines, deadlines_total = _deadlines(session=session, at=at, until=until, tz=tz)
    proposals = [
        DigestProposal(p.id, p.title, p.overleg.name, p.created_at, p.state)
        for p in queries.new_proposals(session=session, since=since, until=at, limit=MAX_PROPOSALS)
    ]
    proposals_total = queries.count_new_proposals(session=session, since=since, until=at)
    today = at.astimezone(tz).date()
    horizon: date = (next_at or wall_shift(at, 14, tz)).astimezone(tz).date()
    actions = [
        action_item(a) for a in queries.actions_due(session=session, before=horizon, limit=MAX_ACTIONS)
    ]
    actions_total = queries.count_actions_due(session=session, before=horizon)
    overdue_total = queries.count_actions_due(session=session, before=today)
    return Digest(
        at=at,
        until=until,
        since=since,
        next_at=next_at,
        weeks_ahead=weeks_ahead,
        meetings=meetings,
        meetings_total=meetings_total,
        deadlines=deadlines,
        deadlines_total=deadlines_total,
        proposals=proposals,
        proposals_total=proposals_total,
        actions=actions,
        actions_total=actions_total,
        overdue_total=overdue_total,
    )


def _deadlines(
    *, session: Session, at: datetime, until: datetime, tz: ZoneInfo
) -> tuple[list[Deadline], int]:
    """Agenda deadlines in [at, until) of meetings that take proposals: per overleg, the meetings that
    start between `at` and the rule's widest span after `until`."""
    found: list[Deadline] = []
    for overleg in meeting_queries.overleggen(session=session):
        end = until + timedelta(days=widest_span_days(overleg.deadline_working_days))
        for meeting in meeting_queries.in_window(
            session=session,
            start=at,
            end=end,
            overleg_id=overleg.id,
            include_cancelled=False,
            limit=DEADLINE_SCAN,
        ):
            deadline = agenda_deadline(meeting, tz=tz)
            if meeting.takes_proposals and at <= deadline < until:
                found.append(Deadline(overleg.name, deadline, meeting.starts_at, meeting))
    found.sort(key=lambda d: (d.deadline, d.meeting_start))
    return found[:MAX_DEADLINES], len(found)
