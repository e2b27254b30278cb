"""Answers that are not stored (`followups.now`): in a served process they reach Slack before the
acknowledgement leaves, so a process killed right after acknowledging cannot have swallowed them."""

from __future__ import annotations

import threading

from bot.blocks.kit import Reply
from bot.runtime.deps import Deps
from bot.runtime.followups import Ephemeral, Followups
from bot.runtime.slack_client import make_posting_client
from handlers import PERFORMERS
from tests.conftest import OFFICIAL
from tests.fakes.slack import FakeSlack

REFUSAL = Reply(text=":warning: De agenda is tijdelijk niet beschikbaar.", blocks=[])


def test_an_answer_is_sent_before_now_returns_while_the_outbox_is_busy(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    """With every outbox thread busy, a click's answer is still sent before `now` returns. Before, it
    queued behind the outbox deliveries, and the chaos run's kill -9 lost clicks' answers 0.7 s and
    1.2 s after their acknowledgement: the user clicked and heard nothing."""
    followups = Followups(deps, make_posting_client(deps.settings), performers=PERFORMERS)
    busy = threading.Event()
    try:
        for _ in range(4):  # the outbox pool's threads, all delivering to a slow Slack
            followups._executor.submit(busy.wait, 10)
        followups.now(Ephemeral("C0CLICK001", OFFICIAL, REFUSAL))
        (call,) = fake_slack.calls_to("chat.postEphemeral")  # already there: no waiting
        assert call.args["user"] == OFFICIAL
        assert "tijdelijk niet beschikbaar" in call.args["text"]
    finally:
        busy.set()
        followups.shutdown()
