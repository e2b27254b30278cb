"""Socket Mode: the WebSocket connection to Slack, and an optional /health port that reflects it.

In Socket Mode Slack's requests arrive over a WebSocket the bot opens, so there is no HTTP server
for a load balancer or supervisor to ask. With HEALTH_PORT set, a small waitress server answers
`GET /health`: 200 while the database answers AND the WebSocket is connected, else 503.
slack_sdk's SocketModeClient notices a dropped connection (ping/pong every `ping_interval` seconds)
and reconnects by itself through apps.connections.open; /health shows the gap.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.runtime.deps import Deps
from bot.runtime.health import BoundedCheck, HealthDetail
from bot.runtime.http import HealthWSGI, HttpServer
from storage.db import database_answers

logger = logging.getLogger(__name__)


class SocketModeRunner:
    """Connects to Slack over Socket Mode; `stop()` closes the connection and the health port."""

    def __init__(
        self,
        app: App,
        deps: Deps,
        *,
        app_token: str,
        health_host: str = "0.0.0.0",  # noqa: S104 - a supervisor or load balancer must reach it
        health_port: int | None = None,
        ping_interval: float = 10,
        retry_seconds: float = 5,
        health_details: Sequence[HealthDetail] = (),
    ) -> None:
        self.handler = SocketModeHandler(
            app, app_token, logger=logging.getLogger("vggbot.socketmode"), ping_interval=ping_interval
        )
        self.deps = deps
        self._retry_seconds = retry_seconds
        self._stop = threading.Event()
        self.health: HttpServer | None = None
        self._threads: list[threading.Thread] = []
        if health_port is not None:
            checks: list[Callable[[], bool]] = [
                BoundedCheck(lambda: database_answers(deps.engine)),
                self.connected,
            ]
            wsgi = HealthWSGI(checks, health_details)
            self.health = HttpServer(wsgi, host=health_host, port=health_port, threads=2, poll=0.2, grace=2)

    def connected(self) -> bool:
        client: Any = self.handler.client
        return bool(client.is_connected())

    def start(self) -> None:
        """Start the health port, then connect (retrying in the background until Slack answers)."""
        if self.health is not None:
            self._spawn(self.health.serve, "health")
            logger.info("/health en /metrics op poort %s", self.health.port)
        self._spawn(self._connect_until_up, "socket-mode-connect")

    def _spawn(self, target: Any, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _connect_until_up(self) -> None:
        # The first connection is ours to retry; after it, SocketModeClient's monitor reconnects.
        while not self._stop.is_set():
            try:
                self.handler.connect()  # type: ignore[no-untyped-call]
            except Exception:
                logger.exception(
                    "Socket Mode: verbinden lukt niet; nieuwe poging over %s s", self._retry_seconds
                )
                self._stop.wait(self._retry_seconds)
            else:
                self._announce_when_connected()
                return

    def _announce_when_connected(self) -> None:
        """slack_sdk's connect() returns without raising when the WebSocket handshake fails (it logs and
        leaves reconnecting to its monitor), so "verbonden" waits until the connection is really up."""
        while not self._stop.is_set():
            if self.connected():
                logger.info("Socket Mode: verbonden met Slack")
                return
            self._stop.wait(0.1)

    def wait(self) -> None:
        """Block until `stop()` (from a signal handler or another thread)."""
        while not self._stop.wait(0.5):
            pass

    def stop(self) -> None:
        """Safe from a signal handler: only sets flags; `close()` does the work."""
        self._stop.set()
        if self.health is not None:
            self.health.stop()

    def close(self) -> None:
        """Stop reconnecting first (ours, then slack_sdk's), then close the connection."""
        self.stop()
        for thread in self._threads:
            thread.join(timeout=5)
        client: Any = self.handler.client
        # A reconnect in progress re-enables auto-reconnect from this default when it completes.
        client.default_auto_reconnect_enabled = False
        client.auto_reconnect_enabled = False
        self.handler.close()  # type: ignore[no-untyped-call]
