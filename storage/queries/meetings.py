"""Overleggen and meetings, read as plain rows (`storage.queries.rows`).

The statements the officials' most asked answers use (`/ivb volgende`, `/ivb kalender`) are built once,
with bind parameters: building a statement costs more than running it on a small database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, select
from sqlalchemy.orm import Session

from storage.models import (
    LIVE_PROPOSAL_STATES,
    AgendaProposal,
    Meeting,
    MeetingStatus,
    Overleg,
    ProposalState,
)
from storage.queries.rows import MeetingRow, OverlegRow
from storage.types import UTCDateTime

_M = Meeting.__table__
_O = Overleg.__table__
_P = AgendaProposal.__table__

_OVERLEGGEN = select(_O).order_by(_O.c.sort_order, _O.c.key)

_LIVE_PROPOSALS = (
    select(func.count())
    .where(_P.c.meeting_id == _M.c.id, _P.c.state.in_(LIVE_PROPOSAL_STATES))
    .scalar_subquery()
    .label("live_proposals")
)

# The coming meetings of one overleg that are not cancelled, with their live proposals, in one statement;
# the second takes only meetings that take agenda proposals (not a working visit or a weekly call).
_COMING_WHERE = (
    _M.c.overleg_id == bindparam("overleg_id"),
    _M.c.starts_at > bindparam("now", type_=UTCDateTime()),
    _M.c.status != MeetingStatus.GEANNULEERD,
)
_COMING_ANY = (
    select(_M, _O, _LIVE_PROPOSALS)
    .join(_O, _O.c.id == _M.c.overleg_id)
    .where(*_COMING_WHERE)
    .order_by(_M.c.starts_at, _M.c.id)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
_COMING_FOR_PROPOSALS = _COMING_ANY.where(_M.c.takes_proposals.is_(True))

# Coming meetings of all overleggen (cancelled ones included, to be marked), in one statement.
_UPCOMING = (
    select(_M, _O)
    .join(_O, _O.c.id == _M.c.overleg_id)
    .where(_M.c.starts_at > bindparam("now", type_=UTCDateTime()))
    .order_by(_M.c.starts_at, _M.c.id)
    .limit(bindparam("limit"))
)

_COUNT_UPCOMING = (
    select(func.count()).select_from(_M).where(_M.c.starts_at > bindparam("now", type_=UTCDateTime()))
)


def _rows(session: Session, stmt: Select[Any], params: dict[str, Any] | None = None) -> list[MeetingRow]:
    """Meeting rows from a statement that selects meeting and overleg columns; one OverlegRow each."""
    overleggen: dict[int, OverlegRow] = {}
    result: list[MeetingRow] = []
    for row in session.connection().execute(stmt, params or {}):
        mapping = row._mapping
        overleg_id = mapping[_O.c.id]
        overleg = overleggen.get(overleg_id)
        if overleg is None:
            overleg = overleggen[overleg_id] = OverlegRow.from_mapping(mapping)
        result.append(MeetingRow.from_mapping(mapping, overleg))
    return result


def _with_overleg(*where: ColumnElement[bool]) -> Select[Any]:
    return select(_M, _O).join(_O, _O.c.id == _M.c.overleg_id).where(*where)


def overleggen(*, session: Session) -> list[OverlegRow]:
    """All overleggen, in menu order."""
    return [OverlegRow.from_mapping(row._mapping) for row in session.connection().execute(_OVERLEGGEN)]


def coming_meetings(
    *,
    session: Session,
    overleg_id: int,
    now: datetime,
    limit: int,
    offset: int = 0,
    proposals_only: bool = False,
) -> list[tuple[MeetingRow, int]]:
    """The next `limit` meetings of one overleg that are not cancelled (only those that take proposals,
    with `proposals_only`), each with its live proposals."""
    params = {"overleg_id": overleg_id, "now": now, "limit": limit, "offset": offset}
    stmt = _COMING_FOR_PROPOSALS if proposals_only else _COMING_ANY
    rows = list(session.connection().execute(stmt, params))
    if not rows:
        return []
    overleg = OverlegRow.from_mapping(rows[0]._mapping)
    return [(MeetingRow.from_mapping(r._mapping, overleg), int(r.live_proposals or 0)) for r in rows]


def upcoming(*, session: Session, now: datetime, limit: int) -> list[MeetingRow]:
    """Coming meetings of all overleggen, soonest first (cancelled ones included)."""
    return _rows(session, _UPCOMING, {"now": now, "limit": limit})


def count_upcoming(*, session: Session, now: datetime) -> int:
    return int(session.connection().execute(_COUNT_UPCOMING, {"now": now}).scalar_one())


def upcoming_planned(*, session: Session, now: datetime, limit: int) -> list[MeetingRow]:
    """Coming meetings that are not cancelled and take proposals (the choices in forms)."""
    stmt = _with_overleg(
        _M.c.starts_at > now, _M.c.status != MeetingStatus.GEANNULEERD, _M.c.takes_proposals.is_(True)
    )
    return _rows(session, stmt.order_by(_M.c.starts_at, _M.c.id).limit(limit))


def meeting(*, session: Session, meeting_id: int) -> MeetingRow | None:
    found = _rows(session, _with_overleg(_M.c.id == meeting_id))
    return found[0] if found else None


def latest_held(*, session: Session, overleg_id: int, now: datetime) -> MeetingRow | None:
    """The meeting of an overleg that most recently took place (not cancelled)."""
    stmt = _with_overleg(
        _M.c.overleg_id == overleg_id, _M.c.starts_at <= now, _M.c.status != MeetingStatus.GEANNULEERD
    )
    found = _rows(session, stmt.order_by(_M.c.starts_at.desc()).limit(1))
    return found[0] if found else None


def around(*, session: Session, now: datetime, past: int, coming: int) -> list[MeetingRow]:
    """The latest `past` meetings held (newest first), then the next `coming` ones."""
    held = _with_overleg(_M.c.starts_at <= now).order_by(_M.c.starts_at.desc()).limit(past)
    ahead = _with_overleg(_M.c.starts_at > now).order_by(_M.c.starts_at).limit(coming)
    return [*_rows(session, held), *_rows(session, ahead)]


def in_window(
    *,
    session: Session,
    start: datetime,
    end: datetime,
    limit: int,
    overleg_id: int | None = None,
    include_cancelled: bool = True,
    offset: int = 0,
) -> list[MeetingRow]:
    """Meetings starting in [start, end), soonest first (from the `offset`th on)."""
    where = [*_window(start, end, include_cancelled)]
    if overleg_id is not None:
        where.append(_M.c.overleg_id == overleg_id)
    stmt = _with_overleg(*where).order_by(_M.c.starts_at, _M.c.id).limit(limit).offset(offset)
    return _rows(session, stmt)


def count_in_window(
    *,
    session: Session,
    start: datetime,
    end: datetime,
    overleg_id: int | None = None,
    include_cancelled: bool = True,
) -> int:
    where = [*_window(start, end, include_cancelled)]
    if overleg_id is not None:
        where.append(_M.c.overleg_id == overleg_id)
    return int(session.scalar(select(func.count()).select_from(_M).where(*where)) or 0)


def _window(start: datetime, end: datetime, include_cancelled: bool) -> list[ColumnElement[bool]]:
    where = [_M.c.starts_at >= start, _M.c.starts_at < end]
    if not include_cancelled:
        where.append(_M.c.status != MeetingStatus.GEANNULEERD)
    return where


def with_channel(*, session: Session, start: datetime, end: datetime, limit: int) -> list[MeetingRow]:
    """Coming meetings (not cancelled) of overleggen that have a channel of their own: for reminders."""
    stmt = _with_overleg(
        _O.c.channel_id.is_not(None),
        _O.c.channel_id != "",
        _M.c.status != MeetingStatus.GEANNULEERD,
        _M.c.starts_at > start,
        _M.c.starts_at < end,
    )
    return _rows(session, stmt.order_by(_M.c.starts_at, _M.c.id).limit(limit))


def all_meetings(*, session: Session, overleg_id: int | None = None) -> list[MeetingRow]:
    """Every meeting, oldest first (the calendar export)."""
    where = [] if overleg_id is None else [_M.c.overleg_id == overleg_id]
    return _rows(session, _with_overleg(*where).order_by(_M.c.starts_at, _M.c.id))


def count_meetings(*, session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(_M)) or 0)


def longest_deadline_rule(*, session: Session) -> int:
    """The most working days any overleg's deadline rule counts back."""
    return int(session.scalar(select(func.max(_O.c.deadline_working_days))) or 0)


# --- write paths: ORM objects for the services to change ------------------------------------------


def overleg_for_update(*, session: Session, key: str) -> Overleg | None:
    return session.scalar(select(Overleg).where(Overleg.key == key))


def meetings_by_uid(*, session: Session, uids: Iterable[str], series: Sequence[str]) -> dict[str, Meeting]:
    """The stored meetings with these iCalendar identities, and every occurrence of these series."""
    found: dict[str, Meeting] = {}
    wanted = sorted(set(uids))
    for i in range(0, len(wanted), 500):
        for item in session.scalars(select(Meeting).where(Meeting.uid.in_(wanted[i : i + 500]))):
            found[item.uid] = item
    for uid in set(series):
        stmt = select(Meeting).where(Meeting.uid.startswith(f"{uid}/", autoescape=True))
        for item in session.scalars(stmt):
            found[item.uid] = item
    return found


def coming_counts(*, session: Session, now: datetime) -> dict[str, int]:
    """Per overleg key (all of them, 0 included): the meetings still to come that are not cancelled."""
    coming = (
        (_M.c.overleg_id == _O.c.id) & (_M.c.starts_at > now) & (_M.c.status != MeetingStatus.GEANNULEERD)
    )
    stmt = select(_O.c.key, func.count(_M.c.id)).select_from(_O).outerjoin(_M, coming).group_by(_O.c.key)
    return {str(key): int(count) for key, count in session.connection().execute(stmt)}


def proposal_states(*, session: Session, meeting_id: int) -> dict[ProposalState, int]:
    """How many live proposals of a meeting are in each state (ingediend, geagendeerd, behandeld)."""
    stmt = (
        select(_P.c.state, func.count())
        .where(_P.c.meeting_id == meeting_id, _P.c.state.in_(LIVE_PROPOSAL_STATES))
        .group_by(_P.c.state)
    )
    return {ProposalState(state): int(count) for state, count in session.connection().execute(stmt)}
