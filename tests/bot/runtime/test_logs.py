"""Logging: LOG_FORMAT=json gives one JSON object per line, still without tokens or message texts; the
one-shot commands log an error in one line."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot.runtime.logs import configure_logging


@pytest.fixture
def root_logging() -> Iterator[None]:
    """configure_logging replaces the root handlers; put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _database_error() -> Exception:
    try:
        raise RuntimeError(
            "new row violates check constraint\nDETAIL:  Failing row contains (7, Geheime titel).\n"
        )
    except RuntimeError as exc:
        return exc


@pytest.mark.usefixtures("root_logging")
def test_json_lines_carry_no_token_and_no_stored_text(capsys: pytest.CaptureFixture[str]) -> None:
    """Each record is one JSON object; a token is masked and PostgreSQL's DETAIL (a row's text) is cut."""
    configure_logging("INFO", json_lines=True)
    log = logging.getLogger("vggbot.test")
    log.info("token xoxb-1234-5678-abcdef gebruikt")
    log.error("opslaan mislukt", exc_info=_database_error())
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO"
    assert first["logger"] == "vggbot.test"
    assert "xoxb-1234" not in first["message"]
    assert first["time"].endswith("+00:00")
    assert second["message"] == "opslaan mislukt"
    assert "Traceback" in second["exception"]
    assert "Geheime titel" not in second["exception"]
    assert "DETAIL (weggelaten" in second["exception"]


@pytest.mark.usefixtures("root_logging")
def test_one_shot_commands_log_an_error_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Without tracebacks an error is one line ending in the exception's name and first line."""
    configure_logging("INFO", tracebacks=False)
    logging.getLogger("vggbot.test").error("opslaan mislukt", exc_info=_database_error())
    (line,) = capsys.readouterr().err.splitlines()
    assert line.endswith("opslaan mislukt (RuntimeError: new row violates check constraint)")
