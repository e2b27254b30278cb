"""Reading .ics files: icalendar parses, recurring-ical-events expands series; plain values come out.

Every event, and every occurrence of a series inside the window, becomes an `Occurrence`; the
importer (bot/calendar_io/importer.py) maps those onto meetings.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from bot.services.errors import Refused
from bot.text.dutch import dutch_date

logger = logging.getLogger(__name__)

# One-off events are taken whatever their date: this range only bounds the expansion.
_EVER_START = datetime(1900, 1, 1, tzinfo=UTC)
_EVER_END = datetime(2200, 1, 1, tzinfo=UTC)
# Properties whose value must parse, or the file is broken (not merely odd).
_VITAL = {"DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "RRULE", "EXDATE", "RDATE"}
LOCATION_MAX = 300
TITLE_MAX = 300
DESCRIPTION_MAX = 8000
URL_MAX = 500
# Where Outlook (Teams) and Google put the link to join; otherwise a known service's link in the
# location or the description.
_ONLINE_PROPERTIES = ("X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-GOOGLE-CONFERENCE")
_ONLINE_URL = re.compile(
    r"https://(?:[a-z0-9-]+\.)*(?:teams\.microsoft\.com|teams\.live\.com|zoom\.us|webex\.com"
    r"|meet\.google\.com|whereby\.com)/[^\s<>\"']+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Skipped:
    summary: str
    reason: str


@dataclass(frozen=True)
class Occurrence:
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
    # The title as written (SUMMARY, "" when none), the description, and the link to join online.
    title: str = ""
    description: str = ""
    online_url: str = ""
    # Its slot in the series (RECURRENCE-ID) in UTC; None for a one-off event.
    slot_starts_at: datetime | None = None


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


def _description(component: icalendar.Component) -> str:
    value = component.get("DESCRIPTION")
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\x00", "").strip()[:DESCRIPTION_MAX]


def online_url(component: icalendar.Component) -> str:
    """The link to join the meeting online: Teams' own property, else a Teams/Zoom/Webex/Meet link."""
    for name in _ONLINE_PROPERTIES:
        value = _text(component, name)
        if value.lower().startswith("https://"):
            return value[:URL_MAX]
    for name in ("LOCATION", "DESCRIPTION"):
        found = _ONLINE_URL.search(str(component.get(name) or ""))
        if found:
            return found.group(0).rstrip(".,;:)]>")[:URL_MAX]
    return ""


def _sequence(component: icalendar.Component) -> int:
    try:
        return int(component.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return 0


def parse_calendars(data: bytes) -> list[icalendar.Calendar]:
    """The calendars in `data`, or IcsError with one line saying what is wrong with the file."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise Refused("het bestand is leeg")
    if not head[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        raise Refused("dit is geen iCalendar-bestand (het begint niet met BEGIN:VCALENDAR)")
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except ValueError as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise Refused(f"het iCalendar-bestand is beschadigd ({detail})") from None
    except (TypeError, KeyError, AttributeError, IndexError) as exc:
        # icalendar trips over some damage (e.g. a VTIMEZONE with two TZIDs: AttributeError);
        # found by tests/robust/test_hostile_calendar.py.
        logger.debug("parsing the calendar failed", exc_info=True)
        raise Refused(f"het iCalendar-bestand is beschadigd ({type(exc).__name__})") from None
    result = [c for c in calendars if isinstance(c, icalendar.Calendar)]
    if not result:
        raise Refused("het iCalendar-bestand is onvolledig of beschadigd (geen volledige VCALENDAR)")
    for calendar in result:
        for event in calendar.walk("VEVENT"):
            for name, message in event.errors:
                if name in _VITAL:
                    uid = _text(event, "UID") or "zonder UID"
                    raise Refused(f"afspraak {uid} heeft een ongeldige {name} ({message[:80]})")
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


def occurrences(
    calendar: icalendar.Calendar,
    *,
    tz: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
    skipped: list[Skipped],
) -> list[Occurrence]:
    """Every event and series occurrence in the window; events without start or UID are skipped."""
    _drop_unusable(calendar, skipped)
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
        raise Refused(f"een afspraak(reeks) in het bestand klopt niet ({exc.message[:120]})") from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # Malformed input that the libraries do not report more precisely; the trace is for debugging.
        logger.debug("expanding the calendar failed", exc_info=True)
        raise Refused(f"het bestand kon niet worden gelezen ({type(exc).__name__})") from None
    result = [_occurrence(item, series, tz) for item in expanded]
    found = {occ.series_uid for occ in result}
    for uid in sorted(series - found):
        first = next(e for e in series_part.walk("VEVENT") if _text(e, "UID") == uid)
        window = f"{dutch_date(window_start, tz)} en {dutch_date(window_end, tz)}"
        reason = f"deze reeks heeft geen vergaderingen tussen {window}"
        skipped.append(Skipped(_text(first, "SUMMARY") or "(zonder titel)", reason))
    return result


def _drop_unusable(calendar: icalendar.Calendar, skipped: list[Skipped]) -> None:
    """Events without a start or a UID cannot become meetings: they are listed as skipped."""
    for event in list(calendar.subcomponents):
        if event.name != "VEVENT":
            continue
        problem = "" if "DTSTART" in event else "heeft geen begintijd (DTSTART)"
        if not problem and not _text(event, "UID"):
            problem = "heeft geen UID"
        if problem:
            skipped.append(Skipped(_text(event, "SUMMARY") or "(zonder titel)", problem))
            calendar.subcomponents.remove(event)


def _occurrence(item: icalendar.Component, series: set[str], tz: ZoneInfo) -> Occurrence:
    """One expanded event as plain values; an occurrence of a series is `UID/RECURRENCE-ID`."""
    uid = _text(item, "UID")
    start = item.decoded("DTSTART")
    starts_at = _to_utc(start, tz)
    end = item.decoded("DTEND") if "DTEND" in item else None
    if end is None and "DURATION" in item:
        end = start + item.decoded("DURATION")
    ends_at = _to_utc(end, tz) if end is not None else None
    if ends_at is not None and ends_at <= starts_at:
        ends_at = None
    meeting_uid, moved, slot_day, slot_at = uid, False, None, None
    if uid in series:
        recurrence = item.decoded("RECURRENCE-ID") if "RECURRENCE-ID" in item else start
        meeting_uid = f"{uid}/{_recurrence_key(recurrence, tz)}"
        slot_at = _to_utc(recurrence, tz)
        moved = slot_at != starts_at
        slot_day = slot_at.astimezone(tz).date()
    title = _text(item, "SUMMARY")[:TITLE_MAX]
    return Occurrence(
        meeting_uid=meeting_uid,
        series_uid=uid if uid in series else None,
        summary=title or "(zonder titel)",
        categories=_categories(item),
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=not isinstance(start, datetime),
        location=_text(item, "LOCATION")[:LOCATION_MAX],
        cancelled=_text(item, "STATUS").upper() == "CANCELLED",
        sequence=_sequence(item),
        moved_in_series=moved,
        slot_day=slot_day,
        title=title,
        description=_description(item),
        online_url=online_url(item),
        slot_starts_at=slot_at,
    )
