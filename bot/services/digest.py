"""The biweekly digest: what it says for one slot, as plain data (bot/blocks/digest.py renders it).

A glance, not a report: the meetings of the coming weeks, each with its agenda deadline, and how many
proposals came in per overleg. It goes to a channel, so nothing personal is in it: no names, no rejected
proposals, no action points (their owners get a DM: bot/services/action_reminders.py).

Every list is fetched with a LIMIT and counted with COUNT or GROUP BY, so a large database costs a
handful of indexed queries, not a scan into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services.deadlines import agenda_deadline, widest_span_days
from storage.models import MeetingStatus
from storage.queries import digest as queries
from storage.queries import meetings as meeting_queries
from storage.queries.rows import MeetingRow

# How many meetings the digest lists before it summarises ("en 14 andere vergaderingen").
MAX_MEETINGS = 20
# Titles of geagendeerde proposals shown (the rest is counted).
MAX_AGENDERED = 10
# Meetings looked at per overleg to find the deadlines in the window.
DEADLINE_SCAN = 200
# A deadline this close stands out (⏳, bold, "over 3 dagen").
SOON = timedelta(days=7)


@dataclass(frozen=True)
class DigestMeeting:
    """A meeting as the digest shows it; `deadline` is None when it takes no proposals or is cancelled."""

    meeting: MeetingRow
    deadline: datetime | None

    @property
    def cancelled(self) -> bool:
        return self.meeting.status == MeetingStatus.GEANNULEERD


@dataclass(frozen=True)
class ProposalCount:
    """New proposals for one overleg since the previous digest; titles only of the geagendeerde."""

    overleg_label: str
    count: int
    agendered: tuple[str, ...]


@dataclass(frozen=True)
class Digest:
    """The content of one digest; lists are the first N, totals are exact counts."""

    at: datetime  # the slot's moment; the window starts here
    until: datetime  # end of the look-ahead window
    since: datetime  # proposals from here (the previous digest)
    weeks_ahead: int
    # Meetings in [at, until), and later ones whose agenda deadline is in it; by start.
    meetings: list[DigestMeeting]
    meetings_total: int  # meetings starting in [at, until), cancelled ones included
    deadlines_total: int  # agenda deadlines in [at, until)
    deadlines_soon: int  # agenda deadlines in [at, at + 7 days)
    proposals: list[ProposalCount]
    proposals_total: int
    next_meeting: MeetingRow | None  # the first meeting after the window, when none is in it

    @property
    def empty(self) -> bool:
        return not (self.meetings or self.proposals_total)


def wall_shift(moment: datetime, days: int, tz: ZoneInfo) -> datetime:
    """`moment` plus `days` calendar days at the same wall-clock time in tz."""
    local = moment.astimezone(tz).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=tz)


def build_digest(
    *,
    session: Session,
    at: datetime,
    since: datetime,
    tz: ZoneInfo,
    weeks_ahead: int,
) -> Digest:
    """The digest for the moment `at`: the coming `weeks_ahead` weeks, news since `since`."""
    until = wall_shift(at, 7 * weeks_ahead, tz)
    in_window = meeting_queries.in_window(session=session, start=at, end=until, limit=MAX_MEETINGS)
    meetings_total = meeting_queries.count_in_window(session=session, start=at, end=until)
    deadlines = _deadlines(session=session, at=at, until=until, tz=tz)
    shown = {m.id: DigestMeeting(m, _deadline_of(m, tz)) for m in in_window}
    # A meeting after the window whose deadline is in it: listed too, so the deadline is not missed.
    for meeting, deadline in deadlines:
        if meeting.starts_at >= until and len(shown) < MAX_MEETINGS:
            shown.setdefault(meeting.id, DigestMeeting(meeting, deadline))
    listed = sorted(shown.values(), key=lambda d: (d.meeting.starts_at, d.meeting.id))
    soon = at + SOON
    next_meeting = None
    if not listed:
        after = meeting_queries.in_window(
            session=session, start=until, end=until + timedelta(days=3660), limit=1, include_cancelled=False
        )
        next_meeting = after[0] if after else None
    proposals = _proposal_counts(session=session, since=since, until=at)
    return Digest(
        at=at,
        until=until,
        since=since,
        weeks_ahead=weeks_ahead,
        meetings=listed,
        meetings_total=meetings_total,
        deadlines_total=len(deadlines),
        deadlines_soon=sum(1 for _, d in deadlines if d < soon),
        proposals=proposals,
        proposals_total=sum(p.count for p in proposals),
        next_meeting=next_meeting,
    )


def _deadline_of(meeting: MeetingRow, tz: ZoneInfo) -> datetime | None:
    if meeting.status == MeetingStatus.GEANNULEERD or not meeting.takes_proposals:
        return None
    return agenda_deadline(meeting, tz=tz)


def _proposal_counts(*, session: Session, since: datetime, until: datetime) -> list[ProposalCount]:
    agendered: dict[int, list[str]] = {}
    for overleg_id, title in queries.new_agendered(
        session=session, since=since, until=until, limit=MAX_AGENDERED
    ):
        agendered.setdefault(overleg_id, []).append(title)
    return [
        ProposalCount(c.label, c.count, tuple(agendered.get(c.overleg_id, ())))
        for c in queries.new_proposal_counts(session=session, since=since, until=until)
    ]


def _deadlines(
    *, session: Session, at: datetime, until: datetime, tz: ZoneInfo
) -> list[tuple[MeetingRow, datetime]]:
    """(meeting, agenda deadline) for deadlines in [at, until) of meetings that take proposals: per
    overleg, the meetings that start between `at` and the rule's widest span after `until`."""
    found: list[tuple[MeetingRow, datetime]] = []
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
                found.append((meeting, deadline))
    found.sort(key=lambda pair: (pair[1], pair[0].starts_at))
    return found
