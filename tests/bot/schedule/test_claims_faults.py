"""A scheduled post that may have reached Slack is never posted again without looking first.

The faults of an ordinary day: Slack answers after the client gave up, drops the connection after it
took the post, answers 500 after posting, fails on the permalink; a process dies between Slack's answer
and the commit. Each leaves exactly one message in the channel."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.blocks.kit import Reply
from bot.runtime.deps import Deps
from bot.runtime.slack_client import make_posting_client
from bot.schedule.claims import CLAIMED, POSTED, PostOutcome, post_once
from storage.models import PostSlot
from tests.fakes.slack import FakeSlack, Fault

CHANNEL = "C0DIGEST001"
STALE = timedelta(minutes=10)


@pytest.fixture
def quick(deps: Deps) -> Deps:
    """The bot with a 1-second Web API timeout, so a slow Slack is met in a test's time."""
    deps.settings = deps.settings.model_copy(update={"slack_timeout_seconds": 1})
    return deps


def attempt(deps: Deps, now: datetime) -> PostOutcome:
    return post_once(
        sessions=deps.sessions,
        client=make_posting_client(deps.settings),
        kind="digest",
        slot_key="2023-10-17",
        channel=CHANNEL,
        now=now,
        stale_after=STALE,
        build=lambda: Reply(text="De digest"),
    )


def slot_row(deps: Deps) -> PostSlot:
    with deps.sessions.begin() as session:
        row = session.scalar(select(PostSlot))
        assert row is not None
        return row


@pytest.mark.parametrize(
    ("fault", "what"),
    [
        (Fault(status=200, body={"ok": True}, delay=1.6, acted=True), "answer after the client timeout"),
        (Fault(drop=True, acted=True), "connection dropped after Slack took the post"),
        (Fault(status=500, acted=True), "a 500 after posting"),
    ],
)
def test_a_lost_answer_is_looked_for_not_posted_again(
    quick: Deps, fake_slack: FakeSlack, fault: Fault, what: str
) -> None:
    """The attempt's outcome is unknown: the claim stays, the next attempt finds the post in the
    channel's history (by its metadata key) and records it instead of posting a second digest."""
    now = quick.clock.now()
    fake_slack.fail_next("chat.postMessage", fault)
    first = attempt(quick, now)
    assert first.status == "unknown", what
    assert len(fake_slack.posted(CHANNEL)) == 1
    second = attempt(quick, now + timedelta(minutes=1))
    assert second.status == "posted"
    assert len(fake_slack.posted(CHANNEL)) == 1, what
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    row = slot_row(quick)
    assert (row.status, row.message_ts) == (POSTED, fake_slack.posted(CHANNEL)[0]["ts"])
    assert attempt(quick, now + timedelta(minutes=2)).status == "already"


def test_a_refused_post_releases_the_slot_for_a_later_attempt(deps: Deps, fake_slack: FakeSlack) -> None:
    """Slack answers an error (it did not post): the claim goes, and the next attempt posts."""
    fake_slack.fail_next("chat.postMessage", Fault(status=200, body={"ok": False, "error": "not_in_channel"}))
    now = deps.clock.now()
    assert attempt(deps, now).status == "failed"
    assert fake_slack.posted(CHANNEL) == []
    assert attempt(deps, now).status == "posted"
    assert len(fake_slack.posted(CHANNEL)) == 1


@pytest.mark.parametrize(
    "fault", [Fault(status=500), Fault(status=200, body={"ok": True}, delay=1.6), Fault(drop=True)]
)
def test_a_failing_permalink_never_releases_the_slot(
    quick: Deps, fake_slack: FakeSlack, fault: Fault
) -> None:
    """The permalink is optional: when chat.getPermalink fails the post is recorded without it, once."""
    fake_slack.fail_next("chat.getPermalink", fault)
    now = quick.clock.now()
    assert attempt(quick, now).status == "posted"
    assert attempt(quick, now + timedelta(minutes=20)).status == "already"
    assert len(fake_slack.posted(CHANNEL)) == 1
    row = slot_row(quick)
    assert (row.status, row.permalink) == (POSTED, None)


def test_a_process_killed_after_posting_leaves_a_claim_that_finds_the_post(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    """kill -9 (or the database gone) between Slack's answer and the commit: the claim stays with its
    attempt on record; the process that takes it over looks in the channel and does not post again."""
    now = deps.clock.now()
    outcome = attempt(deps, now)
    assert outcome.status == "posted"
    with deps.sessions.begin() as session:  # what the killed process left: posted, but not recorded
        row = session.scalar(select(PostSlot))
        assert row is not None
        row.status, row.posted_at, row.message_ts, row.claimed_by = CLAIMED, None, None, "dead:1:x"
    assert attempt(deps, now + STALE / 2).status == "busy"
    taken = attempt(deps, now + STALE * 2)
    assert taken.status == "posted"
    assert taken.message_ts == outcome.message_ts
    assert len(fake_slack.posted(CHANNEL)) == 1


def test_without_the_history_scope_the_post_goes_out_again_and_says_so(
    quick: Deps, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """No channels:history: the bot cannot look, so it posts again (today's behaviour) and logs why."""
    fake_slack.history_errors[CHANNEL] = "missing_scope"
    fake_slack.fail_next("chat.postMessage", Fault(drop=True, acted=True))
    now = quick.clock.now()
    assert attempt(quick, now).status == "unknown"
    assert attempt(quick, now + timedelta(minutes=1)).status == "posted"
    assert len(fake_slack.posted(CHANNEL)) == 2
    assert "missing_scope" in caplog.text
