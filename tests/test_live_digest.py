"""Live: two `vggbot run --http` processes post a slot a few seconds ahead (digest and reminder) once.

This test waits on real time (bounded: about 10 seconds per database), because it is about real
processes, a real scheduler and a real SIGTERM.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storage.db import make_engine, make_session_factory
from tests.conftest import AMS
from tests.fakes.slack import FakeSlack
from tests.support.factories import add_meeting

LEAD = 8  # seconds between start-up and the slot: time to import, migrate and start the scheduler


def _plan_meeting(database_url: str, start: datetime) -> None:
    """An IVB meeting later today, so its morning reminder falls on the same moment as the slot."""
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as session:
        add_meeting(session, "ivb", start)
    engine.dispose()


def _env(database_url: str, fake_url: str, start: datetime) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DIGEST_", "DATABASE_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-live-test",
        SLACK_SIGNING_SECRET="live-test-secret",
        SLACK_API_URL=fake_url,
        DATABASE_URL=database_url,
        BOT_TIMEZONE="Europe/Amsterdam",
        DIGEST_CHANNEL="C0DIGEST001",
        DIGEST_START=start.strftime("%Y-%m-%dT%H:%M:%S"),
        DIGEST_INTERVAL_DAYS="1",
        DIGEST_HOLIDAYS="post",  # independent of whether today is a holiday
        OVERLEG_CHANNELS="ivb:C0IVB00001",
        REMINDER_TIME=start.strftime("%H:%M:%S"),
        SCHEDULER_POLL_SECONDS="1",
        LOG_LEVEL="INFO",
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(env: dict[str, str], log: Path, cwd: Path) -> subprocess.Popen[bytes]:
    port = str(_free_port())
    with log.open("wb") as stderr:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "bot.runtime.cli", "run", "--http", "--host", "127.0.0.1", "--port", port],
            env={**env, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def _wait_for(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def _stop(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=15)


def test_two_processes_post_once_and_a_restart_posts_nothing(
    database_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """Two bots race: one digest, one reminder; both stop cleanly on SIGTERM; a restart posts nothing more."""
    start = (datetime.now(AMS) + timedelta(seconds=LEAD)).replace(microsecond=0)
    meeting = start + timedelta(minutes=30)
    _plan_meeting(database_url, meeting)
    env = _env(database_url, fake_slack.url, start)
    logs = [tmp_path / "a.log", tmp_path / "b.log", tmp_path / "c.log"]
    bots = [_start(env, logs[0], tmp_path), _start(env, logs[1], tmp_path)]
    try:
        channels = lambda: [c.args["channel"] for c in fake_slack.calls_to("chat.postMessage")]  # noqa: E731
        posted = _wait_for(lambda: {"C0DIGEST001", "C0IVB00001"} <= set(channels()), LEAD + 6)
        assert posted, logs[0].read_text() + logs[1].read_text()
        time.sleep(1.5)  # both schedulers have had their turn at the slot (poll every second)
        # One digest and one reminder for the meeting (the morning one, or an hour before a meeting
        # just after midnight), each once, however the two bots raced.
        assert sorted(channels()) == ["C0DIGEST001", "C0IVB00001"]
    finally:
        codes = [_stop(bot) for bot in bots]
    assert codes == [0, 0], logs[0].read_text() + logs[1].read_text()
    assert all("scheduler stopped" in log.read_text() for log in logs[:2])

    again = _start(env, logs[2], tmp_path)
    try:
        caught_up = _wait_for(lambda: "start-up catch-up done" in logs[2].read_text(), 10)
        assert caught_up, logs[2].read_text()
    finally:
        assert _stop(again) == 0
    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # nothing more after the restart
    text = "".join(log.read_text() for log in logs)
    assert "xoxb-live-test" not in text
    assert "Traceback" not in text


@pytest.fixture
def soak(request: pytest.FixtureRequest) -> None:
    """The soak variant runs only when asked for (`scripts/test -m slow`), as the marker says."""
    if "slow" not in str(request.config.getoption("markexpr")):
        pytest.skip("soak test (about 15 s per run): scripts/test -m slow")


@pytest.mark.slow
@pytest.mark.usefixtures("soak")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_restarts_around_the_slot_post_once(
    database_url: str, fake_slack: FakeSlack, tmp_path: Path, seed: int
) -> None:
    """Two bots, each stopped (SIGTERM) and restarted at a random moment around the slot: one digest."""
    rng = random.Random(seed)
    start = (datetime.now(AMS) + timedelta(seconds=LEAD)).replace(microsecond=0)
    env = _env(database_url, fake_slack.url, start)
    env["OVERLEG_CHANNELS"] = ""
    logs = [tmp_path / "a0.log", tmp_path / "b0.log"]
    bots = [_start(env, logs[0], tmp_path), _start(env, logs[1], tmp_path)]
    slot_at = time.monotonic() + LEAD
    try:
        for which, offset in sorted(((i, rng.uniform(-1.5, 1.5)) for i in range(2)), key=lambda p: p[1]):
            time.sleep(max(0.0, slot_at + offset - time.monotonic()))
            # Stopped once it runs (a SIGTERM during start-up just ends it before the scheduler exists).
            assert _wait_for(lambda w=which: "catch-up done" in logs[w].read_text(), 10)  # type: ignore[misc]
            assert _stop(bots[which]) == 0
            logs[which] = tmp_path / f"{'ab'[which]}1.log"
            bots[which] = _start(env, logs[which], tmp_path)
        assert _wait_for(lambda: all("catch-up done" in log.read_text() for log in logs), 12)
        assert _wait_for(lambda: fake_slack.calls_to("chat.postMessage"), 5)
        time.sleep(1.5)  # both restarted schedulers have polled at least once more
    finally:
        codes = [_stop(bot) for bot in bots]
    assert codes == [0, 0]
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
