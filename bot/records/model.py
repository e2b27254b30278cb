"""The records of meetings as plain, frozen values: the input of the archive and the year report.

Nothing here knows the database. A service (to be written) reads a meeting with its agenda items,
decisions and action points and hands them over in these shapes; the writers in `bot.records`
only read them.

Conventions, the same as the calendar code:
- every datetime is timezone-aware (stored UTC); dates are shown in the time zone the writer gets;
- an all-day meeting starts at local midnight of its first day and, when it has an end, ends at
  local midnight after its last day (iCalendar's exclusive DTEND); no end means one day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.text.dutch import last_local_day

MEETING_STATUSES = ("gepland", "verplaatst", "geannuleerd")
# What the secretariaat records per agenda item after the meeting; "" while nothing is recorded.
OUTCOMES = ("behandeld", "doorgeschoven", "vervallen", "")
ACTION_STATUSES = ("open", "afgerond")


def _require_aware(value: datetime | None, name: str) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


@dataclass(frozen=True)
class HistoryStep:
    """One step in an agenda item's life: `aangehouden` at the 22 March meeting, and so on.

    `meeting_starts_at` is the meeting the step refers to (the trail shows that date); without
    it the trail shows `at`, when the step was recorded. `note` is a reason or decision text.
    """

    state: str
    at: datetime
    meeting_starts_at: datetime | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _require_aware(self.at, "HistoryStep.at")
        _require_aware(self.meeting_starts_at, "HistoryStep.meeting_starts_at")

    @property
    def shown_at(self) -> datetime:
        """The moment the trail shows: the meeting's start, else when the step was recorded."""
        return self.meeting_starts_at or self.at


@dataclass(frozen=True)
class ActionRecord:
    """An action point: what, who (display name or Slack id), before when, and whether it is done.

    `item_id` links it to an agenda item of the same meeting; a confidential item's action points
    are confidential with it. `confidential` marks one as such on its own (say, one that stems
    from a confidential item of an earlier meeting). `created_at` and `closed_at` feed the year
    report's counts.
    """

    id: int
    text: str
    owner: str
    due_date: date | None
    status: str
    created_at: datetime
    item_id: int | None = None
    closed_at: datetime | None = None
    confidential: bool = False

    def __post_init__(self) -> None:
        if self.status not in ACTION_STATUSES:
            raise ValueError(f"unknown action status {self.status!r}")
        _require_aware(self.created_at, "ActionRecord.created_at")
        _require_aware(self.closed_at, "ActionRecord.closed_at")


@dataclass(frozen=True)
class AgendaItemRecord:
    """An agenda item as it stood on one meeting's agenda, with what that meeting did with it.

    The same proposal deferred from one meeting to the next appears in both meetings, with the
    same `id`: `doorgeschoven` in the first, perhaps `behandeld` in the second.
    """

    id: int
    position: int | None
    title: str
    explanation: str
    proposer: str
    outcome: str
    decision: str
    confidential: bool
    history: tuple[HistoryStep, ...] = ()
    proposed_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")
        _require_aware(self.proposed_at, "AgendaItemRecord.proposed_at")


@dataclass(frozen=True)
class MeetingRecord:
    """One meeting of an overleg with its agenda items and action points."""

    id: int
    uid: str
    overleg_key: str
    overleg_name: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    all_day: bool
    location: str
    status: str
    items: tuple[AgendaItemRecord, ...] = ()
    actions: tuple[ActionRecord, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in MEETING_STATUSES:
            raise ValueError(f"unknown meeting status {self.status!r}")
        _require_aware(self.starts_at, "MeetingRecord.starts_at")
        _require_aware(self.ends_at, "MeetingRecord.ends_at")

    @property
    def cancelled(self) -> bool:
        return self.status == "geannuleerd"

    def last_day(self, tz: ZoneInfo) -> date:
        """The local date the meeting ends on (an all-day end is exclusive, as in iCalendar)."""
        return last_local_day(self.starts_at, self.ends_at, self.all_day, tz)

    def ordered_items(self, *, public: bool) -> tuple[AgendaItemRecord, ...]:
        """The items in agenda order (unnumbered last); without the confidential ones if `public`."""
        items = sorted(
            self.items,
            key=lambda item: (item.position is None, item.position or 0, item.id),
        )
        return tuple(item for item in items if not (public and item.confidential))

    def visible_actions(self, *, public: bool) -> tuple[ActionRecord, ...]:
        """The action points by id; if `public`, without confidential ones or those of confidential items."""
        if not public:
            return tuple(sorted(self.actions, key=lambda action: action.id))
        hidden = {item.id for item in self.items if item.confidential}
        return tuple(
            action
            for action in sorted(self.actions, key=lambda action: action.id)
            if not action.confidential and action.item_id not in hidden
        )


@dataclass(frozen=True)
class OverlegYear:
    """One overleg's year, as the year report reads it.

    `participants` says who meets, as a plural phrase ("de ambtenaren OOV"); the annual text then
    reads "De ambtenaren OOV kwamen in 2023 bij elkaar op …". Empty: a neutral sentence naming
    the overleg. `meetings` are the year's meetings, cancelled ones included (the report leaves
    those out). `rejected` are the proposals for this overleg rejected in the year. `actions`
    are action points not already in a meeting's `actions` (duplicates by id count once).
    """

    key: str
    name: str
    participants: str
    meetings: tuple[MeetingRecord, ...]
    rejected: tuple[AgendaItemRecord, ...] = ()
    actions: tuple[ActionRecord, ...] = ()


@dataclass(frozen=True)
class YearInput:
    """Everything the year report needs. `as_of`, when given, is "now": a meeting that starts
    later has not been held yet, so a report made during the year speaks only of the past."""

    year: int
    tz: ZoneInfo
    overleggen: tuple[OverlegYear, ...]
    as_of: datetime | None = None

    def __post_init__(self) -> None:
        _require_aware(self.as_of, "YearInput.as_of")
