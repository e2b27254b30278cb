from datetime import datetime, timedelta

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
            now=clock.now(),
        )
    message = reply.as_message()
    assert_valid_message(message)
    body = str(message["blocks"])
    assert "maandag 20 maart 2023, 09:30" in body
    assert "uiterlijk *ma 6 mrt 09:30 (over 5 dagen)*" in body
    assert "Huis &lt;de Beurs&gt; &amp; co" in body
    assert "nog geen agendavoorstellen" in body
    button = message["blocks"][-1]["elements"][0]
    assert (button["action_id"], button["value"]) == ("voorstel_openen", "ivb")


def test_no_meeting_planned_says_who_to_ask(deps: Deps, clock: FixedClock) -> None:
    """With nothing planned the bot says so kindly and names the secretariaat."""
    with deps.sessions.begin() as s:
        kob = overleg_service.read_overleg(session=s, text="kob")
        assert kob is not None
        reply = build_next_meeting(
            meeting_service.read_next_meeting(session=s, overleg=kob, now=clock.now(), tz=AMS),
            tz=AMS,
            admins=("U0ADMIN0001",),
            now=clock.now(),
        )
    assert_valid_message(reply.as_message())
    assert "nog geen" in reply.blocks[0]["text"]["text"]
    assert "<@U0ADMIN0001>" in reply.blocks[0]["text"]["text"]


def test_calendar_marks_cancelled_moved_and_passed_deadlines(deps: Deps, clock: FixedClock) -> None:
    """The calendar lists the next eight weeks by month (the year only in the month heading), with short
    names; a cancelled meeting is struck and said plainly, a passed deadline marked."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 3, 6, 9, 30, tzinfo=AMS))  # deadline 20 Feb: passed
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        add_meeting(s, "kob", datetime(2023, 4, 6, 14, 0, tzinfo=AMS), status=MeetingStatus.GEANNULEERD)
        add_meeting(s, "3noord", datetime(2023, 4, 20, 10, 0, tzinfo=AMS), status=MeetingStatus.VERPLAATST)
        add_meeting(s, "ivb", datetime(2023, 6, 26, 9, 30, tzinfo=AMS))  # beyond eight weeks
        page = meeting_service.read_calendar_page(session=s, now=clock.now(), tz=AMS)
    reply = build_calendar(page, tz=AMS, now=clock.now())
    assert_valid_message(reply.as_message())
    text = str(reply.blocks)
    assert "*maart 2023*" in text
    assert "*april 2023*" in text
    assert "• *ma 6 mrt 09:30* IVB · VGG, Groningen · _deadline voorbij_" in text
    assert "• *ma 20 mrt 09:30* IVB · VGG, Groningen · _deadline ma 6 mrt_" in text
    assert "• ~do 6 apr 14:00 KOB-tafel~ · geannuleerd" in text
    assert "_verplaatst_" in text
    assert "26 jun" not in str(reply.blocks[:-1])
    assert "2023 09:30" not in text  # no year under the month headings
    more = reply.blocks[-1]["elements"][0]
    assert more["action_id"] == "kalender_meer"
    assert more["text"]["text"] == "Meer: vanaf ma 26 jun"
    assert reply.text == "Kalender: 4 vergaderingen, wo 1 mrt t/m di 25 apr"


def test_calendar_of_many_meetings_stays_within_limits(deps: Deps, clock: FixedClock) -> None:
    """A meeting every day gives a page of 30 within Slack's limits and "Meer (26)" for the rest."""
    with deps.sessions.begin() as s:
        for day in range(400):
            add_meeting(s, "jaarkalender", datetime(2023, 3, 2, 9, 0, tzinfo=AMS) + timedelta(days=day))
        page = meeting_service.read_calendar_page(session=s, now=clock.now(), tz=AMS)
    reply = build_calendar(page, tz=AMS, now=clock.now())
    assert_valid_message(reply.as_message())
    assert page.total == 55  # 2 March to 25 April
    assert reply.blocks[-1]["elements"][0]["text"]["text"] == "Meer (25)"
    assert "1–30 van 55 vergaderingen" in reply.text


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
