"""Plain, frozen results of the read queries: what services compute on and builders show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from storage.models import Meeting, MeetingStatus, Overleg

_MEETING = Meeting.__table__
_OVERLEG = Overleg.__table__


def _words(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


@dataclass(frozen=True)
class OverlegRow:
    """An overleg: its key (`ivb`), name, aliases (lower case), agenda-deadline rule and the title words
    of events that take no proposals."""

    id: int
    key: str
    name: str
    aliases: tuple[str, ...]
    deadline_working_days: int
    deadline_time: time | None
    deadline_version: int
    no_proposal_words: tuple[str, ...]
    channel_id: str | None
    sort_order: int
    short_name: str = ""

    @property
    def label(self) -> str:
        """The short name where there is one (`IVB`), else the full name."""
        return self.short_name or self.name

    @classmethod
    def of(cls, overleg: Overleg) -> OverlegRow:
        return cls(
            id=overleg.id,
            key=overleg.key,
            name=overleg.name,
            aliases=tuple(overleg.alias_list),
            deadline_working_days=overleg.deadline_working_days,
            deadline_time=overleg.deadline_time,
            deadline_version=overleg.deadline_version,
            no_proposal_words=_words(overleg.no_proposal_words),
            channel_id=overleg.channel_id,
            sort_order=overleg.sort_order,
            short_name=overleg.short_name or "",
        )

    @classmethod
    def from_mapping(cls, row: Mapping[Any, Any]) -> OverlegRow:
        c = _OVERLEG.c
        return cls(
            id=row[c.id],
            key=row[c.key],
            name=row[c.name],
            aliases=_words(str(row[c.aliases] or "")),
            deadline_working_days=row[c.deadline_working_days],
            deadline_time=row[c.deadline_time],
            deadline_version=row[c.deadline_version],
            no_proposal_words=_words(str(row[c.no_proposal_words] or "")),
            channel_id=row[c.channel_id],
            sort_order=row[c.sort_order],
            short_name=row[c.short_name] or "",
        )


@dataclass(frozen=True)
class MeetingRow:
    """One meeting (vergadering) with its overleg; times are UTC and timezone-aware.

    `title`, `description` and `online_url` are Outlook's own text ("" when unknown)."""

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
    title: str = ""
    description: str = ""
    online_url: str = ""
    takes_proposals: bool = True
    feed_sequence: int = 0

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
            title=meeting.title,
            description=meeting.description,
            online_url=meeting.online_url,
            takes_proposals=meeting.takes_proposals,
            feed_sequence=meeting.feed_sequence,
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
            title=row[c.title] or "",
            description=row[c.description] or "",
            online_url=row[c.online_url] or "",
            takes_proposals=bool(row[c.takes_proposals]),
            feed_sequence=row[c.feed_sequence],
        )
