"""The offline shell: a terminal chat with the same Bolt handlers, no Slack account needed."""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import IO, Any, ParamSpec, TypeVar
from urllib.parse import urlencode

from slack_bolt import App
from slack_bolt.request import BoltRequest

from bot.offline.render import render_blocks

SHELL_TEAM = "TSHELL0001"
SHELL_CHANNEL = "CSHELL0001"
SHELL_DM = "DSHELL0001"
BOT_USER = "U0VGGBOT01"


P = ParamSpec("P")
T = TypeVar("T")


class ShellExecutor(Executor):
    """Holds Bolt's lazy listeners until the shell has printed the ack, then runs them in order."""

    def __init__(self) -> None:
        self._pending: list[Callable[[], None]] = []

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()

        def run() -> None:
            try:
                future.set_result(fn(*args, **kwargs))
            except Exception as exc:  # handed to whoever holds the future, as a thread pool would
                future.set_exception(exc)

        self._pending.append(run)
        return future

    def run_pending(self) -> None:
        while self._pending:
            self._pending.pop(0)()


class Shell:
    """Turns typed lines into the payloads Slack would send and dispatches them to the App."""

    def __init__(
        self,
        app: App,
        out: IO[str],
        *,
        user_id: str,
        executor: ShellExecutor | None = None,
        response_url: str = "http://offline.invalid/response",
    ) -> None:
        self.app = app
        self.executor = executor
        self.out = out
        self.user_id = user_id
        self.response_url = response_url

    def _dispatch(self, body: dict[str, Any] | str, content_type: str) -> Any:
        raw = body if isinstance(body, str) else json.dumps(body)
        request = BoltRequest(body=raw, headers={"content-type": [content_type]}, mode="socket_mode")
        return self.app.dispatch(request)

    def command(self, line: str) -> None:
        name, _, text = line.partition(" ")
        payload = {
            "command": name,
            "text": text,
            "user_id": self.user_id,
            "user_name": "shell",
            "channel_id": SHELL_CHANNEL,
            "team_id": SHELL_TEAM,
            "trigger_id": f"shell.{uuid.uuid4().hex}",
            "response_url": self.response_url,
        }
        response = self._dispatch(payload, "application/json")
        self._print_ack(response)

    def message(self, line: str) -> None:
        ts = f"{time.time():.6f}"
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": SHELL_DM,
            "user": self.user_id,
            "text": line,
            "ts": ts,
        }
        body = {
            "type": "event_callback",
            "team_id": SHELL_TEAM,
            "api_app_id": "ASHELL0001",
            "event_id": f"Ev{uuid.uuid4().hex[:12]}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": SHELL_TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
        self._dispatch(body, "application/json")

    def click(self, action_id: str, value: str) -> None:
        payload = {
            "type": "block_actions",
            "user": {"id": self.user_id},
            "team": {"id": SHELL_TEAM},
            "channel": {"id": SHELL_DM},
            "container": {"type": "message", "channel_id": SHELL_DM, "message_ts": "0"},
            "trigger_id": f"shell.{uuid.uuid4().hex}",
            "actions": [{"type": "button", "action_id": action_id, "block_id": "shell", "value": value}],
            "response_url": self.response_url,
        }
        # Slack sends interactions form-encoded with the JSON in `payload`; Bolt only reads them that way.
        response = self._dispatch(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )
        self._print_ack(response)

    def _print_ack(self, response: Any) -> None:
        if response.status != 200:
            self.out.write(f"bot: (fout {response.status})\n")
            return
        if not response.body:
            return
        try:
            body = json.loads(response.body)
        except ValueError:
            self.out.write(f"bot: {response.body}\n")
            return
        self.out.write("bot: " + render_blocks(body.get("blocks") or [], str(body.get("text", ""))) + "\n")

    def handle(self, line: str) -> bool:
        """Handle one typed line; False when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in {"exit", "quit", "\\q"}:
            return False
        if line.startswith("/"):
            self.command(line)
        elif line.startswith("klik "):
            _, action_id, *value = line.split(" ", 2)
            self.click(action_id, value[0] if value else "")
        else:
            self.message(line)
        if self.executor is not None:
            self.executor.run_pending()
        return True

    def run(self, lines: IO[str]) -> None:
        interactive = lines.isatty()
        if interactive:
            self.out.write(
                "VGG-bot offline. Typ een commando (/ivb help) of een bericht aan de bot; 'exit' stopt.\n"
            )
        while True:
            if interactive:
                self.out.write("> ")
                self.out.flush()
            line = lines.readline()
            if not line:
                break
            if not self.handle(line):
                break
            self.out.flush()


def run_shell(
    app: App,
    *,
    user_id: str,
    lines: IO[str] = sys.stdin,
    out: IO[str] = sys.stdout,
    executor: ShellExecutor | None = None,
    response_url: str = "http://offline.invalid/response",
) -> None:
    Shell(app, out, user_id=user_id, executor=executor, response_url=response_url).run(lines)
