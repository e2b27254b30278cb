"""The outbox: follow-ups stored with the change they announce, delivered once by whichever process
gets there, and never posted twice when an attempt's outcome is unknown."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks.kit import Reply
from bot.runtime.deps import Deps
from bot.runtime.followups import (
    STORED_KINDS,
    DirectMessage,
    Ephemeral,
    Followups,
    PostMessage,
    PublishHome,
    SendReview,
    UpdateMessage,
    UpdateReview,
    dump,
    load,
)
from bot.runtime.outbox import LEASE, Outbox
from bot.runtime.slack_client import make_posting_client
from handlers import PERFORMERS
from storage.models import OutboxMessage
from tests.fakes.slack import FakeSlack, Fault

REPLY = Reply(
    text="Je voorstel is ingediend", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}]
)


class Held(Executor):
    """An executor that keeps what it is given: the process 'dies' before running it."""

    def __init__(self) -> None:
        self.held: list[Callable[[], Any]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.held.append(lambda: fn(*args, **kwargs))
        return Future()


def followups(deps: Deps, executor: Executor | None = None) -> Followups:
    deps.settings = deps.settings.model_copy(update={"slack_timeout_seconds": 1})
    return Followups(
        deps, make_posting_client(deps.settings), executor=executor or Held(), performers=PERFORMERS
    )


def outbox_statuses(deps: Deps) -> list[str]:
    with deps.sessions.begin() as session:
        return list(session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


@pytest.mark.parametrize(
    "item",
    [
        PostMessage("C1", REPLY, thread_ts="1.2"),
        UpdateMessage("C1", "1.2", REPLY),
        DirectMessage("U1", REPLY),
        Ephemeral("C1", "U1", REPLY),
        SendReview(3),
        UpdateReview(3),
        PublishHome("U1"),
    ],
)
def test_every_stored_kind_survives_the_round_trip(item: Any) -> None:
    """What is stored reads back as the same follow-up."""
    kind, payload = dump(item)
    assert kind in STORED_KINDS
    assert load(kind, payload) == item


def test_follow_ups_exist_only_if_the_change_commits(deps: Deps, fake_slack: FakeSlack) -> None:
    """Written in the listener's transaction: a rollback leaves nothing to send."""
    box = followups(deps)
    with pytest.raises(RuntimeError), deps.sessions.begin() as session:  # noqa: PT012 - the rollback is the point
        box.after_commit(session, DirectMessage("U0OFFICIAL1", REPLY))
        raise RuntimeError
    assert outbox_statuses(deps) == []
    with deps.sessions.begin() as session:
        box.after_commit(session, DirectMessage("U0OFFICIAL1", REPLY))
    assert outbox_statuses(deps) == ["pending"]


def test_a_process_that_dies_before_sending_leaves_it_to_another(deps: Deps, fake_slack: FakeSlack) -> None:
    """Stored but never sent (the process was killed after the commit): the next process sends it, once."""
    dying = followups(deps)
    with deps.sessions.begin() as session:
        dying.after_commit(session, DirectMessage("U0OFFICIAL1", REPLY), PostMessage("C0REVIEW001", REPLY))
    other = followups(deps)
    assert other.deliver_due() == 2
    assert other.deliver_due() == 0
    assert len(fake_slack.posted("D0OFFICIAL1")) == 1
    assert len(fake_slack.posted("C0REVIEW001")) == 1
    assert outbox_statuses(deps) == ["sent", "sent"]


def test_two_processes_delivering_at_once_send_each_message_once(deps: Deps, fake_slack: FakeSlack) -> None:
    """Four senders on the same outbox at the same moment: every message goes out exactly once."""
    box = followups(deps)
    with deps.sessions.begin() as session:
        box.after_commit(
            session, *[PostMessage("C0REVIEW001", Reply(text=f"bericht {n}")) for n in range(30)]
        )
    senders = [followups(deps) for _ in range(4)]
    barrier = threading.Barrier(4)

    def run(sender: Followups) -> None:
        barrier.wait()
        sender.deliver_due()

    threads = [threading.Thread(target=run, args=(sender,)) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    texts = sorted(m["text"] for m in fake_slack.posted("C0REVIEW001"))
    assert texts == sorted(f"bericht {n}" for n in range(30))
    assert set(outbox_statuses(deps)) == {"sent"}


@pytest.mark.parametrize("fault", [Fault(drop=True, acted=True), Fault(status=500, acted=True)])
def test_an_unknown_outcome_is_looked_for_before_sending_again(
    deps: Deps, fake_slack: FakeSlack, fault: Fault
) -> None:
    """Slack took the DM but its answer was lost: the retry finds it in the DM's history and stops."""
    box = followups(deps)
    fake_slack.fail_next("chat.postMessage", fault)
    with deps.sessions.begin() as session:
        box.after_commit(session, DirectMessage("U0OFFICIAL1", REPLY))
    assert box.deliver_due() == 0
    assert outbox_statuses(deps) == ["pending"]
    deps.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    assert box.deliver_due() == 1
    assert len(fake_slack.posted("D0OFFICIAL1")) == 1
    assert len(fake_slack.calls_to("conversations.history")) == 1


def test_a_sender_that_hangs_is_taken_over_and_looks_first(deps: Deps, fake_slack: FakeSlack) -> None:
    """A claim older than the lease (its process hung or died mid-post): taken over; the post it made is
    found by its key, so nothing is posted twice."""
    first = followups(deps)
    with deps.sessions.begin() as session:
        first.after_commit(session, PostMessage("C0REVIEW001", REPLY))
    assert first.deliver_due() == 1
    with deps.sessions.begin() as session:  # as if it died after posting, before recording it
        row = session.scalar(select(OutboxMessage))
        assert row is not None
        row.status = "sending"
    second = followups(deps)
    assert second.deliver_due() == 0  # within the lease: not touched
    deps.clock.advance(LEASE + timedelta(seconds=1))  # type: ignore[attr-defined]
    assert second.deliver_due() == 1
    assert len(fake_slack.posted("C0REVIEW001")) == 1


def test_a_message_slack_will_never_take_is_given_up_and_logged(
    deps: Deps, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """channel_not_found is final: given up at once, logged, never retried."""
    box = followups(deps)
    fake_slack.fail_next(
        "chat.postMessage", Fault(status=200, body={"ok": False, "error": "channel_not_found"})
    )
    with deps.sessions.begin() as session:
        box.after_commit(session, PostMessage("C0GONE0001", REPLY))
    assert box.deliver_due() == 0
    assert outbox_statuses(deps) == ["given_up"]
    assert "gave up on outbox message 1" in caplog.text


def test_a_review_to_several_admins_is_not_doubled_when_one_fails(deps: Deps, fake_slack: FakeSlack) -> None:
    """The review DM to the second admin fails: the retry posts only that one; the first is found."""
    deps.settings = deps.settings.model_copy(update={"admin_user_ids": ("U0ADMIN0001", "U0ADMIN0002")})
    from tests.support.factories_open import add_proposal

    with deps.sessions.begin() as session:
        proposal_id = add_proposal(
            session, "ivb", "Hennepconvenant", "U0OFFICIAL1", created=deps.clock.now()
        ).id
    box = followups(deps)
    fake_slack.fail_next(
        "conversations.open", Fault(status=200, body={"ok": True, "channel": {"id": "D0ADMIN0001"}})
    )
    with deps.sessions.begin() as session:
        box.after_commit(session, SendReview(proposal_id))
    fake_slack.faults["chat.postMessage"].extend([Fault(status=200, body={"ok": True}), Fault(status=503)])
    fake_slack.faults["chat.postMessage"].popleft()  # the first admin's post succeeds normally
    assert box.deliver_due() == 0
    deps.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    assert box.deliver_due() == 1
    assert len(fake_slack.posted("D0ADMIN0001")) == 1
    assert len(fake_slack.posted("D0ADMIN0002")) == 1
    with deps.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_a_batch_that_outlasts_the_lease_posts_each_message_once(deps: Deps, fake_slack: FakeSlack) -> None:
    """One sender claims a batch; its first post takes longer than the lease (a slow Slack), so another
    process takes the batch over (finding the first post by its key) and sends the second. The first
    sender then skips the second: before, it posted it again without looking, and the channel had it twice."""
    box = followups(deps)
    with deps.sessions.begin() as session:
        box.after_commit(
            session,
            PostMessage("C0REVIEW001", Reply(text="een")),
            PostMessage("C0REVIEW001", Reply(text="twee")),
        )
    other = followups(deps)
    overtaken: list[int] = []

    def post_slowly(item: Any, poster: Any) -> None:
        box.perform(item, poster)
        if item.reply.text == "een":  # Slack took longer than the lease to answer
            deps.clock.advance(LEASE + timedelta(seconds=1))  # type: ignore[attr-defined]
            overtaken.append(other.deliver_due())

    Outbox(deps, box.client, post_slowly).deliver_due()
    assert overtaken == [2]  # "een" found by its key, "twee" sent
    assert sorted(m["text"] for m in fake_slack.posted("C0REVIEW001")) == ["een", "twee"]
    assert outbox_statuses(deps) == ["sent", "sent"]
