"""`vggbot doctor`: one Dutch line per check with the fix, against the fake Slack and a real database;
exit status 1 only when something blocks; at start-up the same checks become warnings in the log."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.runtime.deps import Deps
from bot.runtime.doctor import log_startup_checks, run_doctor
from bot.runtime.doctor_checks import REQUIRED_SCOPES
from bot.runtime.http import SlackWSGI
from bot.runtime.settings import Settings
from storage.db import make_engine
from storage.migrate import upgrade
from tests.conftest import ADMIN, AMS
from tests.fakes.slack import FakeSlack, Fault
from tests.support.factories import add_meeting

NOW = datetime(2023, 3, 1, 10, 0, tzinfo=AMS)
OVERLEGGEN = ("ivb", "kob", "3noord", "groningeragenda", "jaarkalender")


def socket_mode(settings: Settings, **changes: object) -> Settings:
    """The conftest settings for a Socket Mode start, with a review channel and one overleg channel."""
    update: dict[str, object] = {
        "slack_app_token": SecretStr("xapp-test"),
        "review_channel": "C0REVIEW001",
        "overleg_channels": {"kob": "C0KOB000001"},
        **changes,
    }
    return settings.model_copy(update=update)


@pytest.fixture
def planned(deps: Deps) -> None:
    """A coming meeting for every overleg, so the calendar check is green."""
    with deps.sessions.begin() as session:
        for key in OVERLEGGEN:
            add_meeting(session, key, NOW + timedelta(days=20))


def doctor(
    settings: Settings, capsys: pytest.CaptureFixture[str], *, http: bool = False
) -> tuple[int, list[str]]:
    status = run_doctor(settings, http=http, now=NOW)
    return status, capsys.readouterr().out.splitlines()


@pytest.mark.usefixtures("planned")
def test_everything_in_order_is_all_ticks_and_exit_0(deps: Deps, capsys: pytest.CaptureFixture[str]) -> None:
    """Settings, database, token, scopes, three channels, the secretariaat, calendar, Socket Mode: all ✓."""
    status, lines = doctor(socket_mode(deps.settings), capsys)
    assert status == 0, lines
    assert all(line.startswith("✓") for line in lines[:-1]), lines
    assert lines[-1] == "Alles in orde: de bot kan starten."
    joined = "\n".join(lines)
    for expected in (
        "Instellingen compleet (Socket Mode)",
        "Database bereikbaar en bijgewerkt",
        "Bot-token werkt",
        f"alle {len(REQUIRED_SCOPES)} rechten",
        "Lid van #c0digest001 (DIGEST_CHANNEL)",
        "Lid van #c0review001 (REVIEW_CHANNEL)",
        "Lid van #c0kob000001 (OVERLEG_CHANNELS kob)",
        f"Secretariaat gevonden: {ADMIN}",
        "Socket Mode: Slack geeft een verbinding",
    ):
        assert expected in joined


@pytest.mark.usefixtures("planned")
def test_not_a_member_says_how_to_invite_and_blocks(
    deps: Deps, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    """A configured channel without the bot: ✗ with `/invite @VGG-bot` in that channel, exit 1."""
    fake_slack.channels["C0DIGEST001"] = {"name": "vgg-digest", "is_member": False}
    status, lines = doctor(socket_mode(deps.settings), capsys)
    assert status == 1
    assert (
        "✗ VGG-bot is geen lid van #vgg-digest (DIGEST_CHANNEL): "
        "nodig de bot uit met `/invite @VGG-bot` in #vgg-digest"
    ) in lines
    assert lines[-1] == "1 probleem houdt de bot tegen."


@pytest.mark.usefixtures("planned")
def test_a_missing_scope_says_reinstall(
    deps: Deps, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    """A token installed before channels:read was added: ✗ naming the scope and the reinstall, exit 1."""
    fake_slack.scopes = tuple(scope for scope in REQUIRED_SCOPES if scope != "channels:read")
    status, lines = doctor(socket_mode(deps.settings), capsys)
    assert status == 1
    (line,) = [line for line in lines if "Rechten" in line]
    assert line.startswith("✗ Rechten ontbreken: channels:read: ")
    assert "installeer de app opnieuw" in line


def test_unknown_channel_admin_and_empty_overleggen(
    deps: Deps, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    """A channel Slack does not know and an admin who does not exist block; overleggen without meetings
    or a source are a ! each (the bot runs, but /ivb volgende has nothing to say)."""
    fake_slack.missing_channels.add("C0KOB000001")
    fake_slack.missing_users.add(ADMIN)
    status, lines = doctor(socket_mode(deps.settings), capsys)
    assert status == 1
    joined = "\n".join(lines)
    assert "✗ Kanaal C0KOB000001 (OVERLEG_CHANNELS kob) niet gevonden (channel_not_found)" in joined
    assert f"✗ ADMIN_USER_IDS: {ADMIN} bestaat niet (user_not_found)" in joined
    assert "! Overleg ivb heeft geen komende vergaderingen en geen agendabron: importeer de agenda" in joined
    assert sum(line.startswith("! Overleg") for line in lines) == len(OVERLEGGEN)
    assert lines[-1] == "2 problemen houden de bot tegen."


def test_a_refused_token_stops_the_slack_checks(
    deps: Deps, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    """auth.test says invalid_auth: one ✗ for the token; scopes, channels and members are not asked."""
    fake_slack.fail_next("auth.test", Fault(200, body={"ok": False, "error": "invalid_auth"}))
    status, lines = doctor(socket_mode(deps.settings), capsys)
    assert status == 1
    assert any(line.startswith("✗ Slack weigert het bot-token (invalid_auth)") for line in lines)
    assert fake_slack.calls_to("conversations.info") == []
    assert fake_slack.calls_to("users.info") == []


def test_missing_settings_are_named(deps: Deps, capsys: pytest.CaptureFixture[str]) -> None:
    """Neither an app token nor a signing secret (so Socket Mode), and no admins: a ✗ for each."""
    settings = deps.settings.model_copy(update={"admin_user_ids": (), "slack_signing_secret": None})
    status, lines = doctor(settings, capsys, http=False)
    assert status == 1
    joined = "\n".join(lines)
    assert "✗ SLACK_APP_TOKEN ontbreekt voor Socket Mode" in joined
    assert "✗ ADMIN_USER_IDS is leeg" in joined


def test_http_mode_asks_the_public_health(
    deps: Deps, server: SlackWSGI, capsys: pytest.CaptureFixture[str], planned: None
) -> None:
    """HTTP mode: PUBLIC_URL/health answering is a ✓; a PUBLIC_URL where nothing listens is a ✗."""
    base = server.base_url  # type: ignore[attr-defined]
    status, lines = doctor(deps.settings.model_copy(update={"public_url": base}), capsys, http=True)
    assert status == 0, lines
    assert f"✓ {base}/health antwoordt" in lines
    status, lines = doctor(
        deps.settings.model_copy(update={"public_url": "http://127.0.0.1:9"}), capsys, http=True
    )
    assert status == 1
    assert any(line.startswith("✗ http://127.0.0.1:9/health antwoordt niet") for line in lines)


def test_sqlite_file_that_does_not_exist_is_not_created(
    deps: Deps, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A DATABASE_URL naming a missing SQLite file: ✗ with `vggbot db upgrade`, and the file stays absent."""
    missing = tmp_path / "nieuw" / "vggbot.sqlite3"
    status, lines = doctor(deps.settings.model_copy(update={"database_url": f"sqlite:///{missing}"}), capsys)
    assert status == 1
    assert f"✗ Database-bestand {missing} bestaat nog niet: draai `vggbot db upgrade`" in lines
    assert not missing.exists()


def test_empty_and_outdated_databases_say_upgrade(
    deps: Deps, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database without tables, and one at an older revision, each get `vggbot db upgrade`."""
    empty = tmp_path / "leeg.sqlite3"
    sqlite3.connect(empty).close()
    _, lines = doctor(deps.settings.model_copy(update={"database_url": f"sqlite:///{empty}"}), capsys)
    assert "✗ Database (sqlite) heeft nog geen tabellen: draai `vggbot db upgrade`" in lines
    old = tmp_path / "oud.sqlite3"
    engine = make_engine(f"sqlite:///{old}")
    upgrade(engine, "0001")
    engine.dispose()
    _, lines = doctor(deps.settings.model_copy(update={"database_url": f"sqlite:///{old}"}), capsys)
    assert any(line.startswith("✗ Database staat op revisie 0001, deze versie wil ") for line in lines)


def test_unreachable_postgresql_says_how_to_create_role_and_database(
    deps: Deps, capsys: pytest.CaptureFixture[str]
) -> None:
    """PostgreSQL that does not answer: ✗ with createuser / createdb and `vggbot db upgrade`."""
    url = "postgresql+psycopg://vggbot:geheim@127.0.0.1:9/vggbot"
    status, lines = doctor(deps.settings.model_copy(update={"database_url": url}), capsys)
    assert status == 1
    (line,) = [line for line in lines if "Database" in line]
    assert line.startswith("✗ Database niet bereikbaar (OperationalError")
    assert "sudo -u postgres createuser --pwprompt vggbot" in line
    assert "geheim" not in line


def test_start_up_logs_the_problems_as_warnings_and_never_raises(
    deps: Deps, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """At start-up a not-a-member channel becomes a WARNING line; an unreachable Slack is a warning too."""
    caplog.set_level(logging.INFO, logger="vggbot.doctor")
    fake_slack.channels["C0DIGEST001"] = {"name": "vgg-digest", "is_member": False}
    deps.settings = socket_mode(deps.settings)
    log_startup_checks(deps, http=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("`/invite @VGG-bot` in #vgg-digest" in message for message in warnings)
    caplog.clear()
    deps.settings = deps.settings.model_copy(update={"slack_api_url": "http://127.0.0.1:9/api/"})
    log_startup_checks(deps, http=False)
    assert any(
        "Slack is niet bereikbaar" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
    )
