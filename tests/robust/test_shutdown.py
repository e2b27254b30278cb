"""SIGTERM: `vggbot run --http` lets the request in flight finish and exits 0 within a few seconds."""

from __future__ import annotations

import signal
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.text.dutch import dutch_datetime
from storage.db import make_engine, make_session_factory
from tests.conftest import AMS, SECRET, reset_postgres
from tests.fakes.slack import FakeSlack
from tests.robust.conftest import BotProcess, bot_env
from tests.support.factories import add_meeting
from tests.support.slackclient import HttpResult, SlackSender

EXIT_WITHIN_SECONDS = 5.0


def test_sigterm_when_idle_exits_zero(sqlite_template: Path, tmp_path: Path, fake_slack: FakeSlack) -> None:
    """An idle bot stops on SIGTERM with exit code 0 within a few seconds, saying so in the log."""
    db = tmp_path / "bot.sqlite3"
    db.write_bytes(sqlite_template.read_bytes())
    bot = BotProcess(bot_env(f"sqlite:///{db}", fake_slack.url), tmp_path)
    try:
        assert SlackSender(bot.base_url, SECRET).health().status == 200
        code, took = bot.terminate()
    finally:
        bot.kill()
    assert code == 0, bot.log
    assert took < EXIT_WITHIN_SECONDS
    assert "gestopt" in bot.log


@pytest.mark.postgres
def test_sigterm_lets_the_request_in_flight_finish(
    postgres_url: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """A command held up by a table lock when SIGTERM arrives still gets its full answer; then exit 0."""
    engine = make_engine(postgres_url)
    reset_postgres(engine)
    with make_session_factory(engine).begin() as s:
        # The process runs on the real clock, so the meeting is a month from whenever the test runs.
        start = datetime.now(AMS).replace(second=0, microsecond=0) + timedelta(days=30)
        add_meeting(s, "ivb", start)
    bot = BotProcess(bot_env(postgres_url, fake_slack.url), tmp_path)
    results: list[HttpResult] = []
    try:
        slack = SlackSender(bot.base_url, SECRET)
        # Warm (connections open) with another command: a kept `volgende` answer would not wait on the lock.
        assert slack.command("kalender").status == 200
        with engine.connect() as holder:
            holder.execute(text("LOCK TABLE overleg IN ACCESS EXCLUSIVE MODE"))
            request = threading.Thread(target=lambda: results.append(slack.command("volgende")))
            request.start()
            waited = 0.0
            while not _waiting_on_lock(engine) and waited < 5:
                time.sleep(0.05)
                waited += 0.05
            assert _waiting_on_lock(engine), "the request never reached the database"
            bot.proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)  # the bot is stopping while the request still waits on the lock
            holder.rollback()
        request.join(10)
        code = bot.proc.wait(EXIT_WITHIN_SECONDS)
    finally:
        bot.kill()
        engine.dispose()
    assert code == 0, bot.log
    assert len(results) == 1
    assert results[0].status == 200
    assert dutch_datetime(start, AMS) in results[0].json()["text"]  # the full answer, not an error


def _waiting_on_lock(engine: Engine) -> bool:
    with engine.connect() as conn:
        waiting = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        ).scalar()
    return bool(waiting)
