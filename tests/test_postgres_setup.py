"""A newcomer's PostgreSQL: a VGGBOT_TEST_DATABASE_URL whose database does not exist yet is created and
the PostgreSQL tests run; a server that cannot be used stops the run with the exact reason, instead of
skipping hundreds of tests as "not reachable"; test databases carry VGGBOT_TEST_DB_PREFIX."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import make_engine
from tests.support.paths import ROOT
from tests.support.postgres import PREFIX_ENV, drop_database, ensure_database, new_name, prefix


def _pytest(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VGGBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _exists(server: str, name: str) -> bool:
    engine = make_engine(server)
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
    finally:
        engine.dispose()
    return found == 1


@pytest.mark.postgres
def test_a_database_that_does_not_exist_is_created_and_the_tests_run(postgres_server: str) -> None:
    """The suite, pointed at a database nobody created, creates it and runs its PostgreSQL tests."""
    name = new_name("nieuw_")
    url = make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    try:
        result = _pytest({"VGGBOT_TEST_DATABASE_URL": url}, "tests/storage/test_migrations.py")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "2 passed" in result.stdout, result.stdout
        assert "skipped" not in result.stdout
        assert _exists(postgres_server, name)
        assert ensure_database(url) == ""  # and it is fine to find it there next time
    finally:
        drop_database(postgres_server, name)


def test_a_server_that_cannot_be_used_stops_the_run_with_the_reason() -> None:
    """Nothing listening at the URL's port: the run stops (exit 4) saying so, no mass of skips."""
    url = "postgresql+psycopg://postgres@127.0.0.1:9/test"
    assert ensure_database(url).startswith("cannot connect to PostgreSQL at 127.0.0.1:9 as postgres: ")
    result = _pytest({"VGGBOT_TEST_DATABASE_URL": url}, "tests/storage/test_migrations.py")
    assert result.returncode == 4
    output = result.stdout + result.stderr
    assert "VGGBOT_TEST_DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:9 as postgres" in output
    assert "skipped" not in output


def test_test_database_names_take_the_configured_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    """VGGBOT_TEST_DB_PREFIX names every test database; a prefix that is no safe name is refused."""
    monkeypatch.delenv(PREFIX_ENV, raising=False)  # the run itself may have set one
    assert new_name().startswith("vggbot_test_")
    monkeypatch.setenv(PREFIX_ENV, "ci_run7_")
    assert prefix() == "ci_run7_"
    assert new_name("upgrade_").startswith("ci_run7_upgrade_")
    monkeypatch.setenv(PREFIX_ENV, 'x"; DROP DATABASE postgres; --')
    with pytest.raises(ValueError, match=PREFIX_ENV):
        prefix()
