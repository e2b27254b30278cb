"""Shared fixtures: a real database (SQLite always, PostgreSQL when configured), a fixed clock,
the fake Slack Web API on loopback, and the bot served over HTTP by its production server."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, insert, text

from bot.runtime.app import create_app
from bot.runtime.clock import FixedClock
from bot.runtime.deps import Deps
from bot.runtime.http import HttpServer, SlackWSGI
from bot.runtime.metrics import Metrics, use
from bot.runtime.settings import Settings
from bot.runtime.slack_client import make_web_client
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Base, Overleg
from tests.fakes.slack import FakeSlack
from tests.support.postgres import PG_ENV, create_database, drop_database, ensure_database, new_name, prefix
from tests.support.slackclient import SlackSender

AMS = ZoneInfo("Europe/Amsterdam")
SECRET = "test-signing-secret-0123456789"
ADMIN = "U0ADMIN0001"
OFFICIAL = "U0OFFICIAL1"


def _default_overleggen() -> list[dict[str, Any]]:
    """The overleggen as the migrations leave them (PostgreSQL tests reset to these)."""
    from importlib import import_module

    initial = import_module("storage.migrations.versions.0001_initial")
    calendar = import_module("storage.migrations.versions.0004_calendar")
    short = import_module("storage.migrations.versions.0007_short_name")
    return [
        {
            **row,
            "deadline_working_days": calendar.working_days(row["deadline_days"]),
            "short_name": short.SHORT_NAMES.get(row["key"], ""),
        }
        for row in initial.DEFAULT_OVERLEGGEN
    ]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating every test would be slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With VGGBOT_TEST_DATABASE_URL set and PostgreSQL tests to run: create its database if it does not
    exist yet, or stop the run with the exact reason (a wrong password is no reason to skip hundreds)."""
    base = os.environ.get(PG_ENV)
    if not base or not any(item.get_closest_marker("postgres") for item in items):
        return
    try:
        prefix()
    except ValueError as exc:
        pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)
    reason = ensure_database(base)
    if reason:
        pytest.exit(f"{PG_ENV}: {reason}", returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """VGGBOT_TEST_DATABASE_URL (its database exists: see pytest_collection_modifyitems)."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    return base


@pytest.fixture(scope="session")
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated once, dropped at the end."""
    name = new_name()
    url = create_database(postgres_server, name)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    drop_database(postgres_server, name)


def reset_postgres(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(insert(Overleg.__table__), _default_overleggen())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """Each test that uses the database runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "vggbot.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    reset_postgres(engine)
    engine.dispose()
    return url


@pytest.fixture(autouse=True)
def metrics() -> Iterator[Metrics]:
    """A fresh metrics registry for each test, so counts never leak from one test into another."""
    fresh = Metrics()
    previous = use(fresh)
    yield fresh
    use(previous)


@pytest.fixture
def clock() -> FixedClock:
    """Wednesday 1 March 2023, 10:00 in Groningen: before the seed's IVB of 20 March."""
    return FixedClock(datetime(2023, 3, 1, 10, 0, tzinfo=AMS))


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-test-token"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake_slack.url,
        database_url=database_url,
        admin_user_ids=(ADMIN,),
        digest_channel="C0DIGEST001",
    )


@pytest.fixture
def deps(settings: Settings, clock: FixedClock) -> Iterator[Deps]:
    engine = make_engine(settings.database_url)
    deps = Deps(settings=settings, engine=engine, sessions=make_session_factory(engine), clock=clock)
    yield deps
    deps.answers.close()  # the change watcher's own connection (and thread, on PostgreSQL)
    engine.dispose()


@pytest.fixture
def bolt_app(deps: Deps) -> Iterator[Any]:
    """The app; its lazy listeners (work after the acknowledgement) run on a pool that is drained
    at teardown, before the fake Slack and the database go away."""
    executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lazy")
    yield create_app(deps, client=make_web_client(deps.settings), listener_executor=executor)
    executor.shutdown(wait=True)


@pytest.fixture
def server(bolt_app: Any, deps: Deps) -> Iterator[SlackWSGI]:
    """The bot served by waitress on a free loopback port, as in `vggbot run --http`."""
    wsgi = SlackWSGI(bolt_app, deps)
    srv = HttpServer(wsgi, host="127.0.0.1", port=0, threads=4, poll=0.05)
    thread = threading.Thread(target=srv.serve, daemon=True)
    thread.start()
    wsgi.base_url = f"http://127.0.0.1:{srv.port}"  # type: ignore[attr-defined]
    yield wsgi
    srv.stop()
    thread.join(timeout=5)


@pytest.fixture
def slack(server: SlackWSGI) -> SlackSender:
    """Sends signed requests to the running bot."""
    return SlackSender(server.base_url, SECRET)  # type: ignore[attr-defined]
