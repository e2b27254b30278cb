"""GET /health and GET /metrics: what a load balancer and Prometheus ask, the same in HTTP mode and on
Socket Mode's health port."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from bot.runtime.metrics import metrics

logger = logging.getLogger(__name__)

Response = tuple[int, list[tuple[str, str]], bytes]
# A detail /health reports without failing on it (a calendar source that could not be fetched).
HealthDetail = Callable[[], dict[str, Any]]


class BoundedCheck:
    """A health check that answers within `timeout` seconds: a database that hangs (connections open,
    no answers) is unhealthy now, not when TCP gives up. One check at a time; callers share it."""

    def __init__(self, check: Callable[[], bool], *, timeout: float = 1.5) -> None:
        self._check = check
        self._timeout = timeout
        self._lock = threading.Lock()
        self._running: Future[bool] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")

    def __call__(self) -> bool:
        with self._lock:
            if self._running is None or self._running.done():
                self._running = self._executor.submit(self._check)
            running = self._running
        try:
            return bool(running.result(timeout=self._timeout))
        except Exception:  # a hung or failing check is simply "not healthy"
            return False


def health_response(checks: Sequence[Callable[[], bool]], details: Sequence[HealthDetail] = ()) -> Response:
    """200 when every check passes, else 503 (the database, and in Socket Mode the connection).

    The body is JSON: `{"status": "ok"}`, plus what the details report (e.g. `"calendar"`: each
    source's last good sync and last error), which never turn a 200 into a 503."""
    healthy = all(check() for check in checks)
    body: dict[str, Any] = {"status": "ok" if healthy else "unavailable"}
    if healthy:
        for detail in details:
            try:
                body.update(detail())
            except Exception:
                logger.warning("a /health detail failed", exc_info=True)
    headers = [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
    return (200 if healthy else 503), headers, json.dumps(body, ensure_ascii=False).encode()


def metrics_response() -> Response:
    """GET /metrics: this process's metrics in Prometheus's text format (bot/runtime/metrics.py)."""
    body, content_type = metrics().exposition()
    return 200, [("Content-Type", content_type)], body
