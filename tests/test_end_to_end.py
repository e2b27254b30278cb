"""Done when: import the secretariaat's Outlook .ics, then a signed `/ivb volgende` gives the right date."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.runtime.cli_calendar import calendar_import as import_command
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from tests.conftest import AMS
from tests.support.blockcheck import assert_valid_message
from tests.support.paths import DATA
from tests.support.slackclient import SlackSender

OUTLOOK_FILE = DATA / "outlook_ivb_2023.ics"


def test_outlook_import_then_volgende_over_http(
    slack: SlackSender, deps: Deps, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """Outlook's IVB dates of 2023 answer `/ivb volgende` in Dutch, also after the summer-time switch."""
    assert import_command(deps, str(OUTLOOK_FILE), overleg_key=None) == 0
    assert "toegevoegd: 3" in capsys.readouterr().out

    march = slack.command("volgende")
    assert march.status == 200
    body = march.json()
    assert_valid_message(body)
    assert "maandag 20 maart 2023, 09:30" in str(body["blocks"])
    assert "VGG, Groningen" in str(body["blocks"])

    clock.set(datetime(2023, 4, 3, 9, 0, tzinfo=AMS))
    june = slack.command("volgende ivb").json()
    assert_valid_message(june)
    assert "maandag 26 juni 2023, 09:30" in str(june["blocks"])

    clock.set(datetime(2023, 7, 1, 9, 0, tzinfo=AMS))
    november = slack.command("next").json()
    assert "maandag 13 november 2023, 09:30" in str(november["blocks"])
