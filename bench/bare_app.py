"""The floor: a bare Bolt app served exactly like VGG-bot, answering `/ivb` at once with a fixed text.

Run as `python -m bench.bare_app --port N` with SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_API_URL
set. It uses the bot's own server (bot.http.HttpServer + SlackWSGI), thread count and App settings, so
the difference to VGG-bot is what VGG-bot itself adds: its listeners, its database and its formatting.
"""

from __future__ import annotations

import argparse
import logging
import signal
from types import FrameType
from typing import Any

from slack_bolt import Ack, App

from bot.runtime.app import new_bolt_app
from bot.runtime.clock import SystemClock
from bot.runtime.deps import Deps
from bot.runtime.http import HttpServer, SlackWSGI
from bot.runtime.settings import load_settings
from bot.runtime.slack_client import make_web_client
from storage.db import make_engine, make_session_factory

FIXED_TEXT = "Hallo! Dit is het vaste antwoord van de kale Bolt-app."


def create_bare_app(secret: str, client: Any) -> App:
    """The same App settings as bot.app.create_app, with one /ivb listener and a no-op Home listener."""
    app = new_bolt_app(client=client, signing_secret=secret, logger=logging.getLogger("bench.bare"))

    @app.command("/ivb")
    def ivb(ack: Ack) -> None:
        ack(response_type="ephemeral", text=FIXED_TEXT)

    @app.event("app_home_opened")
    def home(ack: Ack) -> None:
        ack()

    return app


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.bare_app")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    settings = load_settings()
    assert settings.slack_signing_secret is not None, "SLACK_SIGNING_SECRET is required"
    app = create_bare_app(settings.slack_signing_secret.get_secret_value(), make_web_client(settings))
    # /health asks the same (migrated) database as the bot's, so both servers do the same work there.
    engine = make_engine(settings.database_url)
    deps = Deps(settings=settings, engine=engine, sessions=make_session_factory(engine), clock=SystemClock())
    server = HttpServer(SlackWSGI(app, deps), host=args.host, port=args.port, threads=settings.http_threads)

    def stop(_signum: int, _frame: FrameType | None) -> None:
        server.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
