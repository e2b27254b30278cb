"""Open-item builders stay inside Slack's limits with the worst content a page can hold."""

from datetime import UTC, date, datetime

from bot.blocks.action_points import Viewer
from bot.blocks.home import build_home
from bot.blocks.open_items import build_open_items
from bot.services.home import HomeData
from bot.services.open_items import ActionItem, OpenPage, ProposalItem
from storage.models import ActionStatus, ProposalState
from tests.conftest import AMS
from tests.support.blockcheck import assert_valid_message, assert_valid_view

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
