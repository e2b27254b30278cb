"""From the database to the records (`bot.records.model`): the archive's meetings and the year's input.

A meeting's items are its besluitenlijst (`minutes.read_minutes`): recorded outcomes, and what is still
geagendeerd on it; each with its trail. The public archive (`public=True`) also leaves out personal
data: who proposed an item and who owns an action point are Slack ids of officials, which the Woo
(art. 5.1 lid 2e) has left out of what is made public. Confidential items are left out by the writers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.orm import Session

from bot.records.model import ActionRecord, AgendaItemRecord, MeetingRecord, OverlegYear, YearInput
from bot.services.minutes import MinutesAction, MinutesItem, read_minutes
from bot.services.overleggen import resolve_overleg
from storage.queries import meetings as meeting_queries
from storage.queries import records as queries
from storage.queries.rows import MeetingRow, OverlegRow

MEETINGS_A_YEAR = 1000
# Who meets, for the annual report's sentence ("De ambtenaren OOV kwamen in 2023 bij elkaar op …"), in
# the seed's own words; other overleggen get a neutral sentence that names them.
PARTICIPANTS = {"ivb": "de ambtenaren OOV"}


def _year(year: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _item(item: MinutesItem, *, public: bool) -> AgendaItemRecord:
    return AgendaItemRecord(
        id=item.proposal_id,
        position=item.position,
        title=item.title,
        explanation=item.explanation,
        proposer="" if public else item.proposer_id,
        outcome=item.outcome,
        decision=item.decision,
        confidential=item.confidential,
        history=item.history,
        proposed_at=item.proposed_at,
    )


def _action(action: MinutesAction, *, public: bool) -> ActionRecord:
    return ActionRecord(
        id=action.id,
        text=action.text,
        owner="" if public else action.owner_id,
        due_date=action.due_date,
        status=action.status,
        created_at=action.created_at,
        item_id=action.proposal_id,
        closed_at=action.completed_at,
        confidential=action.confidential,
    )


def meeting_record(session: Session, meeting: MeetingRow, *, public: bool = False) -> MeetingRecord:
    """One meeting with its besluitenlijst and action points, as the archive writes it."""
    minutes = read_minutes(session=session, meeting=meeting)
    actions = [a for item in minutes.items for a in item.actions] + list(minutes.loose_actions)
    return MeetingRecord(
        id=meeting.id,
        uid=meeting.uid,
        overleg_key=meeting.overleg.key,
        overleg_name=meeting.overleg.name,
        title=meeting.overleg.name,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        all_day=meeting.all_day,
        location=meeting.location,
        status=meeting.status.value,
        items=tuple(_item(item, public=public) for item in minutes.items),
        actions=tuple(_action(action, public=public) for action in actions),
    )


def _meetings(session: Session, overleg: OverlegRow, year: int, tz: ZoneInfo) -> list[MeetingRow]:
    start, end = _year(year, tz)
    return meeting_queries.in_window(
        session=session, start=start, end=end, limit=MEETINGS_A_YEAR, overleg_id=overleg.id
    )


def archive_meetings(
    *, session: Session, overleg: str, year: int, tz: ZoneInfo, public: bool
) -> tuple[OverlegRow, list[MeetingRecord]]:
    """The overleg's meetings that start in `year` (local time), cancelled ones included; Refused if
    the overleg is unknown."""
    body = resolve_overleg(meeting_queries.overleggen(session=session), overleg)
    meetings = _meetings(session, body, year, tz)
    return body, [meeting_record(session, meeting, public=public) for meeting in meetings]


def _rejected(row: Row[Any]) -> AgendaItemRecord:
    return AgendaItemRecord(
        id=row.id,
        position=None,
        title=row.title,
        explanation=row.explanation or "",
        proposer=row.proposer_id,
        outcome="",
        decision=row.reason or "",
        confidential=bool(row.confidential),
        proposed_at=row.created_at,
    )


def _other_action(row: Row[Any]) -> ActionRecord:
    return ActionRecord(
        id=row.id,
        text=row.text,
        owner=row.owner_id,
        due_date=row.due_date,
        status=str(row.status.value),
        created_at=row.created_at,
        item_id=row.proposal_id,
        closed_at=row.completed_at,
        confidential=bool(row.confidential),
    )


def overleg_year(session: Session, overleg: OverlegRow, year: int, tz: ZoneInfo) -> OverlegYear:
    start, end = _year(year, tz)
    meetings = [meeting_record(session, meeting) for meeting in _meetings(session, overleg, year, tz)]
    others = queries.other_actions(
        session=session, overleg_id=overleg.id, start=start, end=end, meeting_ids=[m.id for m in meetings]
    )
    rejected = queries.rejected(session=session, overleg_id=overleg.id, start=start, end=end)
    return OverlegYear(
        key=overleg.key,
        name=overleg.name,
        participants=PARTICIPANTS.get(overleg.key, ""),
        meetings=tuple(meetings),
        rejected=tuple(_rejected(row) for row in rejected),
        actions=tuple(_other_action(row) for row in others),
    )


def year_input(*, session: Session, year: int, tz: ZoneInfo, as_of: datetime | None) -> YearInput:
    """Every overleg's year, in menu order; with `as_of` ("now") a report made during the year speaks
    only of the past."""
    overleggen = meeting_queries.overleggen(session=session)
    return YearInput(
        year=year,
        tz=tz,
        overleggen=tuple(overleg_year(session, overleg, year, tz) for overleg in overleggen),
        as_of=as_of,
    )
