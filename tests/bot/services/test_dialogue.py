"""The proposal dialogue as a service: phrases, steps, stop, expiry with an injected clock."""

from datetime import datetime, timedelta

import pytest

from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.services import dialogue as conversation
from bot.services import filing
from bot.services.filing import DialogueOutcome as Outcome
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
    assert confirm.token
    with deps.sessions.begin() as s:
        assert s.query(AgendaProposal).count() == 0  # nothing before Indienen
        done = filing.submit(session=s, token=confirm.token, user_id=OFFICIAL, now=clock.now(), tz=AMS)
        assert done.kind == "created"
        assert done.created is not None
        again = filing.submit(session=s, token=confirm.token, user_id=OFFICIAL, now=clock.now(), tz=AMS)
        assert again.kind == "filed_before"
        assert again.data == {"proposal_id": done.created.proposal.id, "title": "Jaarwisseling"}
        proposal = s.query(AgendaProposal).one()
        assert (proposal.title, proposal.explanation, proposal.overleg.key) == (
            "Jaarwisseling",
            "Evaluatie oud en nieuw",
            "kob",
        )
        assert proposal.meeting is not None
        assert [c.step for c in s.query(Conversation)] == ["ingediend"]  # the receipt, for the old buttons


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
    """`agendapunt:` proposes at once; an empty title is an error and stores nothing; a colon that names
    no overleg belongs to the title."""
    assert say(deps, clock, "agendapunt: ").kind == "error"
    created = say(deps, clock, "agendapunt: Hennepconvenant\nZie bijlage")
    assert created.kind == "created"
    assert created.created is not None
    assert created.created.proposal.explanation == "Zie bijlage"
    colon = say(deps, clock, "agendapunt brandweer: Iets")
    assert colon.created is not None
    assert (colon.created.proposal.title, colon.created.proposal.overleg.key) == ("brandweer: Iets", "ivb")
    assert say(deps, clock, "blablabla").kind == "hint"


def test_dialogues_are_per_user_and_thread(deps: Deps, clock: FixedClock) -> None:
    """Another user, or another thread, has a dialogue of their own; others cannot submit yours."""
    say(deps, clock, "ik wil iets agenderen", thread="1.1")
    assert say(deps, clock, "Titel", thread="2.2").kind == "hint"
    assert say(deps, clock, "Titel", user="U0OTHER0001", thread="1.1").kind == "hint"
    for answer in ("Titel", "geen"):
        say(deps, clock, answer, thread="1.1")
    confirm = say(deps, clock, "ivb", thread="1.1")
    with deps.sessions.begin() as s:
        other = filing.submit(session=s, token=confirm.token, user_id="U0OTHER0001", now=clock.now(), tz=AMS)
        assert other.kind == "not_yours"
    assert say(deps, clock, "indienen", thread="1.1").kind == "created"


def _to_summary(deps: Deps, clock: FixedClock, title: str) -> Outcome:
    for line in ("ik wil iets agenderen", title, "geen"):
        say(deps, clock, line)
    return say(deps, clock, "ivb")


def test_dialogues_in_a_row_never_share_a_button(deps: Deps, clock: FixedClock) -> None:
    """Two dialogues in a row (the first row deleted, its id free again on SQLite) get different tokens:
    the first summary's Annuleren cannot touch the second dialogue."""
    first = _to_summary(deps, clock, "Eerste")
    assert say(deps, clock, "stop").kind == "cancelled"
    second = _to_summary(deps, clock, "Tweede")
    assert first.token != second.token
    with deps.sessions.begin() as s:
        stale = filing.cancel(session=s, token=first.token, user_id=OFFICIAL, now=clock.now())
        assert stale.kind == "gone"
    assert say(deps, clock, "ja").created is not None


def test_typed_ja_then_the_old_button_says_filed(deps: Deps, clock: FixedClock) -> None:
    """After `ja` the summary's Indienen says the proposal was filed as #N, and the summary's place is
    handed back so it can be closed."""
    summary = _to_summary(deps, clock, "Hennep")
    with deps.sessions.begin() as s:
        filing.remember_summary(session=s, token=summary.token, ts="1677000000.000200")
    typed = say(deps, clock, "ja")
    assert typed.kind == "created"
    assert typed.summary_ts == "1677000000.000200"
    assert typed.created is not None
    with deps.sessions.begin() as s:
        clicked = filing.submit(session=s, token=summary.token, user_id=OFFICIAL, now=clock.now(), tz=AMS)
    assert clicked.kind == "filed_before"
    assert clicked.data["proposal_id"] == typed.created.proposal.id
    clock.advance(timedelta(days=1, minutes=1))  # the receipt is kept a day
    with deps.sessions.begin() as s:
        late = filing.submit(session=s, token=summary.token, user_id=OFFICIAL, now=clock.now(), tz=AMS)
    assert late.kind == "gone"


@pytest.mark.parametrize(
    "again",
    [
        "agendapunt: Drugsoverlast Veendam",
        "agendapunt: drugsoverlast  veendam",
        "agenda punt: DRUGSOVERLAST VEENDAM",
    ],
)
def test_the_same_title_twice_is_asked_first(deps: Deps, clock: FixedClock, again: str) -> None:
    """The same person, title (case and spaces aside) and overleg within a day: asked first, not filed;
    `ja` files it after all, `nee` files nothing."""
    first = say(deps, clock, "agendapunt: Drugsoverlast Veendam")
    assert first.created is not None
    clock.advance(timedelta(hours=3))
    asked = say(deps, clock, again)
    assert asked.kind == "duplicate"
    assert asked.earlier is not None
    assert asked.earlier.id == first.created.proposal.id
    assert say(deps, clock, "nee").kind == "cancelled"
    assert say(deps, clock, again).kind == "duplicate"
    assert say(deps, clock, "ja").kind == "created"
    with deps.sessions.begin() as s:
        assert s.query(AgendaProposal).count() == 2


def test_what_is_no_repeat_is_filed_at_once(deps: Deps, clock: FixedClock) -> None:
    """Another overleg, another person, or more than a day later: filed without a question."""
    assert say(deps, clock, "agendapunt: Drugsoverlast").created is not None
    assert say(deps, clock, "agendapunt kob: Drugsoverlast").created is not None
    assert say(deps, clock, "agendapunt: Drugsoverlast", user="U0OTHER0001").created is not None
    clock.advance(timedelta(hours=24, minutes=1))
    assert say(deps, clock, "agendapunt: Drugsoverlast").created is not None


def test_the_repeat_question_lapses_on_other_text(deps: Deps, clock: FixedClock) -> None:
    """Asked "Toch nog een keer?", a question instead of yes or no is answered; the proposal is not filed."""
    say(deps, clock, "agendapunt: Hennep")
    assert say(deps, clock, "agendapunt: Hennep").kind == "duplicate"
    asked = say(deps, clock, "wanneer is de volgende IVB?")
    assert (asked.kind, asked.intent and asked.intent.kind) == ("question", "next_meeting")
    assert say(deps, clock, "ja").kind == "hint"
    with deps.sessions.begin() as s:
        assert s.query(AgendaProposal).count() == 1


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Wanneer is de volgende IVB?", "next_meeting"),
        ("tot wanneer kan ik iets aanleveren voor de KOB?", "next_meeting"),
        ("wat staat er op de agenda?", "agenda"),
        ("help", "help"),
        ("hoi", "greeting"),
        ("bedankt!", "thanks"),
    ],
)
def test_questions_name_their_intent(deps: Deps, clock: FixedClock, text: str, kind: str) -> None:
    """A question is no dialogue: the outcome names the intent (plain data) for the listener to answer."""
    outcome = say(deps, clock, text)
    assert outcome.kind == "question"
    assert outcome.intent is not None
    assert outcome.intent.kind == kind
