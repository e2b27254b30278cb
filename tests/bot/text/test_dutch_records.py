"""Dutch dates for the records (archive, year report, trails): meeting spans, day ranges, trails, numbers."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.records.model import HistoryStep, MeetingRecord
from bot.records.year_report import meeting_days
from bot.text.dutch import day_range, decimal_text, join_words, meeting_span, trail

AMS = ZoneInfo("Europe/Amsterdam")


def _meeting(starts_at: datetime, ends_at: datetime | None, *, all_day: bool = False) -> MeetingRecord:
    return MeetingRecord(
        id=1,
        uid="uid-1",
        overleg_key="ivb",
        overleg_name="IVB",
        title="IVB",
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=all_day,
        location="",
        status="gepland",
    )


def _span(meeting: MeetingRecord) -> str:
    return meeting_span(meeting.starts_at, meeting.ends_at, meeting.all_day, AMS)


def test_timed_meeting_reads_with_weekday_date_and_clock_range() -> None:
    """A timed meeting reads "maandag 22 maart 2027, 09:30-12:00" in the bot's time zone."""
    meeting = _meeting(datetime(2027, 3, 22, 8, 30, tzinfo=UTC), datetime(2027, 3, 22, 11, 0, tzinfo=UTC))
    assert _span(meeting) == "maandag 22 maart 2027, 09:30–12:00"


def test_all_day_meeting_has_no_clock_time() -> None:
    """An all-day meeting shows its date and "(hele dag)", no 00:00."""
    meeting = _meeting(datetime(2027, 3, 22, tzinfo=AMS), datetime(2027, 3, 23, tzinfo=AMS), all_day=True)
    assert _span(meeting) == "maandag 22 maart 2027 (hele dag)"


def test_multi_day_all_day_meeting_is_a_range() -> None:
    """A two-day all-day meeting (exclusive end, as in iCalendar) reads "7-8 december 2027"."""
    meeting = _meeting(datetime(2027, 12, 7, tzinfo=AMS), datetime(2027, 12, 9, tzinfo=AMS), all_day=True)
    assert _span(meeting) == "7–8 december 2027"
    assert meeting_days(meeting, AMS) == "7–8 december"


def test_timed_meeting_over_two_days_names_both_days() -> None:
    """A timed meeting that ends the next day names both dates with their clock times."""
    meeting = _meeting(datetime(2027, 12, 7, 9, tzinfo=AMS), datetime(2027, 12, 8, 17, tzinfo=AMS))
    assert _span(meeting) == "dinsdag 7 december 2027, 09:00 – woensdag 8 december 2027, 17:00"


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2027, 12, 7), date(2027, 12, 7), "7 december 2027"),
        (date(2027, 11, 30), date(2027, 12, 1), "30 november – 1 december 2027"),
        (date(2027, 12, 30), date(2028, 1, 2), "30 december 2027 – 2 januari 2028"),
    ],
)
def test_day_ranges_across_months_and_years(first: date, last: date, expected: str) -> None:
    """Ranges name the month and year once where they are shared, and both where not."""
    assert day_range(first, last) == expected


def test_trail_uses_meeting_dates_and_ends_with_the_decision() -> None:
    """An item's trail reads "aangehouden 22 mrt → geagendeerd 28 jun → behandeld 28 jun: …"."""
    march = datetime(2027, 3, 22, 9, 30, tzinfo=AMS)
    june = datetime(2027, 6, 28, 9, 30, tzinfo=AMS)
    steps = (
        HistoryStep("aangehouden", at=march, meeting_starts_at=march),
        HistoryStep("geagendeerd", at=datetime(2027, 5, 1, tzinfo=AMS), meeting_starts_at=june),
        HistoryStep("behandeld", at=june, meeting_starts_at=june, note="Convenant wordt getekend."),
    )
    assert trail(steps, AMS) == (
        "aangehouden 22 mrt → geagendeerd 28 jun → behandeld 28 jun: Convenant wordt getekend."
    )


def test_trail_over_two_years_writes_the_years() -> None:
    """Steps in different years carry their year, so "13 nov" cannot be read as the wrong one."""
    steps = (
        HistoryStep("aangehouden", at=datetime(2023, 11, 13, 10, tzinfo=AMS)),
        HistoryStep("behandeld", at=datetime(2024, 3, 18, 10, tzinfo=AMS)),
    )
    assert trail(steps, AMS) == "aangehouden 13 nov 2023 → behandeld 18 mrt 2024"


def test_word_lists_and_numbers_are_dutch() -> None:
    """Lists join with "en", numbers use a decimal comma and drop a trailing ",0"."""
    assert join_words(["20 maart", "26 juni", "13 november"]) == "20 maart, 26 juni en 13 november"
    assert join_words(["20 maart"]) == "20 maart"
    assert decimal_text(7.5) == "7,5"
    assert decimal_text(12.0) == "12"
