from datetime import UTC, datetime

from bot import calendar
from bot.clock import FixedClock
from bot.deps import Deps
from storage.models import MeetingStatus
from tests.conftest import AMS
from tests.factories import add_meeting


def test_find_overleg_by_key_name_and_alias(deps: Deps) -> None:
    """Officials may name an overleg by key, full name or alias, in any case or spacing."""
    with deps.sessions.begin() as s:
        assert calendar.find_overleg(session=s, text="KOB").key == "kob"  # type: ignore[union-attr]
        assert calendar.find_overleg(session=s, text="integraal  veiligheidsberaad").key == "ivb"  # type: ignore[union-attr]
        assert calendar.find_overleg(session=s, text="3 Noord").key == "3noord"  # type: ignore[union-attr]
        assert calendar.find_overleg(session=s, text="Groninger Agenda").key == "groningeragenda"  # type: ignore[union-attr]
        assert calendar.find_overleg(session=s, text="onbekend") is None
        assert calendar.find_overleg(session=s, text="  ") is None


def test_default_overleggen_exist_after_migration(deps: Deps) -> None:
    """The five overleggen of the seed are there after `vggbot db upgrade`."""
    with deps.sessions.begin() as s:
        keys = [o.key for o in calendar.list_overleggen(session=s)]
    assert keys == ["ivb", "kob", "3noord", "groningeragenda", "jaarkalender"]


def test_next_meeting_skips_past_and_cancelled(deps: Deps, clock: FixedClock) -> None:
    """The next meeting is the first future one that is not cancelled."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2022, 11, 14, 9, 30, tzinfo=AMS))
        add_meeting(s, "ivb", datetime(2023, 3, 13, 9, 30, tzinfo=AMS), status=MeetingStatus.GEANNULEERD)
        wanted = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        ivb = calendar.get_overleg(session=s, key="ivb")
        assert ivb is not None
        info = calendar.next_meeting_info(session=s, overleg=ivb, now=clock.now(), tz=AMS)
        assert info.meeting is not None
        assert info.meeting.id == wanted.id
        assert info.meeting.starts_at == datetime(2023, 3, 20, 8, 30, tzinfo=UTC)


def test_deadline_keeps_wall_clock_time_across_summer_time(deps: Deps) -> None:
    """14 days before a summer meeting at 09:30 CEST is 09:30 CET, not 08:30."""
    with deps.sessions.begin() as s:
        meeting = add_meeting(s, "ivb", datetime(2023, 4, 3, 9, 30, tzinfo=AMS))
        deadline = calendar.agenda_deadline(meeting, tz=AMS)
    assert deadline.astimezone(AMS) == datetime(2023, 3, 20, 9, 30, tzinfo=AMS)
    assert deadline.astimezone(AMS).utcoffset().total_seconds() == 3600  # type: ignore[union-attr]


def test_proposals_after_the_deadline_go_to_the_following_meeting(deps: Deps, clock: FixedClock) -> None:
    """Once the deadline of the next meeting passes, the target is the meeting after it."""
    with deps.sessions.begin() as s:
        march = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        june = add_meeting(s, "ivb", datetime(2023, 6, 26, 9, 30, tzinfo=AMS))
        ivb = calendar.get_overleg(session=s, key="ivb")
        assert ivb is not None
        assert calendar.target_meeting(session=s, overleg=ivb, now=clock.now(), tz=AMS).id == march.id  # type: ignore[union-attr]
        later = datetime(2023, 3, 6, 9, 31, tzinfo=AMS)
        assert calendar.target_meeting(session=s, overleg=ivb, now=later, tz=AMS).id == june.id  # type: ignore[union-attr]
        info = calendar.next_meeting_info(session=s, overleg=ivb, now=later, tz=AMS)
        assert info.deadline_passed
        assert info.following is not None
        assert info.following.id == june.id


def test_overleg_names_get_the_right_article() -> None:
    """Dutch articles: het beraad and het overleg, de tafel."""
    assert calendar.with_article("Integraal Veiligheidsberaad") == "het Integraal Veiligheidsberaad"
    assert (
        calendar.with_article("Secretarissenoverleg Groninger Agenda")
        == "het Secretarissenoverleg Groninger Agenda"
    )
    assert calendar.with_article("3-Noord tafel") == "de 3-Noord tafel"
    assert calendar.with_article("Bestuurlijke tafel Kwaliteit Openbaar Bestuur") == (
        "de Bestuurlijke tafel Kwaliteit Openbaar Bestuur"
    )
