"""Digest slot arithmetic (DST, holidays) and the exactly-once claim on PostSlot."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import insert, select

from bot.blocks.kit import Reply
from bot.runtime.clock import SystemClock
from bot.runtime.deps import Deps
from bot.runtime.settings import Settings
from bot.runtime.slack_client import make_posting_client, make_web_client
from bot.schedule.claims import CLAIMED, POSTED, claim, post_once
from bot.schedule.claims import PostOutcome as Outcome
from bot.schedule.jobs import DIGEST, post_digest
from bot.schedule.scheduler import digest_trigger
from bot.schedule.slots import Schedule, schedule_from
from storage.db import make_engine, make_session_factory
from storage.models import PostSlot
from tests.conftest import AMS
from tests.fakes.slack import FakeSlack, Fault

DEFAULT = Schedule(start=datetime(2023, 10, 3, 9, 0), interval_days=14, tz=AMS)  # noqa: DTZ001


def test_slots_stay_at_nine_in_winter_and_summer() -> None:
    """Slot 0 (summer time), a December slot (winter) and an April slot (summer) all post at 09:00 local."""
    for index in (0, 5, 13):
        at = DEFAULT.slot(index).at
        assert at is not None
        assert (at.hour, at.minute) == (9, 0)
    assert DEFAULT.slot(0).nominal.astimezone(UTC).hour == 7  # CEST
    assert DEFAULT.slot(5).nominal.astimezone(UTC).hour == 8  # CET, 12 December 2023
    assert DEFAULT.slot(13).nominal.astimezone(UTC).hour == 7  # CEST again, 2 April 2024
    assert DEFAULT.slot(5).key == "2023-12-12"


@pytest.mark.parametrize(
    "at", [datetime(2023, 3, 1, 10, 0, tzinfo=AMS), datetime(2024, 2, 1, 10, 0, tzinfo=AMS)]
)
def test_calendar_interval_trigger_fires_on_the_slots(deps: Deps, at: datetime) -> None:
    """The APScheduler trigger fires exactly on the coming slots, 09:00 local across the DST switches."""
    deps.clock.set(at)  # type: ignore[attr-defined]
    trigger = digest_trigger(deps)
    schedule = schedule_from(deps.settings)
    fire = trigger.get_next_fire_time(None, at)
    following = schedule.next_slot(at)
    assert following is not None
    assert fire == following.nominal
    for index in range(following.index, following.index + 30):
        assert fire == schedule.nominal(index)
        assert fire.astimezone(AMS).hour == 9
        fire = trigger.get_next_fire_time(fire, fire)


def test_tweede_kerstdag_is_shifted_skipped_or_posted() -> None:
    """The slot of 26 December 2023 (Tweede Kerstdag) moves to the 27th, or is skipped, or posts anyway."""
    slot = DEFAULT.slot(6)
    assert slot.key == "2023-12-26"
    assert slot.at == datetime(2023, 12, 27, 9, 0, tzinfo=AMS)
    assert slot.shifted
    skip = Schedule(start=DEFAULT.start, interval_days=14, tz=AMS, holiday_mode="skip")
    assert skip.slot(6).at is None
    post = Schedule(start=DEFAULT.start, interval_days=14, tz=AMS, holiday_mode="post")
    assert post.slot(6).at == datetime(2023, 12, 26, 9, 0, tzinfo=AMS)


def test_koningsdag_shift_keeps_the_slot_key() -> None:
    """A slot on Koningsdag (Thursday 27 April 2023) shifts to Friday 28 April but keeps its key."""
    schedule = Schedule(start=datetime(2023, 4, 13, 9, 0), interval_days=14, tz=AMS)  # noqa: DTZ001
    on_kingsday = datetime(2023, 4, 27, 10, 0, tzinfo=AMS)
    due = schedule.due_slot(on_kingsday)
    assert due is not None
    assert due.key == "2023-04-13"  # the Koningsdag slot is not due yet
    due = schedule.due_slot(datetime(2023, 4, 28, 9, 0, tzinfo=AMS))
    assert due is not None
    assert (due.key, due.at) == ("2023-04-27", datetime(2023, 4, 28, 9, 0, tzinfo=AMS))


def test_due_and_next_slot() -> None:
    """Before the first slot nothing is due; between slots the earlier one is due and the later one next."""
    assert DEFAULT.due_slot(datetime(2023, 10, 3, 8, 59, tzinfo=AMS)) is None
    now = datetime(2023, 10, 20, 12, 0, tzinfo=AMS)
    due, following = DEFAULT.due_slot(now), DEFAULT.next_slot(now)
    assert due is not None
    assert following is not None
    assert (due.key, following.key) == ("2023-10-17", "2023-10-31")
    assert DEFAULT.previous_slot(due) == DEFAULT.slot(0)
    assert DEFAULT.slot_for_key("2023-10-31") == following
    assert DEFAULT.slot_for_key("2023-10-30") is None


# --- exactly once -------------------------------------------------------------------------------


def _posted_rows(deps: Deps) -> list[PostSlot]:
    with deps.sessions.begin() as s:
        return list(s.scalars(select(PostSlot)))


def test_threads_racing_post_once(deps: Deps, fake_slack: FakeSlack) -> None:
    """Eight threads posting the same slot: one chat.postMessage, one posted row, the rest see it taken."""
    slot = schedule_from(deps.settings).slot(0)
    client = make_web_client(deps.settings)
    barrier = threading.Barrier(8)
    outcomes: list[Outcome] = []
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        outcome = post_digest(deps, client, slot, deps.clock.now())
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert sorted(o.status for o in outcomes).count("posted") == 1
    assert all(o.status in {"posted", "already", "busy"} for o in outcomes)
    rows = _posted_rows(deps)
    assert [(r.kind, r.status) for r in rows] == [(DIGEST, POSTED)]
    assert str(rows[0].permalink).startswith("https://vgg.slack.com/archives/C0DIGEST001/")


def _race_worker(url: str, api_url: str, barrier: Any, out: Any) -> None:
    """One competing bot process: its own engine and WebClient, same slot."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-test-token"),
        slack_api_url=api_url,
        database_url=url,
        digest_channel="C0DIGEST001",
    )
    engine = make_engine(url)
    deps = Deps(settings=settings, engine=engine, sessions=make_session_factory(engine), clock=SystemClock())
    slot = schedule_from(settings).slot(0)
    barrier.wait()
    outcome = post_digest(deps, make_web_client(settings), slot, datetime.now(UTC))
    out.put(outcome.status)
    engine.dispose()


def test_processes_racing_post_once(deps: Deps, fake_slack: FakeSlack) -> None:
    """Four separate processes posting the same slot at the same moment: exactly one post."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_race_worker, args=(deps.settings.database_url, fake_slack.url, barrier, out))
        for _ in range(4)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    statuses = sorted(out.get(timeout=5) for _ in procs)
    assert statuses.count("posted") == 1, statuses
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


@pytest.fixture
def now(deps: Deps) -> datetime:
    return deps.clock.now()


def _crashed_claim(deps: Deps, age: timedelta, now: datetime) -> None:
    with deps.sessions.begin() as s:
        s.execute(
            insert(PostSlot).values(
                kind=DIGEST,
                slot_key="2023-10-03",
                channel="C0DIGEST001",
                status=CLAIMED,
                claimed_by="dead-host:1:abc",
                claimed_at=now - age,
            )
        )


def test_crash_between_claim_and_post_is_taken_over(deps: Deps, now: datetime, fake_slack: FakeSlack) -> None:
    """A claim left by a crashed process blocks for the timeout, then one process takes it over and posts."""
    _crashed_claim(deps, timedelta(minutes=3), now)
    client = make_posting_client(deps.settings)
    args = {"sessions": deps.sessions, "kind": DIGEST, "slot_key": "2023-10-03", "channel": "C0DIGEST001"}
    build = lambda: Reply(text="digest")  # noqa: E731 - a one-line builder for the post
    fresh = post_once(**args, client=client, now=now, stale_after=timedelta(minutes=10), build=build)  # type: ignore[arg-type]
    assert fresh.status == "busy"
    assert fake_slack.posted() == []
    later = now + timedelta(minutes=8)
    taken = post_once(**args, client=client, now=later, stale_after=timedelta(minutes=10), build=build)  # type: ignore[arg-type]
    assert taken.status == "posted"
    assert len(fake_slack.posted("C0DIGEST001")) == 1
    again = post_once(**args, client=client, now=later, stale_after=timedelta(minutes=10), build=build)  # type: ignore[arg-type]
    assert again.status == "already"
    assert str(again.permalink).startswith("https://vgg.slack.com/archives/C0DIGEST001/p")
    assert len(fake_slack.posted("C0DIGEST001")) == 1


def test_stale_takeover_has_one_winner(deps: Deps, now: datetime) -> None:
    """Two takeovers of the same stale claim: the conditional UPDATE lets only one through."""
    _crashed_claim(deps, timedelta(minutes=30), now)
    args = {"sessions": deps.sessions, "kind": DIGEST, "slot_key": "2023-10-03", "channel": "C0DIGEST001"}
    first = claim(**args, now=now, stale_after=timedelta(minutes=10))  # type: ignore[arg-type]
    second = claim(**args, now=now, stale_after=timedelta(minutes=10))  # type: ignore[arg-type]
    assert (first.status, first.taken_over) == (CLAIMED, True)
    assert second.status == "busy"


def test_429_and_500_are_retried_then_posted(deps: Deps, fake_slack: FakeSlack) -> None:
    """Slack answering 429 (Retry-After: 0) and then 500: slack_sdk retries and the digest posts once."""
    fake_slack.fail_next(
        "chat.postMessage",
        Fault(429, headers={"Retry-After": "0"}, body={"ok": False, "error": "ratelimited"}),
    )
    fake_slack.fail_next("chat.postMessage", Fault(500))
    slot = schedule_from(deps.settings).slot(0)
    outcome = post_digest(deps, make_web_client(deps.settings), slot, deps.clock.now())
    assert outcome.status == "posted"
    assert len(fake_slack.calls_to("chat.postMessage")) == 3
    assert [r.status for r in _posted_rows(deps)] == [POSTED]


def test_persistent_server_error_keeps_the_slot_and_looks_first(
    deps: Deps, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """A 500 that persists past the retries: Slack may have posted, so the claim stays (logged); the next
    attempt looks in the channel, finds nothing, and posts."""
    fake_slack.fail_next("chat.postMessage", Fault(500), times=3)
    slot = schedule_from(deps.settings).slot(0)
    client = make_web_client(deps.settings)
    outcome = post_digest(deps, client, slot, deps.clock.now())
    assert outcome.status == "unknown"
    assert "the next attempt looks first" in caplog.text
    assert [r.status for r in _posted_rows(deps)] == [CLAIMED]
    retry = post_digest(deps, client, slot, deps.clock.now())
    assert retry.status == "posted"
    assert len(fake_slack.calls_to("conversations.history")) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 4
    assert len(fake_slack.posted("C0DIGEST001")) == 1
