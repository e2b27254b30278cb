"""The fake Slack Web API for tests: the offline stand-in (bot/offline/web_api.py) that also records
every call, answers scripted faults (429 with Retry-After, 5xx, slow answers) per method, and plays a
workspace that a test can shape: the token's scopes (the `x-oauth-scopes` header on every answer),
its channels with the bot's membership (conversations.info) and its members (users.info)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from bot.offline.web_api import BOT_USER, TEAM, Answer, Call, OfflineWebApi
from bot.runtime.doctor_checks import REQUIRED_SCOPES

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
        # The workspace. Scopes: what the token was granted (default: all the manifest asks for).
        self.scopes: tuple[str, ...] = REQUIRED_SCOPES
        # Channel id -> overrides of conversations.info's channel (default: a public channel, bot a member).
        self.channels: dict[str, dict[str, Any]] = {}
        self.missing_channels: set[str] = set()  # conversations.info: channel_not_found
        # User id -> overrides of users.info's user; missing_users: user_not_found.
        self.users: dict[str, dict[str, Any]] = {}
        self.missing_users: set[str] = set()

    def fail_next(self, method: str, fault: Fault, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with `fault` instead of success."""
        with self._lock:
            self.faults[method].extend([fault] * times)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.faults.clear()

    def handle(self, call: Call) -> Answer:
        with self._lock:
            self.calls.append(call)
            fault = self.faults[call.method].popleft() if self.faults[call.method] else None
        if fault is None:
            status, body, headers = super().handle(call)
            return status, body, {**headers, "x-oauth-scopes": ",".join(self.scopes)}
        if self.on_call is not None:
            self.on_call(call)
        if fault.delay:
            time.sleep(fault.delay)
        return fault.status, fault.body, fault.headers

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """The workspace's answer for conversations.info and users.info; the stand-in's for the rest."""
        if method == "conversations.info":
            channel = str(args.get("channel", ""))
            if channel in self.missing_channels:
                return {"ok": False, "error": "channel_not_found"}
            info = {"id": channel, "name": channel.lower(), "is_channel": True, "is_member": True}
            return {"ok": True, "channel": {**info, **self.channels.get(channel, {})}}
        if method == "users.info":
            user = str(args.get("user", ""))
            if user in self.missing_users:
                return {"ok": False, "error": "user_not_found"}
            body = super().answer(method, args)
            body["user"].update(self.users.get(user, {}))
            return body
        return super().answer(method, args)
