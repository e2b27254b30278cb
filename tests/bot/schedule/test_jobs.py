"""The scheduled jobs with a fixed clock: digest at its slot, catch-up within the grace, reminders."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.runtime.slack_client import make_web_client
from bot.schedule.claims import POSTED, SKIPPED
from bot.schedule.jobs import DIGEST, digest_job, due_posts_job, reminders_job, scheduled_digest_job
from bot.schedule.scheduler import build_scheduler, stop_scheduler
from bot.services.deliveries import first_delivery
from bot.services.reminders import DEADLINE_REMINDER, MEETING_REMINDER, apply_overleg_channels
from storage.models import PostSlot, ProcessedEvent
from tests.conftest import AMS
from tests.fakes.slack import FakeSlack
from tests.support.blockcheck import assert_valid_blocks
from tests.support.factories import add_meeting

FIRST_SLOT = datetime(2023, 10, 3, 9, 0, tzinfo=AMS)


def _blocks(call_args: dict[str, object]) -> list[dict[str, object]]:
    blocks = call_args["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks  # type: ignore[return-value]


def test_digest_job_posts_the_due_slot_once(deps: Deps, fake_slack: FakeSlack) -> None:
    """At 09:00 on the slot the digest goes to DIGEST_CHANNEL; the same job again posts nothing."""
    client = make_web_client(deps.settings)
    assert digest_job(deps, client, FIRST_SLOT - timedelta(seconds=1)) is None
    outcome = digest_job(deps, client, FIRST_SLOT)
    assert outcome is not None
    assert outcome.status == "posted"
    again = digest_job(deps, client, FIRST_SLOT + timedelta(minutes=1))
    assert again is not None
    assert again.status == "already"
    calls = fake_slack.calls_to("chat.postMessage")
    assert len(calls) == 1
    assert calls[0].args["channel"] == "C0DIGEST001"
    assert_valid_blocks(_blocks(calls[0].args))


def test_catch_up_within_grace_posts_late(deps: Deps, fake_slack: FakeSlack) -> None:
    """A slot missed while down is posted at start-up when it is 11 hours old (grace 12)."""
    due_posts_job(deps, make_web_client(deps.settings), FIRST_SLOT + timedelta(hours=11))
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_catch_up_outside_grace_is_logged_and_skipped(
    deps: Deps, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """A slot 13 hours old is not posted late: logged once, recorded as skipped."""
    client = make_web_client(deps.settings)
    due_posts_job(deps, client, FIRST_SLOT + timedelta(hours=13))
    due_posts_job(deps, client, FIRST_SLOT + timedelta(hours=14))
    assert fake_slack.calls_to("chat.postMessage") == []
    assert caplog.text.count("was missed") == 1
    with deps.sessions.begin() as s:
        row = s.scalar(select(PostSlot).where(PostSlot.kind == DIGEST))
        assert row is not None
        assert (row.slot_key, row.status) == ("2023-10-03", SKIPPED)


def test_shifted_holiday_slot_posts_on_the_next_working_day(deps: Deps, fake_slack: FakeSlack) -> None:
    """The slot of Tweede Kerstdag 2023 posts on 27 December at 09:00, not on the 26th."""
    client = make_web_client(deps.settings)
    assert digest_job(deps, client, datetime(2023, 12, 26, 9, 0, tzinfo=AMS)) is None
    outcome = digest_job(deps, client, datetime(2023, 12, 27, 9, 0, tzinfo=AMS))
    assert outcome is not None
    assert outcome.status == "posted"
    with deps.sessions.begin() as s:
        keys = list(s.scalars(select(PostSlot.slot_key).where(PostSlot.status == POSTED)))
    assert keys == ["2023-12-26"]


def test_no_digest_channel_posts_nothing(deps: Deps, fake_slack: FakeSlack) -> None:
    """Without DIGEST_CHANNEL the digest job does nothing."""
    deps.settings = deps.settings.model_copy(update={"digest_channel": None})
    assert digest_job(deps, make_web_client(deps.settings), FIRST_SLOT) is None
    assert fake_slack.calls == []


@pytest.fixture
def ivb_channel(deps: Deps) -> None:
    with deps.sessions.begin() as s:
        assert apply_overleg_channels(session=s, channels={"ivb": "C0IVB00001", "nope": "C0X"}) == ["nope"]
        add_meeting(s, "ivb", datetime(2023, 3, 20, 9, 30, tzinfo=AMS), location="Provinciehuis")


@pytest.mark.usefixtures("ivb_channel")
def test_deadline_reminder_two_days_before(deps: Deps, fake_slack: FakeSlack) -> None:
    """Deadline 6 March 09:30; with 2 days before, the reminder posts on 4 March at 08:00, once."""
    client = make_web_client(deps.settings)
    assert reminders_job(deps, client, datetime(2023, 3, 4, 7, 59, tzinfo=AMS)) == []
    outcomes = reminders_job(deps, client, datetime(2023, 3, 4, 8, 0, tzinfo=AMS))
    assert [o.status for o in outcomes] == ["posted"]
    reminders_job(deps, client, datetime(2023, 3, 4, 8, 5, tzinfo=AMS))
    calls = fake_slack.calls_to("chat.postMessage")
    assert len(calls) == 1
    assert calls[0].args["channel"] == "C0IVB00001"
    assert_valid_blocks(_blocks(calls[0].args))
    blocks = _blocks(calls[0].args)
    assert blocks[0]["text"]["text"].startswith(  # type: ignore[index]
        ":hourglass_flowing_sand: *Nog 2 dagen: agendapunten IVB uiterlijk ma 6 mrt 09:30*"
    )
    assert calls[0].args["text"] == "Nog 2 dagen: agendapunten IVB uiterlijk ma 6 mrt 09:30"
    (button,) = blocks[1]["elements"]  # type: ignore[index]
    assert (button["text"]["text"], button["action_id"], button["value"]) == (
        "Agendapunt voorstellen",
        "voorstel_openen",
        "ivb",
    )
    with deps.sessions.begin() as s:
        assert list(s.scalars(select(PostSlot.kind))) == [DEADLINE_REMINDER]


@pytest.mark.usefixtures("ivb_channel")
def test_meeting_morning_reminder(deps: Deps, fake_slack: FakeSlack) -> None:
    """On the morning of the meeting (08:00, meeting at 09:30) the channel hears time and place."""
    client = make_web_client(deps.settings)
    outcomes = reminders_job(deps, client, datetime(2023, 3, 20, 8, 0, tzinfo=AMS))
    assert [o.status for o in outcomes] == ["posted"]
    call = fake_slack.calls_to("chat.postMessage")[0]
    assert "Vandaag om *09:30*" in str(call.args["blocks"])
    assert "Provinciehuis" in str(call.args["blocks"])
    assert reminders_job(deps, client, datetime(2023, 3, 20, 9, 31, tzinfo=AMS)) == []
    with deps.sessions.begin() as s:
        assert list(s.scalars(select(PostSlot.kind))) == [MEETING_REMINDER]


def test_scheduler_runs_catch_up_and_stops_cleanly(deps: Deps, fake_slack: FakeSlack) -> None:
    """Started with the clock an hour after a slot, the start-up catch-up posts it; shutdown waits."""
    assert isinstance(deps.clock, FixedClock)
    deps.clock.set(FIRST_SLOT + timedelta(hours=1))
    scheduler = build_scheduler(deps, make_web_client(deps.settings))
    assert {job.id for job in scheduler.get_jobs()} == {"digest", "due_posts", "catch_up"}
    assert type(scheduler.get_job("digest").trigger).__name__ == "CalendarIntervalTrigger"
    scheduler.start()
    try:
        deadline = time.monotonic() + 10  # polls a background thread; the bot's clock stays fixed
        while not fake_slack.calls_to("chat.postMessage") and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop_scheduler(scheduler)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    with deps.sessions.begin() as s:
        assert [r.status for r in s.scalars(select(PostSlot))] == ["posted"]


def test_jobs_survive_a_database_outage(deps: Deps, caplog: pytest.LogCaptureFixture) -> None:
    """With the database gone the jobs log the error and return: the scheduler and the bot keep running."""
    deps.engine.dispose()
    broken = deps.settings.model_copy(update={"database_url": "sqlite:////nonexistent/dir/x.sqlite3"})
    from storage.db import make_engine, make_session_factory

    engine = make_engine(broken.database_url)
    deps.sessions = make_session_factory(engine)
    client = make_web_client(deps.settings)
    scheduled_digest_job(deps, client, FIRST_SLOT)
    due_posts_job(deps, client, FIRST_SLOT)
    assert "digest job failed" in caplog.text
    assert "reminders job failed" in caplog.text
    engine.dispose()


def test_periodic_job_forgets_deliveries_too_old_to_be_retried(deps: Deps, fake_slack: FakeSlack) -> None:
    """Slack retries a delivery within about half an hour: ids older than a day go, recent ones stay."""
    now = datetime(2023, 3, 1, 10, 0, tzinfo=AMS)
    with deps.sessions.begin() as s:
        for event_id, age in (
            ("EvOLD", timedelta(days=3)),
            ("EvDAY", timedelta(hours=25)),
            ("EvHOUR", timedelta(hours=1)),
            ("EvNOW", timedelta()),
        ):
            s.add(ProcessedEvent(event_id=event_id, received_at=now - age))
    due_posts_job(deps, make_web_client(deps.settings), now)
    with deps.sessions.begin() as s:
        kept = set(s.scalars(select(ProcessedEvent.event_id)))
        # A retry of a recent delivery is still recognised after the pruning.
        assert not first_delivery(session=s, event_id="EvHOUR", now=now)
    assert kept == {"EvHOUR", "EvNOW"}
