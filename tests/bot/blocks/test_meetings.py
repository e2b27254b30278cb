from datetime import datetime

import pytest

from bot.blocks.help import build_help
from bot.blocks.kit import build_refused
from bot.blocks.meetings import build_calendar, build_next_meeting
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.services import meetings as meeting_service
from bot.services import overleggen as overleg_service
from bot.services.errors import Refused
from storage.models import MeetingStatus
from tests.conftest import AMS
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import add_meeting


def test_next_meeting_message(deps: Deps, clock: FixedClock) -> None:
    """The answer names the Dutch date, place, deadline and proposal count, within Slack's limits."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS), location="Huis <de Beurs> & co")
        ivb = overleg_service.read_overleg(session=s, text="ivb")
        assert ivb is not None
        reply = build_next_meeting(
            meeting_service.read_next_meeting(session=s, overleg=ivb, now=clock.now(), tz=AMS),
            tz=AMS,
            admins=("U0ADMIN0001",),
        )
    message = reply.as_message()
    assert_valid_message(message)
    body = str(message["blocks"])
    assert "maandag 20 maart 2023, 09:30" in body
    assert "maandag 6 maart 2023, 09:30" in body
    assert "Huis &lt;de Beurs&gt; &amp; co" in body
    assert "0 agendavoorstellen" in body


def test_no_meeting_planned_says_who_to_ask(deps: Deps, clock: FixedClock) -> None:
    """With nothing planned the bot says so kindly and names the secretariaat."""
    with deps.sessions.begin() as s:
        kob = overleg_service.read_overleg(session=s, text="kob")
        assert kob is not None
        reply = build_next_meeting(
            meeting_service.read_next_meeting(session=s, overleg=kob, now=clock.now(), tz=AMS),
            tz=AMS,
            admins=("U0ADMIN0001",),
        )
    assert_valid_message(reply.as_message())
    assert "nog geen" in reply.blocks[0]["text"]["text"]
    assert "<@U0ADMIN0001>" in reply.blocks[0]["text"]["text"]


def test_calendar_marks_cancelled_and_moved(deps: Deps, clock: FixedClock) -> None:
    """The calendar lists all overleggen by month and marks cancelled and moved meetings."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        add_meeting(s, "kob", datetime(2023, 4, 6, 14, 0, tzinfo=AMS), status=MeetingStatus.GEANNULEERD)
        add_meeting(s, "3noord", datetime(2023, 4, 20, 10, 0, tzinfo=AMS), status=MeetingStatus.VERPLAATST)
        meetings = meeting_service.read_upcoming(session=s, now=clock.now(), limit=40).meetings
        reply = build_calendar(meetings, tz=AMS, total=len(meetings))
    assert_valid_message(reply.as_message())
    text = str(reply.blocks)
    assert "maart 2023" in text
    assert "april 2023" in text
    assert "~geannuleerd~" in text
    assert "(verplaatst)" in text


def test_calendar_of_many_meetings_stays_within_limits(deps: Deps, clock: FixedClock) -> None:
    """Even years of meetings give at most 50 blocks and short sections."""
    with deps.sessions.begin() as s:
        for day in range(400):
            add_meeting(
                s,
                "jaarkalender",
                datetime(2023, 3, 2, 9, 0, tzinfo=AMS).replace(day=1)
                + (datetime(2023, 3, 2, tzinfo=AMS) - datetime(2023, 3, 1, tzinfo=AMS)) * day,
            )
        meetings = meeting_service.read_upcoming(session=s, now=clock.now(), limit=400).meetings
        reply = build_calendar(meetings, tz=AMS, total=400)
    assert_valid_message(reply.as_message())


def test_help_and_unknown_overleg(deps: Deps) -> None:
    """Help lists every command; an unknown overleg lists the valid keys."""
    with deps.sessions.begin() as s:
        overleggen = overleg_service.read_overleggen(session=s)
    help_reply = build_help(overleggen, unknown="foo")
    assert_valid_message(help_reply.as_message())
    assert "`foo`" in help_reply.blocks[0]["text"]["text"]
    with pytest.raises(Refused) as refused:
        overleg_service.resolve_overleg(overleggen, "<!here>")
    unknown = build_refused(refused.value)
    assert_valid_message(unknown.as_message())
    assert "`!here`" in unknown.text
    assert "`kob`" in unknown.text
