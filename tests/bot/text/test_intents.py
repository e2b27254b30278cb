"""Plain questions in Dutch and English read as the command that answers them."""

from __future__ import annotations

import time
from typing import Final

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text.intents import COMMAND_FOR_KIND, MAX_QUESTION_CHARS, Intent, read_intent
from bot.text.proposal_text import DirectProposal, split_proposal_text

Names = dict[str, tuple[str, ...]]

NEXT: Final = "next_meeting"

# What officials type in a DM, a mention or after `/ivb`, with what the bot should read in it.
PHRASINGS = [
    # the issue's own examples
    ("Wanneer is de volgende IVB?", Intent(NEXT, "ivb")),
    ("tot wanneer kan ik iets aanleveren voor de KOB?", Intent(NEXT, "kob", asks_deadline=True)),
    ("wat staat er op de agenda?", Intent("agenda")),
    ("help", Intent("help")),
    ("hoi", Intent("greeting")),
    ("wanneer is de volgende ivb?", Intent(NEXT, "ivb")),
    ("/ivb wanneer is de volgende ivb?", Intent(NEXT, "ivb")),
    ("when is the next meeting", Intent(NEXT)),
    # the next meeting, with typos, capitals, aliases and without question marks
    ("wanneer is het volgende overleg", Intent(NEXT)),
    ("wnneer is de volgende ivb", Intent(NEXT, "ivb")),
    ("WANNEER IS DE VOLGENDE VEILIGHEIDSBERAAD", Intent(NEXT, "ivb")),
    ("wanner is de vlgende kob", Intent(NEXT, "kob")),
    ("Wanneer vergadert de KOB?", Intent(NEXT, "kob")),
    ("Wanneer komt de KOB weer bij elkaar?", Intent(NEXT, "kob")),
    ("wanneer is de 3 noord tafel", Intent(NEXT, "3noord")),
    ("Wanneer vergaderen de secretarissen?", Intent(NEXT, "groningeragenda")),
    ("eerstvolgende kob?", Intent(NEXT, "kob")),
    ("volgende ivb", Intent(NEXT, "ivb")),
    ("Moi, wanneer is t volgende overleg?", Intent(NEXT)),
    ("Hoi, wanneer is de volgende KOB?", Intent(NEXT, "kob")),
    ("when's the next IVB?", Intent(NEXT, "ivb")),
    ("When is the next KOB meeting", Intent(NEXT, "kob")),
    ("kob", Intent(NEXT, "kob")),
    ("is er een kob vergadering deze week", Intent(NEXT, "kob")),
    ("hoe laat begint de ivb", Intent(NEXT, "ivb")),
    # the deadline: same answer as `/ivb volgende`, leading with the deadline
    ("deadline kob?", Intent(NEXT, "kob", asks_deadline=True)),
    ("wat is de deadline voor 3-noord", Intent(NEXT, "3noord", asks_deadline=True)),
    ("Tot wanneer kan ik agendapunten indienen?", Intent(NEXT, asks_deadline=True)),
    ("wanneer mot ik mien stukken inleveren", Intent(NEXT, mine=True, asks_deadline=True)),
    ("kan ik nog iets aanleveren voor de ivb?", Intent(NEXT, "ivb", asks_deadline=True)),
    ("hoelang heb ik nog om iets in te dienen voor de kob", Intent(NEXT, "kob", asks_deadline=True)),
    ("Is er nog plek op de agenda van de IVB?", Intent(NEXT, "ivb", asks_deadline=True)),
    ("When is the deadline for the IVB?", Intent(NEXT, "ivb", asks_deadline=True)),
    ("can I still submit something for the IVB?", Intent(NEXT, "ivb", asks_deadline=True)),
    ("Hoe zit het met de deadline van de KOB?", Intent(NEXT, "kob", asks_deadline=True)),
    ("Goedemorgen! Tot wanneer kan ik nog wat aanleveren voor het IVB?",
     Intent(NEXT, "ivb", asks_deadline=True)),
    # the agenda
    ("agenda jaarkalender", Intent("agenda", "jaarkalender")),
    ("what's on the agenda", Intent("agenda")),
    ("Moi! Wat staat der op de agenda?", Intent("agenda")),
    ("wat hebben we op de agenda staan", Intent("agenda")),
    ("agnda kob", Intent("agenda", "kob")),
    ("Welke agendapunten zijn er al voor de KOB?", Intent("agenda", "kob")),
    ("wat is er geagendeerd voor de kob", Intent("agenda", "kob")),
    ("show me the agenda for 3-noord", Intent("agenda", "3noord")),
    ("Kun je me de agenda van de KOB sturen", Intent("agenda", "kob")),
    # what is still open
    ("wat staat er nog open", Intent("open")),
    ("mijn openstaande punten", Intent("open", mine=True)),
    ("what is still open", Intent("open")),
    ("what's still open for me", Intent("open", mine=True)),
    ("wat heb ik nog open staan", Intent("open", mine=True)),
    ("mijn voorstellen", Intent("open", mine=True)),
    ("hoe staat het met mijn voorstel?", Intent("open", mine=True)),
    ("Zijn er actiepunten voor mij?", Intent("open", mine=True)),
    ("open punten kob", Intent("open", "kob")),
    ("my open items", Intent("open", mine=True)),
    # the coming meetings
    ("welke vergaderingen komen eraan", Intent("calendar")),
    ("wanneer zijn de vergaderingen van de kob", Intent("calendar", "kob")),
    ("Welke overleggen zijn er deze maand?", Intent("calendar")),
    ("Wat is de planning voor de jaarkalender?", Intent("calendar", "jaarkalender")),
    ("what are the upcoming meetings", Intent("calendar")),
    ("kalender", Intent("calendar")),
    # wanting to propose something
    ("ik wil iets agenderen", Intent("propose")),
    ("kan ik iets op de agenda zetten voor de KOB?", Intent("propose", "kob")),
    ("I want to add an agenda item", Intent("propose")),
    ("Hoe agendeer ik iets?", Intent("propose")),
    ("Ik wil een punt inbrengen voor het ivb", Intent("propose", "ivb")),
    ("Ik heb een voorstel voor de KOB", Intent("propose", "kob")),
    ("Graag wil ik iets op de agenda van 3-Noord", Intent("propose", "3noord")),
    ("I'd like to propose a topic for the KOB", Intent("propose", "kob")),
    ("nieuw agendapunt", Intent("propose")),
    ("agendapunt", Intent("propose")),
    ("Hoi! Ik zou graag iets willen agenderen voor het IVB", Intent("propose", "ivb")),
    # help, greetings and thanks
    ("?", Intent("help")),
    ("hulp", Intent("help")),
    ("wat kan je allemaal", Intent("help")),
    ("Wat kun je?", Intent("help")),
    ("hoe werkt dit?", Intent("help")),
    ("what can you do", Intent("help")),
    ("hallo!", Intent("greeting")),
    ("goedemorgen", Intent("greeting")),
    ("Goeiemorgen allemaal", Intent("greeting")),
    ("good morning", Intent("greeting")),
    ("bedankt!", Intent("thanks")),
    ("bedankt voor de hulp", Intent("thanks")),
    ("dank je wel", Intent("thanks")),
    ("thanks!", Intent("thanks")),
    # not a question for the bot
    ("Drugsoverlast Veendam", Intent("unknown")),
    ("De brief van de burgemeester over het convenant", Intent("unknown")),
    ("Open data en privacy", Intent("unknown")),
    ("Wie zitten er in de KOB?", Intent("unknown", "kob")),
    ("Er staat nog een vraag open bij de politie over cameratoezicht in Veendam", Intent("unknown")),
    ("Toezicht &amp; handhaving bij evenementen", Intent("unknown")),
    ("", Intent("unknown")),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent"), PHRASINGS)
def test_phrasings(text: str, intent: Intent, overleg_names: Names) -> None:
    """Each real phrasing reads as its question, overleg, "mijn" and deadline flags."""
    assert read_intent(text, overleg_names=overleg_names) == intent


def test_the_table_holds_enough_phrasings() -> None:
    """The issue asks for at least 40 phrasings; every kind but a direct proposal is among them."""
    assert len(PHRASINGS) >= 40
    assert {intent.kind for _, intent in PHRASINGS} == {
        "next_meeting", "agenda", "open", "calendar", "help", "greeting", "thanks", "propose", "unknown",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "overleg", "title"),
    [
        ("agendapunt: Drugsoverlast Veendam", None, "Drugsoverlast Veendam"),
        ("Agendapunt voor de KOB: ondermijning", "kob", "ondermijning"),
        ("Agendapunt Hennep: stand van zaken", None, "Hennep: stand van zaken"),
        ("/ivb agendpunt kob: Weerbaar bestuur", "kob", "Weerbaar bestuur"),
    ],
)
def test_direct_proposal(text: str, overleg: str | None, title: str, overleg_names: Names) -> None:
    """`agendapunt …: titel` reads as a proposal made at once, carrying what was proposed."""
    intent = read_intent(text, overleg_names=overleg_names)
    assert intent == Intent("direct_proposal", overleg, proposal=DirectProposal(overleg, title, ""))


def test_a_long_direct_proposal_is_still_a_proposal(overleg_names: Names) -> None:
    """The length cap is for questions: a proposal with a long explanation is still read as one."""
    text = "agendapunt kob: Weerbaar bestuur\n" + "Een lange toelichting. " * 50
    intent = read_intent(text, overleg_names=overleg_names)
    assert intent.kind == "direct_proposal"
    assert intent.proposal is not None
    assert intent.proposal.explanation.startswith("Een lange toelichting.")


def test_long_text_is_never_a_question(overleg_names: Names) -> None:
    """Over MAX_QUESTION_CHARS characters is a pasted explanation, even if it asks something."""
    question = "Wanneer is de volgende IVB? "
    text = question + "Ik vraag het omdat we de evaluatie willen bespreken. " * 6
    assert len(text) > MAX_QUESTION_CHARS
    assert read_intent(text, overleg_names=overleg_names) == Intent("unknown")


@pytest.mark.parametrize(
    "text",
    [
        "wanneer " * 5_000,
        "a" * 40_000,
        "agendapunt " + "kob " * 10_000,
        "help" + "\n" * 40_000 + "?",
        "op de " * 7_000,
    ],
)
def test_forty_thousand_characters_are_unknown_at_once(text: str, overleg_names: Names) -> None:
    """40,000 pasted characters read as "unknown" quickly: nothing backtracks over the whole text."""
    assert len(text) >= 40_000
    started = time.perf_counter()
    assert read_intent(text, overleg_names=overleg_names) == Intent("unknown")
    assert time.perf_counter() - started < 1.0


def test_every_answering_kind_names_its_command() -> None:
    """Each kind the bot answers like a command maps to the `/ivb` verb that gives that answer."""
    assert COMMAND_FOR_KIND == {
        "next_meeting": "volgende", "agenda": "agenda", "open": "open",
        "calendar": "kalender", "help": "help", "propose": "voorstel",
    }  # fmt: skip


TEXTS = st.one_of(
    st.text(max_size=120),
    st.tuples(st.sampled_from([text for text, _ in PHRASINGS]), st.text(max_size=20)).map("".join),
    st.tuples(
        st.sampled_from(["agendapunt", "agenda punt kob", "kob", "voor de KOB"]), st.text(max_size=40)
    ).map(":".join),
)


@given(text=TEXTS)
def test_any_text_reads_without_raising(text: str, overleg_names: Names) -> None:
    """Any text gives an intent, and a proposal's overleg and title come from the text itself."""
    intent = read_intent(text, overleg_names=overleg_names)
    assert intent.kind in COMMAND_FOR_KIND or intent.kind in {
        "greeting",
        "thanks",
        "direct_proposal",
        "unknown",
    }
    assert intent.overleg is None or intent.overleg in overleg_names
    if intent.proposal is not None:
        assert intent.proposal.title in text
    overleg, title = split_proposal_text(text, overleg_names=overleg_names)
    assert overleg is None or overleg in overleg_names
    assert title in text
