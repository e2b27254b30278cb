"""Meetings and overleggen: the next meeting, the target of a proposal, deadlines, the one matcher."""

from datetime import UTC, datetime

import pytest

from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.services import meetings, overleggen
from bot.services.errors import Refused
from bot.text.dutch import with_article
from storage.models import AgendaProposal, MeetingStatus, ProposalState
from storage.queries.rows import MeetingRow
from tests.conftest import AMS, OFFICIAL
from tests.support.factories import add_meeting


def test_overleg_by_key_name_and_alias(deps: Deps) -> None:
    """Officials may name an overleg by key, full name or alias, in any case or spacing."""
    with deps.sessions() as s:
        found = overleggen.read_overleggen(session=s)
    match = overleggen.match_overleg
    assert [o.key for o in found] == ["ivb", "kob", "3noord", "groningeragenda", "jaarkalender"]
    assert match(found, "KOB").key == "kob"  # type: ignore[union-attr]
    assert match(found, "integraal  veiligheidsberaad").key == "ivb"  # type: ignore[union-attr]
    assert match(found, "3 Noord").key == "3noord"  # type: ignore[union-attr]
    assert match(found, "TAFEL  kob").key == "kob"  # type: ignore[union-attr]
    assert match(found, "Groninger Agenda").key == "groningeragenda"  # type: ignore[union-attr]
    assert match(found, "onbekend") is None
    assert match(found, "  ") is None


def test_resolve_defaults_to_the_ivb_and_refuses_an_unknown_word(deps: Deps) -> None:
    """Nothing named is the IVB; an unknown word is refused with the valid keys, without markup."""
    with deps.sessions() as s:
        assert overleggen.read_overleg(session=s, text="").key == "ivb"
        with pytest.raises(Refused) as refused:
            overleggen.read_overleg(session=s, text="<!channel> *kob*")
    assert refused.value.field == "overleg"
    assert "`!channel kob`" in refused.value.message
    assert "`ivb`, `kob`, `3noord`, `groningeragenda`, `jaarkalender`" in refused.value.message


def test_next_meeting_skips_past_and_cancelled_and_counts_live_proposals(
    deps: Deps, clock: FixedClock
) -> None:
    """The next meeting is the first future one that is not cancelled; afgewezen items do not count."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2022, 11, 14, 9, 30, tzinfo=AMS))
        add_meeting(s, "ivb", datetime(2023, 3, 13, 9, 30, tzinfo=AMS), status=MeetingStatus.GEANNULEERD)
        wanted = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        for state in (ProposalState.INGEDIEND, ProposalState.GEAGENDEERD, ProposalState.AFGEWEZEN):
            s.add(
                AgendaProposal(
                    overleg_id=wanted.overleg_id, meeting=wanted, title="t", proposer_id=OFFICIAL, state=state
                )
            )
    with deps.sessions() as s:
        ivb = overleggen.read_overleg(session=s, text="ivb")
        info = meetings.read_next_meeting(session=s, overleg=ivb, now=clock.now(), tz=AMS)
    assert info.meeting is not None
    assert info.meeting.id == wanted.id
    assert info.meeting.starts_at == datetime(2023, 3, 20, 8, 30, tzinfo=UTC)
    assert info.meeting.overleg.name == "Integraal Veiligheidsberaad"
    assert info.proposal_count == 2


def test_deadline_keeps_wall_clock_time_across_summer_time(deps: Deps) -> None:
    """14 days before a summer meeting at 09:30 CEST is 09:30 CET, not 08:30."""
    with deps.sessions.begin() as s:
        meeting = MeetingRow.of(add_meeting(s, "ivb", datetime(2023, 4, 3, 9, 30, tzinfo=AMS)))
    deadline = meetings.agenda_deadline(meeting, tz=AMS)
    assert deadline.astimezone(AMS) == datetime(2023, 3, 20, 9, 30, tzinfo=AMS)
    assert deadline.astimezone(AMS).utcoffset().total_seconds() == 3600  # type: ignore[union-attr]


def test_proposals_after_the_deadline_go_to_the_following_meeting(deps: Deps, clock: FixedClock) -> None:
    """Once the deadline of the next meeting passes, the target is the meeting after it."""
    with deps.sessions.begin() as s:
        march = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        june = add_meeting(s, "ivb", datetime(2023, 6, 26, 9, 30, tzinfo=AMS))
        ivb_id = march.overleg_id
    later = datetime(2023, 3, 6, 9, 31, tzinfo=AMS)
    with deps.sessions() as s:
        before = meetings.read_target(session=s, overleg_id=ivb_id, now=clock.now(), tz=AMS)
        after = meetings.read_target(session=s, overleg_id=ivb_id, now=later, tz=AMS)
        ivb = overleggen.read_overleg(session=s, text="ivb")
        info = meetings.read_next_meeting(session=s, overleg=ivb, now=later, tz=AMS)
    assert before.meeting is not None
    assert (before.meeting.id, before.skipped) == (march.id, None)
    assert after.meeting is not None
    assert after.skipped is not None
    assert (after.meeting.id, after.skipped.id) == (june.id, march.id)
    assert info.deadline_passed
    assert info.following is not None
    assert info.following.id == june.id


def test_upcoming_lists_cancelled_too_and_counts_beyond_the_limit(deps: Deps, clock: FixedClock) -> None:
    """All coming meetings (cancelled ones too, to be marked), soonest first, with the total."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", datetime(2023, 2, 1, 9, 30, tzinfo=AMS))
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        add_meeting(s, "ivb", datetime(2023, 3, 27, 9, 30, tzinfo=AMS), status=MeetingStatus.GEANNULEERD)
        add_meeting(s, "ivb", datetime(2023, 6, 26, 9, 30, tzinfo=AMS), location="")
        add_meeting(s, "kob", datetime(2023, 3, 10, 13, 0, tzinfo=AMS), status=MeetingStatus.VERPLAATST)
    with deps.sessions() as s:
        first = meetings.read_upcoming(session=s, now=clock.now(), limit=3)
        everything = meetings.read_upcoming(session=s, now=clock.now(), limit=25)
    assert [(m.overleg.key, m.status) for m in first.meetings] == [
        ("kob", MeetingStatus.VERPLAATST),
        ("ivb", MeetingStatus.GEPLAND),
        ("ivb", MeetingStatus.GEANNULEERD),
    ]
    assert first.total == everything.total == len(everything.meetings) == 4


def test_overleg_names_get_the_right_article() -> None:
    """Dutch articles: het beraad and het overleg, de tafel; markup around the name does not matter."""
    assert with_article("Integraal Veiligheidsberaad") == "het Integraal Veiligheidsberaad"
    assert with_article("*Integraal Veiligheidsberaad*") == "het *Integraal Veiligheidsberaad*"
    assert (
        with_article("Secretarissenoverleg Groninger Agenda") == "het Secretarissenoverleg Groninger Agenda"
    )
    assert with_article("3-Noord tafel") == "de 3-Noord tafel"
    assert with_article("Bestuurlijke tafel Kwaliteit Openbaar Bestuur") == (
        "de Bestuurlijke tafel Kwaliteit Openbaar Bestuur"
    )
