"""SIGTERM while the digest is being posted: the post finishes and is recorded, no slot stays claimed.

Waits on real time (about 12 s), because it is about a real process, its scheduler and a real SIGTERM.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from storage.db import make_engine, make_session_factory
from storage.models import PostSlot
from tests.conftest import AMS
from tests.fakes.slack import FakeSlack, Fault
from tests.robust.conftest import BotProcess, bot_env

LEAD = 6  # seconds from start-up to the slot
SLOW_POST = 2.5  # Slack takes this long to answer the digest post


def test_sigterm_during_the_digest_post_leaves_it_posted(
    database_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """SIGTERM arrives while chat.postMessage is in flight: the job finishes, the slot is `posted`, exit 0."""
    start = (datetime.now(AMS) + timedelta(seconds=LEAD)).replace(microsecond=0)
    fake_slack.fail_next("chat.postMessage", Fault(200, body={"ok": True, "ts": "1.2"}, delay=SLOW_POST))
    env = bot_env(
        database_url,
        fake_slack.url,
        DIGEST_CHANNEL="C0DIGEST001",
        DIGEST_START=start.strftime("%Y-%m-%dT%H:%M:%S"),
        DIGEST_INTERVAL_DAYS="1",
        DIGEST_HOLIDAYS="post",
        BOT_TIMEZONE="Europe/Amsterdam",
        SCHEDULER_POLL_SECONDS="1",
    )
    bot = BotProcess(env, tmp_path)
    try:
        deadline = time.monotonic() + LEAD + 10
        while not fake_slack.calls_to("chat.postMessage") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fake_slack.calls_to("chat.postMessage"), bot.log
        code, took = bot.terminate(timeout=15)  # the post is still waiting on Slack
    finally:
        bot.kill()
    assert code == 0, bot.log
    assert took < SLOW_POST + 3
    assert "scheduler stopped" in bot.log
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine).begin() as s:
            slots = list(s.scalars(select(PostSlot).where(PostSlot.kind == "digest")))
    finally:
        engine.dispose()
    assert [(slot.status, slot.channel) for slot in slots] == [("posted", "C0DIGEST001")]
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
