"""One imported occurrence onto the meetings: added, moved, cancelled or updated; and what a calendar no
longer has (an EXDATE in a series, an event gone from a synced calendar) cancelled.

"Verplaatst" means the start differs from what people were told (`announced_starts_at`): a meeting
moved on its own (or an occurrence Outlook moved within its series) is verplaatst; a series whose
time changes as a whole is announced anew and is not N moved meetings. Every change we publish raises
the meeting's `feed_sequence`, so subscribed calendars take it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.calendar_io.parse import Occurrence, Skipped
from bot.calendar_io.report import ImportReport, ReportItem
from bot.services.calendar_admin import takes_proposals_by_title
from storage.models import Meeting, MeetingStatus
from storage.queries.rows import MeetingRow, OverlegRow


@dataclass
class Changes:
    """What applying saw, for the steps after it: proposals to move on, people to tell."""

    stranded: list[Meeting] = field(default_factory=list)  # cancelled, or no longer taking proposals
    moved: list[tuple[Meeting, MeetingRow]] = field(default_factory=list)  # (meeting, as it was)
    opened_for: set[int] = field(default_factory=set)  # overleggen with a new meeting that takes proposals


def _item(occ: Occurrence, overleg: OverlegRow, old: Meeting | None = None) -> ReportItem:
    return ReportItem(
        summary=occ.summary,
        overleg=overleg.name,
        starts_at=occ.starts_at,
        all_day=occ.all_day,
        old_starts_at=old.starts_at if old else None,
        old_all_day=old.all_day if old else False,
        ends_at=occ.ends_at,
    )


def _takes_proposals(occ: Occurrence, overleg: OverlegRow, meeting: Meeting | None) -> bool:
    if meeting is not None and meeting.proposals_set_by_hand:
        return meeting.takes_proposals
    return takes_proposals_by_title(occ.title, overleg.no_proposal_words)


def apply_occurrence(
    session: Session,
    occ: Occurrence,
    overleg: OverlegRow,
    meeting: Meeting | None,
    *,
    now: datetime,
    source: str,
    report: ImportReport,
    changes: Changes,
) -> None:
    if meeting is None:
        add_meeting(session, occ, overleg, now=now, source=source, report=report, changes=changes)
        return
    if occ.sequence < meeting.sequence:
        report.skipped.append(
            Skipped(occ.summary, f"oudere versie (SEQUENCE {occ.sequence}, al bekend: {meeting.sequence})")
        )
        return
    if source and meeting.source != source:
        meeting.source = source  # a synced calendar now brings this meeting
    takes = _takes_proposals(occ, overleg, meeting)
    time_changed = (meeting.starts_at, meeting.all_day) != (occ.starts_at, occ.all_day)
    was = (
        meeting.uid,
        meeting.ends_at,
        meeting.location,
        meeting.overleg_id,
        meeting.title,
        meeting.description,
    )
    now_is = (occ.meeting_uid, occ.ends_at, occ.location, overleg.id, occ.title, occ.description)
    other_changed = was != now_is or (meeting.online_url, meeting.takes_proposals) != (occ.online_url, takes)
    was_cancelled = meeting.status == MeetingStatus.GEANNULEERD
    if not (time_changed or other_changed or occ.cancelled != was_cancelled):
        report.unchanged += 1
        meeting.sequence = occ.sequence
        return
    before, before_row = _item(occ, overleg, meeting), MeetingRow.of(meeting)
    _update(session, meeting, occ, overleg, takes=takes, now=now)
    if occ.cancelled:
        if was_cancelled:
            report.updated.append(before)
        else:
            cancel(meeting, now=now, report=report, changes=changes, item=before, already_set=True)
        return
    series_shift = time_changed and occ.series_uid is not None and not occ.moved_in_series
    announced = before_row.starts_at if meeting.announced_starts_at is None else meeting.announced_starts_at
    meeting.announced_starts_at = occ.starts_at if series_shift else announced
    moved = occ.starts_at != meeting.announced_starts_at
    meeting.status = MeetingStatus.VERPLAATST if moved else MeetingStatus.GEPLAND
    if time_changed:
        report.moved.append(replace(before, series=series_shift))
        changes.moved.append((meeting, before_row))
    else:
        report.updated.append(before)
    if takes and (was_cancelled or not before_row.takes_proposals):
        changes.opened_for.add(overleg.id)
    if not takes:
        changes.stranded.append(meeting)


def _update(
    session: Session, meeting: Meeting, occ: Occurrence, overleg: OverlegRow, *, takes: bool, now: datetime
) -> None:
    meeting.starts_at, meeting.ends_at, meeting.all_day = occ.starts_at, occ.ends_at, occ.all_day
    if meeting.overleg_id != overleg.id:
        meeting.overleg_id = overleg.id
        session.expire(meeting, ["overleg"])  # read again on access: the relationship follows the id
    meeting.location, meeting.sequence, meeting.uid = occ.location, occ.sequence, occ.meeting_uid
    meeting.title, meeting.description, meeting.online_url = occ.title, occ.description, occ.online_url
    meeting.takes_proposals = takes
    meeting.feed_sequence += 1
    meeting.updated_at = now


def add_meeting(
    session: Session,
    occ: Occurrence,
    overleg: OverlegRow,
    *,
    now: datetime,
    source: str,
    report: ImportReport,
    changes: Changes,
) -> None:
    takes = _takes_proposals(occ, overleg, None)
    # An occurrence Outlook already moved within its series was announced at its slot.
    announced = occ.slot_starts_at if occ.moved_in_series and occ.slot_starts_at else occ.starts_at
    if occ.cancelled:
        status = MeetingStatus.GEANNULEERD
    else:
        status = MeetingStatus.VERPLAATST if occ.starts_at != announced else MeetingStatus.GEPLAND
    session.add(
        Meeting(
            overleg_id=overleg.id,
            starts_at=occ.starts_at,
            ends_at=occ.ends_at,
            all_day=occ.all_day,
            location=occ.location,
            title=occ.title,
            description=occ.description,
            online_url=occ.online_url,
            status=status,
            takes_proposals=takes,
            announced_starts_at=announced,
            uid=occ.meeting_uid,
            sequence=occ.sequence,
            source=source,
            created_at=now,
            updated_at=now,
        )
    )
    (report.cancelled if occ.cancelled else report.added).append(_item(occ, overleg))
    if takes and not occ.cancelled:
        changes.opened_for.add(overleg.id)


def cancel(
    meeting: Meeting,
    *,
    now: datetime,
    report: ImportReport,
    changes: Changes,
    item: ReportItem | None = None,
    already_set: bool = False,
) -> None:
    """Cancel a meeting: reported, counted when it was still to come, its proposals to be moved on."""
    if not already_set:
        meeting.feed_sequence += 1
        meeting.updated_at = now
    meeting.status = MeetingStatus.GEANNULEERD
    report.cancelled.append(
        item
        or ReportItem(
            summary=meeting.title or meeting.overleg.name,
            overleg=meeting.overleg.name,
            starts_at=meeting.starts_at,
            all_day=meeting.all_day,
            ends_at=meeting.ends_at,
        )
    )
    if meeting.starts_at > now:
        report.coming_cancelled += 1
    changes.stranded.append(meeting)


def cancel_dropped_occurrences(
    existing: dict[str, Meeting],
    latest: dict[str, Occurrence],
    series_sequence: dict[str, int],
    *,
    now: datetime,
    report: ImportReport,
    changes: Changes,
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
        cancel(meeting, now=now, report=report, changes=changes)


def cancel_vanished(gone: list[Meeting], *, now: datetime, report: ImportReport, changes: Changes) -> None:
    """Meetings a synced calendar brought in and no longer has: deleted in Outlook, so cancelled."""
    for meeting in gone:
        cancel(meeting, now=now, report=report, changes=changes)


def slot_day(meeting_uid: str, tz: ZoneInfo) -> date | None:
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


def follow_moved_series(existing: dict[str, Meeting], latest: dict[str, Occurrence], *, tz: ZoneInfo) -> None:
    """Moving a whole series in Outlook changes every RECURRENCE-ID with it. An occurrence we know
    that vanished, and a new one of the same series on the same day, are the same meeting, moved:
    it keeps its proposals, not cancelled and added."""
    fresh: dict[tuple[str, date], list[Occurrence]] = {}
    for occ in latest.values():
        if occ.series_uid is not None and occ.slot_day is not None and occ.meeting_uid not in existing:
            fresh.setdefault((occ.series_uid, occ.slot_day), []).append(occ)
    gone: dict[tuple[str, date], list[Meeting]] = {}
    for uid, meeting in existing.items():
        day = slot_day(uid, tz)
        if uid not in latest and day is not None:
            gone.setdefault((uid.rpartition("/")[0], day), []).append(meeting)
    for key, meetings in gone.items():
        candidates = fresh.get(key, [])
        if len(meetings) == 1 and len(candidates) == 1:
            del existing[meetings[0].uid]
            existing[candidates[0].meeting_uid] = meetings[0]
