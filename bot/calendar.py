"""Calendar services: overleggen, meetings, agenda deadlines. Plain values in, plain objects out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import AgendaProposal, Meeting, MeetingStatus, Overleg, ProposalState

DEFAULT_OVERLEG = "ivb"

# Proposals that still count towards a meeting's agenda.
LIVE_PROPOSAL_STATES = (ProposalState.INGEDIEND, ProposalState.GEAGENDEERD, ProposalState.BEHANDELD)


@lru_cache(maxsize=4096)  # pure, and called for every alias on every lookup
def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: how overleg names and aliases are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", plain).strip(" .:;,!?")


def with_article(name: str) -> str:
    """`het Integraal Veiligheidsberaad`, `de 3-Noord tafel`: Dutch needs the right article."""
    het_words = ("overleg", "beraad")
    words = [w.lower() for w in name.split()]
    article = "het" if any(w.endswith(het_words) for w in words) else "de"
    return f"{article} {name}"


def list_overleggen(*, session: Session) -> list[Overleg]:
    return list(session.scalars(select(Overleg).order_by(Overleg.sort_order, Overleg.key)))


def find_overleg(*, session: Session, text: str) -> Overleg | None:
    """The overleg whose key, name or alias is `text` (case, accents and spacing ignored)."""
    wanted = normalise(text)
    if not wanted:
        return None
    for overleg in list_overleggen(session=session):
        names = {normalise(overleg.key), normalise(overleg.name), *map(normalise, overleg.alias_list)}
        if wanted in names:
            return overleg
    return None


def get_overleg(*, session: Session, key: str) -> Overleg | None:
    return session.scalar(select(Overleg).where(Overleg.key == key))


def agenda_deadline(meeting: Meeting, *, tz: ZoneInfo) -> datetime:
    """The last moment a proposal counts for `meeting`: N days before its start, same wall-clock time."""
    local_start = meeting.starts_at.astimezone(tz)
    local_deadline = (
        local_start.replace(tzinfo=None) - timedelta(days=meeting.overleg.deadline_days)
    ).replace(tzinfo=tz)
    return local_deadline.astimezone(meeting.starts_at.tzinfo)


def next_meetings(*, session: Session, overleg_id: int, now: datetime, limit: int = 2) -> list[Meeting]:
    """The coming meetings of one overleg that have not been cancelled, soonest first."""
    stmt = (
        select(Meeting)
        .where(
            Meeting.overleg_id == overleg_id,
            Meeting.starts_at > now,
            Meeting.status != MeetingStatus.GEANNULEERD,
        )
        .order_by(Meeting.starts_at)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def upcoming_meetings(
    *,
    session: Session,
    now: datetime,
    until: datetime | None = None,
    limit: int = 40,
    include_cancelled: bool = True,
) -> list[Meeting]:
    """Coming meetings of all overleggen, soonest first; cancelled ones included so they can be marked."""
    stmt = select(Meeting).where(Meeting.starts_at > now)
    if until is not None:
        stmt = stmt.where(Meeting.starts_at < until)
    if not include_cancelled:
        stmt = stmt.where(Meeting.status != MeetingStatus.GEANNULEERD)
    return list(session.scalars(stmt.order_by(Meeting.starts_at, Meeting.id).limit(limit)))


def count_upcoming_meetings(*, session: Session, now: datetime, until: datetime | None = None) -> int:
    stmt = select(func.count()).select_from(Meeting).where(Meeting.starts_at > now)
    if until is not None:
        stmt = stmt.where(Meeting.starts_at < until)
    return session.scalar(stmt) or 0


def proposal_count(*, session: Session, meeting_id: int) -> int:
    stmt = (
        select(func.count())
        .select_from(AgendaProposal)
        .where(AgendaProposal.meeting_id == meeting_id, AgendaProposal.state.in_(LIVE_PROPOSAL_STATES))
    )
    return session.scalar(stmt) or 0


@dataclass(frozen=True)
class NextMeeting:
    """What `/ivb volgende` shows."""

    overleg: Overleg
    meeting: Meeting | None
    deadline: datetime | None
    deadline_passed: bool
    proposal_count: int
    # When the deadline of `meeting` has passed, new proposals go to this one.
    following: Meeting | None
    following_deadline: datetime | None


def next_meeting_info(*, session: Session, overleg: Overleg, now: datetime, tz: ZoneInfo) -> NextMeeting:
    meetings = next_meetings(session=session, overleg_id=overleg.id, now=now, limit=2)
    if not meetings:
        return NextMeeting(overleg, None, None, False, 0, None, None)
    meeting = meetings[0]
    deadline = agenda_deadline(meeting, tz=tz)
    following = meetings[1] if len(meetings) > 1 else None
    return NextMeeting(
        overleg=overleg,
        meeting=meeting,
        deadline=deadline,
        deadline_passed=deadline <= now,
        proposal_count=proposal_count(session=session, meeting_id=meeting.id),
        following=following,
        following_deadline=agenda_deadline(following, tz=tz) if following else None,
    )


def target_meeting(*, session: Session, overleg: Overleg, now: datetime, tz: ZoneInfo) -> Meeting | None:
    """The meeting a proposal made `now` goes to: the first whose agenda deadline is still ahead."""
    stmt = (
        select(Meeting)
        .where(
            Meeting.overleg_id == overleg.id,
            Meeting.starts_at > now,
            Meeting.status != MeetingStatus.GEANNULEERD,
        )
        .order_by(Meeting.starts_at)
        .limit(5)
    )
    for meeting in session.scalars(stmt):
        if agenda_deadline(meeting, tz=tz) > now:
            return meeting
    return None
