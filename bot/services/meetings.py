"""Meetings: which is next, and the one target rule for proposals.

The target rule: a proposal made now goes to the first meeting of its overleg that takes proposals
and whose agenda deadline is still ahead. `/ivb volgende`, the proposal confirmation, the dialogue's
summary, the review post, the digest and the reminders all ask `read_target` (or `target_of`), so
they always name the same meeting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services.deadlines import agenda_deadline
from bot.services.overleggen import names_of
from bot.text.dutch import normalise
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
    return next_meeting_of(overleg, coming[0] if coming else None, target, now=now, tz=tz)


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
