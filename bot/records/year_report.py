"""The year's overleggen in kaart: per overleg the numbers, and the annual report's own text.

`vggbot rapport jaar YYYY` (wired elsewhere) fills a `YearInput` and calls `build_year_report`;
`year_report_text` writes it as Markdown and CSV. The counting rules, which the Markdown also
states for its readers:

- held: not cancelled, and started in the year (before `as_of` when that is given);
- hours: start to end; an all-day meeting counts a working day of 8 hours per day; a timed
  meeting without an end is not counted in the hours (and counted apart);
- items: each agenda item once, with its last outcome at the year's held meetings (behandeld,
  doorgeschoven, vervallen); afgewezen: the proposals the input lists as rejected that year;
- items per meeting: every item on a held meeting's agenda, divided by the meetings held;
- days to handling: from the proposal (its `proposed_at`, else its first history step) to the
  local date of the meeting that handled it;
- action points: opened and closed in the year; overdue: at the end of the year (or `as_of`)
  still open with a due date before that day;
- confidential items count in the numbers, but their titles are never written in the report.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.records.model import ActionRecord, AgendaItemRecord, MeetingRecord, OverlegYear, YearInput
from bot.records.topics import RecurringTopic, TopicMention, recurring_topics
from bot.text.dutch import day_range, join_words, local_date

WORKING_DAY_MINUTES = 8 * 60


@dataclass(frozen=True)
class OverlegFigures:
    """One overleg's year in numbers, with its sentence and aandachtspunten for the annual report."""

    key: str
    name: str
    meetings_held: int
    hours: float
    meetings_without_end: int
    behandeld: int
    doorgeschoven: int
    vervallen: int
    afgewezen: int
    items_per_meeting: float | None
    days_to_handling_median: float | None
    days_to_handling_max: int | None
    actions_opened: int
    actions_closed: int
    actions_overdue: int
    sentence: str
    focus_titles: tuple[str, ...]


@dataclass(frozen=True)
class YearReport:
    """The report: `until` is the last day counted (31 December, or the day of `as_of`)."""

    year: int
    until: date
    overleggen: tuple[OverlegFigures, ...]
    recurring_topics: tuple[RecurringTopic, ...]


@dataclass(frozen=True)
class _Window:
    start: datetime
    end: datetime  # exclusive
    tz: ZoneInfo

    def holds(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end


def _window(data: YearInput) -> _Window:
    start = datetime(data.year, 1, 1, tzinfo=data.tz)
    end = datetime(data.year + 1, 1, 1, tzinfo=data.tz)
    if data.as_of is not None:
        end = max(start, min(end, data.as_of))
    return _Window(start, end, data.tz)


def _held_meetings(overleg: OverlegYear, window: _Window) -> list[MeetingRecord]:
    """The overleg's meetings held in the window, in order."""
    held = [
        meeting for meeting in overleg.meetings if not meeting.cancelled and window.holds(meeting.starts_at)
    ]
    return sorted(held, key=lambda meeting: (meeting.starts_at, meeting.id))


def _meeting_minutes(meeting: MeetingRecord, tz: ZoneInfo) -> int | None:
    if meeting.all_day:
        days = (meeting.last_day(tz) - local_date(meeting.starts_at, tz)).days + 1
        return days * WORKING_DAY_MINUTES
    if meeting.ends_at is None:
        return None
    return max(0, int((meeting.ends_at - meeting.starts_at).total_seconds() // 60))


def _proposed_on(item: AgendaItemRecord, tz: ZoneInfo) -> date | None:
    moment = item.proposed_at or (item.history[0].at if item.history else None)
    return local_date(moment, tz) if moment else None


def _days_to_handling(held: list[MeetingRecord], tz: ZoneInfo) -> list[int]:
    days: dict[int, int] = {}
    for meeting in held:
        for item in meeting.items:
            proposed = _proposed_on(item, tz)
            if item.outcome == "behandeld" and proposed is not None and item.id not in days:
                days[item.id] = max(0, (local_date(meeting.starts_at, tz) - proposed).days)
    return list(days.values())


def _final_outcomes(held: list[MeetingRecord]) -> dict[int, str]:
    final: dict[int, str] = {}
    for meeting in held:  # in date order, so a later outcome overwrites an earlier one
        for item in meeting.items:
            if item.outcome:
                final[item.id] = item.outcome
    return final


def _all_actions(overleg: OverlegYear) -> list[ActionRecord]:
    by_id = {action.id: action for meeting in overleg.meetings for action in meeting.actions}
    by_id.update({action.id: action for action in overleg.actions})
    return list(by_id.values())


def _is_overdue(action: ActionRecord, window: _Window) -> bool:
    if action.created_at >= window.end or action.due_date is None:
        return False
    closed_before_end = action.closed_at < window.end if action.closed_at else action.status == "afgerond"
    return not closed_before_end and action.due_date < local_date(window.end, window.tz)


def meeting_days(meeting: MeetingRecord, tz: ZoneInfo) -> str:
    """The meeting's day(s) without the year, for a sentence about one year: `20 maart`, `7-8 december`."""
    return day_range(local_date(meeting.starts_at, tz), meeting.last_day(tz), with_year=False)


def annual_sentence(overleg: OverlegYear, held: list[MeetingRecord], year: int, tz: ZoneInfo) -> str:
    """ "De ambtenaren OOV kwamen in 2023 bij elkaar op 20 maart, 26 juni en 13 november." """
    days = join_words(list(dict.fromkeys(meeting_days(meeting, tz) for meeting in held)))
    who = overleg.participants.strip()
    if who:
        subject = who[:1].upper() + who[1:]
        if not held:
            return f"{subject} kwamen in {year} niet bij elkaar."
        return f"{subject} kwamen in {year} bij elkaar op {days}."
    if not held:
        return f"Het overleg {overleg.name} kwam in {year} niet bij elkaar."
    return f"Het overleg {overleg.name} kwam in {year} {len(held)} keer bij elkaar: op {days}."


def focus_titles(held: list[MeetingRecord]) -> tuple[str, ...]:
    """Titles of the items handled (behandeld), in meeting order then agenda order; none confidential."""
    titles: dict[int, str] = {}
    for meeting in held:
        for item in meeting.ordered_items(public=True):
            if item.outcome == "behandeld":
                titles.setdefault(item.id, item.title)
    return tuple(titles.values())


def _figures(overleg: OverlegYear, window: _Window, year: int) -> OverlegFigures:
    tz = window.tz
    held = _held_meetings(overleg, window)
    minutes = [_meeting_minutes(meeting, tz) for meeting in held]
    outcomes = list(_final_outcomes(held).values())
    days = _days_to_handling(held, tz)
    actions = _all_actions(overleg)
    items_on_agendas = sum(len(meeting.items) for meeting in held)
    return OverlegFigures(
        key=overleg.key,
        name=overleg.name,
        meetings_held=len(held),
        hours=round(sum(m for m in minutes if m is not None) / 60, 1),
        meetings_without_end=minutes.count(None),
        behandeld=outcomes.count("behandeld"),
        doorgeschoven=outcomes.count("doorgeschoven"),
        vervallen=outcomes.count("vervallen"),
        afgewezen=len(overleg.rejected),
        items_per_meeting=round(items_on_agendas / len(held), 1) if held else None,
        days_to_handling_median=statistics.median(days) if days else None,
        days_to_handling_max=max(days) if days else None,
        actions_opened=sum(window.holds(action.created_at) for action in actions),
        actions_closed=sum(window.holds(action.closed_at) for action in actions),
        actions_overdue=sum(_is_overdue(action, window) for action in actions),
        sentence=annual_sentence(overleg, held, year, tz),
        focus_titles=focus_titles(held),
    )


def build_year_report(data: YearInput) -> YearReport:
    """The year's figures per overleg (in the input's order) and the topics shared between them."""
    window = _window(data)
    mentions = [
        TopicMention(overleg.name, local_date(meeting.starts_at, data.tz), item.title)
        for overleg in data.overleggen
        for meeting in _held_meetings(overleg, window)
        for item in meeting.ordered_items(public=True)
    ]
    return YearReport(
        year=data.year,
        until=local_date(window.end - timedelta(microseconds=1), data.tz),
        overleggen=tuple(_figures(overleg, window, data.year) for overleg in data.overleggen),
        recurring_topics=recurring_topics(mentions),
    )
