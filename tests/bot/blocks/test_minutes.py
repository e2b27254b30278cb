"""The besluitenlijst's Block Kit stays within Slack's limits however long the agenda and its texts:
100 blocks and a 24-character title per modal page, 50 blocks a message, 3,000 characters a section."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.blocks.minutes import (
    ITEMS_PER_PAGE,
    build_last_minutes,
    build_minutes_dm,
    build_minutes_modal,
    build_outcome_dm,
    page_count,
)
from bot.records.model import HistoryStep
from bot.services.minutes import LastMinutes, Minutes, MinutesAction, MinutesItem
from bot.services.minutes_record import RecordedItem
from bot.services.open_items import ActionItem
from storage.models import ActionStatus, MeetingStatus, Outcome
from storage.queries.rows import MeetingRow, OverlegRow
from tests.conftest import AMS
from tests.support.blockcheck import assert_valid_message, assert_valid_view

START = datetime(2023, 3, 20, 8, 30, tzinfo=UTC)
LONG = "<!channel> & " + "t" * 137
OVERLEG = OverlegRow(1, "ivb", "Integraal Veiligheidsberaad", ("ivb",), 10, None, 1, (), None, 1)
MEETING = MeetingRow(
    1,
    OVERLEG,
    START,
    START + timedelta(hours=3),
    False,
    "Provinciehuis",
    MeetingStatus.GEPLAND,
    "uid-1",
    0,
    START,
    START,
)


def _action(n: int) -> MinutesAction:
    return MinutesAction(n, "a" * 1000, "U0OWNER0001", date(2023, 4, 1), "open", START, None, n, False, "U0X")


def _item(n: int, outcome: str = "") -> MinutesItem:
    history = tuple(
        HistoryStep("aangehouden", at=START - timedelta(days=90 * k), note="reden " * 150) for k in range(4)
    )
    return MinutesItem(
        proposal_id=n,
        position=n,
        title=LONG,
        explanation="e" * 2000,
        proposer_id="U0OFFICIAL1",
        confidential=n % 5 == 0,
        proposed_at=START,
        outcome=outcome,
        decision="b" * 1000 if outcome else "",
        next_meeting_at=None,
        history=history,
        actions=(_action(n),),
    )


def test_a_long_agenda_is_split_into_valid_pages() -> None:
    """25 open items: three pages of at most 10, each a valid modal under 100 blocks with its own title."""
    minutes = Minutes(MEETING, tuple(_item(n) for n in range(1, 26)), ())
    assert page_count(minutes) == 3
    titles = []
    for page in range(3):
        view = build_minutes_modal(minutes, page=page, tz=AMS)
        assert_valid_view(view)
        assert len(view["blocks"]) <= 100
        titles.append((view["title"]["text"], view["submit"]["text"]))
    assert titles == [
        ("Besluitenlijst 1/3", "Opslaan en verder"),
        ("Besluitenlijst 2/3", "Opslaan en verder"),
        ("Besluitenlijst 3/3", "Opslaan"),
    ]
    assert ITEMS_PER_PAGE * 6 + 2 <= 100


def test_a_fully_recorded_page_only_shows() -> None:
    """Everything recorded: the page lists the outcomes and has no submit button."""
    view = build_minutes_modal(Minutes(MEETING, (_item(1, "behandeld"),), ()), page=0, tz=AMS)
    assert_valid_view(view)
    assert "submit" not in view


def test_besluiten_reply_and_dms_fit_a_message() -> None:
    """60 recorded items with trails and action points: `/ivb besluiten` stays a valid message; the
    outcome DM and the morning-after DM too."""
    minutes = Minutes(MEETING, tuple(_item(n, "behandeld") for n in range(1, 61)), (_action(99),))
    reply = build_last_minutes(LastMinutes(OVERLEG, minutes, MEETING, 3), tz=AMS, is_admin=True)
    assert_valid_message(reply.as_message())
    assert "&lt;!channel&gt;" in str(reply.blocks)
    action = ActionItem(1, "ivb", "IVB", START, "a" * 1000, "U0OWNER0001", None, ActionStatus.OPEN, START)
    recorded = [
        RecordedItem(n, LONG, "U0OFFICIAL1", False, outcome, "b" * 1000, MEETING, (action,))
        for n, outcome in enumerate(Outcome, start=1)
    ]
    assert_valid_message(build_outcome_dm(recorded, meeting=MEETING, tz=AMS).as_message())
    assert_valid_message(build_minutes_dm(MEETING, pending=12, tz=AMS).as_message())
