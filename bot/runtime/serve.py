"""Serving: the offline shell, HTTP mode (waitress) and Socket Mode, each with the scheduler, and a
graceful stop on SIGTERM (requests and posts in flight finish; nothing promised is dropped)."""

from __future__ import annotations

import logging
import signal
import sys
from functools import partial
from types import FrameType

from pydantic import SecretStr
from slack_bolt import App

from bot.calendar_io.feed import feed_routes
from bot.calendar_io.sync import MATCH_BY_TITLE
from bot.offline.demo import load_demo
from bot.offline.shell import ShellExecutor, run_shell
from bot.offline.web_api import OfflineWebApi, print_call
from bot.runtime.app import OFFLINE_TOKEN, create_app
from bot.runtime.deps import Deps
from bot.runtime.doctor import start_startup_checks
from bot.runtime.http import HttpServer, SlackWSGI
from bot.runtime.settings import SettingsError
from bot.runtime.slack_client import make_posting_client, make_web_client
from bot.runtime.socketmode import SocketModeRunner
from bot.schedule.calendar_sync import calendar_health
from bot.schedule.scheduler import add_outbox_poll, start_scheduler, stop_scheduler
from bot.services.overleggen import read_overleggen
from bot.services.reminders import apply_overleg_channels
from storage.db import QueryWatchdog

logger = logging.getLogger("vggbot")

# Slack waits 3 s for an answer: a database call still waiting after this is given up.
DATABASE_WAIT_SECONDS = 2.0


def shell(deps: Deps, user: str) -> int:
    """The offline shell: the same handlers and WebClient as in Slack; the Web API stand-in prints."""
    settings = deps.settings
    user_id = user or (settings.admin_user_ids[0] if settings.admin_user_ids else "USHELL0001")
    with deps.sessions.begin() as session:
        added = load_demo(session=session, now=deps.clock.now(), tz=settings.tz)
    if added and sys.stdin.isatty():
        print(f"(democalender geladen: {added} vergaderingen)")
    with OfflineWebApi(on_call=lambda call: print_call(sys.stdout, call)) as web_api:
        update: dict[str, object] = {
            "slack_api_url": web_api.url,
            "slack_bot_token": SecretStr(OFFLINE_TOKEN),
        }
        if not settings.admin_user_ids:
            # Offline, the person at the keyboard is the secretariaat, so every feature can be tried.
            update["admin_user_ids"] = (user_id,)
        deps.settings = settings.model_copy(update=update)
        executor = ShellExecutor()
        app = create_app(deps, client=make_web_client(deps.settings), listener_executor=executor)
        run_shell(app, user_id=user_id, executor=executor, response_url=web_api.response_url)
    return 0


def run(deps: Deps, *, http: bool, host: str, port: int) -> int:
    """`vggbot run [--http]`: the bot in Slack; the offline shell when no token is set."""
    settings = deps.settings
    if not settings.has_slack_tokens:
        print(
            "Geen SLACK_BOT_TOKEN ingesteld: de offline shell start. Zie README voor de Slack-app.",
            file=sys.stderr,
        )
        return shell(deps, "")
    if http and settings.slack_signing_secret is None:
        raise SettingsError("SLACK_SIGNING_SECRET: nodig voor de HTTP-modus")
    if not http and settings.slack_app_token is None:
        raise SettingsError("SLACK_APP_TOKEN: nodig voor Socket Mode (of start met --http)")
    if settings.overleg_channels:
        with deps.sessions.begin() as session:
            unknown = apply_overleg_channels(session=session, channels=settings.overleg_channels)
        if unknown:
            raise SettingsError(f"OVERLEG_CHANNELS: onbekend overleg {', '.join(unknown)}")
    with deps.sessions() as session:
        known = {overleg.key for overleg in read_overleggen(session=session)} | {MATCH_BY_TITLE}
    unknown = sorted(set(settings.calendar_sources) - known)
    if unknown:
        raise SettingsError(
            f"CALENDAR_SOURCES: onbekend overleg {', '.join(unknown)} (gebruik een sleutel, of *)"
        )
    app = create_app(deps)
    checks = start_startup_checks(deps, http=http)  # `vggbot doctor`'s checks, logged as warnings
    # A PostgreSQL server that hangs with connections open: calls are cut after this, so requests answer.
    watchdog = QueryWatchdog(deps.engine, limit=DATABASE_WAIT_SECONDS) if _postgres(deps) else None
    try:
        return _serve_http(deps, app, host, port) if http else _serve_socket(deps, app, host)
    finally:
        checks.cancel()
        deps.followups.shutdown()
        if watchdog is not None:
            watchdog.stop()


def _postgres(deps: Deps) -> bool:
    return deps.engine.dialect.name == "postgresql"


def _serve_http(deps: Deps, app: App, host: str, port: int) -> int:
    routes, prefixed = feed_routes(sessions=deps.sessions, clock_now=deps.clock.now, tz=deps.settings.tz)
    wsgi = SlackWSGI(
        app, deps, get_routes=routes, prefix_routes=prefixed, health_details=[partial(calendar_health, deps)]
    )
    server = HttpServer(wsgi, host=host, port=port, threads=deps.settings.http_threads)

    def stop(_signum: int, _frame: FrameType | None) -> None:
        logger.info("stoppen: lopende verzoeken worden afgemaakt")
        server.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler = start_scheduler(deps, make_posting_client(deps.settings))
    add_outbox_poll(scheduler, deps)
    logger.info("VGG-bot luistert op http://%s:%s/slack/events", host, server.port)
    try:
        server.serve()
    finally:
        stop_scheduler(scheduler)  # waits for a post in progress, so no claim is left behind
    logger.info("gestopt")
    return 0


def _serve_socket(deps: Deps, app: App, host: str) -> int:
    settings = deps.settings
    assert settings.slack_app_token is not None
    runner = SocketModeRunner(
        app,
        deps,
        app_token=settings.slack_app_token.get_secret_value(),
        health_host=host,
        health_port=settings.health_port,
        health_details=[partial(calendar_health, deps)],
    )

    def stop(_signum: int, _frame: FrameType | None) -> None:
        logger.info("stoppen: de Socket Mode-verbinding wordt gesloten")
        runner.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler = start_scheduler(deps, make_posting_client(settings))
    add_outbox_poll(scheduler, deps)
    try:
        logger.info("VGG-bot maakt verbinding via Socket Mode")
        runner.start()
        runner.wait()
    finally:
        stop_scheduler(scheduler)  # waits for a post in progress, so no claim is left behind
        runner.close()
    logger.info("gestopt")
    return 0
