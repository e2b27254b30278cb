"""The fake Slack Web API for tests: the offline stand-in (bot/offline/web_api.py) that also records
every call and answers scripted faults (429 with Retry-After, 5xx, slow answers) per method.
`response_url` is an endpoint too: what the bot POSTs there is recorded as the method `response`."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from bot.offline.web_api import BOT_USER, TEAM, Answer, Call, OfflineWebApi

FAKE_TEAM = TEAM
FAKE_BOT_USER = BOT_USER

__all__ = ["FAKE_BOT_USER", "FAKE_TEAM", "Call", "FakeSlack", "Fault"]


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=lambda: {"ok": False, "error": "fatal_error"})
    delay: float = 0.0


class FakeSlack(OfflineWebApi):
    """Start with `with FakeSlack() as slack:`; point SLACK_API_URL at `slack.url`."""

    def __init__(self, on_call: Any = None) -> None:
        super().__init__(on_call=on_call)
        self.calls: list[Call] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._lock = threading.Lock()

    def fail_next(self, method: str, fault: Fault, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with `fault` instead of success."""
        with self._lock:
            self.faults[method].extend([fault] * times)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def responses(self) -> list[Call]:
        """What the bot POSTed to the `response_url` (`self.response_url`) of a command or click."""
        return self.calls_to("response")

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.faults.clear()

    def handle(self, call: Call) -> Answer:
        with self._lock:
            self.calls.append(call)
            fault = self.faults[call.method].popleft() if self.faults[call.method] else None
        if fault is None:
            return super().handle(call)
        if self.on_call is not None:
            self.on_call(call)
        if fault.delay:
            time.sleep(fault.delay)
        return fault.status, fault.body, fault.headers
