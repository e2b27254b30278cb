"""A fake Slack Web API on loopback: records every call and answers like Slack.

Used by the offline shell (so the real handlers and the real WebClient run unchanged), by the tests
and by the benchmark. Faults (429 with Retry-After, 5xx, slow answers) can be scripted per method.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

FAKE_TEAM = "T0FAKE0001"
FAKE_BOT_USER = "U0VGGBOT01"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str = ""
    at: float = 0.0


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=lambda: {"ok": False, "error": "fatal_error"})
    delay: float = 0.0


class FakeSlack:
    """Start with `with FakeSlack() as slack:`; point SLACK_API_URL at `slack.url`."""

    def __init__(self, on_call: Callable[[Call], None] | None = None) -> None:
        self.calls: list[Call] = []
        self.on_call = on_call
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._lock = threading.Lock()
        # What apps.connections.open hands out: tests point it at a local WebSocket server.
        self.socket_mode_url = "ws://127.0.0.1:1/not-available"
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

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

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """The success body Slack would send for `method`."""
        body: dict[str, Any] = {"ok": True}
        if method == "auth.test":
            body.update(
                user_id=FAKE_BOT_USER,
                bot_id="B0FAKE0001",
                team_id=FAKE_TEAM,
                team="VGG",
                user="vggbot",
                url="https://vgg.slack.com/",
            )
        elif method in {"chat.postMessage", "chat.update", "chat.postEphemeral"}:
            ts = f"{1_700_000_000 + next(self._ts)}.000100"
            channel = args.get("channel", "")
            body.update(
                channel=channel, ts=args.get("ts", ts), message={"ts": ts, "text": args.get("text", "")}
            )
            if method == "chat.postEphemeral":
                body = {"ok": True, "message_ts": ts}
        elif method == "chat.getPermalink":
            channel, ts = args.get("channel", ""), str(args.get("message_ts", "")).replace(".", "")
            body.update(channel=channel, permalink=f"https://vgg.slack.com/archives/{channel}/p{ts}")
        elif method == "conversations.open":
            users = str(args.get("users", "U"))
            body.update(channel={"id": "D" + users.split(",", maxsplit=1)[0][1:]})
        elif method in {"views.open", "views.push", "views.update", "views.publish"}:
            view = args.get("view", {})
            if isinstance(view, str):
                view = json.loads(view)
            body.update(view={"id": f"V{next(self._ts):09d}", **view})
        elif method == "users.info":
            user = args.get("user", "")
            body.update(user={"id": user, "name": user.lower(), "real_name": user, "tz": "Europe/Amsterdam"})
        elif method == "apps.connections.open":
            body.update(url=self.socket_mode_url)
        return body

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    args = json.loads(raw or "{}")
                else:
                    args = {k: v[0] for k, v in parse_qs(raw).items()}
                method = self.path.rsplit("/", 1)[-1].split("?")[0]
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                call = Call(method=method, args=args, token=token, at=time.monotonic())
                with fake._lock:
                    fake.calls.append(call)
                    fault = fake.faults[method].popleft() if fake.faults[method] else None
                if fake.on_call is not None:
                    fake.on_call(call)
                if fault is not None:
                    if fault.delay:
                        time.sleep(fault.delay)
                    self._send(fault.status, fault.body, fault.headers)
                    return
                self._send(200, fake.answer(method, args), {})

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return

        return Handler
