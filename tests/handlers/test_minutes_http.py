"""Closing a meeting with a besluitenlijst from chat, through signed HTTP: the morning-after DM (once),
its button, the form in pages, errors on their field, the proposers' DMs, and `/ivb besluiten`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.blocks import ids
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.runtime.slack_client import make_web_client
from bot.schedule.jobs import minutes_job
from storage.models import ActionPoint, AgendaProposal, ProposalState
from tests.conftest import ADMIN, OFFICIAL
from tests.fakes.slack import FakeSlack
from tests.support.blockcheck import assert_valid_message, assert_valid_view
from tests.support.minutes_helpers import MORNING_AFTER_MARCH, agenda_items, ivb_with_items
from tests.support.proposal_helpers import (
    app_with_own_executor,
    button_values,
    opened_views,
    posts,
    wait_posts,
)
from tests.support.slackclient import HttpResult, SlackSender
from tests.support.waiting import wait_for

ADMIN_DM = "D" + ADMIN[1:]
OFFICIAL_DM = "D" + OFFICIAL[1:]
OTHER = "U0OFFICIAL2"
OWNER = "U0OWNER0001"
TITLES = [f"Punt {n:02d}" for n in range(1, 12)]  # 11 items plus one confidential: two pages


@pytest.fixture
def bolt_app(deps: Deps) -> Iterator[App]:
    with app_with_own_executor(deps) as app:
        yield app


@pytest.fixture
def meeting(deps: Deps, clock: FixedClock) -> int:
    """The IVB of 20 March 2023 with 12 items (one by someone else, confidential); it is the morning after."""
    meetings, _ = ivb_with_items(deps, TITLES, proposer=OFFICIAL)
    agenda_items(deps, ["Zwarte Zwaan"], proposer=OTHER, confidential=("Zwarte Zwaan",))
    clock.set(MORNING_AFTER_MARCH)
    return meetings[0]


def _items(deps: Deps) -> list[AgendaProposal]:
    with deps.sessions() as s:
        return list(s.scalars(select(AgendaProposal).order_by(AgendaProposal.id)))


def _element(field: str, value: str) -> dict[str, Any]:
    if field == ids.MINUTES_OUTCOME:
        return {"type": "radio_buttons", "selected_option": {"value": value} if value else None}
    if field == ids.MINUTES_OWNER:
        return {"type": "users_select", "selected_user": value or None}
    if field == ids.MINUTES_DUE:
        return {"type": "datepicker", "selected_date": value or None}
    return {"type": "plain_text_input", "value": value or None}


def submit_page(
    slack: SlackSender, view: dict[str, Any], answers: dict[int, dict[str, str]], *, user: str = ADMIN
) -> HttpResult:
    """Submit one page of the form as Slack does: every input block of the view, filled or empty."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] == "input":
            field, _, item = block["block_id"].partition(":")
            value = answers.get(int(item), {}).get(field, "")
            state[block["block_id"]] = {ids.INPUT_VALUE: _element(field, value)}
    payload = {
        "type": "view_submission",
        "user": {"id": user, "username": user.lower(), "team_id": "T0FAKE0001"},
        "trigger_id": "9.1234.abcdef",
        "view": {
            "id": "V0MINUTES01",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "state": {"values": state},
            "hash": "1.abc",
        },
    }
    result = slack.interaction(payload)
    assert result.status == 200
    return result


def _open_form(slack: SlackSender, fake: FakeSlack, meeting: int, user: str = ADMIN) -> dict[str, Any]:
    assert slack.block_action(ids.FILL_MINUTES, str(meeting), user_id=user, channel_id=ADMIN_DM).status == 200
    (view,) = wait_for(lambda: opened_views(fake), what="the besluitenlijst form")
    return view


def test_morning_after_dm_is_sent_once(
    deps: Deps, fake_slack: FakeSlack, meeting: int, bolt_app: App
) -> None:
    """The job DMs the secretariaat "Besluitenlijst invullen" once, however often it (or a replica) runs."""
    client = make_web_client(deps.settings)
    first = minutes_job(deps, client, MORNING_AFTER_MARCH)
    again = minutes_job(deps, client, MORNING_AFTER_MARCH)
    assert [o.status for o in first] == ["posted"]
    assert [o.status for o in again] == ["already"]
    (dm,) = posts(fake_slack, ADMIN_DM)
    assert "12 agendapunten wachten" in dm["blocks"][0]["text"]["text"]
    assert "Zwarte Zwaan" not in json.dumps(dm)
    assert button_values(dm, ids.FILL_MINUTES) == [str(meeting)]


def test_a_meeting_is_closed_from_chat(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, meeting: int
) -> None:
    """Two pages: the first (10 items) is saved and replaced by the second; proposers hear the outcome,
    the owner gets the action point, the secretariaat a confirmation."""
    items = {p.title: p.id for p in _items(deps)}
    view = _open_form(slack, fake_slack, meeting)
    assert view["title"]["text"] == "Besluitenlijst 1/2"
    assert view["submit"]["text"] == "Opslaan en verder"
    first = {
        items["Punt 01"]: {
            "uitkomst": "behandeld",
            "besluit": "Convenant wordt getekend.",
            "actie_tekst": "Tekst rondsturen",
            "actie_eigenaar": OWNER,
            "actie_datum": "2023-04-01",
        },
        items["Punt 02"]: {"uitkomst": "doorgeschoven"},
        items["Punt 03"]: {"uitkomst": "vervallen"},
    }
    answer = submit_page(slack, view, first).json()
    assert answer["response_action"] == "update"
    second = answer["view"]
    assert_valid_view(second)
    assert second["title"]["text"] == "Besluitenlijst 2/2"
    assert (
        submit_page(
            slack, second, {items["Zwarte Zwaan"]: {"uitkomst": "behandeld", "besluit": "Geheim."}}
        ).body
        == ""
    )
    states = {p.title: p.state for p in _items(deps)}
    assert states["Punt 01"] == ProposalState.BEHANDELD
    assert states["Punt 02"] == ProposalState.AANGEHOUDEN
    assert states["Punt 03"] == ProposalState.VERVALLEN
    assert states["Punt 04"] == ProposalState.GEAGENDEERD  # no outcome chosen: it waits
    (outcome_dm,) = wait_posts(fake_slack, OFFICIAL_DM, 1)
    text = json.dumps(outcome_dm)
    assert "is behandeld" in text
    assert "Convenant wordt getekend." in text
    assert "doorgeschoven naar de vergadering van *maandag 26 juni 2023, 09:30*" in text
    assert "is vervallen" in text
    assert "Tekst rondsturen" in text
    assert "Geheim." in json.dumps(wait_posts(fake_slack, "D" + OTHER[1:], 1))
    assert "Tekst rondsturen" in json.dumps(wait_posts(fake_slack, "D" + OWNER[1:], 1))
    with deps.sessions() as s:
        (action,) = s.scalars(select(ActionPoint)).all()
        assert (action.proposal_id, action.owner_id) == (items["Punt 01"], OWNER)
    # The deferred item's trail shows in /ivb open (its proposer asks).
    opened = json.dumps(slack.command("open mijn", user_id=OFFICIAL).json(), ensure_ascii=False)
    assert "Punt 02" in opened
    assert "Verloop: geagendeerd 20 mrt → aangehouden 20 mrt" in opened
    # Each saved page is confirmed: 9 items were left after the first page, 8 after the second.
    for left in (9, 8):
        wait_for(
            lambda left=left: any(
                f"Nog {left} agendapunten zonder uitkomst" in json.dumps(p)
                for p in posts(fake_slack, ADMIN_DM)
            ),
            what=f"the confirmation with {left} left",
        )


def test_errors_show_on_their_field_and_change_nothing(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, meeting: int
) -> None:
    """Behandeld without a decision is refused on that item's decision field; nothing is stored."""
    items = {p.title: p.id for p in _items(deps)}
    view = _open_form(slack, fake_slack, meeting)
    answer = submit_page(
        slack,
        view,
        {items["Punt 01"]: {"uitkomst": "vervallen"}, items["Punt 02"]: {"uitkomst": "behandeld"}},
    ).json()
    assert answer == {
        "response_action": "errors",
        "errors": {f"besluit:{items['Punt 02']}": "Schrijf kort op wat er is besloten of afgesproken."},
    }
    assert {p.state for p in _items(deps)} == {ProposalState.GEAGENDEERD}


def test_only_the_secretariaat_opens_or_saves_the_form(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, meeting: int
) -> None:
    """Someone else's click gets a refusal by DM and no form; a forged submission is refused on the form."""
    assert slack.block_action(ids.FILL_MINUTES, str(meeting), user_id=OFFICIAL).status == 200
    (refusal,) = wait_posts(fake_slack, OFFICIAL_DM, 1)
    assert "Alleen het secretariaat" in refusal["text"] + json.dumps(refusal["blocks"])
    assert opened_views(fake_slack) == []
    items = {p.title: p.id for p in _items(deps)}
    view = {
        "callback_id": ids.MINUTES_VIEW,
        "private_metadata": json.dumps({"m": meeting, "p": 0}),
        "blocks": [{"type": "input", "block_id": f"uitkomst:{items['Punt 01']}"}],
    }
    answer = submit_page(slack, view, {items["Punt 01"]: {"uitkomst": "vervallen"}}, user=OFFICIAL).json()
    assert answer["response_action"] == "errors"
    assert {p.state for p in _items(deps)} == {ProposalState.GEAGENDEERD}


def test_ivb_besluiten_shows_the_last_besluitenlijst(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, meeting: int
) -> None:
    """`/ivb besluiten` lists outcomes and decisions; others do not see the confidential item; the
    secretariaat gets a button for the items still open."""
    items = {p.title: p.id for p in _items(deps)}
    view = _open_form(slack, fake_slack, meeting)
    submit_page(slack, view, {items["Punt 01"]: {"uitkomst": "behandeld", "besluit": "Akkoord."}})
    second = submit_page(slack, view, {})  # nothing chosen on page 1: on to page 2
    submit_page(slack, second.json()["view"], {items["Zwarte Zwaan"]: {"uitkomst": "vervallen"}})
    public = slack.command("besluiten ivb", user_id=OFFICIAL).json()
    assert_valid_message(public)
    text = json.dumps(public)
    assert "Besluitenlijst Integraal Veiligheidsberaad" in text
    assert "Punt 01" in text
    assert "Akkoord." in text
    assert "Zwarte Zwaan" not in text
    assert button_values(public, ids.FILL_MINUTES) == []
    admin = slack.command("besluiten", user_id=ADMIN).json()
    assert "Zwarte Zwaan" in json.dumps(admin)
    assert button_values(admin, ids.FILL_MINUTES) == [str(meeting)]
    help_text = json.dumps(slack.command("help").json())
    assert "/ivb besluiten [overleg]" in help_text
