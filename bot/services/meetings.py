"""Meetings: which is next, and the one target rule for proposals.

The target rule: a proposal made now goes to the first meeting of its overleg that takes proposals
and whose agenda deadline is still ahead. `/ivb volgende`, the proposal confirmation, the dialogue's
summary, the review post, the digest and the reminders all ask `read_target` (or `target_of`), so
they always name the same meeting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services.deadlines import agenda_deadline
from bot.services.overleggen import names_of
from bot.text.dutch import normalise
from storage.models import LIVE_PROPOSAL_STATES, ProposalState
from storage.queries import meetings as queries
from storage.queries.rows import MeetingRow, OverlegRow

# Coming meetings are read a page at a time until the target is found; deadlines only grow with the
# start, so the first page nearly always holds it. The scan stops after a year of weekly meetings.
TARGET_PAGE = 8
TARGET_SCAN = 80


# Words that say nothing more than "a meeting of this overleg".
_FILLER = frozenset(
    {"overleg", "vergadering", "bijeenkomst", "plenair", "plenaire", "het", "de", "van", "en"}
)


def shown_title(meeting: MeetingRow) -> str:
    """Outlook's title when it tells this meeting apart; the overleg's name when the title only names
    the overleg (`IVB`, `IVB (Integraal Veiligheidsberaad)`, `Vergadering IVB`)."""
    title = " ".join(meeting.title.split())
    rest = normalise(title)
    for name in sorted(names_of(meeting.overleg), key=len, reverse=True):
        rest = re.sub(rf"(?<![0-9a-z]){re.escape(name)}(?![0-9a-z])", " ", rest)
    if not [word for word in re.findall(r"[0-9a-z]+", rest) if word not in _FILLER]:
        return meeting.overleg.name
    return title


def has_own_title(meeting: MeetingRow) -> bool:
    return shown_title(meeting) != meeting.overleg.name


@dataclass(frozen=True)
class Target:
    """Where a proposal made now goes, and the next meeting it skipped because its deadline passed."""

    meeting: MeetingRow | None
    deadline: datetime | None
    skipped: MeetingRow | None
    skipped_deadline: datetime | None


def target_of(coming: Iterable[MeetingRow], *, now: datetime, tz: ZoneInfo) -> Target:
    """The first of `coming` (soonest first) that takes proposals and whose agenda deadline is ahead."""
    first: MeetingRow | None = None
    for meeting in coming:
        if not meeting.takes_proposals:
            continue
        first = first or meeting
        deadline = agenda_deadline(meeting, tz=tz)
        if deadline > now:
            skipped = first if first.id != meeting.id else None
            return Target(meeting, deadline, skipped, _deadline(skipped, tz))
    return Target(None, None, first, _deadline(first, tz))


def _deadline(meeting: MeetingRow | None, tz: ZoneInfo) -> datetime | None:
    return agenda_deadline(meeting, tz=tz) if meeting is not None else None


def _coming_for_proposals(session: Session, overleg_id: int, now: datetime) -> Iterator[MeetingRow]:
    for offset in range(0, TARGET_SCAN, TARGET_PAGE):
        page = queries.coming_meetings(
            session=session,
            overleg_id=overleg_id,
            now=now,
            limit=TARGET_PAGE,
            offset=offset,
            proposals_only=True,
        )
        yield from (meeting for meeting, _ in page)
        if len(page) < TARGET_PAGE:
            return


def read_target(*, session: Session, overleg_id: int, now: datetime, tz: ZoneInfo) -> Target:
    return target_of(_coming_for_proposals(session, overleg_id, now), now=now, tz=tz)


@dataclass(frozen=True)
class NextMeeting:
    """What `/ivb volgende` shows for one overleg."""

    overleg: OverlegRow
    meeting: MeetingRow | None  # the next meeting, of any kind (a working visit too)
    deadline: datetime | None  # its agenda deadline; None when it takes no proposals
    deadline_passed: bool
    proposal_count: int
    # Where a proposal made now goes, when that is not `meeting` (its deadline passed, or it takes none).
    following: MeetingRow | None
    following_deadline: datetime | None
    # The live proposals on `meeting` by state ("4 ingediend, 1 geagendeerd"), as `/ivb agenda` counts them.
    states: tuple[tuple[ProposalState, int], ...] = ()


def next_meeting_of(
    overleg: OverlegRow, first: tuple[MeetingRow, int] | None, target: Target, *, now: datetime, tz: ZoneInfo
) -> NextMeeting:
    """The next meeting (`first`, with its live proposals) and the target rule's answer."""
    if first is None:
        return NextMeeting(overleg, None, None, False, 0, None, None)
    meeting, count = first
    deadline = agenda_deadline(meeting, tz=tz) if meeting.takes_proposals else None
    elsewhere = target.meeting is not None and target.meeting.id != meeting.id
    return NextMeeting(
        overleg=overleg,
        meeting=meeting,
        deadline=deadline,
        deadline_passed=deadline is not None and deadline <= now,
        proposal_count=count,
        following=target.meeting if elsewhere else None,
        following_deadline=target.deadline if elsewhere else None,
    )


def read_next_meeting(*, session: Session, overleg: OverlegRow, now: datetime, tz: ZoneInfo) -> NextMeeting:
    # One page of coming meetings nearly always holds the target too; only if not, read on.
    coming = queries.coming_meetings(session=session, overleg_id=overleg.id, now=now, limit=TARGET_PAGE)
    target = target_of([meeting for meeting, _ in coming], now=now, tz=tz)
    if target.meeting is None and len(coming) == TARGET_PAGE:
        target = read_target(session=session, overleg_id=overleg.id, now=now, tz=tz)
    info = next_meeting_of(overleg, coming[0] if coming else None, target, now=now, tz=tz)
    if info.meeting is None or not info.proposal_count:
        return info
    states = queries.proposal_states(session=session, meeting_id=info.meeting.id)
    return replace(info, states=tuple((s, states[s]) for s in LIVE_PROPOSAL_STATES if states.get(s)))


def next_meeting_valid_until(info: NextMeeting, *, now: datetime) -> datetime | None:
    """Until when `info` stays right without any write: a meeting starts, or a deadline passes."""
    if info.meeting is None:
        return None
    moments = [info.meeting.starts_at]
    for deadline in (info.deadline, info.following_deadline):
        if deadline is not None and deadline > now:
            moments.append(deadline)
    return min(moments)


def meeting_after(*, session: Session, overleg_id: int, after: datetime) -> MeetingRow | None:
    """The first meeting of an overleg that takes proposals (not cancelled) and starts after `after`."""
    coming = queries.coming_meetings(
        session=session, overleg_id=overleg_id, now=after, limit=1, proposals_only=True
    )
    return coming[0][0] if coming else None


@dataclass(frozen=True)
class Upcoming:
    """The first coming meetings of all overleggen (cancelled ones included, to be marked) and how many."""

    meetings: list[MeetingRow]
    total: int


def read_upcoming(*, session: Session, now: datetime, limit: int) -> Upcoming:
    found = queries.upcoming(session=session, now=now, limit=limit)
    total = len(found) if len(found) < limit else queries.count_upcoming(session=session, now=now)
    return Upcoming(found, total)


def read_planned(*, session: Session, now: datetime, limit: int) -> list[MeetingRow]:
    """Coming meetings that are not cancelled and take proposals: the choices in forms."""
    return queries.upcoming_planned(session=session, now=now, limit=limit)


# `/ivb kalender`: eight weeks at a time, at most CALENDAR_PAGE meetings a message.
CALENDAR_WEEKS = 8
CALENDAR_PAGE = 30


@dataclass(frozen=True)
class CalendarPage:
    """One page of the calendar: the meetings starting in [start, end) from the `offset`th on.

    `next_start` / `next_offset` say where "Meer" goes on (the same window further, or the first
    window with a meeting after this one); both None when nothing comes after."""

    overleg: OverlegRow | None
    start: datetime
    end: datetime
    meetings: list[MeetingRow]
    offset: int
    total: int  # meetings in the window
    next_start: datetime | None
    next_offset: int


def _window_end(start: datetime, tz: ZoneInfo) -> datetime:
    """Local midnight eight weeks after the day `start` falls on."""
    day = start.astimezone(tz).date() + timedelta(weeks=CALENDAR_WEEKS)
    return datetime.combine(day, time(0), tzinfo=tz)


def _first_day_from(
    session: Session, after: datetime, overleg_id: int | None, tz: ZoneInfo
) -> datetime | None:
    """Local midnight of the day of the first meeting starting at or after `after`; None when none."""
    found = queries.in_window(
        session=session, start=after, end=after + timedelta(days=36_500), limit=1, overleg_id=overleg_id
    )
    if not found:
        return None
    return datetime.combine(found[0].starts_at.astimezone(tz).date(), time(0), tzinfo=tz)


def read_calendar_page(
    *,
    session: Session,
    now: datetime,
    tz: ZoneInfo,
    overleg: OverlegRow | None = None,
    start: datetime | None = None,
    offset: int = 0,
) -> CalendarPage:
    """The meetings (cancelled ones too, to be marked) of the eight weeks from `start` (default now;
    never before now); when those weeks hold none, the eight weeks from the day of the next meeting."""
    overleg_id = overleg.id if overleg is not None else None
    begin = max(start or now, now)
    end = _window_end(begin, tz)
    total = queries.count_in_window(session=session, start=begin, end=end, overleg_id=overleg_id)
    if not total and offset == 0:
        later = _first_day_from(session, end, overleg_id, tz)
        if later is not None:
            begin, end = later, _window_end(later, tz)
            total = queries.count_in_window(session=session, start=begin, end=end, overleg_id=overleg_id)
    found = queries.in_window(
        session=session, start=begin, end=end, limit=CALENDAR_PAGE, overleg_id=overleg_id, offset=offset
    )
    next_start: datetime | None = None
    next_offset = 0
    if offset + len(found) < total:
        next_start, next_offset = begin, offset + len(found)
    else:
        next_start = _first_day_from(session, end, overleg_id, tz)
    return CalendarPage(overleg, begin, end, found, offset, total, next_start, next_offset)
