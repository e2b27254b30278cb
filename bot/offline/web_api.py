"""A stand-in for Slack's Web API on loopback: answers every call the bot makes as Slack would.

The offline shell points the bot's real WebClient at it and prints what the bot sends; the benchmark
uses it so that measurements never leave the machine. Tests extend it (tests/fakes/slack.py) to
record calls and script faults.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, Any, Self
from urllib.parse import parse_qs

from bot.offline.render import render_blocks

TEAM = "T0FAKE0001"
BOT_USER = "U0VGGBOT01"

Answer = tuple[int, dict[str, Any], dict[str, str]]  # status, JSON body, extra headers


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str = ""
    at: float = 0.0


class OfflineWebApi:
    """Start with `with OfflineWebApi() as api:`; point SLACK_API_URL at `api.url`."""

    def __init__(self, on_call: Callable[[Call], None] | None = None) -> None:
        self.on_call = on_call
        # What apps.connections.open hands out: tests point it at a local WebSocket server.
        self.socket_mode_url = "ws://127.0.0.1:1/not-available"
        self._ts = itertools.count(1)
        self._ts_lock = threading.Lock()
        self._last_ts = 0.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="web-api", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/"

    @property
    def response_url(self) -> str:
        """What the shell (and the tests) give as a payload's `response_url`: its POSTs arrive as the
        method `response` (Slack's answer there is a plain "ok")."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/response"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _next_ts(self) -> str:
        """A message ts as Slack makes them: the time of posting, unique in this stand-in."""
        with self._ts_lock:
            self._last_ts = max(time.time(), self._last_ts + 0.000001)
            return f"{self._last_ts:.6f}"

    def handle(self, call: Call) -> Answer:
        """What to answer to `call`: Slack's success body. Subclasses record calls or script faults."""
        if self.on_call is not None:
            self.on_call(call)
        return 200, self.answer(call.method, call.args), {}

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """The success body Slack would send for `method`."""
        if method in {"chat.postMessage", "chat.update", "chat.postEphemeral"}:
            return self._message(method, args)
        if method in {"views.open", "views.push", "views.update", "views.publish"}:
            view = args.get("view", {})
            if isinstance(view, str):
                view = json.loads(view)
            return {"ok": True, "view": {"id": f"V{next(self._ts):09d}", **view}}
        return {"ok": True, **self._fixed(method, args)}

    def _message(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        message = {"ts": ts, "text": args.get("text", "")}
        return {"ok": True, "channel": args.get("channel", ""), "ts": args.get("ts", ts), "message": message}

    def _fixed(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        channel, user = str(args.get("channel", "")), str(args.get("user", ""))
        permalink_ts = str(args.get("message_ts", "")).replace(".", "")
        answers: dict[str, dict[str, Any]] = {
            "auth.test": {
                "user_id": BOT_USER,
                "bot_id": "B0FAKE0001",
                "team_id": TEAM,
                "team": "VGG",
                "user": "vggbot",
                "url": "https://vgg.slack.com/",
            },
            "chat.getPermalink": {
                "channel": channel,
                "permalink": f"https://vgg.slack.com/archives/{channel}/p{permalink_ts}",
            },
            "conversations.open": {"channel": {"id": "D" + str(args.get("users", "U")).split(",")[0][1:]}},
            "users.info": {
                "user": {"id": user, "name": user.lower(), "real_name": user, "tz": "Europe/Amsterdam"}
            },
            "conversations.history": {"messages": [], "has_more": False},
            "conversations.replies": {"messages": [], "has_more": False},
            "apps.connections.open": {"url": self.socket_mode_url},
        }
        return answers.get(method, {})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

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
                status, body, headers = api.handle(
                    Call(method=method, args=args, token=token, at=time.monotonic())
                )
                if status == 0:  # a scripted dropped connection: no answer at all
                    self.close_connection = True
                    return
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return

        return Handler


def print_call(out: IO[str], call: Call) -> None:
    """Show what the bot posts the way a person would see it."""
    args = call.args
    if call.method in {"chat.postMessage", "chat.postEphemeral", "chat.update", "response"}:
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        channel = str(args.get("channel", ""))
        where = "" if channel.startswith("D") or not channel else f" in {channel}"
        if call.method == "response" and args.get("replace_original"):
            where = " (vervangt het vorige bericht)"
        out.write(f"bot{where}: " + render_blocks(blocks or [], str(args.get("text", ""))) + "\n")
    elif call.method in {"views.open", "views.push", "views.update", "views.publish"}:
        view = args.get("view") or {}
        if isinstance(view, str):
            view = json.loads(view)
        title = (view.get("title") or {}).get("text", "Home")
        out.write(f"bot [{title}]:\n" + render_blocks(view.get("blocks", [])) + "\n")
    out.flush()
