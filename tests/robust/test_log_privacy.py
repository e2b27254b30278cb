"""The log carries no tokens, no signing secret and no message texts, on every path (DEBUG level)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from bot.runtime.deps import Deps
from bot.runtime.logs import MemberIdFilter, MessageTextFilter, pseudonym
from storage.db import make_engine
from tests.conftest import SECRET, reset_postgres
from tests.fakes.slack import FakeSlack
from tests.robust.conftest import BotProcess, bot_env
from tests.support.slackclient import SlackSender
from tests.support.tcpproxy import TcpProxy

MARK = "GEHEIM7Q"  # in every text the test sends; must never reach the log
TOKEN = "xoxb-test-token"


@pytest.mark.postgres
def test_full_request_flow_logs_no_texts_or_tokens(
    postgres_url: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """Commands, DMs, clicks, forgeries, a database outage, at DEBUG: no text, token or secret logged."""
    direct = make_engine(postgres_url)
    reset_postgres(direct)
    direct.dispose()
    url = make_url(postgres_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        bot = BotProcess(bot_env(proxied, fake_slack.url, LOG_LEVEL="DEBUG"), tmp_path)
        try:
            slack = SlackSender(bot.base_url, SECRET)
            assert slack.command(f"volgende {MARK}-overleg").status == 200
            assert slack.command(f"voorstel {MARK}-titel").status == 200
            assert slack.command(f"{MARK}-onbekend").status == 200
            dm = {
                "type": "message",
                "channel_type": "im",
                "user": "U0OFFICIAL1",
                "channel": "D0OFFICIAL1",
                "text": f"agendapunt: {MARK}-dm",
                "ts": "1700000000.000200",
            }
            assert slack.event(dm).status == 200
            assert slack.block_action("onbekende_knop", f"{MARK}-waarde").status in {200, 404}  # unknown: 404
            forged = slack.post_raw(
                f"text={MARK}-vervalst",
                content_type="application/x-www-form-urlencoded",
                signature="v0=" + "0" * 64,
            )
            assert forged.status == 401
            proxy.cut()
            assert slack.command(f"volgende {MARK}-storing").status == 200
            proxy.restore()
            code, _ = bot.terminate()
        finally:
            bot.kill()
    assert code == 0
    log = bot.log
    assert "database error" in log  # the outage was logged (with its traceback) ...
    assert MARK not in log  # ... but no text the users typed
    assert TOKEN not in log
    assert SECRET not in log
    assert "U0OFFICIAL1" not in log  # member ids only as pseudonyms (erasure cannot reach a log)


def test_database_errors_do_not_carry_the_values(deps: Deps, caplog: pytest.LogCaptureFixture) -> None:
    """A database error logged with its traceback shows neither the bound values nor the failing row."""
    engine = make_engine(deps.settings.database_url)
    logger = logging.getLogger("vggbot.test")
    logger.addFilter(MessageTextFilter())
    try:
        with pytest.raises(IntegrityError) as caught, engine.begin() as conn:
            insert_duplicate(conn)
        logger.error("database error", exc_info=caught.value)
    finally:
        engine.dispose()
    assert "database error" in caplog.text
    assert "IntegrityError" in caplog.text
    assert MARK not in caplog.text


def insert_duplicate(conn: Connection) -> None:
    conn.execute(text("INSERT INTO overleg (key, name) VALUES (:k, :n)"), {"k": "ivb", "n": f"{MARK}-naam"})


def test_member_ids_are_logged_as_pseudonyms() -> None:
    """A member id in any log line (ours or a library's) is written as `lid#…`, the same mark for the
    same person, never the id: erasure cannot reach a log."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MemberIdFilter())
    logger = logging.getLogger("vggbot.test.ids")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        for _ in range(3):
            logger.info("decision refused for %s on %s", "U0AMB1XYZ", "W0GRID12345")
        logger.info("UNAUTHORIZED and WARNING stay words; C0GENERAL01 is a channel")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "U0AMB1XYZ" not in text
    assert "W0GRID12345" not in text
    assert text.count(pseudonym("U0AMB1XYZ")) == 3
    assert "UNAUTHORIZED and WARNING stay words; C0GENERAL01 is a channel" in text
