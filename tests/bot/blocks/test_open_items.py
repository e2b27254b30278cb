"""Open-item builders stay inside Slack's limits with the worst content a page can hold."""

from datetime import UTC, date, datetime

from bot.blocks.action_points import Viewer
from bot.blocks.home import build_home
from bot.blocks.open_items import build_open_items
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.services.home import HomeData, home_data
from bot.services.open_items import ActionItem, OpenPage, ProposalItem
from storage.models import ActionStatus, MeetingStatus, ProposalState
from tests.conftest import AMS, OFFICIAL
from tests.support.blockcheck import assert_valid_message, assert_valid_view
from tests.support.factories import add_meeting
from tests.support.factories_open import add_action, add_proposal

CREATED = datetime(2023, 1, 1, tzinfo=UTC)
TODAY = date(2023, 3, 1)


def _worst_page() -> OpenPage:
    # Every proposal in its own group, every character one that escaping makes five times longer.
    proposals = [
        ProposalItem(
            i, "ivb", "&" * 200, i, CREATED, "&" * 150, "U0OFFICIAL1", ProposalState.INGEDIEND, CREATED
        )
        for i in range(10)
    ]
    actions = [
        ActionItem(
            i, "ivb", "<" * 200, None, ">" * 1000, "U0OFFICIAL1", date(2023, 2, 1), ActionStatus.OPEN, CREATED
        )
        for i in range(10)
    ]
    return OpenPage(proposals, 10_000, actions, 10_000, late=actions[:5], late_total=10_000)


def test_worst_open_page_is_valid() -> None:
    """Ten groups of escaped text, each with a decision menu, ten action points and five overdue ones
    with buttons: valid, at most 50 blocks, both Meer buttons last."""
    page = _worst_page()
    reply = build_open_items(
        page,
        viewer=Viewer("U0ADMIN0001", is_admin=True),
        scope="",
        scope_label="",
        mine=False,
        today=TODAY,
        tz=AMS,
    )
    assert_valid_message(reply.as_message())
    assert [e["action_id"] for e in reply.blocks[-1]["elements"]] == ["open_meer", "open_meer_acties"]


def test_worst_home_is_valid() -> None:
    """The Home view with full lists of the worst text stays a valid view of at most 100 blocks."""
    page = _worst_page()
    data = HomeData([], page.proposals, 10_000, page.actions, 10_000)
    view = build_home(data, viewer=Viewer("U0OFFICIAL1", is_admin=False), today=TODAY, tz=AMS)
    assert_valid_view(view)
    assert "10 van 10.000 getoond" in str(view["blocks"])


def test_home_puts_my_action_points_first_and_meetings_in_date_order(deps: Deps, clock: FixedClock) -> None:
    """My action points, then my proposals, then the next meetings soonest first with short dates; no
    second "VGG-bot" title; a passed deadline and a cancelled meeting say so."""
    now = clock.now()
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        add_meeting(s, "kob", datetime(2023, 3, 9, 14, 0, tzinfo=AMS))  # its deadline (23 Feb) has passed
        add_meeting(s, "3noord", datetime(2023, 3, 6, 10, 0, tzinfo=AMS))
        cancelled = add_meeting(s, "ivb", datetime(2023, 3, 13, 9, 30, tzinfo=AMS))
        cancelled.status = MeetingStatus.GEANNULEERD
        add_proposal(s, "ivb", "Op een geschrapte vergadering", OFFICIAL, created=now, meeting=cancelled)
        add_action(s, "ivb", "Rapport schrijven", OFFICIAL, created=now, due=date(2023, 3, 2))
        data = home_data(session=s, user_id=OFFICIAL, now=now, tz=AMS)
    view = build_home(data, viewer=Viewer(OFFICIAL, is_admin=False), today=TODAY, tz=AMS)
    assert_valid_view(view)
    headers = [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]
    assert headers == ["Mijn actiepunten", "Mijn voorstellen", "Volgende vergaderingen"]
    text = str(view["blocks"])
    assert "uiterlijk do 2 mrt (morgen)" in text  # the action point
    assert "~ma 13 mrt~ geannuleerd" in text
    meetings = next(b for b in reversed(view["blocks"]) if b["type"] == "section")["text"]["text"]
    assert meetings.index("3-Noord") < meetings.index("KOB-tafel") < meetings.index("IVB")
    ivb_line = "• *ma 20 mrt 09:30* IVB · _deadline ma 6 mrt 09:30"
    assert f"{ivb_line} (over 5 dagen)_" in meetings
    assert "KOB-tafel · _deadline voorbij_" in meetings
    assert "_Nog niet gepland: Groninger Agenda, Jaarkalender_" in meetings
