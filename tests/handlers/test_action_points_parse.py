"""Reading `/ivb actie` text: the owner's mention, the text, an optional due date and overleg."""

from datetime import date, datetime

import pytest

from bot.services.errors import Refused
from handlers.action_points import read_command
from tests.conftest import AMS

NOW = datetime(2023, 3, 1, 10, 0, tzinfo=AMS)


@pytest.mark.parametrize(
    ("text", "owner", "body", "due", "overleg"),
    [
        (
            "<@U0PIET0001> Notitie rondsturen voor 15 maart",
            "U0PIET0001",
            "Notitie rondsturen",
            date(2023, 3, 15),
            "",
        ),
        (
            "<@U0PIET0001|piet> Brief voor de burgemeester",
            "U0PIET0001",
            "Brief voor de burgemeester",
            None,
            "",
        ),
        (
            "kob <@W0PIET0001> Bellen voor volgende week vrijdag",
            "W0PIET0001",
            "Bellen",
            date(2023, 3, 10),
            "kob",
        ),
        (
            "<@U0PIET0001|piet> Nota &amp; brief aan <@U0JAN00001|jan>",
            "U0PIET0001",
            "Nota & brief aan <@U0JAN00001>",  # the id is kept, the username is not
            None,
            "",
        ),
    ],
)
def test_read_command(text: str, owner: str, body: str, due: date | None, overleg: str) -> None:
    """Mention (with or without name), text, an optional "voor <datum>" and an optional overleg first."""
    request = read_command(text, now=NOW, tz=AMS)
    assert (request.owner_id, request.text, request.due_date, request.overleg_word) == (
        owner,
        body,
        due,
        overleg,
    )


def test_parse_refuses_missing_mention_and_bad_date() -> None:
    """ "@piet" typed without a Slack mention, or an unreadable date: a Dutch refusal with an example."""
    with pytest.raises(Refused, match="Noem de eigenaar"):
        read_command("@piet iets doen", now=NOW, tz=AMS)
    with pytest.raises(Refused, match="15 maart"):
        read_command("<@U0PIET0001> iets doen voor 45 dagen na sint-juttemis", now=NOW, tz=AMS)
