"""Every proposal payload is valid Block Kit within Slack's limits, even with the longest user text."""

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from bot.blocks.decisions import build_decision_dm
from bot.blocks.dialogue import build_dialogue_closed, build_dialogue_reply, build_summary
from bot.blocks.kit import build_refused
from bot.blocks.proposal_forms import build_edit_modal, build_proposal_modal, build_reject_modal
from bot.blocks.proposals import build_agenda, build_created, build_review, build_saved
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.services import decisions, proposals
from bot.services import meetings as meeting_service
from bot.services import overleggen as overleg_service
from bot.services import review as review_service
from bot.services.errors import NotAllowed, Refused
from bot.services.filing import DialogueOutcome
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.support.blockcheck import assert_valid_message, assert_valid_view
from tests.support.factories import add_meeting

LONG_TITLE = "<!channel> & " + "t" * 137
LONG_TEXT = "<@U123> & " + "e" * 1990


def _seed(s: Session, count: int = 3) -> list[int]:
    return [add_meeting(s, "ivb", datetime(2023, 3 + n, 20, 9, 30, tzinfo=AMS)).id for n in range(count)]


def test_created_review_and_decisions_are_valid(deps: Deps, clock: FixedClock) -> None:
    """Confirmation, review post (open and decided) and every decision DM validate, escaped."""
    tz = AMS
    with deps.sessions.begin() as s:
        _seed(s, 6)
        created = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title=LONG_TITLE, explanation=LONG_TEXT, now=clock.now(), tz=tz
        )
        pid = created.proposal.id
        message = build_created(created, tz=tz).as_message()
        assert_valid_message(message)
        assert "&lt;!channel&gt; &amp;" in str(message)
        review_data = review_service.read_review(session=s, proposal_id=pid, now=clock.now(), tz=tz)
        assert review_data is not None
        meetings = review_data.meetings
        review = build_review(created.proposal, meetings=meetings, tz=tz).as_message()
        assert_valid_message(review)
        assert "<@U123>" in str(review)  # a person: Slack shows their name
        scheduled = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title=LONG_TITLE, explanation=LONG_TEXT, now=clock.now(), tz=tz
        ).proposal.id
        for decision, proposal_id in (("aanhouden", pid), ("aanhouden", pid), ("agenderen", scheduled)):
            result = decisions.decide(
                session=s,
                proposal_id=proposal_id,
                actor_id=ADMIN,
                admin_ids=(ADMIN,),
                decision=decision,
                now=clock.now(),
            )
            assert_valid_message(build_decision_dm(result, tz=tz).as_message())
            assert_valid_message(build_review(result.proposal, meetings=meetings, tz=tz).as_message())
        rejected = decisions.decide(
            session=s,
            proposal_id=pid,
            actor_id=ADMIN,
            admin_ids=(ADMIN,),
            decision="afwijzen",
            reason="<!here> " + "r" * 1990,
            now=clock.now(),
        )
        dm = build_decision_dm(rejected, tz=tz).as_message()
        assert_valid_message(dm)
        assert "<!here>" not in str(dm)
        assert_valid_message(build_review(rejected.proposal, meetings=meetings, tz=tz).as_message())
        other = proposals.create_proposal(session=s, proposer_id=OFFICIAL, title="X", now=clock.now(), tz=tz)
        withdrawn = decisions.withdraw(
            session=s, proposal_id=other.proposal.id, user_id=OFFICIAL, now=clock.now()
        )
        assert "ingetrokken" in build_decision_dm(withdrawn, tz=tz).text
        assert_valid_message(build_saved(other.proposal).as_message())
        assert_valid_view(build_edit_modal(created.proposal))
        assert_valid_view(build_reject_modal(created.proposal))


def test_after_deadline_and_unplanned_confirmations(deps: Deps, clock: FixedClock) -> None:
    """The after-deadline and no-meeting confirmations are valid and say what happens."""
    clock.set(datetime(2023, 3, 10, 10, 0, tzinfo=AMS))
    with deps.sessions.begin() as s:
        _seed(s, 2)
        late = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title="Laat", now=clock.now(), tz=AMS
        )
        message = build_created(late, tz=AMS).as_message()
        assert_valid_message(message)
        assert "die is voorbij" in str(message)
        none = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title="Later", overleg="kob", now=clock.now(), tz=AMS
        )
        unplanned = build_created(none, tz=AMS).as_message()
        assert_valid_message(unplanned)
        assert "zodra de volgende vergadering gepland is" in str(unplanned)


@pytest.mark.parametrize(
    "kind",
    [
        "ask_title",
        "ask_explanation",
        "ask_overleg",
        "cancelled",
        "expired",
        "gone",
        "not_yours",
        "hint",
        "error",
        "filed_before",
    ],
)
def test_dialogue_answers_are_valid(deps: Deps, kind: str) -> None:
    """Every answer of the dialogue is a valid message."""
    with deps.sessions.begin() as s:
        overleggen = tuple(overleg_service.read_overleggen(session=s))
        with pytest.raises(Refused) as err:
            overleg_service.read_overleg(session=s, text="<!channel> & *x*")
    data = {"title": LONG_TITLE, "proposal_id": 4}
    outcome = DialogueOutcome(kind, error=err.value.message, data=data, overleggen=overleggen)
    reply = build_dialogue_reply(outcome, tz=AMS, today=date(2023, 3, 1))
    assert reply is not None
    assert_valid_message(reply.as_message())
    assert "<!channel>" not in str(reply.as_message())


def test_closed_summary_is_valid(deps: Deps, clock: FixedClock) -> None:
    """After Indienen or Annuleren the summary becomes one valid line, escaped."""
    with deps.sessions.begin() as s:
        created = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title=LONG_TITLE, now=clock.now(), tz=AMS
        )
        done = build_dialogue_closed(DialogueOutcome("created", created=created))
    assert done is not None
    assert_valid_message(done.as_message())
    assert "&lt;!channel&gt;" in done.text
    cancelled = build_dialogue_closed(DialogueOutcome("cancelled"))
    assert cancelled is not None
    assert_valid_message(cancelled.as_message())
    assert build_dialogue_closed(DialogueOutcome("hint")) is None


def test_summary_with_longest_text_is_valid() -> None:
    """The dialogue's summary with a full title and explanation stays within a section."""
    data = {"title": LONG_TITLE, "explanation": LONG_TEXT, "overleg_name": "Integraal Veiligheidsberaad"}
    assert_valid_message(build_summary(data, token="0" * 32).as_message())


def test_agenda_with_many_items_is_valid(deps: Deps, clock: FixedClock) -> None:
    """An agenda with 60 long items splits into sections and stays under 50 blocks."""
    with deps.sessions.begin() as s:
        (meeting_id, *_) = _seed(s, 1)
        for n in range(60):
            pid = proposals.create_proposal(
                session=s, proposer_id=OFFICIAL, title=f"{n} {LONG_TITLE}"[:150], now=clock.now(), tz=AMS
            ).proposal.id
            decisions.decide(
                session=s,
                proposal_id=pid,
                actor_id=ADMIN,
                admin_ids=(ADMIN,),
                decision="agenderen",
                now=clock.now(),
            )
        agenda = proposals.read_agenda(session=s, overleg="ivb", now=clock.now())
        assert agenda.meeting is not None
        assert agenda.meeting.id == meeting_id
        assert len(agenda.items) == 60
        message = build_agenda(agenda, tz=AMS).as_message()
        assert_valid_message(message)
        assert "1. 0 &lt;!channel&gt;" in str(message)
        empty = build_agenda(proposals.Agenda(agenda.overleg, agenda.meeting, []), tz=AMS).as_message()
        assert_valid_message(empty)
        assert_valid_message(build_agenda(proposals.Agenda(agenda.overleg, None, []), tz=AMS).as_message())


def test_forms_are_valid_views(deps: Deps, clock: FixedClock) -> None:
    """The new-proposal form (plain, pre-filled, duplicate warning) is a valid modal."""
    with deps.sessions.begin() as s:
        _seed(s, 3)
        overleggen = overleg_service.read_overleggen(session=s)
        meetings = meeting_service.read_planned(session=s, now=clock.now(), limit=40)
        plain = build_proposal_modal(overleggen=overleggen, meetings=meetings, tz=AMS)
        assert_valid_view(plain)
        filled = build_proposal_modal(
            overleggen=overleggen,
            meetings=[],
            tz=AMS,
            title="t" * 300,
            explanation="e" * 5000,
            overleg_key="kob",
            metadata={"channel": "C1", "ts": "1.2", "permalink": "https://x"},
            duplicate_of=[1, 2],
        )
        assert_valid_view(filled)
        assert filled["submit"]["text"] == "Toch indienen"
    assert_valid_message(build_refused(NotAllowed("Alleen het secretariaat …")).as_message())


def test_review_post_shows_the_trail_and_the_confidential_switch(deps: Deps, clock: FixedClock) -> None:
    """A deferred item's review post shows its trail ("aangehouden 20 mrt → geagendeerd 20 apr") and
    the secretariaat's Vertrouwelijk switch; once marked, the switch reads Niet vertrouwelijk."""
    with deps.sessions.begin() as s:
        _seed(s)
        pid = proposals.create_proposal(
            session=s, proposer_id=OFFICIAL, title="Hennep", now=clock.now(), tz=AMS
        ).proposal.id
        for decision in ("aanhouden", "agenderen"):
            decisions.decide(
                session=s,
                proposal_id=pid,
                actor_id=ADMIN,
                admin_ids=(ADMIN,),
                decision=decision,
                now=clock.now(),
            )
        review = review_service.read_review(session=s, proposal_id=pid, now=clock.now(), tz=AMS)
        assert review is not None
        message = build_review(
            review.proposal, meetings=review.meetings, tz=AMS, history=review.history
        ).as_message()
        assert_valid_message(message)
        assert "Verloop: aangehouden 20 mrt → geagendeerd 20 apr" in str(message)
        assert "'Vertrouwelijk'" in str(message)
        review.proposal.confidential = True
        marked = build_review(review.proposal, meetings=review.meetings, tz=AMS, history=review.history)
        assert "Niet vertrouwelijk" in str(marked.as_message())
