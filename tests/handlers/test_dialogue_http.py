"""Proposing by DM and mention through the HTTP endpoint: direct, dialogue, restart, retries."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
from slack_bolt import App

from bot.blocks import ids
from bot.runtime.deps import Deps
from bot.runtime.http import HttpServer, SlackWSGI
from storage.db import make_engine, make_session_factory
from storage.models import Conversation, ProposalState
from tests.conftest import ADMIN, AMS, OFFICIAL, SECRET
from tests.fakes.slack import FakeSlack
from tests.support.proposal_helpers import (
    all_proposals,
    app_with_own_executor,
    button_values,
    dm_event,
    mention_event,
    posts,
    review_place,
    seed_ivb_2023,
    send_dm,
    wait_post,
    wait_posts,
)
from tests.support.slackclient import SlackSender
from tests.support.waiting import wait_for

OFFICIALS = ("U0OFFICIAL1", "U0OFFICIAL2", "U0OFFICIAL3")
ADMIN_DM = "D" + ADMIN[1:]


@pytest.fixture
def bolt_app(deps: Deps) -> Iterator[App]:
    """The real app; its lazy work is finished before the database engine is disposed."""
    with app_with_own_executor(deps) as app:
        yield app


@pytest.fixture
def ivb(deps: Deps) -> list[int]:
    return seed_ivb_2023(deps)


def _dialogue(slack: SlackSender, fake: FakeSlack, user: str, opening: str, title: str) -> None:
    """Run the dialogue to the summary and press Indienen, as a user would."""
    channel = "D" + user[1:]
    send_dm(slack, opening, user=user)
    send_dm(slack, title, user=user)
    send_dm(slack, "geen", user=user)
    send_dm(slack, "ivb", user=user)
    summary = wait_post(fake, channel, "Klopt dit?")
    assert "Klopt dit?" in summary["blocks"][0]["text"]["text"]
    (value,) = button_values(summary, ids.SUBMIT_DIALOGUE)
    summary_ts = "1677000000.000100"  # the summary message, as the click payload names it
    clicked = slack.block_action(
        ids.SUBMIT_DIALOGUE, value, user_id=user, channel_id=channel, message_ts=summary_ts
    )
    assert clicked.status == 200
    confirmation = wait_post(fake, channel, "is ingediend")
    assert "is ingediend" in confirmation["blocks"][0]["text"]["text"]
    # The summary is replaced by a line without buttons.
    closed = wait_for(
        lambda: [c for c in fake.calls_to("chat.update") if c.args.get("channel") == channel],
        what="summary updated",
    )
    assert "Ingediend als" in str(closed[0].args)
    assert "gesprek_indienen" not in str(closed[0].args)


def test_three_phrasings_each_land_once(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """Three officials open the dialogue in three phrasings; each proposal lands once, for 20 March."""
    phrasings = ("ik wil iets agenderen", "ik wil een agendapunt indienen", "I want to add an agenda item")
    for user, phrase, title in zip(
        OFFICIALS, phrasings, ("Hennep", "Jaarwisseling", "Crisisbeheersing"), strict=True
    ):
        _dialogue(slack, fake_slack, user, phrase, title)
    found = all_proposals(deps)
    assert [(p.proposer_id, p.title, p.meeting_id) for p in found] == [
        (OFFICIALS[0], "Hennep", ivb[0]),
        (OFFICIALS[1], "Jaarwisseling", ivb[0]),
        (OFFICIALS[2], "Crisisbeheersing", ivb[0]),
    ]
    reviews = wait_posts(fake_slack, ADMIN_DM, 3)
    assert all("Nieuw agendavoorstel" in r["blocks"][0]["text"]["text"] for r in reviews)
    with deps.sessions.begin() as s:  # only the receipts are left, for the summaries' old buttons
        assert {c.step for c in s.query(Conversation)} == {"ingediend"}


def test_double_click_on_indienen_creates_once(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """Pressing Indienen again says it was filed, as what, and stores nothing more."""
    _dialogue(slack, fake_slack, OFFICIAL, "kan ik iets op de agenda zetten?", "Hennep")
    summary = next(p for p in posts(fake_slack, "D0OFFICIAL1") if button_values(p, ids.SUBMIT_DIALOGUE))
    slack.block_action(ids.SUBMIT_DIALOGUE, button_values(summary, ids.SUBMIT_DIALOGUE)[0], user_id=OFFICIAL)
    last = wait_post(fake_slack, "D0OFFICIAL1", "al ingediend als")
    assert "al ingediend als *#1 Hennep*" in last["blocks"][0]["text"]["text"]
    assert len(all_proposals(deps)) == 1


def test_annuleren_button_stores_nothing(slack: SlackSender, fake_slack: FakeSlack, deps: Deps) -> None:
    """Annuleren on the summary ends the dialogue without a proposal."""
    for line in ("ik wil iets agenderen", "Titel", "geen", "kob"):
        send_dm(slack, line, user=OFFICIAL)
    summary = wait_post(fake_slack, "D0OFFICIAL1", "Klopt dit?")
    slack.block_action(ids.CANCEL_DIALOGUE, button_values(summary, ids.CANCEL_DIALOGUE)[0], user_id=OFFICIAL)
    assert "Gestopt" in wait_post(fake_slack, "D0OFFICIAL1", "Gestopt")["text"]
    assert all_proposals(deps) == []


def test_agendapunt_in_dm_proposes_at_once(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """`agendapunt: <titel>` with explanation lines proposes at once and confirms with #ref and dates."""
    send_dm(slack, "agendapunt: Hennepconvenant\nStand van zaken\nen vervolg", user=OFFICIAL)
    (confirmation,) = wait_posts(fake_slack, "D0OFFICIAL1", 1)
    text = confirmation["blocks"][0]["text"]["text"]
    assert "*#1 Hennepconvenant*" in text
    assert "maandag 20 maart 2023, 09:30" in text
    assert "maandag 6 maart 2023, 09:30" in text
    (proposal,) = all_proposals(deps)
    assert proposal.explanation == "Stand van zaken\nen vervolg"
    (review,) = wait_posts(fake_slack, ADMIN_DM, 1)
    assert button_values(review, "voorstel_agenderen") == [f"1:{ivb[0]}~ingediend"]
    place = wait_for(lambda: review_place(deps, proposal.id), what="review ts stored")
    assert place[0] == ADMIN_DM


def test_after_deadline_confirmation_says_so(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """After the March deadline the proposal goes to June, and the confirmation says so plainly."""
    deps.clock.set(datetime(2023, 3, 10, 12, 0, tzinfo=AMS))  # type: ignore[attr-defined]
    send_dm(slack, "agendapunt: Te laat", user=OFFICIAL)
    text = wait_posts(fake_slack, "D0OFFICIAL1", 1)[0]["blocks"][0]["text"]["text"]
    assert "De agendadeadline van de vergadering van *maandag 20 maart 2023, 09:30* was" in text
    assert "die is voorbij" in text
    assert "Je voorstel gaat naar de vergadering van *maandag 26 juni 2023, 09:30*" in text
    assert all_proposals(deps)[0].meeting_id == ivb[1]


def test_no_meeting_planned_says_it_will_be_scheduled(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps
) -> None:
    """With no meeting planned the proposal is kept and the answer says it is scheduled later."""
    send_dm(slack, "agendapunt 3noord: Bereikbaarheid", user=OFFICIAL)
    text = wait_posts(fake_slack, "D0OFFICIAL1", 1)[0]["blocks"][0]["text"]["text"]
    assert "ingepland zodra de volgende vergadering gepland is" in text
    assert all_proposals(deps)[0].meeting_id is None


def test_mention_answers_in_thread(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """A mention in a channel proposes and the answer goes in the thread of that message."""
    event = mention_event("agendapunt: Cameratoezicht", user=OFFICIAL)
    slack.event(event)
    (answer,) = wait_posts(fake_slack, "C0GENERAL01", 1)
    assert answer["thread_ts"] == event["ts"]
    assert all_proposals(deps)[0].meeting_id == ivb[0]


def test_dialogue_in_a_thread_by_mentions(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """The dialogue continues in the thread of the first mention."""
    first = mention_event("ik wil iets agenderen", user=OFFICIAL)
    slack.event(first)
    for line in ("Cameratoezicht", "geen", "ivb", "indienen"):
        slack.event(mention_event(line, user=OFFICIAL, thread_ts=first["ts"]))
    answers = wait_posts(fake_slack, "C0GENERAL01", 5)
    assert {a["thread_ts"] for a in answers} == {first["ts"]}
    assert [p.title for p in all_proposals(deps)] == ["Cameratoezicht"]


def test_retried_delivery_creates_once(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """The same event_id delivered again (X-Slack-Retry-Num) creates nothing and answers nothing more."""
    event = dm_event("agendapunt: Hennepconvenant", user=OFFICIAL)
    assert slack.event(event, event_id="Ev0RETRY0001").status == 200
    assert slack.event(event, event_id="Ev0RETRY0001", retry_num=1).status == 200
    assert slack.event(event, event_id="Ev0RETRY0001", retry_num=2).status == 200
    wait_posts(fake_slack, ADMIN_DM, 1)
    assert len(all_proposals(deps)) == 1
    assert len(posts(fake_slack, "D0OFFICIAL1")) == 1


def test_concurrent_duplicate_deliveries_create_once(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """Four simultaneous deliveries of one event still make one proposal."""
    event = dm_event("agendapunt: Gelijktijdig", user=OFFICIAL)
    threads = [
        threading.Thread(
            target=slack.event, args=(event,), kwargs={"event_id": "Ev0SAME00001", "retry_num": n}
        )
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wait_posts(fake_slack, ADMIN_DM, 1)
    assert len(all_proposals(deps)) == 1


def test_bot_messages_and_edits_are_ignored(slack: SlackSender, fake_slack: FakeSlack, deps: Deps) -> None:
    """Our own posts, other bots and edited messages never start anything."""
    slack.event(dm_event("agendapunt: van een bot", user=OFFICIAL, bot_id="B0OTHER0001"))
    slack.event(dm_event("agendapunt: bewerkt", user=OFFICIAL, subtype="message_changed"))
    slack.event(dm_event("agendapunt: bestand", user=OFFICIAL, subtype="file_share"))
    send_dm(slack, "hallo", user=OFFICIAL)  # answered with a hint: proves the listener ran
    (greeting,) = wait_posts(fake_slack, "D0OFFICIAL1", 1)
    assert "agendapunt: &lt;titel&gt;" in greeting["blocks"][0]["text"]["text"]
    assert all_proposals(deps) == []


@contextmanager
def second_instance(deps: Deps) -> Iterator[SlackSender]:
    """Another process on the same database: new engine, new app, new server (a restart or a replica)."""
    engine = make_engine(deps.settings.database_url)
    other = Deps(
        settings=deps.settings, engine=engine, sessions=make_session_factory(engine), clock=deps.clock
    )
    with app_with_own_executor(other) as app:
        srv = HttpServer(SlackWSGI(app, other), host="127.0.0.1", port=0, threads=2, poll=0.05)
        thread = threading.Thread(target=srv.serve, daemon=True)
        thread.start()
        try:
            yield SlackSender(f"http://127.0.0.1:{srv.port}", SECRET)
        finally:
            srv.stop()
            thread.join(timeout=5)
    engine.dispose()


def test_dialogue_survives_restart(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """Begun on one instance, the dialogue continues and is submitted on another (same database)."""
    send_dm(slack, "ik wil iets agenderen", user=OFFICIAL)
    send_dm(slack, "Hennepconvenant", user=OFFICIAL)
    with second_instance(deps) as other:
        send_dm(other, "Evaluatie na een jaar", user=OFFICIAL)
        send_dm(other, "ivb", user=OFFICIAL)
        summary = wait_post(fake_slack, "D0OFFICIAL1", "Klopt dit?")
        other.block_action(
            ids.SUBMIT_DIALOGUE, button_values(summary, ids.SUBMIT_DIALOGUE)[0], user_id=OFFICIAL
        )
        wait_post(fake_slack, "D0OFFICIAL1", "is ingediend")
    (proposal,) = all_proposals(deps)
    assert (proposal.title, proposal.explanation, proposal.state) == (
        "Hennepconvenant",
        "Evaluatie na een jaar",
        ProposalState.INGEDIEND,
    )


def test_typed_ja_closes_the_summary_and_its_button_says_filed(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """After `ja` the summary (where Slack put it) loses its buttons and says what was filed; its old
    Indienen, if pressed anyway, says "al ingediend als #1", not "verlopen … niets ingediend"."""
    for line in ("ik wil iets agenderen", "Hennep", "geen", "ivb"):
        send_dm(slack, line, user=OFFICIAL)
    summary = wait_post(fake_slack, "D0OFFICIAL1", "Klopt dit?")

    def remembered() -> str | None:
        with deps.sessions.begin() as s:
            return s.query(Conversation).one().summary_ts

    summary_ts = wait_for(remembered, what="where the summary was posted")
    send_dm(slack, "ja", user=OFFICIAL)
    closed = wait_for(lambda: fake_slack.calls_to("chat.update"), what="summary closed")
    assert closed[0].args["ts"] == summary_ts
    assert "Ingediend als *#1 Hennep*" in str(closed[0].args)
    assert "gesprek_indienen" not in str(closed[0].args)
    (token,) = button_values(summary, ids.SUBMIT_DIALOGUE)
    slack.block_action(ids.SUBMIT_DIALOGUE, token, user_id=OFFICIAL)
    answer = wait_post(fake_slack, "D0OFFICIAL1", "al ingediend als")
    assert "verlopen" not in str(answer)
    assert len(all_proposals(deps)) == 1


def test_two_dialogues_in_a_row_never_share_a_button(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """SQLite gives a deleted row's id again; the buttons carry a token instead, so the first summary's
    Annuleren cannot end the second dialogue."""
    for line in ("ik wil iets agenderen", "Eerste", "geen", "ivb", "stop"):
        send_dm(slack, line, user=OFFICIAL)
    for line in ("ik wil iets agenderen", "Tweede", "geen", "ivb"):
        send_dm(slack, line, user=OFFICIAL)
    summaries = wait_for(
        lambda: (
            len(found := [p for p in posts(fake_slack, "D0OFFICIAL1") if "Klopt dit?" in str(p)]) == 2
            and found
        ),
        what="two summaries",
    )
    first, second = (button_values(s, ids.CANCEL_DIALOGUE)[0] for s in summaries)
    assert first != second
    slack.block_action(ids.CANCEL_DIALOGUE, first, user_id=OFFICIAL)
    wait_post(fake_slack, "D0OFFICIAL1", "Dit gesprek is afgelopen")
    send_dm(slack, "ja", user=OFFICIAL)
    wait_for(lambda: [p.title for p in all_proposals(deps)] == ["Tweede"], what="the second one filed")


def test_a_click_naming_another_message_updates_nothing_there(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """Indienen whose container names a channel the dialogue does not live in: the proposal is filed,
    the answer goes to the dialogue's own DM, and no message in that other channel is touched."""
    for line in ("ik wil iets agenderen", "Hennep", "geen", "ivb"):
        send_dm(slack, line, user=OFFICIAL)
    summary = wait_post(fake_slack, "D0OFFICIAL1", "Klopt dit?")
    (value,) = button_values(summary, ids.SUBMIT_DIALOGUE)
    clicked = slack.block_action(
        ids.SUBMIT_DIALOGUE, value, user_id=OFFICIAL, channel_id="C0ELSEWHERE", message_ts="1677000000.000900"
    )
    assert clicked.status == 200
    assert "is ingediend" in wait_post(fake_slack, "D0OFFICIAL1", "is ingediend")["blocks"][0]["text"]["text"]
    assert [p.title for p in all_proposals(deps)] == ["Hennep"]
    touched = {
        c.args.get("channel") for c in fake_slack.calls if c.method in {"chat.update", "chat.postMessage"}
    }
    assert "C0ELSEWHERE" not in touched
