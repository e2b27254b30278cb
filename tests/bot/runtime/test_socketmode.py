"""Socket Mode: /health on HEALTH_PORT follows the WebSocket connection, which comes back by itself."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

import pytest

from bot.runtime.app import create_app
from bot.runtime.deps import Deps
from bot.runtime.slack_client import make_web_client
from bot.runtime.socketmode import SocketModeRunner
from tests.fakes.slack import FakeSlack
from tests.support.slackclient import http
from tests.support.wsserver import FakeSocketModeServer


def eventually(condition: Callable[[], bool], within: float = 15) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def socket_server(fake_slack: FakeSlack) -> Iterator[FakeSocketModeServer]:
    with FakeSocketModeServer() as server:
        fake_slack.socket_mode_url = server.url
        yield server


@pytest.fixture
def runner(deps: Deps) -> Iterator[SocketModeRunner]:
    app = create_app(deps, client=make_web_client(deps.settings))
    runner = SocketModeRunner(
        app,
        deps,
        app_token="xapp-test",
        health_host="127.0.0.1",
        health_port=0,
        ping_interval=0.5,
        retry_seconds=0.2,
    )
    runner.start()
    yield runner
    runner.close()


def health(runner: SocketModeRunner) -> int:
    assert runner.health is not None
    return http(f"http://127.0.0.1:{runner.health.port}/health", method="GET", timeout=3).status


def test_health_follows_the_connection_and_it_reconnects(
    socket_server: FakeSocketModeServer, runner: SocketModeRunner, fake_slack: FakeSlack
) -> None:
    """Connected: 200. Slack's end drops: 503. back: the client reconnects unaided, 200 again."""
    assert eventually(lambda: health(runner) == 200)
    assert socket_server.handshakes == 1
    socket_server.drop()
    assert eventually(lambda: health(runner) == 503)
    socket_server.resume()
    assert eventually(lambda: health(runner) == 200)
    assert socket_server.handshakes >= 2
    assert len(fake_slack.calls_to("apps.connections.open")) >= 2  # a fresh URL for each new connection


def test_health_is_503_until_slack_answers_at_start(fake_slack: FakeSlack, runner: SocketModeRunner) -> None:
    """Starting while Slack's WebSocket is unreachable: 503 and retrying, then 200 once it answers."""
    assert health(runner) == 503
    with FakeSocketModeServer() as server:
        fake_slack.socket_mode_url = server.url
        assert eventually(lambda: health(runner) == 200)


@pytest.mark.usefixtures("socket_server")
def test_health_port_serves_only_health_and_metrics(runner: SocketModeRunner) -> None:
    """The health port exposes /health and /metrics and nothing else: other paths 404, POST is refused."""
    assert runner.health is not None
    base = f"http://127.0.0.1:{runner.health.port}"
    assert http(base + "/metrics", method="GET", timeout=3).status == 200
    assert http(base + "/slack/events", data=b"{}", timeout=3).status == 404
    assert http(base + "/health", data=b"{}", timeout=3).status == 405


def test_connected_is_logged_only_once_connected(
    deps: Deps, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """While the WebSocket handshake fails nothing says "verbonden"; it is logged once, when it connects."""
    caplog.set_level(logging.INFO, logger="bot.runtime.socketmode")
    app = create_app(deps, client=make_web_client(deps.settings))
    runner = SocketModeRunner(app, deps, app_token="xapp-test", ping_interval=0.5, retry_seconds=0.2)

    def said_connected() -> int:
        return sum("verbonden met Slack" in r.getMessage() for r in caplog.records)

    runner.start()
    try:
        assert eventually(lambda: len(fake_slack.calls_to("apps.connections.open")) >= 1)
        time.sleep(0.5)  # real time: the failed handshake has been reported by now
        assert not runner.connected()
        assert said_connected() == 0
        with FakeSocketModeServer() as server:
            fake_slack.socket_mode_url = server.url
            assert eventually(lambda: said_connected() == 1)
            assert runner.connected()
    finally:
        runner.close()
