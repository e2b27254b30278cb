"""iCalendar import and export: the calendar the secretariaat keeps in Outlook (or Google), in and out.

Parsing is icalendar's, expanding series (RRULE, EXDATE, overridden and cancelled occurrences,
Google's X-WR-TIMEZONE) is recurring-ical-events'; this module only maps events onto meetings.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.calendar import agenda_deadline, find_overleg, list_overleggen, normalise
from bot.deps import Deps
from bot.formatting import dutch_date, dutch_datetime
from storage.models import Meeting, MeetingStatus, Overleg

logger = logging.getLogger(__name__)

PRODID = "-//Vereniging Groninger Gemeenten//VGG-bot//NL"
# Series are expanded from a year back to three years ahead of now: enough for the coming
# meetings and last year's history, without unbounded work on an endless RRULE.
WINDOW_BACK = timedelta(days=365)
WINDOW_AHEAD = timedelta(days=3 * 365)
# One-off events are taken whatever their date: this range only bounds the query.
_EVER_START = datetime(1900, 1, 1, tzinfo=UTC)
_EVER_END = datetime(2200, 1, 1, tzinfo=UTC)
# Properties whose value must parse, or the file is broken (not merely odd).
_VITAL = {"DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "RRULE", "EXDATE", "RDATE"}
_UID_MAX = 400
_LOCATION_MAX = 300


class IcsError(Exception):
    """The import or export cannot go ahead; the message is one Dutch line saying why."""


@dataclass(frozen=True)
class ReportItem:
    """One meeting the import touched, for the summary."""

    summary: str
    overleg: str
    starts_at: datetime
    all_day: bool
    old_starts_at: datetime | None = None
    old_all_day: bool = False


@dataclass(frozen=True)
class Skipped:
    summary: str
    reason: str


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


@dataclass(frozen=True)
class _Occurrence:
    """One event (or one occurrence of a series) from the file, as plain values."""

    meeting_uid: str
    series_uid: str | None
    summary: str
    categories: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime | None
    all_day: bool
    location: str
    cancelled: bool
    sequence: int
    # An occurrence of a series that Outlook moved away from its slot in the series.
    moved_in_series: bool
    # The local day of its slot in the series (RECURRENCE-ID); None for a one-off event.
    slot_day: date | None


# --- parsing ---------------------------------------------------------------------------------


def _to_utc(value: date | datetime, tz: ZoneInfo) -> datetime:
    """A DATE is midnight in `tz`; a floating time is wall-clock time in `tz`."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        return value.astimezone(UTC)
    return datetime.combine(value, time(), tzinfo=tz).astimezone(UTC)


def _recurrence_key(value: date | datetime, tz: ZoneInfo) -> str:
    """RECURRENCE-ID as `yyyymmddThhmmssZ` (UTC) or `yyyymmdd` for a date."""
    if isinstance(value, datetime):
        return _to_utc(value, tz).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def _text(component: icalendar.Component, name: str) -> str:
    value = component.get(name)
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def _categories(component: icalendar.Component) -> tuple[str, ...]:
    raw = component.get("CATEGORIES")
    if raw is None:
        return ()
    props = raw if isinstance(raw, list) else [raw]
    found: list[str] = []
    for prop in props:
        cats = getattr(prop, "cats", None)
        values = cats if cats is not None else str(prop).split(",")
        found.extend(str(c).strip() for c in values if str(c).strip())
    return tuple(found)


def _sequence(component: icalendar.Component) -> int:
    try:
        return int(component.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return 0


def parse_calendars(data: bytes) -> list[icalendar.Calendar]:
    """The calendars in `data`, or IcsError with one line saying what is wrong with the file."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise IcsError("het bestand is leeg")
    if not head[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        raise IcsError("dit is geen iCalendar-bestand (het begint niet met BEGIN:VCALENDAR)")
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except ValueError as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise IcsError(f"het iCalendar-bestand is beschadigd ({detail})") from None
    except (TypeError, KeyError, AttributeError, IndexError) as exc:
        # icalendar trips over some damage (e.g. a VTIMEZONE with two TZIDs: AttributeError);
        # found by tests/robust/test_hostile_calendar.py.
        logger.debug("parsing the calendar failed", exc_info=True)
        raise IcsError(f"het iCalendar-bestand is beschadigd ({type(exc).__name__})") from None
    result = [c for c in calendars if isinstance(c, icalendar.Calendar)]
    if not result:
        raise IcsError("het iCalendar-bestand is onvolledig of beschadigd (geen volledige VCALENDAR)")
    for calendar in result:
        for event in calendar.walk("VEVENT"):
            for name, message in event.errors:
                if name in _VITAL:
                    uid = _text(event, "UID") or "zonder UID"
                    raise IcsError(f"afspraak {uid} heeft een ongeldige {name} ({message[:80]})")
    return result


def _part(calendar: icalendar.Calendar, keep: Callable[[icalendar.Component], bool]) -> icalendar.Calendar:
    """A copy of `calendar` (its properties and time zones) with only the events `keep` accepts."""
    part = icalendar.Calendar()
    part.update(calendar)
    part.subcomponents = [c for c in calendar.subcomponents if c.name != "VEVENT" or keep(c)]
    return part


def _series_uids(calendar: icalendar.Calendar) -> set[str]:
    return {
        _text(e, "UID")
        for e in calendar.walk("VEVENT")
        if "RRULE" in e or "RDATE" in e or "RECURRENCE-ID" in e
    }


def _occurrences(
    calendar: icalendar.Calendar,
    *,
    tz: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
    report: ImportReport,
) -> list[_Occurrence]:
    """Every event and series occurrence in the window; events without start or UID are skipped."""
    for event in list(calendar.subcomponents):
        if event.name != "VEVENT":
            continue
        problem = "" if "DTSTART" in event else "heeft geen begintijd (DTSTART)"
        if not problem and not _text(event, "UID"):
            problem = "heeft geen UID"
        if problem:
            report.skipped.append(Skipped(_text(event, "SUMMARY") or "(zonder titel)", problem))
            calendar.subcomponents.remove(event)
    series = _series_uids(calendar)
    # Series are expanded inside the window; one-off events are taken whatever their date.
    series_part = _part(calendar, lambda e: _text(e, "UID") in series)
    singles_part = _part(calendar, lambda e: _text(e, "UID") not in series)
    try:
        expanded = [
            *recurring_ical_events.of(series_part).between(window_start, window_end),
            *recurring_ical_events.of(singles_part).between(_EVER_START, _EVER_END),
        ]
    except recurring_ical_events.InvalidCalendar as exc:
        raise IcsError(f"een afspraak(reeks) in het bestand klopt niet ({exc.message[:120]})") from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # Malformed input that the libraries do not report more precisely; the trace is for debugging.
        logger.debug("expanding the calendar failed", exc_info=True)
        raise IcsError(f"het bestand kon niet worden gelezen ({type(exc).__name__})") from None
    series_found: set[str] = set()
    result: list[_Occurrence] = []
    for item in expanded:
        uid = _text(item, "UID")
        start = item.decoded("DTSTART")
        all_day = not isinstance(start, datetime)
        starts_at = _to_utc(start, tz)
        end = item.decoded("DTEND") if "DTEND" in item else None
        if end is None and "DURATION" in item:
            end = start + item.decoded("DURATION")
        ends_at = _to_utc(end, tz) if end is not None else None
        if ends_at is not None and ends_at <= starts_at:
            ends_at = None
        if uid in series:
            series_found.add(uid)
            recurrence = item.decoded("RECURRENCE-ID") if "RECURRENCE-ID" in item else start
            meeting_uid = f"{uid}/{_recurrence_key(recurrence, tz)}"
            moved = _to_utc(recurrence, tz) != starts_at
            slot_day: date | None = _to_utc(recurrence, tz).astimezone(tz).date()
        else:
            meeting_uid, moved, slot_day = uid, False, None
        result.append(
            _Occurrence(
                meeting_uid=meeting_uid,
                series_uid=uid if uid in series else None,
                summary=_text(item, "SUMMARY") or "(zonder titel)",
                categories=_categories(item),
                starts_at=starts_at,
                ends_at=ends_at,
                all_day=all_day,
                location=_text(item, "LOCATION")[:_LOCATION_MAX],
                cancelled=_text(item, "STATUS").upper() == "CANCELLED",
                sequence=_sequence(item),
                moved_in_series=moved,
                slot_day=slot_day,
            )
        )
    for uid in sorted(series - series_found):
        first = next(e for e in series_part.walk("VEVENT") if _text(e, "UID") == uid)
        window = f"{dutch_date(window_start, tz)} en {dutch_date(window_end, tz)}"
        reason = f"deze reeks heeft geen vergaderingen tussen {window}"
        report.skipped.append(Skipped(_text(first, "SUMMARY") or "(zonder titel)", reason))
    return result


# --- matching events to overleggen -----------------------------------------------------------


def _names(overleg: Overleg) -> set[str]:
    return {
        n for n in (normalise(overleg.key), normalise(overleg.name), *map(normalise, overleg.alias_list)) if n
    }


def match_overleg(overleggen: Sequence[Overleg], *, summary: str, categories: Iterable[str]) -> Overleg | str:
    """The overleg an event belongs to, by CATEGORIES first, then the longest name or alias in SUMMARY.

    Returns the reason (Dutch) when it matches none, or several equally well.
    """
    names = [(overleg, _names(overleg)) for overleg in overleggen]
    for category in categories:
        wanted = normalise(category)
        for overleg, known in names:
            if wanted in known:
                return overleg
    text = normalise(summary)
    best: dict[int, Overleg] = {}
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


def resolve_overleg(*, session: Session, key: str) -> Overleg:
    overleg = find_overleg(session=session, text=key)
    if overleg is None:
        keys = ", ".join(o.key for o in list_overleggen(session=session))
        raise IcsError(f"onbekend overleg {key!r}; kies uit: {keys}")
    return overleg


# --- import ----------------------------------------------------------------------------------


def _existing(session: Session, uids: Iterable[str], series: Iterable[str]) -> dict[str, Meeting]:
    found: dict[str, Meeting] = {}
    wanted = sorted(set(uids))
    for i in range(0, len(wanted), 500):
        for meeting in session.scalars(select(Meeting).where(Meeting.uid.in_(wanted[i : i + 500]))):
            found[meeting.uid] = meeting
    for uid in set(series):
        stmt = select(Meeting).where(Meeting.uid.startswith(f"{uid}/", autoescape=True))
        for meeting in session.scalars(stmt):
            found[meeting.uid] = meeting
    return found


def _item(occ: _Occurrence, overleg: Overleg, old: Meeting | None = None) -> ReportItem:
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
    forced = resolve_overleg(session=session, key=overleg_key) if overleg_key else None
    calendars = parse_calendars(data)
    report = ImportReport(window_start=now - WINDOW_BACK, window_end=now + WINDOW_AHEAD)
    # The same event can appear twice (several calendars, or old and new versions): newest wins.
    latest: dict[str, _Occurrence] = {}
    for calendar in calendars:
        occurrences = _occurrences(
            calendar, tz=tz, window_start=report.window_start, window_end=report.window_end, report=report
        )
        for occ in occurrences:
            if occ.meeting_uid not in latest or occ.sequence >= latest[occ.meeting_uid].sequence:
                latest[occ.meeting_uid] = occ
    series_sequence: dict[str, int] = {}
    for occ in latest.values():
        if occ.series_uid is not None:
            series_sequence[occ.series_uid] = max(series_sequence.get(occ.series_uid, 0), occ.sequence)
    existing = _existing(session, latest, series_sequence)
    _follow_moved_series(existing, latest, tz=tz)
    overleggen = list_overleggen(session=session)
    for occ in sorted(latest.values(), key=lambda o: (o.starts_at, o.meeting_uid)):
        if len(occ.meeting_uid) > _UID_MAX:
            report.skipped.append(Skipped(occ.summary, f"de UID is langer dan {_UID_MAX} tekens"))
            continue
        match = forced or match_overleg(overleggen, summary=occ.summary, categories=occ.categories)
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
    existing: dict[str, Meeting], latest: dict[str, _Occurrence], *, tz: ZoneInfo
) -> None:
    """Moving a whole series in Outlook changes every RECURRENCE-ID with it. An occurrence we know
    that vanished, and a new one of the same series on the same day, are the same meeting, moved:
    it keeps its proposals and is reported as verplaatst, not as cancelled and added."""
    fresh: dict[tuple[str, date], list[_Occurrence]] = {}
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
    occ: _Occurrence,
    overleg: Overleg,
    meeting: Meeting | None,
    *,
    now: datetime,
    report: ImportReport,
) -> None:
    if meeting is None:
        if occ.cancelled:
            status = MeetingStatus.GEANNULEERD
        else:
            status = MeetingStatus.VERPLAATST if occ.moved_in_series else MeetingStatus.GEPLAND
        session.add(
            Meeting(
                overleg=overleg,
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
    meeting.location, meeting.overleg, meeting.sequence = occ.location, overleg, occ.sequence
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


def _cancel_dropped_occurrences(
    existing: dict[str, Meeting],
    latest: dict[str, _Occurrence],
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


# --- export ----------------------------------------------------------------------------------


def export_calendar(*, session: Session, overleg_key: str | None, tz: ZoneInfo, now: datetime) -> bytes:
    """All meetings (or one overleg's) as iCalendar that Outlook and Google import, with TZID times."""
    stmt = select(Meeting).order_by(Meeting.starts_at, Meeting.id)
    name = "VGG-overleggen"
    if overleg_key:
        overleg = resolve_overleg(session=session, key=overleg_key)
        stmt = stmt.where(Meeting.overleg_id == overleg.id)
        name = overleg.name
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    first: date | None = None
    last: date | None = None
    for meeting in session.scalars(stmt):
        calendar.add_component(_event(meeting, tz=tz, now=now))
        day = meeting.starts_at.astimezone(tz).date()
        first, last = first or day, day
    if first is not None and last is not None:
        # VTIMEZONE rules only for the years in use, so the file stays small.
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1)
        )
    ical: bytes = calendar.to_ical()
    return ical


def _event(meeting: Meeting, *, tz: ZoneInfo, now: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("created", meeting.created_at.astimezone(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    if meeting.all_day:
        event.add("dtstart", meeting.starts_at.astimezone(tz).date())
        if meeting.ends_at is not None:
            event.add("dtend", meeting.ends_at.astimezone(tz).date())
    else:
        event.add("dtstart", meeting.starts_at.astimezone(tz))
        if meeting.ends_at is not None:
            event.add("dtend", meeting.ends_at.astimezone(tz))
    event.add("summary", meeting.overleg.name)
    if meeting.location:
        event.add("location", meeting.location)
    cancelled = meeting.status == MeetingStatus.GEANNULEERD
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", meeting.sequence)
    event.add("categories", [meeting.overleg.key])
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("description", _description(meeting, tz))
    return event


def _description(meeting: Meeting, tz: ZoneInfo) -> str:
    lines = [f"{meeting.overleg.name}."]
    if meeting.status == MeetingStatus.GEANNULEERD:
        lines.append("Deze vergadering is geannuleerd.")
    else:
        if meeting.status == MeetingStatus.VERPLAATST:
            lines.append("Deze vergadering is verplaatst.")
        deadline = dutch_datetime(agenda_deadline(meeting, tz=tz), tz)
        lines.append(f"Agendadeadline: {deadline}. Agendapunten aandragen kan via /ivb in Slack.")
    return "\n".join(lines)


# --- command line ----------------------------------------------------------------------------


def _when(moment: datetime, all_day: bool, tz: ZoneInfo) -> str:
    return f"{dutch_date(moment, tz)} (hele dag)" if all_day else dutch_datetime(moment, tz)


def format_report(report: ImportReport, *, tz: ZoneInfo, source: str) -> str:
    """The Dutch summary that `vggbot calendar import` prints."""
    lines = [f"Agenda ingelezen uit {source}:"]

    def section(title: str, items: list[ReportItem]) -> None:
        lines.append(f"  {title}: {len(items)}")
        for it in items:
            when = _when(it.starts_at, it.all_day, tz)
            if it.old_starts_at is not None and title == "verplaatst":
                when = f"{_when(it.old_starts_at, it.old_all_day, tz)} → {when}"
            title_note = "" if normalise(it.summary) == normalise(it.overleg) else f" ({it.summary})"
            lines.append(f"    - {it.overleg}: {when}{title_note}")

    section("toegevoegd", report.added)
    section("verplaatst", report.moved)
    section("geannuleerd", report.cancelled)
    section("bijgewerkt", report.updated)
    lines.append(f"  ongewijzigd: {report.unchanged}")
    lines.append(f"  overgeslagen: {len(report.skipped)}")
    lines.extend(f"    - {s.summary!r}: {s.reason}" for s in report.skipped)
    if not report.changed:
        lines.append("Er is niets veranderd.")
    return "\n".join(lines)


def _fail(message: str) -> int:
    print(f"vggbot: {message}", file=sys.stderr)
    return 2


def import_command(deps: Deps, path: str, *, overleg_key: str | None) -> int:
    """`vggbot calendar import FILE.ics [--overleg KEY]`: 0 when imported; 2 on bad input (no change)."""
    file = Path(path)
    if file.is_dir():
        return _fail(f"{path} is een map; geef een .ics-bestand op")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return _fail(f"{path} bestaat niet")
    except OSError as exc:
        return _fail(f"kan {path} niet lezen ({exc.strerror or type(exc).__name__})")
    try:
        with deps.sessions.begin() as session:
            report = import_calendar(
                session=session,
                data=data,
                overleg_key=overleg_key,
                now=deps.clock.now(),
                tz=deps.settings.tz,
            )
    except IcsError as exc:
        return _fail(f"{path}: {exc}; er is niets veranderd")
    print(format_report(report, tz=deps.settings.tz, source=path))
    return 0


def export_command(deps: Deps, *, overleg_key: str | None) -> int:
    """`vggbot calendar export [--overleg KEY]`: iCalendar on stdout."""
    try:
        with deps.sessions.begin() as session:
            data = export_calendar(
                session=session, overleg_key=overleg_key, tz=deps.settings.tz, now=deps.clock.now()
            )
    except IcsError as exc:
        return _fail(str(exc))
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0
