"""Plain, frozen results of the read queries: what services compute on and builders show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.models import Meeting, MeetingStatus, Overleg

_MEETING = Meeting.__table__
_OVERLEG = Overleg.__table__


@dataclass(frozen=True)
class OverlegRow:
    """An overleg: its key (`ivb`), name, aliases (lower case) and agenda-deadline rule."""

    id: int
    key: str
    name: str
    aliases: tuple[str, ...]
    deadline_days: int
    channel_id: str | None
    sort_order: int

    @classmethod
    def of(cls, overleg: Overleg) -> OverlegRow:
        return cls(
            id=overleg.id,
            key=overleg.key,
            name=overleg.name,
            aliases=tuple(overleg.alias_list),
            deadline_days=overleg.deadline_days,
            channel_id=overleg.channel_id,
            sort_order=overleg.sort_order,
        )

    @classmethod
    def from_mapping(cls, row: Mapping[Any, Any]) -> OverlegRow:
        c = _OVERLEG.c
        aliases = str(row[c.aliases] or "")
        return cls(
            id=row[c.id],
            key=row[c.key],
            name=row[c.name],
            aliases=tuple(a.strip() for a in aliases.split(",") if a.strip()),
            deadline_days=row[c.deadline_days],
            channel_id=row[c.channel_id],
            sort_order=row[c.sort_order],
        )


@dataclass(frozen=True)
class MeetingRow:
    """One meeting (vergadering) with its overleg; times are UTC and timezone-aware."""

    id: int
    overleg: OverlegRow
    starts_at: datetime
    ends_at: datetime | None
    all_day: bool
    location: str
    status: MeetingStatus
    uid: str
    sequence: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingRow:
        return cls(
            id=meeting.id,
            overleg=OverlegRow.of(meeting.overleg),
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            all_day=meeting.all_day,
            location=meeting.location,
            status=meeting.status,
            uid=meeting.uid,
            sequence=meeting.sequence,
            created_at=meeting.created_at,
            updated_at=meeting.updated_at,
        )

    @classmethod
    def from_mapping(cls, row: Mapping[Any, Any], overleg: OverlegRow) -> MeetingRow:
        c = _MEETING.c
        return cls(
            id=row[c.id],
            overleg=overleg,
            starts_at=row[c.starts_at],
            ends_at=row[c.ends_at],
            all_day=bool(row[c.all_day]),
            location=row[c.location] or "",
            status=MeetingStatus(row[c.status]),
            uid=row[c.uid],
            sequence=row[c.sequence],
            created_at=row[c.created_at],
            updated_at=row[c.updated_at],
        )
