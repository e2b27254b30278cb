"""Small iCalendar files for tests, written the way Outlook writes them (TZID times, UID, SEQUENCE)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Wall-clock time in Amsterdam."""
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def _stamp(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f";TZID={AMSTERDAM}:{value.astimezone(AMSTERDAM):%Y%m%dT%H%M%S}"
    return f";VALUE=DATE:{value:%Y%m%d}"


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None = None
    sequence: int = 0
    status: str = ""
    location: str = ""
    description: str = ""
    extra: tuple[str, ...] = field(default=())  # raw lines: RRULE:…, EXDATE…, X-MICROSOFT-…

    def lines(self) -> list[str]:
        out = ["BEGIN:VEVENT", f"UID:{self.uid}", "DTSTAMP:20261101T000000Z", f"DTSTART{_stamp(self.start)}"]
        if self.end is not None:
            out.append(f"DTEND{_stamp(self.end)}")
        out += [f"SEQUENCE:{self.sequence}", f"SUMMARY:{self.summary}"]
        if self.status:
            out.append(f"STATUS:{self.status}")
        if self.location:
            out.append(f"LOCATION:{self.location}")
        if self.description:
            out.append("DESCRIPTION:" + self.description.replace("\n", "\\n"))
        return [*out, *self.extra, "END:VEVENT"]


def calendar(*events: Event) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN"]
    for event in events:
        lines += event.lines()
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
