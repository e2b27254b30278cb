"""`vggbot doctor`: everything a first start needs, one Dutch line per check with what to do.

✓ fine, ✗ blocks the bot (exit status 1), ! worth fixing but the bot runs. The bot runs the same
checks in the background at start-up and logs what is wrong as warnings; they never stop it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Engine

from bot.runtime.deps import Deps
from bot.runtime.doctor_checks import (
    Finding,
    check_admins,
    check_calendar,
    check_channels,
    check_database,
    check_public_health,
    check_scopes,
    check_settings,
    check_socket_mode,
    check_token,
    sqlite_file_missing,
)
from bot.runtime.settings import Settings
from bot.runtime.slack_client import make_web_client
from storage.db import make_engine, make_read_session_factory

logger = logging.getLogger("vggbot.doctor")


def findings(settings: Settings, engine: Engine, *, http: bool, now: datetime) -> Iterator[Finding]:
    """Every check in the order a first start meets them; Slack's only with a token Slack accepts."""
    yield from check_settings(settings, http=http)
    database = check_database(engine, settings.database_url)
    yield database
    if settings.slack_bot_token is not None:
        client = make_web_client(settings)
        token, scopes = check_token(client, settings)
        yield token
        if token.ok:
            yield check_scopes(scopes)
            yield from check_channels(client, settings)
            yield from check_admins(client, settings)
    if database.ok:
        with make_read_session_factory(engine)() as session:
            yield from check_calendar(session, settings, now)
    if settings.slack_bot_token is not None:
        yield check_public_health(settings) if http else check_socket_mode(settings)


def summary(found: list[Finding]) -> str:
    blocking = sum(1 for f in found if not f.ok and f.blocking)
    warnings = sum(1 for f in found if not f.ok and not f.blocking)
    if blocking:
        return f"{blocking} {'probleem houdt' if blocking == 1 else 'problemen houden'} de bot tegen."
    if warnings:
        return f"De bot kan starten; {warnings} {'punt' if warnings == 1 else 'punten'} om nog te regelen."
    return "Alles in orde: de bot kan starten."


def run_doctor(settings: Settings, *, http: bool, now: datetime | None = None) -> int:
    """`vggbot doctor [--http]`: print the lines as they come; 1 when something blocks."""
    # Without --http: HTTP mode when only HTTP mode's secret is set.
    http = http or (settings.slack_app_token is None and settings.slack_signing_secret is not None)
    if sqlite_file_missing(settings.database_url) is not None:
        engine = make_engine("sqlite://")  # never create the missing file by looking at it
    else:
        engine = make_engine(settings.database_url)
    found: list[Finding] = []
    try:
        for finding in findings(settings, engine, http=http, now=now or datetime.now(tz=settings.tz)):
            found.append(finding)
            print(finding.line(), flush=True)
    finally:
        engine.dispose()
    print(summary(found))
    return 1 if any(not f.ok and f.blocking for f in found) else 0


def log_startup_checks(deps: Deps, *, http: bool) -> list[Finding]:
    """The same checks on the running bot's database; what is wrong becomes a warning in the log."""
    found = list(findings(deps.settings, deps.engine, http=http, now=deps.clock.now()))
    for finding in found:
        if not finding.ok:
            logger.warning("doctor: %s", finding.line())
    logger.info("doctor: %s", summary(found))
    return found


def start_startup_checks(deps: Deps, *, http: bool, delay: float = 2.0) -> threading.Timer:
    """In the background, `delay` seconds after the start (HTTP mode's /health must be up first): it
    never blocks or stops the bot, whatever the checks meet. `cancel()` it when stopping."""

    def run() -> None:
        try:
            log_startup_checks(deps, http=http)
        except Exception:
            logger.warning("doctor: de controles bij het starten liepen vast", exc_info=True)

    timer = threading.Timer(delay, run)
    timer.name, timer.daemon = "doctor", True
    timer.start()
    return timer
