"""Slack's Web API answering 429, 5xx or not at all: retried by slack_sdk's handlers, bounded, then raised."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
from slack_sdk.errors import SlackApiError

from bot.blocks import ids
from bot.runtime.deps import Deps
from bot.runtime.settings import Settings
from bot.runtime.slack_client import make_web_client
from storage.models import ActionPoint, ActionStatus
from tests.conftest import AMS, OFFICIAL
from tests.fakes.slack import FakeSlack, Fault
from tests.support.factories_open import add_action
from tests.support.slackclient import SlackSender
from tests.support.waiting import wait_for


def test_rate_limit_is_retried_after_the_wait_slack_asks(
    fake_slack: FakeSlack, plain_settings: Settings
) -> None:
    """429 with Retry-After: 1: the client waits at least a second, retries, and the post succeeds once."""
    fake_slack.fail_next(
        "chat.postMessage",
        Fault(429, headers={"Retry-After": "1"}, body={"ok": False, "error": "ratelimited"}),
    )
    client = make_web_client(plain_settings)
    start = time.monotonic()
    response = client.chat_postMessage(channel="C0DIGEST001", text="hallo")
    assert response["ok"]
    assert time.monotonic() - start >= 1.0
    assert len(fake_slack.calls_to("chat.postMessage")) == 2


def test_server_errors_are_retried_then_raised(fake_slack: FakeSlack, plain_settings: Settings) -> None:
    """500 twice then success: one post; 500 three times: SlackApiError after three attempts, no more."""
    client = make_web_client(plain_settings)
    fake_slack.fail_next("chat.postMessage", Fault(500), times=2)
    assert client.chat_postMessage(channel="C0DIGEST001", text="hallo")["ok"]
    assert len(fake_slack.calls_to("chat.postMessage")) == 3
    fake_slack.reset()
    fake_slack.fail_next("chat.postMessage", Fault(500), times=5)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C0DIGEST001", text="hallo")
    assert len(fake_slack.calls_to("chat.postMessage")) == 3


def test_no_answer_ends_at_the_client_timeout_without_a_retry(
    fake_slack: FakeSlack, plain_settings: Settings
) -> None:
    """A Web API that never answers: it gives up at the timeout, NOT retried (it may have landed)."""
    fake_slack.fail_next("chat.postMessage", Fault(200, body={"ok": True}, delay=3))
    client = make_web_client(plain_settings.model_copy(update={"slack_timeout_seconds": 1}))
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        client.chat_postMessage(channel="C0DIGEST001", text="hallo")
    assert time.monotonic() - start < 2.5
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_server_stays_healthy_while_slack_is_slow(
    fake_slack: FakeSlack, slack: SlackSender, plain_settings: Settings
) -> None:
    """While a Web API call hangs, /health and commands still answer (Web API work never blocks the ack)."""
    fake_slack.fail_next("chat.postMessage", Fault(200, body={"ok": True}, delay=3))
    client = make_web_client(plain_settings.model_copy(update={"slack_timeout_seconds": 5}))
    hanging = threading.Thread(target=lambda: client.chat_postMessage(channel="C0DIGEST001", text="x"))
    hanging.start()
    start = time.monotonic()
    assert slack.health().status == 200
    assert slack.command("help").status == 200
    assert time.monotonic() - start < 1.0
    hanging.join(10)


def test_a_click_whose_answer_fails_still_counts_and_is_logged(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack answers 500 to the click's reply: the change stands, the failure is logged, 200; the answer
    waits in the outbox and goes out on a later attempt."""
    with deps.sessions.begin() as s:
        point_id = add_action(s, "ivb", "Notitie", OFFICIAL, created=datetime(2023, 2, 1, tzinfo=AMS)).id
    fake_slack.fail_next("chat.postEphemeral", Fault(500))
    # The change is made before the acknowledgement; the reply (and its retries' backoff) follows
    # in a lazy listener, so the acknowledgement does not wait for a failing Slack.
    assert slack.block_action(ids.COMPLETE_ACTION, str(point_id), user_id=OFFICIAL).status == 200
    with deps.sessions.begin() as s:
        assert s.get_one(ActionPoint, point_id).status == ActionStatus.AFGEROND
    wait_for(lambda: "outbox message 1 (ephemeral) failed" in caplog.text, what="the logged failure")
    assert slack.health().status == 200
    deps.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    assert deps.followups.deliver_due() == 1
    assert len(fake_slack.calls_to("chat.postEphemeral")) == 2
