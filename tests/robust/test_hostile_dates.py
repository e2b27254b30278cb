"""Hostile due dates: the date parser reads any text without raising, and the due-date check raises
only its own Dutch Refused."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.services.errors import Refused
from bot.text.due_dates import parse_date, parse_due_date
from tests.conftest import AMS

NOW = datetime(2023, 3, 1, 10, 0, tzinfo=AMS)
PHRASES = st.sampled_from(
    [
        "volgende week vrijdag",
        "over 2 weken",
        "morgen",
        "20 maart",
        "31-02-2023",
        "2023-13-45",
        "9999-12-31",
        "0001-01-01",
        "gisteren",
        "next friday",
        "in 3 days",
        "maandag",
        "ergens in de zomer",
        "32 juni",
        "1e3",
        "-1 dag",
        "over 99999999999 weken",
        "\u202e20-03-2023",
        "२०२३-०३-२०",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=80),
    st.tuples(PHRASES, st.text(max_size=10)).map(lambda t: t[0] + t[1]),
    st.tuples(st.text(max_size=10), PHRASES).map(lambda t: t[0] + t[1]),
    PHRASES,
)


@given(text=TEXTS)
def test_parse_date_never_raises(text: str) -> None:
    """Any text: a date or None, never an exception."""
    result = parse_date(text, now=NOW, tz=AMS)
    assert result is None or isinstance(result, date)


@given(text=TEXTS)
def test_due_date_refuses_only_with_a_dutch_message(text: str) -> None:
    """The due-date check returns a date from today on, or raises Refused with a message to act on."""
    refusal, due = "", None
    try:
        due = parse_due_date(text, now=NOW, tz=AMS)
    except Refused as exc:
        refusal = str(exc) or "(leeg)"
    if due is None:
        assert refusal not in {"", "(leeg)"}, "a refusal must say what to type"
    else:
        assert due >= NOW.date()
