"""Logging: one handler, tokens masked, message texts kept out of tracebacks."""

from __future__ import annotations

import logging
import re


class TokenFilter(logging.Filter):
    """Last line of defence: masks anything that looks like a Slack token in a log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = re.sub(r"xox[abpres]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+", "xox…(verborgen)", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class MessageTextFilter(logging.Filter):
    """Keeps stored texts out of logged tracebacks.

    SQLAlchemy hides bound parameters (`hide_parameters`), but PostgreSQL itself echoes the
    failing row or key in an error's DETAIL ("Failing row contains (…, <title>, …)"); those lines
    are cut from the traceback text before any handler formats it.
    """

    _detail = re.compile(r"^(\s*)(DETAIL|Failing row contains|Key \().*$", re.MULTILINE)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = self._detail.sub(r"\1\2 (weggelaten: kan berichttekst bevatten)", text)
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(TokenFilter())
    handler.addFilter(MessageTextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Migrations announce every step at INFO; at start-up that is noise.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    # Bolt logs the body of a request with a bad signature at INFO, and slack_sdk logs request
    # bodies at DEBUG: both may hold message texts, which must not reach the log.
    # The App logs through "vggbot.bolt" (see create_app): at DEBUG it writes every response body.
    for name in ("slack_bolt", "vggbot.bolt"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    logging.getLogger("slack_sdk").setLevel(max(logging.INFO, root.level))
