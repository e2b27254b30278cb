"""Slow and idle connections do not shut the bot out: /health and Slack's requests are served while
110 clients trickle their headers, and waitress's queue warning is logged at most once a minute."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from bot.runtime.http import OncePerMinute
from tests.support.slackclient import SlackSender

SLOW_CLIENTS = 110  # waitress's default connection_limit is 100


def test_110_slow_connections_leave_room_for_health_and_slack(slack: SlackSender) -> None:
    """110 clients that send half a request and wait (a slow network, or slowloris): /health and a
    command still answer at once (connection_limit 1000, idle channels closed after 10 s)."""
    host, port = slack.base_url.removeprefix("http://").split(":")
    slow = []
    try:
        for _ in range(SLOW_CLIENTS):
            conn = socket.create_connection((host, int(port)), timeout=5)
            conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nab")
            slow.append(conn)
        start = time.monotonic()
        assert slack.health().status == 200
        assert slack.command("help").status == 200
        assert time.monotonic() - start < 3
    finally:
        for conn in slow:
            conn.close()


def test_the_queue_warning_is_logged_once_a_minute(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """waitress's "Task queue depth is N" (8,581 lines in 60 s of load once) passes once a minute."""
    now = [1000.0]
    monkeypatch.setattr("bot.runtime.http.time.monotonic", lambda: now[0])
    limiter = OncePerMinute()
    queue_logger = logging.getLogger("waitress.queue.test")
    queue_logger.addFilter(limiter)
    try:
        with caplog.at_level(logging.WARNING, logger="waitress.queue.test"):
            for second in range(180):
                now[0] = 1000.0 + second
                for depth in range(50):
                    queue_logger.warning("Task queue depth is %d", depth)
    finally:
        queue_logger.removeFilter(limiter)
    assert len([r for r in caplog.records if "queue depth" in r.message]) == 3
