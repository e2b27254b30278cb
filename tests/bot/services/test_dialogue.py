"""The proposal dialogue as a service: phrases, steps, stop, expiry with an injected clock."""

from datetime import datetime, timedelta

import pytest

from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.services import dialogue as conversation
from bot.services.dialogue import DialogueOutcome as Outcome
from bot.text.slack import without_mentions
from storage.models import AgendaProposal, Conversation
from tests.conftest import AMS, OFFICIAL
from tests.support.factories import add_meeting

DM = "D0OFFICIAL1"


def say(deps: Deps, clock: FixedClock, text: str, *, user: str = OFFICIAL, thread: str = "") -> Outcome:
    with deps.sessions.begin() as s:
        return conversation.handle_message(
            session=s, user_id=user, channel_id=DM, thread_ts=thread, text=text, now=clock.now(), tz=AMS
        )


@pytest.mark.parametrize(
    "phrase",
    [
        "ik wil iets agenderen",
        "Ik wil een agendapunt indienen",
        "kan ik iets op de agenda zetten?",
        "I want to add an agenda item",
        "Hoi! Ik zou graag iets willen agenderen voor het IVB",
        "<@U0VGGBOT01> ik wil iets agenderen",
    ],
)
def test_phrases_start_the_dialogue(phrase: str) -> None:
    """Natural Dutch and English variants start the dialogue."""
    assert conversation.wants_dialogue(without_mentions(phrase))


@pytest.mark.parametrize("phrase", ["hallo", "wanneer is het volgende overleg?", "dank je"])
def test_other_text_does_not(phrase: str) -> None:
    """Small talk does not start a dialogue."""
    assert not conversation.wants_dialogue(phrase)


def test_parse_direct() -> None:
    """`agendapunt [overleg]: titel` with explanation lines; a colon later in the title stays."""
    assert conversation.parse_direct("agendapunt: Hennep\nregel 1\nregel 2") == (
        None,
        "Hennep",
        "regel 1\nregel 2",
    )
    assert conversation.parse_direct("Agendapunt kob: Titel: deel twee") == ("kob", "Titel: deel twee", "")
    assert conversation.parse_direct("agendapunt tafel kob: X") == ("tafel kob", "X", "")
    assert conversation.parse_direct("geen agendapunt: x") is None


def test_full_dialogue_creates_once(deps: Deps, clock: FixedClock) -> None:
    """Title, explanation, overleg, then Indienen stores one proposal and ends the dialogue."""
    with deps.sessions.begin() as s:
        add_meeting(s, "kob", datetime(2023, 4, 13, 14, 0, tzinfo=AMS))
    assert say(deps, clock, "ik wil iets agenderen").kind == "ask_title"
    assert say(deps, clock, "Jaarwisseling").kind == "ask_explanation"
    assert say(deps, clock, "Evaluatie oud en nieuw").kind == "ask_overleg"
    assert say(deps, clock, "welk overleg?").kind == "error"  # unknown overleg: asked again
    confirm = say(deps, clock, "tafel kob")
    assert confirm.kind == "confirm"
    assert confirm.data["overleg"] == "kob"
    assert confirm.conversation_id is not None
    with deps.sessions.begin() as s:
        assert s.query(AgendaProposal).count() == 0  # nothing before Indienen
        done = conversation.submit(
            session=s, conversation_id=confirm.conversation_id, user_id=OFFICIAL, now=clock.now(), tz=AMS
        )
        assert done.kind == "created"
        again = conversation.submit(
            session=s, conversation_id=confirm.conversation_id, user_id=OFFICIAL, now=clock.now(), tz=AMS
        )
        assert again.kind == "expired"
        proposal = s.query(AgendaProposal).one()
        assert (proposal.title, proposal.explanation, proposal.overleg.key) == (
            "Jaarwisseling",
            "Evaluatie oud en nieuw",
            "kob",
        )
        assert proposal.meeting is not None
        assert s.query(Conversation).count() == 0


def test_stop_at_any_step(deps: Deps, clock: FixedClock) -> None:
    """`stop` and `annuleer` end the dialogue at every step; nothing is stored."""
    for steps in ([], ["Titel"], ["Titel", "geen"], ["Titel", "geen", "ivb"]):
        say(deps, clock, "ik wil iets agenderen")
        for answer in steps:
            say(deps, clock, answer)
        assert say(deps, clock, "annuleer" if steps else "stop").kind == "cancelled"
    with deps.sessions.begin() as s:
        assert s.query(AgendaProposal).count() == 0
        assert s.query(Conversation).count() == 0


def test_expires_after_30_minutes_of_silence(deps: Deps, clock: FixedClock) -> None:
    """29 minutes of silence is fine; after 30 the dialogue is gone and the user is told."""
    say(deps, clock, "ik wil iets agenderen")
    clock.advance(timedelta(minutes=29))
    assert say(deps, clock, "Titel").kind == "ask_explanation"
    clock.advance(timedelta(minutes=30))
    assert say(deps, clock, "een toelichting").kind == "expired"
    with deps.sessions.begin() as s:
        assert s.query(Conversation).count() == 0


def test_bad_title_keeps_the_step(deps: Deps, clock: FixedClock) -> None:
    """A too long title is refused with the limit, and the dialogue still asks for the title."""
    say(deps, clock, "ik wil iets agenderen")
    outcome = say(deps, clock, "x" * 151)
    assert outcome.kind == "error"
    assert "maximum is 150" in outcome.error
    assert say(deps, clock, "Korte titel").kind == "ask_explanation"


def test_direct_proposal_and_errors(deps: Deps, clock: FixedClock) -> None:
    """`agendapunt:` proposes at once; an empty title or unknown overleg is an error and stores nothing."""
    assert say(deps, clock, "agendapunt: ").kind == "error"
    unknown = say(deps, clock, "agendapunt brandweer: Iets")
    assert unknown.kind == "error"
    assert "`kob`" in unknown.error
    created = say(deps, clock, "agendapunt: Hennepconvenant\nZie bijlage")
    assert created.kind == "created"
    assert created.created is not None
    assert created.created.proposal.explanation == "Zie bijlage"
    assert say(deps, clock, "hallo").kind == "hint"


def test_dialogues_are_per_user_and_thread(deps: Deps, clock: FixedClock) -> None:
    """Another user, or another thread, has a dialogue of their own; others cannot submit yours."""
    say(deps, clock, "ik wil iets agenderen", thread="1.1")
    assert say(deps, clock, "Titel", thread="2.2").kind == "hint"
    assert say(deps, clock, "Titel", user="U0OTHER0001", thread="1.1").kind == "hint"
    for answer in ("Titel", "geen"):
        say(deps, clock, answer, thread="1.1")
    confirm = say(deps, clock, "ivb", thread="1.1")
    assert confirm.conversation_id is not None
    with deps.sessions.begin() as s:
        other = conversation.submit(
            session=s, conversation_id=confirm.conversation_id, user_id="U0OTHER0001", now=clock.now(), tz=AMS
        )
        assert other.kind == "not_yours"
    assert say(deps, clock, "indienen", thread="1.1").kind == "created"
