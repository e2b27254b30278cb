"""Plain questions get what the commands answer: in a DM, in a mention and after `/ivb`, through the
real app over signed HTTP. One table of real phrasings (typos, capitals, English) end to end; the pure
reader's own table is tests/bot/text/test_intents.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from slack_bolt import App

from bot.runtime.deps import Deps
from bot.runtime.settings import Settings
from storage.models import ProposalState
from tests.conftest import AMS, OFFICIAL
from tests.fakes.slack import FakeSlack
from tests.support.blockcheck import assert_valid_message
from tests.support.factories import add_meeting
from tests.support.factories_open import add_action, add_proposal
from tests.support.proposal_helpers import all_proposals, app_with_own_executor, mention_event, posts, send_dm
from tests.support.slackclient import SlackSender
from tests.support.waiting import wait_for

DM = "D" + OFFICIAL[1:]
KOB_CHANNEL = "C0KOBTAFEL1"

# What marks each answer (the builders' own words).
IVB = "Integraal Veiligheidsberaad: volgende vergadering"
KOB = "Bestuurlijke tafel Kwaliteit Openbaar Bestuur: volgende vergadering"
KOB_DEADLINE = (
    "Agendapunten voor de Bestuurlijke tafel Kwaliteit Openbaar Bestuur: *uiterlijk do 2 mrt 14:00* (morgen)"
)
IVB_DEADLINE = "Agendapunten voor het Integraal Veiligheidsberaad: *uiterlijk ma 6 mrt 09:30* (over 5 dagen)"
NOORD = "Er staat nog geen 3-Noord tafel gepland"
AGENDA = "Agenda Integraal Veiligheidsberaad"
AGENDA_KOB = "Agenda Bestuurlijke tafel Kwaliteit Openbaar Bestuur"
OPEN = "Openstaand"
MINE = "Openstaand — van jou"
OPEN_KOB = "Openstaand — Bestuurlijke tafel Kwaliteit Openbaar Bestuur"
CALENDAR = "Kalender"
HELP = "Wat kan VGG-bot?"
HELLO = "Ik ben VGG-bot"
THANKS = "Graag gedaan"
TITLE = "Wat is de titel?"

# In a DM: what officials type, and what the answer starts with (or holds).
IN_A_DM = [
    ("Wanneer is de volgende IVB?", IVB),
    ("tot wanneer kan ik iets aanleveren voor de KOB?", KOB_DEADLINE),
    ("wat staat er op de agenda?", AGENDA),
    ("help", HELP),
    ("hoi", HELLO),
    ("wnneer is de volgende ivb", IVB),
    ("WANNEER IS DE VOLGENDE VEILIGHEIDSBERAAD", IVB),
    ("wanner is de vlgende kob", KOB),
    ("Wanneer vergadert de KOB?", KOB),
    ("eerstvolgende kob?", KOB),
    ("When is the next KOB meeting", KOB),
    ("when's the next IVB?", IVB),
    ("wanneer is de 3 noord tafel", NOORD),
    ("deadline kob?", KOB_DEADLINE),
    ("Tot wanneer kan ik agendapunten indienen?", IVB_DEADLINE),
    ("can I still submit something for the IVB?", IVB_DEADLINE),
    ("Goedemorgen! Tot wanneer kan ik nog wat aanleveren voor het IVB?", IVB_DEADLINE),
    ("what's on the agenda", AGENDA),
    ("agnda kob", AGENDA_KOB),
    ("Moi! Wat staat der op de agenda?", AGENDA),
    ("wat staat er nog open", OPEN),
    ("mijn openstaande punten", MINE),
    ("what's still open for me", MINE),
    ("open punten kob", OPEN_KOB),
    ("welke vergaderingen komen eraan", CALENDAR),
    ("what are the upcoming meetings", CALENDAR),
    ("hoe werkt dit?", HELP),
    ("what can you do", HELP),
    ("Goeiemorgen allemaal", HELLO),
    ("bedankt voor de hulp", THANKS),
    ("thanks!", THANKS),
    ("ik wil iets agenderen", TITLE),
]
# After `/ivb`: the same questions, and the commands' own words with typos.
AFTER_IVB = [
    ("wanneer is de volgende ivb?", IVB),
    ("when is the next meeting", IVB),
    ("Wanneer vergadert de KOB?", KOB),
    ("tot wanneer kan ik iets aanleveren voor de KOB?", KOB_DEADLINE),
    ("wat staat er op de agenda?", AGENDA),
    ("kob", KOB),
    ("open punten kob", OPEN_KOB),
    ("mijn voorstellen", MINE),
    ("hoi", HELLO),
    ("bedankt!", THANKS),
    ("hulp", HELP),
    ("volgnde", "Bedoel je `/ivb volgende`?"),
    ("Volgnde kob", "Bedoel je `/ivb volgende kob`?"),
    ("agnda", "Bedoel je `/ivb agenda`?"),
    ("kalnder", "Bedoel je `/ivb kalender`?"),
    ("opn mijn", "Bedoel je `/ivb open mijn`?"),
]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The KOB has a channel of its own (OVERLEG_CHANNELS)."""
    return settings.model_copy(update={"overleg_channels": {"kob": KOB_CHANNEL}})


@pytest.fixture
def bolt_app(deps: Deps) -> Iterator[App]:
    with app_with_own_executor(deps) as app:
        yield app


@pytest.fixture(autouse=True)
def calendar(deps: Deps) -> None:
    """The IVB of 20 March 2023 with one item on its agenda, a KOB on 16 March, an overdue action point."""
    with deps.sessions.begin() as s:
        ivb = add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS))
        add_meeting(s, "kob", datetime(2023, 3, 16, 14, 0, tzinfo=AMS))
        created = datetime(2023, 2, 20, 12, 0, tzinfo=AMS)
        item = add_proposal(
            s, "ivb", "Cameratoezicht", "U0OTHER0001", created=created, meeting=ivb,
            state=ProposalState.GEAGENDEERD,
        )  # fmt: skip
        item.position = 1
        add_action(s, "kob", "Notitie rondsturen", OFFICIAL, created=created, due=date(2023, 2, 27))


def _shows(message: dict[str, Any], marker: str) -> bool:
    first = str(message["blocks"][0])
    return marker in (first if marker in {KOB_DEADLINE, IVB_DEADLINE} else str(message["blocks"]))


def test_questions_in_a_dm_get_the_commands_answers(slack: SlackSender, fake_slack: FakeSlack) -> None:
    """Each phrasing in a DM is answered in the DM with what the matching command answers."""
    wrong = []
    for n, (text, marker) in enumerate(IN_A_DM, start=1):
        send_dm(slack, text, user=OFFICIAL)
        answers = wait_for(lambda n=n: len(found := posts(fake_slack, DM)) >= n and found, what=text)
        assert len(answers) == n, f"{text!r} got more than one answer"
        if not _shows(answers[-1], marker):
            wrong.append((text, marker, answers[-1]["text"]))
    assert wrong == []


def test_questions_after_ivb_get_the_commands_answers(slack: SlackSender) -> None:
    """After `/ivb` the same questions, and mistyped commands with "Bedoel je …?" and the answer."""
    wrong = []
    for text, marker in AFTER_IVB:
        body = slack.command(text, user_id=OFFICIAL).json()
        assert_valid_message(body)
        if not _shows(body, marker):
            wrong.append((text, marker, body["text"]))
    assert wrong == []


def test_the_table_holds_enough_phrasings() -> None:
    """At least 40 real phrasings go through the handlers end to end."""
    assert len(IN_A_DM) + len(AFTER_IVB) >= 40


def test_a_typo_gets_the_answer_not_the_help(slack: SlackSender) -> None:
    """`/ivb volgnde`: "Bedoel je `/ivb volgende`?" above the answer itself, not the whole help."""
    body = slack.command("volgnde", user_id=OFFICIAL).json()
    assert body["blocks"][0]["elements"][0]["text"] == "Bedoel je `/ivb volgende`?"
    assert IVB in str(body["blocks"])
    assert HELP not in str(body["blocks"])


def test_a_typo_of_a_command_that_changes_something_is_only_asked(slack: SlackSender, deps: Deps) -> None:
    """`/ivb voorstl Hennep` files nothing: it asks whether `/ivb voorstel Hennep` was meant."""
    body = slack.command("voorstl Hennep", user_id=OFFICIAL).json()
    assert "Bedoel je `/ivb voorstel Hennep`? Typ het dan zo nog een keer." in body["text"]
    assert [p.title for p in all_proposals(deps)] == ["Cameratoezicht"]


def test_a_wish_to_propose_after_ivb_opens_the_form(slack: SlackSender, fake_slack: FakeSlack) -> None:
    """`/ivb ik wil iets agenderen` opens the proposal form, as `/ivb voorstel` does."""
    result = slack.command("ik wil iets agenderen", user_id=OFFICIAL)
    assert result.status == 200
    wait_for(lambda: fake_slack.calls_to("views.open"), what="the form")


def test_in_an_overlegs_channel_a_mention_means_that_overleg(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    """Asked in the KOB's own channel without naming an overleg, the answer is about the KOB."""
    event = mention_event("wanneer is de volgende vergadering?", user=OFFICIAL, channel=KOB_CHANNEL)
    slack.event(event)
    (answer,) = wait_for(lambda: posts(fake_slack, KOB_CHANNEL), what="the answer in the thread")
    assert answer["thread_ts"] == event["ts"]
    assert KOB in str(answer["blocks"])


def test_commands_in_an_overlegs_channel_default_to_it(slack: SlackSender, deps: Deps) -> None:
    """Typed in the KOB's own channel, volgende, agenda, open and voorstel mean the KOB unless another
    overleg is named; elsewhere they mean the IVB."""
    here = {"user_id": OFFICIAL, "channel_id": KOB_CHANNEL}
    assert KOB in str(slack.command("volgende", **here).json()["blocks"])
    assert IVB in str(slack.command("volgende ivb", **here).json()["blocks"])
    assert IVB in str(slack.command("volgende", user_id=OFFICIAL).json()["blocks"])
    assert AGENDA_KOB in str(slack.command("agenda", **here).json()["blocks"])
    assert OPEN_KOB in str(slack.command("open", **here).json()["blocks"])
    assert "Openstaand — van jou, Bestuurlijke tafel" in str(
        slack.command("open mijn", **here).json()["blocks"]
    )
    slack.command("voorstel Weerbaar bestuur", **here)
    filed = all_proposals(deps)[-1]
    assert (filed.title, filed.overleg.key) == ("Weerbaar bestuur", "kob")


def test_open_items_asked_in_a_channel_only_the_asker_sees(slack: SlackSender, fake_slack: FakeSlack) -> None:
    """Open items name people: asked by a mention in a channel, the answer is ephemeral, in the thread."""
    event = mention_event("wat staat er nog open?", user=OFFICIAL, channel="C0GENERAL01")
    slack.event(event)
    (shown,) = wait_for(lambda: fake_slack.calls_to("chat.postEphemeral"), what="the ephemeral answer")
    assert (shown.args["user"], shown.args["thread_ts"]) == (OFFICIAL, event["ts"])
    assert OPEN in str(shown.args["blocks"])
    assert posts(fake_slack, "C0GENERAL01") == []
