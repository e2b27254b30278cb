"""Logging: one handler on stderr (journald under systemd), tokens masked, message texts kept out of
tracebacks; LOG_FORMAT=json writes one JSON object per line for log shippers."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any


class TokenFilter(logging.Filter):
    """Last line of defence: masks anything that looks like a Slack token in a log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = re.sub(r"xox[abpres]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+", "xox…(verborgen)", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


# A Slack member id (`U012AB3CD`, `W…` on Enterprise Grid): a letter, then capitals and digits.
_MEMBER_ID = re.compile(r"\b[UW](?=[A-Z0-9]*[0-9])[A-Z0-9]{6,}\b")


def pseudonym(user_id: str) -> str:
    """`lid#3fa2c1`: the same person gives the same mark, so a log can be followed, but the id itself
    (which erasure cannot reach in a log) is not written."""
    return "lid#" + hashlib.sha256(user_id.encode()).hexdigest()[:6]


class MemberIdFilter(logging.Filter):
    """Writes Slack member ids in a log record as pseudonyms (`lid#…`), at every level."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _MEMBER_ID.sub(lambda m: pseudonym(m.group(0)), message)
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


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message and, for an error, the
    traceback as filtered by MessageTextFilter (the filters run before any formatter)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class OneLineFormatter(logging.Formatter):
    """For the one-shot commands (`vggbot digest send`, ...): an error is one line ending in the
    exception's name and first line, not a traceback; LOG_LEVEL=DEBUG shows the traceback again."""

    def format(self, record: logging.LogRecord) -> str:
        if not record.exc_info or record.exc_info[1] is None:
            return super().format(record)
        saved = record.exc_info, record.exc_text
        summary = exception_summary(record.exc_info[1])
        record.exc_info, record.exc_text = None, None
        try:
            return f"{super().format(record)} ({summary})"
        finally:
            record.exc_info, record.exc_text = saved


def exception_summary(error: BaseException) -> str:
    """`Name: first line`; Slack's error code for a Web API error (`SlackApiError: not_in_channel`)."""
    response: Any = getattr(error, "response", None)
    code = response.get("error") if hasattr(response, "get") else None
    reason = getattr(error, "reason", None)  # urllib's URLError: "[Errno 111] Connection refused"
    first = str(code or reason or "") or (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first[:200]}" if first else type(error).__name__


def configure_logging(level: str, *, json_lines: bool = False, tracebacks: bool = True) -> None:
    """The root handler. `json_lines`: LOG_FORMAT=json. `tracebacks` False: errors in one line."""
    handler = logging.StreamHandler()
    text_format = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    if json_lines:
        handler.setFormatter(JsonFormatter())
    elif tracebacks or level.upper() == "DEBUG":
        handler.setFormatter(logging.Formatter(text_format))
    else:
        handler.setFormatter(OneLineFormatter(text_format))
    handler.addFilter(TokenFilter())
    handler.addFilter(MemberIdFilter())
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
    if not tracebacks and not json_lines and root.level > logging.DEBUG:
        # One-shot commands say in Dutch what failed; slack_sdk's own lines about each retry are noise there.
        logging.getLogger("slack_sdk").setLevel(logging.CRITICAL)
