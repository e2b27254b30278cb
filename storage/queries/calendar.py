"""The calendar's write paths: meetings of a source, the open items a changed meeting affects, the sync
state per source, and the lock that lets one calendar import run at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from storage.models import (
    OPEN_PROPOSAL_STATES,
    ActionPoint,
    ActionStatus,
    AgendaProposal,
    CalendarSource,
    Meeting,
    MeetingStatus,
    PostSlot,
)

# Any constant: the advisory lock PostgreSQL holds while a calendar import runs.
_IMPORT_LOCK = 7_310_411


def lock_imports(session: Session) -> None:
    """Serialise calendar imports (two replicas syncing at once, or a sync and a manual import): the
    second waits for the first to commit and then reads what it wrote, so it finds nothing new.

    PostgreSQL: a transaction-level advisory lock. SQLite: a write as the transaction's first
    statement, so it holds the database's write lock from the start and reads the latest data.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK})
    else:
        session.execute(update(CalendarSource).where(CalendarSource.key == "").values(etag=""))


def meeting_for_update(*, session: Session, meeting_id: int | None = None, uid: str = "") -> Meeting | None:
    if meeting_id is not None:
        return session.get(Meeting, meeting_id)
    return session.scalar(select(Meeting).where(Meeting.uid == uid))


def meetings_of_overleg(*, session: Session, overleg_id: int, after: datetime) -> list[Meeting]:
    """An overleg's meetings that start after `after`, soonest first."""
    stmt = (
        select(Meeting)
        .where(Meeting.overleg_id == overleg_id, Meeting.starts_at > after)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(session.scalars(stmt))


def coming_of_source(*, session: Session, source: str, after: datetime, before: datetime) -> list[Meeting]:
    """Meetings a calendar source brought in, not cancelled, starting in (after, before)."""
    stmt = select(Meeting).where(
        Meeting.source == source,
        Meeting.status != MeetingStatus.GEANNULEERD,
        Meeting.starts_at > after,
        Meeting.starts_at < before,
    )
    return list(session.scalars(stmt))


def count_coming(*, session: Session, after: datetime, overleg_ids: list[int] | None = None) -> int:
    """Meetings that are not cancelled and start after `after` (of these overleggen, or all)."""
    stmt = (
        select(func.count())
        .select_from(Meeting)
        .where(Meeting.starts_at > after, Meeting.status != MeetingStatus.GEANNULEERD)
    )
    if overleg_ids is not None:
        stmt = stmt.where(Meeting.overleg_id.in_(overleg_ids))
    return int(session.scalar(stmt) or 0)


def open_proposals_of(*, session: Session, meeting_id: int) -> list[AgendaProposal]:
    """Proposals on a meeting that still need something: ingediend, geagendeerd, aangehouden."""
    stmt = (
        select(AgendaProposal)
        .where(AgendaProposal.meeting_id == meeting_id, AgendaProposal.state.in_(OPEN_PROPOSAL_STATES))
        .order_by(AgendaProposal.position.nulls_last(), AgendaProposal.id)
    )
    return list(session.scalars(stmt))


def stranded_meetings(*, session: Session) -> list[Meeting]:
    """Meetings that are cancelled or take no proposals, yet still hold open proposals (from before the
    bot moved such proposals on, or from a change made outside an import)."""
    holds_open = (
        select(AgendaProposal.id)
        .where(AgendaProposal.meeting_id == Meeting.id, AgendaProposal.state.in_(OPEN_PROPOSAL_STATES))
        .exists()
    )
    stranded = or_(Meeting.status == MeetingStatus.GEANNULEERD, Meeting.takes_proposals.is_(False))
    return list(session.scalars(select(Meeting).where(stranded, holds_open).order_by(Meeting.starts_at)))


def unplanned_proposals(*, session: Session, overleg_id: int) -> list[AgendaProposal]:
    """Open proposals of an overleg that wait for a meeting (none was planned when they were made)."""
    stmt = (
        select(AgendaProposal)
        .where(
            AgendaProposal.overleg_id == overleg_id,
            AgendaProposal.meeting_id.is_(None),
            AgendaProposal.state.in_(OPEN_PROPOSAL_STATES),
        )
        .order_by(AgendaProposal.id)
    )
    return list(session.scalars(stmt))


def open_actions_of(*, session: Session, meeting_id: int) -> list[ActionPoint]:
    stmt = (
        select(ActionPoint)
        .where(ActionPoint.meeting_id == meeting_id, ActionPoint.status == ActionStatus.OPEN)
        .order_by(ActionPoint.id)
    )
    return list(session.scalars(stmt))


# --- sync state ------------------------------------------------------------------------------------


def source_for_update(*, session: Session, key: str) -> CalendarSource:
    """The state row of a calendar source, created on first use."""
    found = session.get(CalendarSource, key)
    if found is None:
        found = CalendarSource(key=key, etag="", last_modified="", last_error="")
        session.add(found)
        session.flush()
    return found


def source_state(*, session: Session, key: str) -> CalendarSource | None:
    return session.get(CalendarSource, key)


def forget_sync_claims(*, session: Session, kind: str, before: datetime) -> None:
    """Drop the per-interval sync claims older than `before` (one row per interval and source)."""
    session.execute(delete(PostSlot).where(PostSlot.kind == kind, PostSlot.claimed_at < before))


def source_states(*, engine: Engine) -> list[tuple[str, datetime | None, datetime | None, str]]:
    """(key, last good sync, last error time, last error) of every source, for /health."""
    c = CalendarSource.__table__.c
    stmt = select(c.key, c.last_success_at, c.last_error_at, c.last_error).where(c.key != "")
    with engine.connect() as conn:
        return [(r[0], r[1], r[2], r[3]) for r in conn.execute(stmt)]
