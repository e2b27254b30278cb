"""Proposals typed in chat, through signed HTTP: titles with a colon, an overleg named before the title,
the same title twice (asked first), and the secretariaat deciding from the `/ivb open` list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App

from bot.blocks import ids
from bot.runtime.deps import Deps
from storage.models import ProposalState
from tests.conftest import ADMIN, OFFICIAL
from tests.fakes.slack import FakeSlack
from tests.support.blockcheck import assert_valid_message
from tests.support.proposal_helpers import (
    all_proposals,
    app_with_own_executor,
    button_values,
    posts,
    seed_ivb_2023,
    send_dm,
    wait_post,
    wait_posts,
)
from tests.support.slackclient import SlackSender
from tests.support.waiting import wait_for

OFFICIAL_DM = "D" + OFFICIAL[1:]


@pytest.fixture
def bolt_app(deps: Deps) -> Iterator[App]:
    with app_with_own_executor(deps) as app:
        yield app


@pytest.fixture(autouse=True)
def ivb(deps: Deps) -> list[int]:
    return seed_ivb_2023(deps)


def _filed(deps: Deps) -> list[tuple[str, str]]:
    return [(p.overleg.key, p.title) for p in all_proposals(deps)]


def test_titles_with_a_colon_and_an_overleg_in_front(slack: SlackSender, deps: Deps) -> None:
    """`/ivb voorstel Hennep: stand van zaken convenant` files that title for the IVB;
    `/ivb voorstel kob Weerbaar bestuur` files "Weerbaar bestuur" for the KOB; a DM
    "Agendapunt voor de KOB: ondermijning" files "ondermijning" for the KOB."""
    for text in ("voorstel Hennep: stand van zaken convenant", "voorstel kob Weerbaar bestuur"):
        body = slack.command(text, user_id=OFFICIAL).json()
        assert_valid_message(body)
        assert "is ingediend" in str(body["blocks"])
    send_dm(slack, "Agendapunt voor de KOB: ondermijning", user=OFFICIAL)
    wait_for(lambda: len(all_proposals(deps)) == 3, what="the DM's proposal")
    assert _filed(deps) == [
        ("ivb", "Hennep: stand van zaken convenant"),
        ("kob", "Weerbaar bestuur"),
        ("kob", "ondermijning"),
    ]


@pytest.mark.parametrize("typed", ["agenda punt: Drugsoverlast", "agendpunt: Drugsoverlast"])
def test_misspelled_agendapunt_is_understood(slack: SlackSender, deps: Deps, typed: str) -> None:
    """`agenda punt:` and `agendpunt:` propose as `agendapunt:` does."""
    send_dm(slack, typed, user=OFFICIAL)
    wait_for(lambda: _filed(deps) == [("ivb", "Drugsoverlast")], what="the proposal")


def test_the_same_title_twice_in_a_dm_is_asked_first(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps
) -> None:
    """ "agendapunt: Drugsoverlast Veendam" again (or in lower case) makes no #2 but asks; "Toch
    indienen" files it, in place of the question."""
    send_dm(slack, "agendapunt: Drugsoverlast Veendam", user=OFFICIAL)
    wait_posts(fake_slack, OFFICIAL_DM, 1)
    send_dm(slack, "agendapunt: drugsoverlast  veendam", user=OFFICIAL)
    question = wait_post(fake_slack, OFFICIAL_DM, "Toch nog een keer")
    assert question["text"] == "Dit heb je al voorgesteld als #1 «Drugsoverlast Veendam». Toch nog een keer?"
    assert len(all_proposals(deps)) == 1
    (token,) = button_values(question, ids.SUBMIT_DIALOGUE)
    ts = "1677000000.000300"
    slack.block_action(ids.SUBMIT_DIALOGUE, token, user_id=OFFICIAL, channel_id=OFFICIAL_DM, message_ts=ts)
    wait_for(lambda: len(all_proposals(deps)) == 2, what="filed after all")
    closed = wait_for(lambda: fake_slack.calls_to("chat.update"), what="the question closed")
    assert closed[-1].args["ts"] == ts
    assert "Ingediend als *#2 drugsoverlast veendam*" in str(closed[-1].args)


def test_the_same_title_twice_by_command_is_asked_in_place(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps
) -> None:
    """`/ivb voorstel` twice: the second answer asks; "Nee" replaces the question (response_url) and files
    nothing, "Toch indienen" on a new question files it and shows the confirmation in its place."""
    slack.command("voorstel Jaarwisseling", user_id=OFFICIAL)
    asked = slack.command("voorstel JAARWISSELING", user_id=OFFICIAL).json()
    assert_valid_message(asked)
    assert "Dit heb je al voorgesteld als *#1 Jaarwisseling*" in str(asked["blocks"])
    ephemeral = {
        "response_url": fake_slack.response_url,
        "container": {"type": "message", "is_ephemeral": True},
    }
    (no,) = button_values(asked, ids.CANCEL_DIALOGUE)
    slack.block_action(ids.CANCEL_DIALOGUE, no, user_id=OFFICIAL, channel_id="C0GENERAL01", extra=ephemeral)
    gone = wait_for(fake_slack.responses, what="the question replaced")
    assert gone[-1].args["replace_original"] is True
    assert "er is niets ingediend" in gone[-1].args["text"]
    assert len(all_proposals(deps)) == 1
    again = slack.command("voorstel jaarwisseling", user_id=OFFICIAL).json()
    (yes,) = button_values(again, ids.SUBMIT_DIALOGUE)
    slack.block_action(ids.SUBMIT_DIALOGUE, yes, user_id=OFFICIAL, channel_id="C0GENERAL01", extra=ephemeral)
    done = wait_for(lambda: len(fake_slack.responses()) >= 2 and fake_slack.responses(), what="filed")
    assert "#2 jaarwisseling" in str(done[-1].args["blocks"])
    assert [p.state for p in all_proposals(deps)] == [ProposalState.INGEDIEND] * 2
    assert not posts(fake_slack, "C0GENERAL01")  # nothing said in the channel for all to see


def test_the_secretariaat_decides_from_the_open_list(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps
) -> None:
    """The ⋯ menu in `/ivb open`: Agenderen schedules, the proposer's DM names who decided, and the
    answer goes below the list."""
    slack.command("voorstel Cameratoezicht", user_id=OFFICIAL)
    listed = slack.command("open", user_id=ADMIN).json()
    assert_valid_message(listed)
    menu = next(
        b["accessory"] for b in listed["blocks"] if (b.get("accessory") or {}).get("type") == "overflow"
    )
    choice = menu["options"][0]
    assert choice["text"]["text"] == "Agenderen"
    action = {
        "type": "overflow",
        "action_id": ids.DECIDE_FROM_LIST,
        "block_id": "b",
        "selected_option": choice,
    }
    extra: dict[str, Any] = {
        "actions": [action],
        "response_url": fake_slack.response_url,
        "container": {"type": "message", "is_ephemeral": True},
    }
    slack.block_action(ids.DECIDE_FROM_LIST, user_id=ADMIN, channel_id="C0GENERAL01", extra=extra)
    wait_for(lambda: all_proposals(deps)[0].state == ProposalState.GEAGENDEERD, what="geagendeerd")
    dm = wait_post(fake_slack, OFFICIAL_DM, "staat op de agenda")
    assert "Besloten door <@U0ADMIN0001>" in str(dm["blocks"])
    note = wait_for(fake_slack.responses, what="the answer below the list")[-1]
    assert note.args["replace_original"] is False
    assert "Voorstel #1 «Cameratoezicht» is geagendeerd voor het IVB van ma 20 mrt" in note.args["text"]
    assert json.dumps(note.args).count("U0ADMIN0001") == 0
