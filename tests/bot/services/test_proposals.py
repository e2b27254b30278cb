"""The proposal services: validation, the deadline rule, the state machine, decisions, the audit trail."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.services import decisions, proposals, review
from bot.services.decisions import TRANSITIONS
from bot.services.errors import NotAllowed, Refused
from storage.models import AgendaProposal, Meeting, MeetingStatus, ProposalState
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.factories import add_meeting, audit_trail

MARCH = datetime(2023, 3, 20, 9, 30, tzinfo=AMS)
JUNE = datetime(2023, 6, 26, 9, 30, tzinfo=AMS)
NOVEMBER = datetime(2023, 11, 13, 9, 30, tzinfo=AMS)


@pytest.fixture
def ivb(deps: Deps) -> list[int]:
    with deps.sessions.begin() as s:
        return [add_meeting(s, "ivb", start).id for start in (MARCH, JUNE, NOVEMBER)]


def _create(s: Session, clock: FixedClock, **kwargs: object) -> proposals.Created:
    values: dict[str, object] = {"proposer_id": OFFICIAL, "title": "Hennepconvenant"}
    values.update(kwargs)
    return proposals.create_proposal(session=s, now=clock.now(), tz=AMS, **values)  # type: ignore[arg-type]


def test_before_deadline_goes_to_next_meeting(deps: Deps, clock: FixedClock, ivb: list[int]) -> None:
    """On 1 March the proposal is for the IVB of 20 March, deadline 6 March 09:30."""
    with deps.sessions.begin() as s:
        created = _create(s, clock)
        assert created.meeting is not None
        assert created.meeting.id == ivb[0]
        assert created.deadline == datetime(2023, 3, 6, 9, 30, tzinfo=AMS)
        assert created.skipped is None
        assert created.proposal.state == ProposalState.INGEDIEND


def test_after_deadline_goes_to_meeting_after(deps: Deps, clock: FixedClock, ivb: list[int]) -> None:
    """One minute past the deadline of 20 March, the proposal goes to 26 June and names what it skipped."""
    clock.set(datetime(2023, 3, 6, 9, 31, tzinfo=AMS))
    with deps.sessions.begin() as s:
        created = _create(s, clock)
        assert created.meeting is not None
        assert created.meeting.id == ivb[1]
        assert created.skipped is not None
        assert created.skipped.id == ivb[0]


def test_exactly_at_deadline_is_too_late(deps: Deps, clock: FixedClock, ivb: list[int]) -> None:
    """The deadline is the last moment before it: at 09:30 sharp the March meeting is closed."""
    clock.set(datetime(2023, 3, 6, 9, 30, tzinfo=AMS))
    with deps.sessions.begin() as s:
        created = _create(s, clock)
        assert created.meeting is not None
        assert created.meeting.id == ivb[1]


def test_no_meeting_planned_keeps_proposal_unscheduled(deps: Deps, clock: FixedClock) -> None:
    """Without a planned meeting the proposal is stored with no meeting."""
    with deps.sessions.begin() as s:
        created = _create(s, clock, overleg="kob")
        assert created.meeting is None
        assert created.proposal.meeting_id is None
        assert created.proposal.overleg.key == "kob"


def test_cancelled_meeting_is_skipped(deps: Deps, clock: FixedClock) -> None:
    """A cancelled meeting never receives proposals."""
    with deps.sessions.begin() as s:
        add_meeting(s, "ivb", MARCH, status=MeetingStatus.GEANNULEERD)
        june = add_meeting(s, "ivb", JUNE)
        created = _create(s, clock)
        assert created.meeting is not None
        assert created.meeting.id == june.id


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"title": "   "}, "titel", "nog geen titel"),
        ({"title": "x" * 151}, "titel", "151 tekens; het maximum is 150"),
        ({"explanation": "y" * 2001}, "toelichting", "2001 tekens; het maximum is 2000"),
        ({"overleg": "brandweer"}, "overleg", "`ivb`, `kob`, `3noord`"),
    ],
)
def test_bad_input_stores_nothing(
    deps: Deps, clock: FixedClock, kwargs: dict[str, object], field: str, words: str
) -> None:
    """Each bad input gets a Dutch message naming the limit or the valid overleggen, and nothing is stored."""
    with deps.sessions.begin() as s, pytest.raises(Refused) as err:
        _create(s, clock, **kwargs)
    assert err.value.field == field
    assert words in err.value.message
    with deps.sessions.begin() as s:
        assert s.query(AgendaProposal).count() == 0


def test_title_of_exactly_150_is_fine(deps: Deps, clock: FixedClock) -> None:
    """The limits are inclusive."""
    with deps.sessions.begin() as s:
        assert len(_create(s, clock, title="x" * 150, explanation="y" * 2000).proposal.title) == 150


def test_meeting_in_the_past_is_refused(deps: Deps, clock: FixedClock) -> None:
    """A chosen meeting that has already started is refused with a Dutch message."""
    with deps.sessions.begin() as s:
        past = add_meeting(s, "ivb", datetime(2023, 2, 1, 9, 30, tzinfo=AMS))
        with pytest.raises(Refused) as err:
            _create(s, clock, meeting_id=past.id)
        assert err.value.field == "vergadering"
        assert "al geweest" in err.value.message


def test_meeting_of_other_overleg_is_refused(deps: Deps, clock: FixedClock, ivb: list[int]) -> None:
    """A meeting must belong to the chosen overleg."""
    with deps.sessions.begin() as s, pytest.raises(Refused, match="hoort niet bij"):
        _create(s, clock, overleg="kob", meeting_id=ivb[0])


def test_state_machine_table() -> None:
    """Final states allow nothing; ingediend allows every decision and withdrawal."""
    for final in (ProposalState.AFGEWEZEN, ProposalState.INGETROKKEN, ProposalState.BEHANDELD):
        assert TRANSITIONS[final] == frozenset()
    assert ProposalState.INGETROKKEN in TRANSITIONS[ProposalState.INGEDIEND]
    assert ProposalState.INGETROKKEN not in TRANSITIONS[ProposalState.GEAGENDEERD]
    assert ProposalState.BEHANDELD in TRANSITIONS[ProposalState.GEAGENDEERD]
    assert set(TRANSITIONS) == set(ProposalState)


def _decide(s: Session, clock: FixedClock, pid: int, decision: str, **kwargs: object) -> decisions.Decision:
    return decisions.decide(
        session=s,
        proposal_id=pid,
        actor_id=str(kwargs.pop("actor", ADMIN)),
        admin_ids=(ADMIN,),
        decision=decision,
        now=clock.now(),
        **kwargs,  # type: ignore[arg-type]
    )


def test_agenderen_appends_in_order_and_audits(deps: Deps, clock: FixedClock, ivb: list[int]) -> None:
    """Two proposals agendaed on March get positions 1 and 2; the audit says who, when, from, to."""
    with deps.sessions.begin() as s:
        first = _create(s, clock, title="Eerste").proposal.id
        second = _create(s, clock, title="Tweede").proposal.id
        _decide(s, clock, second, "agenderen")
        _decide(s, clock, first, "agenderen", meeting_id=ivb[0])
        agenda = proposals.read_agenda(session=s, overleg="ivb", now=clock.now()).items
        assert [p.title for p in agenda] == ["Tweede", "Eerste"]
        trail = audit_trail(s, "proposal", second)
        assert [(a.actor_id, a.from_value, a.to_value) for a in trail] == [
            (OFFICIAL, "", "ingediend"),
            (ADMIN, "ingediend", "geagendeerd"),
        ]
        assert trail[1].at == clock.now()


def test_aanhouden_moves_to_later_meeting(deps: Deps, clock: FixedClock, ivb: list[int]) -> None:
    """Deferring moves the proposal to the meeting after its own."""
    with deps.sessions.begin() as s:
        pid = _create(s, clock).proposal.id
        decision = _decide(s, clock, pid, "aanhouden")
        assert decision.to_state == ProposalState.AANGEHOUDEN
        assert decision.proposal.meeting_id == ivb[1]
        # Deferred again, it moves on to November; then it can still be agendaed.
        assert _decide(s, clock, pid, "aanhouden").proposal.meeting_id == ivb[2]
        assert _decide(s, clock, pid, "agenderen").proposal.meeting_id == ivb[2]


def test_afwijzen_needs_reason(deps: Deps, clock: FixedClock, ivb: list[int]) -> None:
    """Rejecting without a reason is refused; with one the reason is kept and the state is final."""
    with deps.sessions.begin() as s:
        pid = _create(s, clock).proposal.id
        with pytest.raises(Refused, match="reden"):
            _decide(s, clock, pid, "afwijzen", reason="  ")
        decision = _decide(s, clock, pid, "afwijzen", reason="Past beter bij de KOB-tafel")
        assert decision.proposal.reason == "Past beter bij de KOB-tafel"
        with pytest.raises(NotAllowed, match="al afgewezen"):
            _decide(s, clock, pid, "agenderen")


def test_non_admin_cannot_decide(deps: Deps, clock: FixedClock, ivb: list[int]) -> None:
    """The service itself refuses a decision by someone outside the secretariaat."""
    with deps.sessions.begin() as s:
        pid = _create(s, clock).proposal.id
        with pytest.raises(NotAllowed, match="Alleen het secretariaat"):
            _decide(s, clock, pid, "agenderen", actor=OFFICIAL)
        assert s.get(AgendaProposal, pid).state == ProposalState.INGEDIEND  # type: ignore[union-attr]
        assert len(audit_trail(s, "proposal", pid)) == 1


def test_withdraw_and_edit_only_by_proposer_while_ingediend(
    deps: Deps, clock: FixedClock, ivb: list[int]
) -> None:
    """The proposer edits and withdraws; others cannot, and nobody can once it is decided."""
    with deps.sessions.begin() as s:
        pid = _create(s, clock).proposal.id
        with pytest.raises(NotAllowed, match="Alleen wie"):
            decisions.withdraw(session=s, proposal_id=pid, user_id=ADMIN, now=clock.now())
        edited = proposals.edit(
            session=s, proposal_id=pid, user_id=OFFICIAL, title="Nieuw", explanation="Uitleg", now=clock.now()
        )
        assert (edited.title, edited.explanation) == ("Nieuw", "Uitleg")
        with pytest.raises(Refused):
            proposals.edit(
                session=s, proposal_id=pid, user_id=OFFICIAL, title="", explanation="", now=clock.now()
            )
        decisions.withdraw(session=s, proposal_id=pid, user_id=OFFICIAL, now=clock.now())
        with pytest.raises(NotAllowed, match="al ingetrokken"):
            decisions.withdraw(session=s, proposal_id=pid, user_id=OFFICIAL, now=clock.now())
        other = _create(s, clock).proposal.id
        _decide(s, clock, other, "agenderen")
        with pytest.raises(NotAllowed, match="zolang het nog ingediend"):
            proposals.edit(
                session=s, proposal_id=other, user_id=OFFICIAL, title="x", explanation="", now=clock.now()
            )
        actions = [a.action for a in audit_trail(s, "proposal", pid)]
        assert actions == ["ingediend", "bewerkt", "ingetrokken"]


def test_agenderen_on_past_meeting_is_refused(deps: Deps, clock: FixedClock, ivb: list[int]) -> None:
    """Once the meeting has started, agenderen on it is refused and nothing changes."""
    with deps.sessions.begin() as s:
        pid = _create(s, clock).proposal.id
    clock.advance(timedelta(days=30))
    with deps.sessions.begin() as s:
        with pytest.raises(Refused, match="al geweest"):
            _decide(s, clock, pid, "agenderen", meeting_id=ivb[0])
        meeting = s.get(Meeting, ivb[0])
        assert meeting is not None
        assert s.get(AgendaProposal, pid).state == ProposalState.INGEDIEND  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "link",
    [
        "<!channel>",
        "https://evil.example/archives/C1/p1",
        "https://vgg.slack.com.evil.example/archives/C1/p1",
        "https://vgg.slack.com/archives/C1/p1|klik <!channel>",
        "javascript:alert(1)",
    ],
)
def test_only_a_slack_message_permalink_is_kept_as_the_source_link(
    deps: Deps, clock: FixedClock, ivb: list[int], link: str
) -> None:
    """What ends up in the review post as "Oorspronkelijk bericht" is a Slack permalink or nothing."""
    with deps.sessions.begin() as s:
        pid = _create(s, clock).proposal.id
        review.set_source_link(session=s, proposal_id=pid, permalink=link)
        assert s.get(AgendaProposal, pid).source_permalink in (None, "")  # type: ignore[union-attr]
        review.set_source_link(
            session=s, proposal_id=pid, permalink="https://vgg.slack.com/archives/C0GEN01/p1677650000000200"
        )
        kept = s.get(AgendaProposal, pid).source_permalink  # type: ignore[union-attr]
    assert kept == "https://vgg.slack.com/archives/C0GEN01/p1677650000000200"
