"""Helpers for the fault, load and hostile-input suites: serve a bot on any Deps."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pydantic import SecretStr

from bot.app import create_app
from bot.deps import Deps
from bot.fakeslack import FakeSlack
from bot.http import HttpServer, SlackWSGI
from bot.settings import Settings
from bot.slack_client import make_web_client
from tests.conftest import ADMIN, SECRET
from tests.slackclient import SlackSender


@contextmanager
def serving(deps: Deps, *, threads: int = 4) -> Iterator[SlackSender]:
    """The real app on waitress on a free loopback port, for deps a test built itself."""
    wsgi = SlackWSGI(create_app(deps, client=make_web_client(deps.settings)), deps)
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
