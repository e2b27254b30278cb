"""Dutch due dates: dateparser plus the "volgende week <weekdag>" rule, relative to the clock."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.errors import Refused
from bot.text.due_dates import looks_like_date, parse_date, parse_due_date
from tests.conftest import AMS

NOW = datetime(2023, 3, 1, 10, 0, tzinfo=AMS)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 maart", date(2023, 3, 15)),
        ("15-3-2027", date(2027, 3, 15)),
        ("volgende week vrijdag", date(2023, 3, 10)),
        ("vrijdag volgende week", date(2023, 3, 10)),
        ("Volgende  week maandag", date(2023, 3, 6)),
        ("morgen", date(2023, 3, 2)),
        ("over 2 weken", date(2023, 3, 15)),
        ("1 februari", date(2024, 2, 1)),
    ],
)
def test_dutch_phrases_are_read(text: str, expected: date) -> None:
    """The phrases the secretariaat types are read relative to the injected clock."""
    assert parse_due_date(text, now=NOW, tz=AMS) == expected


def test_late_evening_utc_uses_the_local_day() -> None:
    """At 00:30 in Groningen (still the previous day in UTC) "morgen" is the next local day."""
    late = datetime(2023, 3, 1, 23, 30, tzinfo=AMS)
    assert parse_due_date("morgen", now=late, tz=AMS) == date(2023, 3, 2)


@pytest.mark.parametrize("text", ["blabla", "", "31-2-2023", "volgende week kermis"])
def test_unreadable_date_is_refused_with_an_example(text: str) -> None:
    """An unreadable date raises Refused whose Dutch message shows how to write one."""
    with pytest.raises(Refused, match="15 maart"):
        parse_due_date(text, now=NOW, tz=AMS)


def test_past_and_far_future_dates_are_refused() -> None:
    """A due date in the past or years ahead (a misreading like "32 maart") is refused."""
    with pytest.raises(Refused, match="verleden"):
        parse_due_date("15-3-2020", now=NOW, tz=AMS)
    with pytest.raises(Refused, match="vooruit"):
        parse_due_date("32 maart", now=NOW, tz=AMS)


def test_looks_like_date_separates_text_from_dates() -> None:
    """ "de burgemeester" is text, "15 maart" and "volgende week vrijdag" are dates."""
    assert not looks_like_date("de burgemeester")
    assert looks_like_date("15 maart")
    assert looks_like_date("volgende week vrijdag")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_parser_never_raises(text: str) -> None:
    """Whatever is typed, parse_date answers a date or None and never raises."""
    result = parse_date(text, now=NOW, tz=AMS)
    assert result is None or isinstance(result, date)
