"""Agenda deadlines in working days: never on a Saturday, Sunday or Dutch public holiday; settable per
overleg; an all-day meeting's deadline is the end of a working day, never 00:00."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from bot.blocks.digest import build_deadline_reminder, build_digest_message
from bot.blocks.meetings import build_calendar
from bot.runtime.deps import Deps
from bot.services import calendar_admin, digest, meetings, reminders
from bot.services.deadlines import agenda_deadline, describe_rule
from bot.services.errors import Refused
from bot.services.working_days import is_working_day, working_days_before
from bot.text.when import deadline_day, dutch_deadline
from storage.queries.rows import MeetingRow
from tests.conftest import AMS
from tests.support.factories import add_meeting


def _row(deps: Deps, key: str, start: datetime, **kwargs: object) -> MeetingRow:
    with deps.sessions.begin() as s:
        return MeetingRow.of(add_meeting(s, key, start, **kwargs))  # type: ignore[arg-type]


def test_working_days_skip_weekends_and_holidays() -> None:
    """Ten working days before Thursday 31 December 2026 skip two weekends and Eerste Kerstdag."""
    assert working_days_before(date(2026, 12, 31), 10) == date(2026, 12, 16)
    assert working_days_before(date(2027, 4, 28), 1) == date(2027, 4, 26)  # Koningsdag, Tuesday 27 April
    assert working_days_before(date(2026, 12, 27), 0) == date(
        2026, 12, 24
    )  # a Sunday: the working day before


def test_jaarkalender_deadlines_never_fall_on_a_weekend(deps: Deps) -> None:
    """The biweekly Tuesday jaarkalender (2 working days) has Friday deadlines, never a Sunday."""
    first = datetime(2026, 9, 29, 9, 0, tzinfo=AMS)
    rows = [_row(deps, "jaarkalender", first + timedelta(days=14 * n)) for n in range(27)]
    deadlines = [agenda_deadline(row, tz=AMS) for row in rows]
    assert all(is_working_day(d.astimezone(AMS).date()) for d in deadlines)
    december = next(d for r, d in zip(rows, deadlines, strict=True) if r.starts_at.astimezone(AMS).day == 8)
    assert december.astimezone(AMS) == datetime(2026, 12, 4, 9, 0, tzinfo=AMS)


def test_all_day_deadline_is_the_end_of_a_working_day(deps: Deps) -> None:
    """An all-day IVB on 31 December: "uiterlijk woensdag 16 december", which counts the whole 16th."""
    meeting = _row(deps, "ivb", datetime(2026, 12, 31, tzinfo=AMS), days=1)
    deadline = agenda_deadline(meeting, tz=AMS)
    assert deadline_day(deadline, AMS) == date(2026, 12, 16)
    assert dutch_deadline(deadline, AMS) == "woensdag 16 december 2026"
    assert deadline > datetime(2026, 12, 16, 23, 59, tzinfo=AMS)
    assert deadline <= datetime(2026, 12, 17, 0, 0, tzinfo=AMS)


def test_deadline_rule_per_overleg(deps: Deps) -> None:
    """`vggbot overleg deadline ivb 10 12:00`: ten working days before, at noon; 00:00 and 61 are refused."""
    meeting_at = datetime(2026, 12, 14, 10, 0, tzinfo=AMS)
    with deps.sessions.begin() as s:
        overleg = calendar_admin.set_deadline_rule(session=s, key="ivb", working_days=10, at=time(12, 0))
        with pytest.raises(Refused, match="00:00"):
            calendar_admin.parse_time("00:00")
        with pytest.raises(Refused, match="0 tot 60"):
            calendar_admin.set_deadline_rule(session=s, key="ivb", working_days=61, at=None)
    assert overleg.deadline_version == 1
    assert describe_rule(overleg.deadline_working_days, overleg.deadline_time) == (
        "10 werkdagen vóór de vergadering, 12:00"
    )
    meeting = _row(deps, "ivb", meeting_at)
    all_day = _row(deps, "ivb", datetime(2026, 12, 31, tzinfo=AMS), days=1)
    assert agenda_deadline(meeting, tz=AMS) == datetime(2026, 11, 30, 12, 0, tzinfo=AMS)
    assert dutch_deadline(agenda_deadline(all_day, tz=AMS), AMS) == "woensdag 16 december 2026, 12:00"


def test_no_clock_time_for_all_day_and_multi_day_meetings(deps: Deps) -> None:
    """Kalender, digest and reminders show an all-day meeting without a time and a two-day one as a range."""
    _row(deps, "kob", datetime(2026, 12, 7, tzinfo=AMS), days=2, title="Heidag KOB")
    _row(deps, "ivb", datetime(2026, 12, 17, tzinfo=AMS), days=1)
    now = datetime(2026, 12, 1, 9, 0, tzinfo=AMS)
    with deps.sessions() as s:
        upcoming = meetings.read_upcoming(session=s, now=now, limit=10).meetings
        page = meetings.read_calendar_page(session=s, now=now, tz=AMS)
        found = digest.build_digest(session=s, at=now, since=now, tz=AMS, weeks_ahead=6)
    texts = [
        str(build_calendar(page, tz=AMS, now=now).blocks),
        str(build_digest_message(found, tz=AMS).blocks),
    ]
    ivb = next(m for m in upcoming if m.overleg.key == "ivb")
    deadline = agenda_deadline(ivb, tz=AMS)
    texts.append(str(build_deadline_reminder(ivb, deadline=deadline, tz=AMS, now=now).blocks))
    for text in texts:
        assert "00:00" not in text
    assert "7–8 dec" in texts[0]
    assert "7–8 dec 2026" in texts[1]
    assert "do 17 dec (hele dag)" in texts[0]
    assert "uiterlijk do 3 dec*" in texts[2]


def test_reminders_and_digest_skip_meetings_that_take_no_proposals(deps: Deps) -> None:
    """A werkbezoek has no agenda deadline: no deadline reminder, no deadline line in the digest."""
    with deps.sessions.begin() as s:
        reminders.apply_overleg_channels(session=s, channels={"ivb": "C0IVB00001"})
        add_meeting(
            s, "ivb", datetime(2026, 12, 14, 10, 0, tzinfo=AMS), title="IVB-werkbezoek", takes_proposals=False
        )
    at = datetime(2026, 11, 26, 8, 0, tzinfo=AMS)  # two days before the would-be deadline of 30 Nov
    with deps.sessions() as s:
        due = reminders.due_reminders(
            session=s, now=at, tz=AMS, days_before=2, at_time=time(8, 0), grace=timedelta(hours=12)
        )
        found = digest.build_digest(session=s, at=at, since=at, tz=AMS, weeks_ahead=6)
    assert [r.kind for r in due] == []
    assert found.deadlines_total == 0
    assert found.meetings_total == 1
