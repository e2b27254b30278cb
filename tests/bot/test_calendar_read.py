"""The fast read path gives exactly what bot.calendar gives, as detached snapshots."""

from datetime import datetime

from sqlalchemy import inspect

from bot import calendar, calendar_read
from bot.clock import FixedClock
from bot.deps import Deps
from storage.models import AgendaProposal, MeetingStatus, ProposalState
from tests.conftest import AMS, OFFICIAL
from tests.factories import add_meeting


def _seed(deps: Deps) -> None:
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 2, 1, 9, 30, tzinfo=AMS))
        march = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        add_meeting(s, "ivb", datetime(2023, 3, 27, 9, 30, tzinfo=AMS), status=MeetingStatus.GEANNULEERD)
        add_meeting(s, "ivb", datetime(2023, 6, 26, 9, 30, tzinfo=AMS), location="")
        add_meeting(s, "kob", datetime(2023, 3, 10, 13, 0, tzinfo=AMS), status=MeetingStatus.VERPLAATST)
        for state in (ProposalState.INGEDIEND, ProposalState.GEAGENDEERD, ProposalState.AFGEWEZEN):
            s.add(
                AgendaProposal(
                    overleg_id=march.overleg_id, meeting=march, title="t", proposer_id=OFFICIAL, state=state
                )
            )


def test_read_next_meeting_equals_next_meeting_info(deps: Deps, clock: FixedClock) -> None:
    """Same meeting, deadline, following meeting and live proposal count, before and after the deadline."""
    _seed(deps)
    for now in (clock.now(), datetime(2023, 3, 7, 12, 0, tzinfo=AMS)):
        with deps.sessions.begin() as s:
            overleggen = calendar_read.read_overleggen(session=s)
            ivb = calendar_read.match_overleg(overleggen, "Integraal veiligheidsberaad")
            assert ivb is not None
            fast = calendar_read.read_next_meeting(session=s, overleg=ivb, now=now, tz=AMS)
            orm_ivb = calendar.get_overleg(session=s, key="ivb")
            assert orm_ivb is not None
            slow = calendar.next_meeting_info(session=s, overleg=orm_ivb, now=now, tz=AMS)
        assert fast.meeting is not None
        assert slow.meeting is not None
        assert (fast.meeting.id, fast.meeting.starts_at, fast.meeting.location, fast.meeting.status) == (
            slow.meeting.id,
            slow.meeting.starts_at,
            slow.meeting.location,
            slow.meeting.status,
        )
        assert fast.meeting.overleg.name == "Integraal Veiligheidsberaad"
        assert (fast.deadline, fast.deadline_passed, fast.proposal_count) == (
            slow.deadline,
            slow.deadline_passed,
            slow.proposal_count,
        )
        assert fast.following is not None
        assert slow.following is not None
        assert fast.following.id == slow.following.id
        assert inspect(fast.meeting).session is None  # a snapshot, never part of a session


def test_read_upcoming_equals_upcoming_meetings_and_count(deps: Deps, clock: FixedClock) -> None:
    """All coming meetings (cancelled too, to be marked), soonest first, with the total beyond the limit."""
    _seed(deps)
    with deps.sessions.begin() as s:
        fast, total = calendar_read.read_upcoming(session=s, now=clock.now(), limit=3)
        slow = calendar.upcoming_meetings(session=s, now=clock.now(), limit=3)
        count = calendar.count_upcoming_meetings(session=s, now=clock.now())
        assert [(m.id, m.starts_at, m.overleg.key, m.status) for m in fast] == [
            (m.id, m.starts_at, m.overleg.key, m.status) for m in slow
        ]
        everything, all_total = calendar_read.read_upcoming(session=s, now=clock.now(), limit=25)
    assert total == count == 4
    assert all_total == len(everything) == 4


def test_match_overleg_is_find_overleg_without_a_query(deps: Deps) -> None:
    """Key, name and alias in any case or spacing; unknown or empty text matches nothing."""
    with deps.sessions.begin() as s:
        overleggen = calendar_read.read_overleggen(session=s)
    assert [o.key for o in overleggen] == ["ivb", "kob", "3noord", "groningeragenda", "jaarkalender"]
    assert calendar_read.match_overleg(overleggen, "3 Noord").key == "3noord"  # type: ignore[union-attr]
    assert calendar_read.match_overleg(overleggen, "TAFEL  kob").key == "kob"  # type: ignore[union-attr]
    assert calendar_read.match_overleg(overleggen, "onbekend") is None
    assert calendar_read.match_overleg(overleggen, " ") is None
