"""`/ivb kalender [overleg]` with its "Meer", and `/ivb volgende`'s "Agendapunt voorstellen" button,
through signed HTTP requests."""

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.runtime.app import create_app
from bot.runtime.deps import Deps
from bot.runtime.slack_client import make_web_client
from storage.models import ProposalState
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.fakes.slack import FakeSlack
from tests.support.blockcheck import assert_valid_message, assert_valid_view
from tests.support.factories import add_meeting
from tests.support.factories_open import add_proposal
from tests.support.slackclient import SlackSender
from tests.support.waiting import InlineExecutor


@pytest.fixture
def bolt_app(deps: Deps) -> Any:
    """Clicks are answered inside the request, so each test reads what was sent when the call returns."""
    return create_app(deps, client=make_web_client(deps.settings), listener_executor=InlineExecutor())


OTHER = "U0OTHER0001"
GEAGENDEERD = ProposalState.GEAGENDEERD


def _message(call_args: dict[str, Any]) -> dict[str, Any]:
    blocks = call_args.get("blocks")
    return {
        "text": call_args.get("text"),
        "blocks": json.loads(blocks) if isinstance(blocks, str) else blocks,
    }


def _more_button(message: dict[str, Any]) -> dict[str, Any]:
    element: dict[str, Any] = message["blocks"][-1]["elements"][0]
    assert element["action_id"] == "kalender_meer"
    return element


def test_kalender_shows_eight_weeks_and_meer_replaces_it_in_place(
    slack: SlackSender, deps: Deps, fake_slack: FakeSlack
) -> None:
    """A weekly jaarkalender for a year: `/ivb kalender` shows the eight weeks from today (8 meetings),
    and "Meer" replaces the message through the response_url with the next eight weeks."""
    with deps.sessions.begin() as s:
        for week in range(52):
            add_meeting(s, "jaarkalender", datetime(2023, 3, 7, 9, 0, tzinfo=AMS) + timedelta(weeks=week))
    first = slack.command("kalender", user_id=OFFICIAL).json()
    assert_valid_message(first)
    assert first["text"] == "Kalender: 8 vergaderingen, wo 1 mrt t/m di 25 apr"
    assert "di 25 apr 09:00" in str(first["blocks"])
    assert "di 2 mei" not in str(first["blocks"][:-1])
    button = _more_button(first)
    assert button["text"]["text"] == "Meer: vanaf di 2 mei"
    extra = {"response_url": fake_slack.response_url, "container": {"type": "message", "is_ephemeral": True}}
    slack.block_action("kalender_meer", button["value"], user_id=OFFICIAL, extra=extra)
    (replaced,) = fake_slack.responses()
    assert replaced.args["replace_original"] is True
    second = _message(replaced.args)
    assert_valid_message(second)
    assert second["text"] == "Kalender: 8 vergaderingen, di 2 mei t/m ma 26 jun"
    assert "di 25 apr" not in str(second["blocks"])
    assert fake_slack.calls_to("chat.postEphemeral") == []


def test_kalender_of_one_overleg_skips_empty_weeks(slack: SlackSender, deps: Deps) -> None:
    """`/ivb kalender ivb` with the IVB three times a year: the weeks from the next one, and only the IVB;
    an unknown overleg gets the valid keys."""
    with deps.sessions.begin() as s:
        add_meeting(s, "kob", datetime(2023, 3, 16, 14, 0, tzinfo=AMS))
        add_meeting(s, "ivb", datetime(2023, 6, 26, 9, 30, tzinfo=AMS))
        add_meeting(s, "ivb", datetime(2023, 11, 13, 9, 30, tzinfo=AMS))
    body = slack.command("kalender ivb", user_id=OFFICIAL).json()
    assert_valid_message(body)
    assert body["blocks"][0]["text"]["text"] == "Kalender IVB"
    text = str(body["blocks"])
    assert "• *ma 26 jun 09:30* IVB" in text
    assert "KOB" not in text
    assert _more_button(body)["text"]["text"] == "Meer: vanaf ma 13 nov"
    unknown = slack.command("kalender brandweer", user_id=OFFICIAL).json()
    assert "`kob`" in unknown["text"]


def test_a_broken_meer_value_starts_from_now(slack: SlackSender, deps: Deps, fake_slack: FakeSlack) -> None:
    """A forged or stale "Meer" value shows the calendar from now instead of failing."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
    extra = {"response_url": fake_slack.response_url}
    slack.block_action("kalender_meer", "{not json", user_id=OFFICIAL, extra=extra)
    (replaced,) = fake_slack.responses()
    assert "• *ma 20 mrt 09:30* IVB" in str(_message(replaced.args)["blocks"])


def test_volgende_button_opens_the_form_with_its_overleg_chosen(
    slack: SlackSender, deps: Deps, fake_slack: FakeSlack
) -> None:
    """`/ivb volgende kob` carries "Agendapunt voorstellen"; clicking it in the ephemeral answer opens the
    proposal form with the KOB chosen (the Home tab's button keeps the default)."""
    with deps.sessions.begin() as s:
        add_meeting(s, "kob", datetime(2023, 3, 30, 14, 0, tzinfo=AMS))
    body = slack.command("volgende kob", user_id=OFFICIAL).json()
    button = body["blocks"][-1]["elements"][0]
    assert (button["action_id"], button["value"], button["text"]["text"]) == (
        "voorstel_openen",
        "kob",
        "Agendapunt voorstellen",
    )
    extra = {
        "response_url": fake_slack.response_url,
        "container": {"type": "message", "is_ephemeral": True},
        "trigger_id": "trigger-1",
    }
    slack.block_action("voorstel_openen", "kob", user_id=OFFICIAL, extra=extra)
    view = fake_slack.calls_to("views.open")[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_view(view)
    chosen = next(b for b in view["blocks"] if b.get("block_id") == "overleg")
    assert chosen["element"]["initial_option"]["value"] == "kob"
    slack.block_action("voorstel_openen", "home", user_id=OFFICIAL, extra={"trigger_id": "trigger-2"})
    home_view = fake_slack.calls_to("views.open")[-1].args["view"]
    home_view = json.loads(home_view) if isinstance(home_view, str) else home_view
    chosen = next(b for b in home_view["blocks"] if b.get("block_id") == "overleg")
    assert chosen["element"]["initial_option"]["value"] == "ivb"


def test_volgende_counts_agree_with_the_agenda(slack: SlackSender, deps: Deps) -> None:
    """`/ivb volgende` counts by state as `/ivb agenda` lists: with one open and two geagendeerd items
    (one confidential, by someone else) it says "1 ingediend, 2 geagendeerd"; the agenda shows one title
    and says one confidential item is left out, never its title."""
    with deps.sessions.begin() as s:
        ivb = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        created = datetime(2023, 2, 20, 12, 0, tzinfo=AMS)
        add_proposal(s, "ivb", "Open punt", OFFICIAL, created=created, meeting=ivb)
        shown = add_proposal(
            s, "ivb", "Cameratoezicht", OTHER, created=created, meeting=ivb, state=GEAGENDEERD
        )
        secret = add_proposal(
            s, "ivb", "Geheim dossier", OTHER, created=created, meeting=ivb, state=GEAGENDEERD
        )
        shown.position, secret.position, secret.confidential = 1, 2, True
    volgende = slack.command("volgende", user_id=OFFICIAL).json()
    assert ":memo: Voorstellen: 1 ingediend, 2 geagendeerd" in str(volgende["blocks"])
    agenda = slack.command("agenda", user_id=OFFICIAL).json()
    assert_valid_message(agenda)
    assert "Cameratoezicht" in str(agenda["blocks"])
    assert "Geheim dossier" not in json.dumps(agenda)
    assert "En 1 vertrouwelijk punt dat alleen het secretariaat en de indiener zien." in str(agenda["blocks"])
    assert agenda["text"].endswith(": 2 punten")
    admin_agenda = slack.command("agenda", user_id=ADMIN).json()
    assert "Geheim dossier" in str(admin_agenda["blocks"])
    assert "vertrouwelijk punt" not in str(admin_agenda["blocks"])
