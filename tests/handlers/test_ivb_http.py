"""`/ivb` through the HTTP endpoint, signed as Slack signs, against the fake Web API."""

from datetime import datetime

import pytest

from bot.runtime.deps import Deps
from storage.db import make_engine
from tests.conftest import AMS
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import add_meeting
from tests.support.slackclient import SlackSender, sign


@pytest.fixture
def ivb_2023(deps: Deps) -> None:
    """The IVB dates of 2023 from the seed."""
    with deps.sessions.begin() as s:
        for month, day in ((3, 20), (6, 26), (11, 13)):
            add_meeting(s, "ivb", datetime(2023, month, day, 9, 30, tzinfo=AMS))


@pytest.mark.usefixtures("ivb_2023")
def test_volgende_answers_in_the_acknowledgement(slack: SlackSender) -> None:
    """`/ivb volgende` answers in the HTTP response itself, ephemeral, in Dutch."""
    result = slack.command("volgende")
    assert result.status == 200
    body = result.json()
    assert body["response_type"] == "ephemeral"
    assert_valid_message(body)
    assert "maandag 20 maart 2023, 09:30" in str(body["blocks"])


@pytest.mark.usefixtures("ivb_2023")
def test_volgende_in_summer_shows_local_time(slack: SlackSender, deps: Deps) -> None:
    """After the switch to summer time the June meeting still shows 09:30."""
    deps.clock.set(datetime(2023, 4, 1, 12, 0, tzinfo=AMS))  # type: ignore[attr-defined]
    body = slack.command("next").json()
    assert "maandag 26 juni 2023, 09:30" in str(body["blocks"])
    assert "uiterlijk *ma 12 jun 09:30 (over 11 dagen)*" not in str(body["blocks"])
    assert "uiterlijk *ma 12 jun 09:30*" in str(body["blocks"])


def test_volgende_for_other_overleg_without_meetings(slack: SlackSender) -> None:
    """Another overleg by alias; with nothing planned the answer is kind and says who to ask."""
    body = slack.command("volgende tafel kob").json()
    assert_valid_message(body)
    assert (
        "nog geen Bestuurlijke tafel Kwaliteit Openbaar Bestuur gepland" in body["blocks"][0]["text"]["text"]
    )


def test_unknown_word_gets_help(slack: SlackSender) -> None:
    """`/ivb foo` answers with the help, naming the unknown word."""
    body = slack.command("foo").json()
    assert_valid_message(body)
    assert "Dat commando ken ik niet" in body["blocks"][0]["text"]["text"]


def test_unknown_overleg_lists_valid_ones(slack: SlackSender) -> None:
    """An unknown overleg gets the list of valid keys."""
    body = slack.command("volgende brandweer").json()
    assert "Ik ken geen overleg" in body["text"]
    assert "`3noord`" in body["text"]


@pytest.mark.usefixtures("ivb_2023")
def test_kalender_lists_coming_meetings(slack: SlackSender) -> None:
    """`/ivb kalender` (and `calendar`) lists the coming meetings."""
    for word in ("kalender", "calendar"):
        body = slack.command(word).json()
        assert_valid_message(body)
        assert "*maart 2023*\n• *ma 20 mrt 09:30* IVB" in body["blocks"][2]["text"]["text"]


def test_bad_signature_is_refused(slack: SlackSender) -> None:
    """A wrong signature, a stale timestamp or missing headers: 401."""
    body = "command=%2Fivb&text=volgende&user_id=U1&team_id=T0FAKE0001"
    wrong = slack.post_raw(body, content_type="application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    assert wrong.status == 401
    stale_ts = "1531420618"
    stale = slack.post_raw(
        body,
        content_type="application/x-www-form-urlencoded",
        timestamp=stale_ts,
        signature=sign(slack.secret, stale_ts, body),
    )
    assert stale.status == 401
    missing = slack.post_raw(body, content_type="application/x-www-form-urlencoded", signature="")
    assert missing.status == 401


def test_health(slack: SlackSender, deps: Deps) -> None:
    """/health is 200 while the database answers and 503 when it does not."""
    assert slack.health().status == 200
    deps.engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/gone")  # a database that went away
    assert slack.health().status == 503


def test_signing_matches_slacks_documented_example() -> None:
    """Our test signer reproduces the example in Slack's documentation, so the 401 tests mean something."""
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    assert sign("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )
