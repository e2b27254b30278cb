"""Confidential agenda items (`vertrouwelijk`) on every surface.

Marking: the proposer's checkbox in the form, `agendapunt vertrouwelijk: …` in a DM or a mention,
`/ivb voorstel vertrouwelijk: …`, and the secretariaat's button on the review post; every change is
audited. A confidential item (and the action points that stem from it) is shown only to its proposer
and the secretariaat, and in DMs. Each surface and the test that shows it:

- review post in REVIEW_CHANNEL: a confidential proposal goes to the admins by DM, never to the channel
  (`test_form_checkbox_keeps_the_review_out_of_the_channel`, `test_words_in_chat_and_command_mark_it`);
- review post already in the channel when the secretariaat marks the item: the channel's copy loses
  title and proposer, the admins get it by DM, the proposer is told
  (`test_secretariaat_marks_it_from_the_review_post`);
- the bot's answer to a mention in a channel: no title in the thread, the confirmation by DM
  (`test_a_mention_in_a_channel_is_answered_by_dm`);
- reminders in the overleg's channel, the digest (listed, counted, action points), the calendar feed,
  `/ivb agenda` and `/ivb open` for others, the Home tab of others
  (`test_hidden_from_channels_digest_feed_and_others`);
- `/ivb besluiten` for others: tests/handlers/test_minutes_http.py
  (`test_ivb_besluiten_shows_the_last_besluitenlijst`) and tests/bot/services/test_minutes.py;
- the public archive export and the year report: tests/bot/runtime/test_cli_records.py
  (`test_public_archive_leaves_out_every_confidential_item`, `test_year_report_reproduces_the_seed`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.blocks import ids
from bot.blocks.digest import build_digest_message
from bot.calendar_io.feed import build_feed
from bot.runtime.deps import Deps
from bot.runtime.slack_client import make_web_client
from bot.schedule.jobs import reminders_job
from bot.services.digest import build_digest
from bot.services.reminders import apply_overleg_channels
from storage.models import ActionPoint, AgendaProposal
from tests.conftest import ADMIN, AMS, OFFICIAL
from tests.fakes.slack import FakeSlack
from tests.support.factories import audit_trail
from tests.support.factories_open import add_action
from tests.support.minutes_helpers import MARCH_1, agenda_items
from tests.support.proposal_helpers import (
    app_with_own_executor,
    dm_event,
    mention_event,
    posts,
    review_place,
    review_places,
    seed_ivb_2023,
    wait_post,
    wait_posts,
)
from tests.support.slackclient import SlackSender
from tests.support.waiting import wait_for

REVIEW = "C0REVIEW001"
IVB_CHANNEL = "C0IVB00001"
ADMIN_DM = "D" + ADMIN[1:]
OFFICIAL_DM = "D" + OFFICIAL[1:]
OTHER = "U0OFFICIAL2"
OWNER = "U0OWNER0001"
SECRET = "Dossier Zwarte Zwaan"
SECRET_ACTION = "Rapport Zwarte Zwaan naar het OM"


@pytest.fixture
def bolt_app(deps: Deps) -> Iterator[App]:
    """The real app with a review channel, as the secretariaat would run it."""
    deps.settings = deps.settings.model_copy(update={"review_channel": REVIEW})
    with app_with_own_executor(deps) as app:
        yield app


@pytest.fixture
def ivb(deps: Deps) -> list[int]:
    return seed_ivb_2023(deps)


def _proposal(deps: Deps) -> AgendaProposal:
    with deps.sessions() as s:
        return s.scalars(select(AgendaProposal).order_by(AgendaProposal.id.desc())).first()  # type: ignore[return-value]


def _form(slack: SlackSender, title: str, *, ticked: bool) -> None:
    state = {
        ids.TITLE_BLOCK: {ids.INPUT_VALUE: {"type": "plain_text_input", "value": title}},
        ids.OVERLEG_BLOCK: {ids.INPUT_VALUE: {"type": "static_select", "selected_option": {"value": "ivb"}}},
        ids.CONFIDENTIAL_BLOCK: {
            ids.INPUT_VALUE: {"type": "checkboxes", "selected_options": [{"value": "ja"}] if ticked else []}
        },
    }
    payload = {
        "type": "view_submission",
        "user": {"id": OFFICIAL, "username": "official", "team_id": "T0FAKE0001"},
        "view": {
            "id": "V0FORM00001",
            "type": "modal",
            "callback_id": ids.NEW_PROPOSAL_VIEW,
            "private_metadata": "{}",
            "state": {"values": state},
            "hash": "1.a",
        },
    }
    assert slack.interaction(payload).status == 200


def test_form_checkbox_keeps_the_review_out_of_the_channel(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """Ticked: the review goes to the admins by DM, not to REVIEW_CHANNEL; the mark is audited. Not
    ticked: the review is in the channel as before."""
    _form(slack, SECRET, ticked=True)
    review = wait_post(fake_slack, ADMIN_DM, SECRET)
    assert ":lock:" in json.dumps(review)
    proposal = _proposal(deps)
    assert proposal.confidential
    with deps.sessions() as s:
        assert [e.action for e in audit_trail(s, "proposal", proposal.id)] == ["ingediend", "vertrouwelijk"]
    _form(slack, "Burgernet", ticked=False)
    wait_post(fake_slack, REVIEW, "Burgernet")
    assert SECRET not in json.dumps(posts(fake_slack, REVIEW))


def test_words_in_chat_and_command_mark_it(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """`agendapunt vertrouwelijk: …` in a DM and `/ivb voorstel kob vertrouwelijk: …` are confidential."""
    slack.event(dm_event(f"agendapunt vertrouwelijk: {SECRET}", user=OFFICIAL))
    wait_post(fake_slack, ADMIN_DM, SECRET)
    assert _proposal(deps).confidential
    body = slack.command("voorstel kob vertrouwelijk: Integriteitscasus", user_id=OFFICIAL).json()
    assert "Integriteitscasus" in json.dumps(body)  # the answer only the proposer sees
    created = _proposal(deps)
    assert (created.title, created.confidential, created.overleg.key) == ("Integriteitscasus", True, "kob")
    wait_post(fake_slack, ADMIN_DM, "Integriteitscasus")
    assert posts(fake_slack, REVIEW) == []


def test_a_mention_in_a_channel_is_answered_by_dm(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """In a channel the bot does not repeat the title: the thread gets a short line, the DM the details."""
    slack.event(mention_event(f"agendapunt vertrouwelijk: {SECRET}", user=OFFICIAL))
    thread = wait_post(fake_slack, "C0GENERAL01", "vertrouwelijke voorstel")
    assert SECRET not in json.dumps(thread)
    wait_post(fake_slack, OFFICIAL_DM, SECRET)
    wait_post(fake_slack, ADMIN_DM, SECRET)
    assert SECRET not in json.dumps(posts(fake_slack, "C0GENERAL01") + posts(fake_slack, REVIEW))


def test_secretariaat_marks_it_from_the_review_post(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """The button on the channel's review post: the post there loses title and proposer, the admins get
    it by DM, the proposer hears about it; a proposer cannot use the secretariaat's button on others'."""
    slack.command(f"voorstel {SECRET}", user_id=OFFICIAL)
    wait_post(fake_slack, REVIEW, SECRET)
    proposal = _proposal(deps)
    channel, ts = wait_for(lambda: review_place(deps, proposal.id), what="the remembered review post")
    assert channel == REVIEW
    refused = slack.block_action(ids.TOGGLE_CONFIDENTIAL, f"{proposal.id} ja", user_id=OTHER)
    assert refused.status == 200
    wait_posts(fake_slack, "D" + OTHER[1:], 1)
    assert not _proposal(deps).confidential
    slack.block_action(
        ids.TOGGLE_CONFIDENTIAL,
        f"{proposal.id} ja",
        user_id=ADMIN,
        channel_id=REVIEW,
        message_ts=ts,
    )
    redacted = wait_for(
        lambda: [c for c in fake_slack.calls_to("chat.update") if c.args.get("channel") == REVIEW],
        what="the channel's review post redacted",
    )
    assert SECRET not in json.dumps([c.args for c in redacted])
    assert OFFICIAL not in json.dumps([c.args for c in redacted])
    wait_post(fake_slack, ADMIN_DM, SECRET)
    wait_post(fake_slack, OFFICIAL_DM, "vertrouwelijk gemaakt")
    # The DM copy is remembered too: later decisions update it, and the channel's copy stays cut down.
    wait_for(lambda: len(review_places(deps, proposal.id)) == 2, what="the review post remembered in the DM")
    assert {place[0] for place in review_places(deps, proposal.id)} == {REVIEW, ADMIN_DM}
    assert _proposal(deps).confidential


def _texts(fake: FakeSlack, channel: str) -> str:
    return json.dumps(posts(fake, channel))


def test_hidden_from_channels_digest_feed_and_others(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, ivb: list[int]
) -> None:
    """Reminders, the digest, the calendar feed, and others' /ivb agenda, /ivb open and Home tab never
    show the item or its action point; the proposer, the owner and the secretariaat do."""
    (secret,) = agenda_items(deps, [SECRET], proposer=OFFICIAL, confidential=(SECRET,))
    agenda_items(deps, ["Burgernet"], proposer=OTHER)
    with deps.sessions.begin() as s:
        point = add_action(s, "ivb", SECRET_ACTION, OWNER, created=MARCH_1, due=date(2023, 3, 10))
        s.get_one(ActionPoint, point.id).proposal_id = secret
        apply_overleg_channels(session=s, channels={"ivb": IVB_CHANNEL})
    client = make_web_client(deps.settings)
    for moment in (datetime(2023, 3, 4, 8, 0, tzinfo=AMS), datetime(2023, 3, 20, 8, 0, tzinfo=AMS)):
        assert [o.status for o in reminders_job(deps, client, moment)] == ["posted"]
    assert SECRET not in _texts(fake_slack, IVB_CHANNEL)
    with deps.sessions() as s:
        digest = build_digest(
            session=s,
            at=MARCH_1 + timedelta(hours=1),
            since=datetime(2023, 2, 1, tzinfo=AMS),
            tz=AMS,
            weeks_ahead=6,
        )
        feed = build_feed(session=s, now=MARCH_1, tz=AMS).decode()
    message = json.dumps(build_digest_message(digest, tz=AMS).as_message())
    assert digest.proposals_total == 1
    assert "Burgernet" in message
    assert SECRET not in message
    assert "Zwarte Zwaan" not in message
    assert "Zwarte Zwaan" not in feed
    for user, sees_item, sees_action in (
        (OTHER, False, False),
        (OWNER, False, True),
        (OFFICIAL, True, True),
        (ADMIN, True, True),
    ):
        agenda = json.dumps(slack.command("agenda", user_id=user, channel_id="C0GENERAL01").json())
        assert (SECRET in agenda) is sees_item, user
        opened = json.dumps(slack.command("open", user_id=user).json())
        assert (SECRET in opened) is sees_item, user
        assert (SECRET_ACTION in opened) is sees_action, user
    slack.event({"type": "app_home_opened", "user": OTHER, "channel": "D0OTHER0001", "tab": "home"})
    home = wait_for(lambda: fake_slack.calls_to("views.publish"), what="the Home tab")
    assert "Zwarte Zwaan" not in json.dumps([c.args for c in home])
