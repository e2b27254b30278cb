"""Building the process's dependencies from settings: engine, migrations, sessions, clock."""

from __future__ import annotations

import logging

from bot.clock import Clock, SystemClock
from bot.deps import Deps
from bot.settings import Settings
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade


class TokenFilter(logging.Filter):
    """Last line of defence: masks anything that looks like a Slack token in a log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        import re  # noqa: PLC0415 - only on the logging path

        message = record.getMessage()
        masked = re.sub(r"xox[abpres]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+", "xox…(verborgen)", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(TokenFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Migrations announce every step at INFO; at start-up that is noise.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    # Bolt logs the body of a request with a bad signature at INFO, and slack_sdk logs request
    # bodies at DEBUG: both may hold message texts, which must not reach the log.
    logging.getLogger("slack_bolt").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("slack_sdk").setLevel(max(logging.INFO, root.level))


def build_deps(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> Deps:
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    return Deps(
        settings=settings, engine=engine, sessions=make_session_factory(engine), clock=clock or SystemClock()
    )
