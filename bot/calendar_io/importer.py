"""Importing an Outlook or Google calendar: events mapped onto meetings, in one transaction.

Reading the file is bot/calendar_io/parse.py's; here each occurrence is matched to an overleg and
added, moved, cancelled or updated. Importing the same file twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.calendar_io.parse import Occurrence, Skipped, occurrences, parse_calendars
from bot.services.overleggen import names_of, resolve_overleg
from bot.text.dutch import normalise
from storage.models import Meeting, MeetingStatus
from storage.queries import meetings as queries
from storage.queries.rows import OverlegRow

# Series are expanded from a year back to three years ahead of now: enough for the coming
# meetings and last year's history, without unbounded work on an endless RRULE.
WINDOW_BACK = timedelta(days=365)
WINDOW_AHEAD = timedelta(days=3 * 365)
_UID_MAX = 400


@dataclass(frozen=True)
class ReportItem:
    """One meeting the import touched, for the summary."""

    summary: str
    overleg: str
    starts_at: datetime
    all_day: bool
    old_starts_at: datetime | None = None
    old_all_day: bool = False


@dataclass
class ImportReport:
    window_start: datetime
    window_end: datetime
    added: list[ReportItem] = field(default_factory=list)
    moved: list[ReportItem] = field(default_factory=list)
    cancelled: list[ReportItem] = field(default_factory=list)
    updated: list[ReportItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return len(self.added) + len(self.moved) + len(self.cancelled) + len(self.updated)


def match_event(
    overleggen: Sequence[OverlegRow], *, summary: str, categories: Iterable[str]
) -> OverlegRow | str:
    """The overleg an event belongs to, by CATEGORIES first, then the longest name or alias in SUMMARY.

    Returns the reason (Dutch) when it matches none, or several equally well.
    """
    names = [(overleg, names_of(overleg)) for overleg in overleggen]
    by_category = _by_category(names, categories)
    if by_category is not None:
        return by_category
    text = normalise(summary)
    best: dict[int, OverlegRow] = {}
    best_length = 0
    for overleg, known in names:
        for name in known:
            if not re.search(rf"(?<![0-9a-z]){re.escape(name)}(?![0-9a-z])", text):
                continue
            if len(name) > best_length:
                best, best_length = {overleg.id: overleg}, len(name)
            elif len(name) == best_length:
                best[overleg.id] = overleg
    if len(best) == 1:
        return next(iter(best.values()))
    if best:
        keys = ", ".join(sorted(o.key for o in best.values()))
        return f"past bij meer dan één overleg ({keys}); zet het overleg in CATEGORIES of gebruik --overleg"
    return "past bij geen overleg; noem het overleg in de titel of CATEGORIES, of gebruik --overleg"


def _by_category(names: list[tuple[OverlegRow, set[str]]], categories: Iterable[str]) -> OverlegRow | None:
    for category in categories:
        wanted = normalise(category)
        for overleg, known in names:
            if wanted in known:
                return overleg
    return None


def _item(occ: Occurrence, overleg: OverlegRow, old: Meeting | None = None) -> ReportItem:
    return ReportItem(
        summary=occ.summary,
        overleg=overleg.name,
        starts_at=occ.starts_at,
        all_day=occ.all_day,
        old_starts_at=old.starts_at if old else None,
        old_all_day=old.all_day if old else False,
    )


def import_calendar(
    *, session: Session, data: bytes, overleg_key: str | None, now: datetime, tz: ZoneInfo
) -> ImportReport:
    """Add, move, cancel or update meetings from an .ics file; raises IcsError before changing anything."""
    overleggen = queries.overleggen(session=session)
    forced = resolve_overleg(overleggen, overleg_key) if overleg_key else None
    calendars = parse_calendars(data)
    report = ImportReport(window_start=now - WINDOW_BACK, window_end=now + WINDOW_AHEAD)
    # The same event can appear twice (several calendars, or old and new versions): newest wins.
    latest: dict[str, Occurrence] = {}
    for calendar in calendars:
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
    series_sequence: dict[str, int] = {}
    for occ in latest.values():
        if occ.series_uid is not None:
            series_sequence[occ.series_uid] = max(series_sequence.get(occ.series_uid, 0), occ.sequence)
    existing = queries.meetings_by_uid(session=session, uids=latest, series=list(series_sequence))
    _follow_moved_series(existing, latest, tz=tz)
    for occ in sorted(latest.values(), key=lambda o: (o.starts_at, o.meeting_uid)):
        if len(occ.meeting_uid) > _UID_MAX:
            report.skipped.append(Skipped(occ.summary, f"de UID is langer dan {_UID_MAX} tekens"))
            continue
        match = forced or match_event(overleggen, summary=occ.summary, categories=occ.categories)
        if isinstance(match, str):
            report.skipped.append(Skipped(occ.summary, match))
            continue
        _apply(session, occ, match, existing.get(occ.meeting_uid), now=now, report=report)
    _cancel_dropped_occurrences(existing, latest, series_sequence, now=now, report=report)
    session.flush()
    return report


def _slot_day(meeting_uid: str, tz: ZoneInfo) -> date | None:
    """The local day encoded in an occurrence's identity `UID/yyyymmddThhmmssZ` or `UID/yyyymmdd`."""
    suffix = meeting_uid.rpartition("/")[2]
    try:
        if len(suffix) == 16:
            return datetime.strptime(suffix, "%Y%m%dT%H%M%S%z").astimezone(tz).date()
        if len(suffix) == 8 and suffix.isdigit():
            return date(int(suffix[:4]), int(suffix[4:6]), int(suffix[6:]))
    except ValueError:
        return None
    return None


def _follow_moved_series(
    existing: dict[str, Meeting], latest: dict[str, Occurrence], *, tz: ZoneInfo
) -> None:
    """Moving a whole series in Outlook changes every RECURRENCE-ID with it. An occurrence we know
    that vanished, and a new one of the same series on the same day, are the same meeting, moved:
    it keeps its proposals and is reported as verplaatst, not as cancelled and added."""
    fresh: dict[tuple[str, date], list[Occurrence]] = {}
    for occ in latest.values():
        if occ.series_uid is not None and occ.slot_day is not None and occ.meeting_uid not in existing:
            fresh.setdefault((occ.series_uid, occ.slot_day), []).append(occ)
    gone: dict[tuple[str, date], list[Meeting]] = {}
    for uid, meeting in existing.items():
        day = _slot_day(uid, tz)
        if uid not in latest and day is not None:
            gone.setdefault((uid.rpartition("/")[0], day), []).append(meeting)
    for key, meetings in gone.items():
        candidates = fresh.get(key, [])
        if len(meetings) == 1 and len(candidates) == 1:
            del existing[meetings[0].uid]
            existing[candidates[0].meeting_uid] = meetings[0]


def _apply(
    session: Session,
    occ: Occurrence,
    overleg: OverlegRow,
    meeting: Meeting | None,
    *,
    now: datetime,
    report: ImportReport,
) -> None:
    if meeting is None:
        _add(session, occ, overleg, now=now, report=report)
        return
    if occ.sequence < meeting.sequence:
        report.skipped.append(
            Skipped(occ.summary, f"oudere versie (SEQUENCE {occ.sequence}, al bekend: {meeting.sequence})")
        )
        return
    before = _item(occ, overleg, meeting)
    time_changed = (meeting.starts_at, meeting.all_day) != (occ.starts_at, occ.all_day)
    other_changed = (meeting.uid, meeting.ends_at, meeting.location, meeting.overleg_id) != (
        occ.meeting_uid,
        occ.ends_at,
        occ.location,
        overleg.id,
    )
    was_cancelled = meeting.status == MeetingStatus.GEANNULEERD
    if not (time_changed or other_changed or occ.cancelled != was_cancelled):
        report.unchanged += 1
        if occ.sequence != meeting.sequence:
            meeting.sequence = occ.sequence
        return
    meeting.starts_at, meeting.ends_at, meeting.all_day = occ.starts_at, occ.ends_at, occ.all_day
    if meeting.overleg_id != overleg.id:
        meeting.overleg_id = overleg.id
        session.expire(meeting, ["overleg"])  # read again on access: the relationship follows the id
    meeting.location, meeting.sequence = occ.location, occ.sequence
    meeting.uid = occ.meeting_uid
    meeting.updated_at = now
    if occ.cancelled:
        meeting.status = MeetingStatus.GEANNULEERD
        (report.cancelled if not was_cancelled else report.updated).append(before)
    elif time_changed:
        meeting.status = MeetingStatus.VERPLAATST
        report.moved.append(before)
    else:
        if was_cancelled:
            meeting.status = MeetingStatus.GEPLAND
        report.updated.append(before)


def _add(
    session: Session, occ: Occurrence, overleg: OverlegRow, *, now: datetime, report: ImportReport
) -> None:
    if occ.cancelled:
        status = MeetingStatus.GEANNULEERD
    else:
        status = MeetingStatus.VERPLAATST if occ.moved_in_series else MeetingStatus.GEPLAND
    session.add(
        Meeting(
            overleg_id=overleg.id,
            starts_at=occ.starts_at,
            ends_at=occ.ends_at,
            all_day=occ.all_day,
            location=occ.location,
            status=status,
            uid=occ.meeting_uid,
            sequence=occ.sequence,
            created_at=now,
            updated_at=now,
        )
    )
    (report.cancelled if occ.cancelled else report.added).append(_item(occ, overleg))


def _cancel_dropped_occurrences(
    existing: dict[str, Meeting],
    latest: dict[str, Occurrence],
    series_sequence: dict[str, int],
    *,
    now: datetime,
    report: ImportReport,
) -> None:
    """An occurrence we know that the series in the file no longer has (an EXDATE) is cancelled."""
    for uid, meeting in existing.items():
        series_uid = uid.rpartition("/")[0]
        if (
            uid in latest
            or series_uid not in series_sequence
            or meeting.status == MeetingStatus.GEANNULEERD
            or series_sequence[series_uid] < meeting.sequence
            or not report.window_start <= meeting.starts_at < report.window_end
        ):
            continue
        meeting.status = MeetingStatus.GEANNULEERD
        meeting.updated_at = now
        report.cancelled.append(
            ReportItem(
                summary=meeting.overleg.name,
                overleg=meeting.overleg.name,
                starts_at=meeting.starts_at,
                all_day=meeting.all_day,
            )
        )
