"""A real `vggbot run --http`: the doctor's checks run in the background after the start and log what
is wrong as warnings without stopping the bot; with LOG_FORMAT=json every log line is a JSON object."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.fakes.slack import FakeSlack
from tests.robust.conftest import BotProcess, bot_env
from tests.support.slackclient import http
from tests.support.waiting import wait_for


def _logged(text: str, bot: BotProcess) -> bool:
    return text in bot.log


def test_start_up_logs_the_doctors_warnings_and_keeps_serving(
    sqlite_template: Path, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """Not a member of DIGEST_CHANNEL: a WARNING naming `/invite @VGG-bot`, and /health stays 200."""
    shutil.copy(sqlite_template, tmp_path / "bot.sqlite3")
    fake_slack.channels["C0DIGEST001"] = {"name": "vgg-digest", "is_member": False}
    env = bot_env(f"sqlite:///{tmp_path / 'bot.sqlite3'}", fake_slack.url, DIGEST_CHANNEL="C0DIGEST001")
    bot = BotProcess(env, tmp_path)
    try:
        wait_for(lambda: _logged("houdt de bot tegen", bot), timeout=20, what="the doctor's summary")
        warnings = [line for line in bot.log_lines if " WARNING vggbot.doctor: " in line]
        assert any("nodig de bot uit met `/invite @VGG-bot` in #vgg-digest" in line for line in warnings), (
            bot.log
        )
        assert http(bot.base_url + "/health", method="GET").status == 200
    finally:
        bot.terminate()
        bot.kill()


def test_json_log_lines_for_log_shippers(
    sqlite_template: Path, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """LOG_FORMAT=json: every line from start to stop is one JSON object, and none carries the token."""
    shutil.copy(sqlite_template, tmp_path / "bot.sqlite3")
    env = bot_env(f"sqlite:///{tmp_path / 'bot.sqlite3'}", fake_slack.url, LOG_FORMAT="json")
    bot = BotProcess(env, tmp_path)
    try:
        wait_for(lambda: _logged("doctor: ", bot), timeout=20, what="the doctor's summary")
    finally:
        bot.terminate()
        bot.kill()
    records = [json.loads(line) for line in bot.log_lines]
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(r["message"].startswith("VGG-bot luistert op http://") for r in records)
    assert "xoxb-test-token" not in bot.log
