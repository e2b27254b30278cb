"""Helpers for the fault, load and hostile-input suites: serve a bot on any Deps."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pydantic import SecretStr
from slack_bolt import App

from bot.runtime.deps import Deps
from bot.runtime.http import HttpServer, SlackWSGI
from bot.runtime.settings import Settings
from tests.conftest import ADMIN, SECRET
from tests.fakes.slack import FakeSlack
from tests.support.proposal_helpers import app_with_own_executor
from tests.support.slackclient import SlackSender


@pytest.fixture
def bolt_app(deps: Deps) -> Iterator[App]:
    """The real app; its lazy work (follow-up posts) is drained before the engine is disposed."""
    with app_with_own_executor(deps) as app:
        yield app


@contextmanager
def serving(deps: Deps, *, threads: int = 4) -> Iterator[SlackSender]:
    """The real app on waitress on a free loopback port, for deps a test built itself."""
    with app_with_own_executor(deps) as app, _served(app, deps, threads) as sender:
        yield sender


@contextmanager
def _served(app: App, deps: Deps, threads: int) -> Iterator[SlackSender]:
    wsgi = SlackWSGI(app, deps)
    srv = HttpServer(wsgi, host="127.0.0.1", port=0, threads=threads, poll=0.05)
    thread = threading.Thread(target=srv.serve, daemon=True)
    thread.start()
    try:
        yield SlackSender(f"http://127.0.0.1:{srv.port}", SECRET)
    finally:
        srv.stop()
        thread.join(timeout=5)


@pytest.fixture
def plain_settings(fake_slack: FakeSlack) -> Settings:
    """Settings for tests that choose their own database (not parametrised over backends)."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-test-token"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake_slack.url,
        database_url="sqlite://",
        admin_user_ids=(ADMIN,),
        digest_channel="C0DIGEST001",
    )


class BotProcess:
    """`vggbot run --http` as a real process: its port, its log, its memory, signals."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
        full_env.update(env)
        self.log_lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.runtime.cli", "run", "--http", "--host", "127.0.0.1", "--port", "0"],
            cwd=cwd,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._listening = threading.Event()
        self.port = 0
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()
        if not self._listening.wait(30):
            self.proc.kill()
            raise AssertionError("bot did not start:\n" + self.log)

    def _read_log(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log_lines.append(line)
            found = re.search(r"luistert op http://[\d.]+:(\d+)/", line)
            if found:
                self.port = int(found.group(1))
                self._listening.set()

    @property
    def log(self) -> str:
        return "".join(self.log_lines)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_kib(self) -> int:
        """Resident memory of the process, from /proc (Linux)."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        assert found is not None
        return int(found.group(1))

    def terminate(self, timeout: float = 10) -> tuple[int, float]:
        """SIGTERM; the exit code and how long the process took to exit."""
        start = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout)
        return code, time.monotonic() - start

    def sigkill(self) -> None:
        """kill -9: no handler runs, nothing is flushed or closed."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def kill(self) -> None:
        """Make sure the process is gone and its pipe closed (safe after a normal exit too)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self._reader.join(5)
        assert self.proc.stderr is not None
        self.proc.stderr.close()


def bot_env(database_url: str, slack_api_url: str, **more: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_api_url,
        "DATABASE_URL": database_url,
        "ADMIN_USER_IDS": ADMIN,
        "LOG_LEVEL": "INFO",
        **more,
    }
