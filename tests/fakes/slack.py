"""The fake Slack Web API for tests: the offline stand-in (bot/offline/web_api.py) that also records
every call, keeps the messages posted per conversation (with their metadata, for conversations.history
and conversations.replies), and answers scripted faults per method: an error status, a slow answer,
an answer that comes after the client gave up, or a connection dropped after Slack acted on the call.
It also plays a workspace a test can shape: the token's scopes (the `x-oauth-scopes` header on every
answer), its channels with the bot's membership (conversations.info) and its members (users.info).
`response_url` is an endpoint too: what the bot POSTs there is recorded as the method `response`."""

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
    """What the next call of a method gets instead of a plain success.

    `acted`: Slack carries the call out (the message is posted) before the fault, so a client that
    sees the fault does not know the call worked. `drop`: the connection is closed without an answer.
    """

    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=lambda: {"ok": False, "error": "fatal_error"})
    delay: float = 0.0
    acted: bool = False
    drop: bool = False
    # Only for a call whose arguments include these (e.g. {"channel": "D0ADMIN0002"}).
    match: dict[str, str] = field(default_factory=dict)


class FakeSlack(OfflineWebApi):
    """Start with `with FakeSlack() as slack:`; point SLACK_API_URL at `slack.url`."""

    def __init__(self, on_call: Any = None) -> None:
        super().__init__(on_call=on_call)
        self.calls: list[Call] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # Per conversation: an error conversations.history answers with (e.g. missing_scope).
        self.history_errors: dict[str, str] = {}
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

    def posted(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The messages Slack holds (in one conversation, or in all), oldest first."""
        with self._lock:
            chosen = [self.messages[channel]] if channel is not None else list(self.messages.values())
            return sorted((m for messages in chosen for m in messages), key=lambda m: float(m["ts"]))

    def responses(self) -> list[Call]:
        """What the bot POSTed to the `response_url` (`self.response_url`) of a command or click."""
        return self.calls_to("response")

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.faults.clear()
            self.messages.clear()

    def handle(self, call: Call) -> Answer:
        with self._lock:
            self.calls.append(call)
            fault = self._take_fault(call)
        if self.on_call is not None:
            self.on_call(call)
        if fault is None:
            return 200, self.answer(call.method, call.args), {"x-oauth-scopes": ",".join(self.scopes)}
        if fault.acted:
            self.answer(call.method, call.args)
        if fault.delay:
            time.sleep(fault.delay)
        if fault.drop:
            return 0, {}, {}  # the handler closes the connection without an answer
        return fault.status, fault.body, fault.headers

    def _take_fault(self, call: Call) -> Fault | None:
        waiting = self.faults[call.method]
        for fault in list(waiting):
            if all(str(call.args.get(key)) == value for key, value in fault.match.items()):
                waiting.remove(fault)
                return fault
        return None

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method in {"conversations.history", "conversations.replies"}:
            return self._history(method, args)
        if method in {"conversations.info", "users.info"}:
            return self._workspace(method, args)
        body = super().answer(method, args)
        if method == "chat.postMessage":
            self._keep(body, args)
        return body

    def _workspace(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """conversations.info and users.info as the test shaped the workspace."""
        if method == "conversations.info":
            channel = str(args.get("channel", ""))
            if channel in self.missing_channels:
                return {"ok": False, "error": "channel_not_found"}
            info = {"id": channel, "name": channel.lower(), "is_channel": True, "is_member": True}
            return {"ok": True, "channel": {**info, **self.channels.get(channel, {})}}
        user = str(args.get("user", ""))
        if user in self.missing_users:
            return {"ok": False, "error": "user_not_found"}
        body = super().answer(method, args)
        body["user"].update(self.users.get(user, {}))
        return body

    def _keep(self, body: dict[str, Any], args: dict[str, Any]) -> None:
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            import json

            metadata = json.loads(metadata)
        message = {"ts": body["ts"], "text": args.get("text", ""), "thread_ts": args.get("thread_ts") or ""}
        if metadata:
            message["metadata"] = metadata
        with self._lock:
            self.messages[str(body["channel"])].append(message)

    def _history(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel in self.history_errors:
            return {"ok": False, "error": self.history_errors[channel]}
        oldest = float(args.get("oldest") or 0)
        thread = str(args.get("ts") or "") if method == "conversations.replies" else ""
        found = [
            m
            for m in self.posted(channel)
            if float(m["ts"]) >= oldest and (not thread or m["thread_ts"] == thread or m["ts"] == thread)
        ]
        with_metadata = str(args.get("include_all_metadata", "")).lower() in {"1", "true"}
        messages = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in found]
        return {"ok": True, "messages": list(reversed(messages)), "has_more": False}
