"""Importing an Outlook or Google calendar: events mapped onto meetings, in one transaction.

Reading the file is bot/calendar_io/parse.py's; matching an event to an overleg `matching`'s; applying
one occurrence `apply`'s. Afterwards nothing is stranded: the open proposals of cancelled meetings
(and of meetings that turn out to take no proposals) move to the overleg's next meeting, and the
people with open items on a moved meeting are listed. The import only returns that as plain data
(`ImportReport`); the caller tells the people, in the same transaction (`deps.followups.after_commit`).
Importing the same file twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.calendar_io.apply import (
    Changes,
    apply_occurrence,
    cancel_dropped_occurrences,
    cancel_vanished,
    follow_moved_series,
)
from bot.calendar_io.matching import match_event
from bot.calendar_io.parse import Occurrence, Skipped, occurrences, parse_calendars
from bot.calendar_io.report import ImportReport, ReportItem
from bot.services.overleggen import resolve_overleg
from bot.services.rehoming import place_unplanned, rehome_stranded, rescheduled
from storage.models import MeetingStatus
from storage.queries import calendar as calendar_queries
from storage.queries import meetings as queries

__all__ = ["ImportReport", "ReportItem", "import_calendar", "match_event"]

# Series are expanded from a year back to three years ahead of now: enough for the coming
# meetings and last year's history, without unbounded work on an endless RRULE.
WINDOW_BACK = timedelta(days=365)
WINDOW_AHEAD = timedelta(days=3 * 365)
_UID_MAX = 400


def read_occurrences(data: bytes, *, report: ImportReport, tz: ZoneInfo) -> dict[str, Occurrence]:
    """Every occurrence in the file by its identity; the same event twice: the newest wins."""
    latest: dict[str, Occurrence] = {}
    for calendar in parse_calendars(data):
        found = occurrences(
            calendar,
            tz=tz,
            window_start=report.window_start,
            window_end=report.window_end,
            skipped=report.skipped,
        )
        for occ in found:
            if occ.meeting_uid not in latest or occ.sequence >= latest[occ.meeting_uid].sequence:
                latest[occ.meeting_uid] = occ
    return latest


def import_calendar(
    *,
    session: Session,
    data: bytes,
    overleg_key: str | None,
    now: datetime,
    tz: ZoneInfo,
    source: str = "",
) -> ImportReport:
    """Add, move, cancel or update meetings from an .ics file; raises Refused before changing anything.

    `source` (a CALENDAR_SOURCES key) marks a synced calendar: a coming meeting it brought in earlier
    and no longer has was deleted in Outlook, and is cancelled.
    """
    calendar_queries.lock_imports(session)
    overleggen = queries.overleggen(session=session)
    forced = resolve_overleg(overleggen, overleg_key) if overleg_key else None
    report = ImportReport(window_start=now - WINDOW_BACK, window_end=now + WINDOW_AHEAD)
    report.coming_before = calendar_queries.count_coming(
        session=session, after=now, overleg_ids=[forced.id] if forced else None
    )
    latest = read_occurrences(data, report=report, tz=tz)
    series_sequence: dict[str, int] = {}
    for occ in latest.values():
        if occ.series_uid is not None:
            series_sequence[occ.series_uid] = max(series_sequence.get(occ.series_uid, 0), occ.sequence)
    existing = queries.meetings_by_uid(session=session, uids=latest, series=list(series_sequence))
    follow_moved_series(existing, latest, tz=tz)
    changes = Changes()
    for occ in sorted(latest.values(), key=lambda o: (o.starts_at, o.meeting_uid)):
        if len(occ.meeting_uid) > _UID_MAX:
            report.skipped.append(Skipped(occ.summary, f"de UID is langer dan {_UID_MAX} tekens"))
            continue
        match = forced or match_event(overleggen, summary=occ.summary, categories=occ.categories)
        if isinstance(match, str):
            report.skipped.append(Skipped(occ.summary, match))
            continue
        meeting = existing.get(occ.meeting_uid)
        apply_occurrence(session, occ, match, meeting, now=now, source=source, report=report, changes=changes)
    cancel_dropped_occurrences(existing, latest, series_sequence, now=now, report=report, changes=changes)
    session.flush()
    if source:
        gone = calendar_queries.coming_of_source(
            session=session, source=source, after=now, before=report.window_end
        )
        cancel_vanished([m for m in gone if m.uid not in latest], now=now, report=report, changes=changes)
    session.flush()
    _follow_up(session, changes, report=report, now=now)
    return report


def _follow_up(session: Session, changes: Changes, *, report: ImportReport, now: datetime) -> None:
    """Nothing stranded: proposals move on; who has open items on a moved meeting is listed."""
    known = {meeting.id for meeting in changes.stranded}
    changes.stranded.extend(
        m for m in calendar_queries.stranded_meetings(session=session) if m.id not in known
    )
    report.rehomed.extend(rehome_stranded(session=session, meetings=changes.stranded, now=now))
    report.rehomed.extend(place_unplanned(session=session, overleg_ids=changes.opened_for, now=now))
    told = frozenset(moved.proposal_id for moved in report.rehomed)
    for meeting, before in changes.moved:
        if meeting.status == MeetingStatus.GEANNULEERD or max(meeting.starts_at, before.starts_at) <= now:
            continue
        found = rescheduled(session=session, meeting=meeting, before=before, told=told)
        if found is not None:
            report.rescheduled.append(found)
