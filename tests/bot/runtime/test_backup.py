"""`vggbot db backup FILE`: a backup taken while the bot runs, restored and read back, on SQLite
(SQLite's online backup API) and on PostgreSQL (pg_dump, restored with pg_restore)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.runtime.backup import backup
from bot.runtime.cli_commands import report_open
from bot.runtime.deps import Deps
from bot.runtime.settings import Settings
from storage.db import make_engine, make_session_factory
from tests.conftest import AMS, OFFICIAL
from tests.support.factories_open import add_action, add_proposal
from tests.support.postgres import new_name

CREATED = datetime(2023, 2, 20, 12, 0, tzinfo=AMS)


def report(deps: Deps) -> list[dict[str, str]]:
    out = io.StringIO()
    assert report_open(deps, overleg_key=None, out=out) == 0
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def restore(deps: Deps, backup_file: Path, tmp_path: Path) -> tuple[str, str | None]:
    """Where the backup was restored (a URL), and the PostgreSQL database to drop afterwards."""
    url = make_url(deps.settings.database_url)
    if url.get_backend_name() == "sqlite":
        restored = tmp_path / "teruggezet.sqlite3"
        shutil.copy(backup_file, restored)  # docs/beheer.md: put the file in place of the database
        return f"sqlite:///{restored}", None
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        pytest.skip("pg_restore is not installed (Debian: apt-get install postgresql-client)")
    name = new_name("restore_")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    target = url.set(database=name)
    connection = [
        f"--host={url.host or 'localhost'}",
        f"--port={url.port or 5432}",
        f"--username={url.username}",
    ]
    env = {**os.environ, "PGPASSWORD": str(url.password or "")}
    subprocess.run(
        [pg_restore, *connection, "--no-owner", f"--dbname={name}", str(backup_file)],
        check=True,
        capture_output=True,
        timeout=60,
        env=env,
    )
    return target.render_as_string(hide_password=False), name


def test_backup_restores_and_reads_back(
    deps: Deps, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup of a database with open items, restored elsewhere, gives the same report."""
    if make_url(deps.settings.database_url).get_backend_name() == "postgresql" and not shutil.which(
        "pg_dump"
    ):
        pytest.skip("pg_dump is not installed")
    with deps.sessions.begin() as session:
        add_proposal(session, "ivb", "Cameratoezicht", OFFICIAL, created=CREATED)
        add_action(session, "kob", "Notitie rondsturen", OFFICIAL, created=CREATED)
    target = tmp_path / "vggbot-20260301.backup"
    assert backup(deps.settings, str(target)) == 0
    assert f"geschreven naar {target}" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    url, dropped = restore(deps, target, tmp_path)
    engine = make_engine(url)
    try:
        restored = Deps(
            settings=deps.settings, engine=engine, sessions=make_session_factory(engine), clock=deps.clock
        )
        assert report(restored) == report(deps)
        assert [r["omschrijving"] for r in report(restored)] == ["Cameratoezicht", "Notitie rondsturen"]
    finally:
        engine.dispose()
        if dropped is not None:
            admin = create_engine(deps.settings.database_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)'))
            admin.dispose()


def test_sqlite_backup_refuses_the_database_itself_and_a_missing_source(
    sqlite_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Backing up onto the live file, or from a file that is not there: exit 2, nothing written."""
    live = tmp_path / "vggbot.sqlite3"
    shutil.copy(sqlite_template, live)
    assert backup(Settings(_env_file=None, database_url=f"sqlite:///{live}"), str(live)) == 2  # type: ignore[call-arg]
    missing = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'weg.sqlite3'}")  # type: ignore[call-arg]
    assert backup(missing, str(tmp_path / "kopie.sqlite3")) == 2
    err = capsys.readouterr().err
    assert "dat is de database zelf" in err
    assert "bestaat niet" in err
    assert not (tmp_path / "weg.sqlite3").exists()
    assert not (tmp_path / "kopie.sqlite3").exists()


def test_without_pg_dump_the_command_is_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """PostgreSQL without pg_dump installed: exit 2 and the pg_dump command to run, without the password."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump on it
    url = "postgresql+psycopg://vggbot:geheim@db.example.nl:5433/vggbot"
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    assert backup(settings, "/var/backups/vggbot/x.dump") == 2
    err = capsys.readouterr().err
    assert (
        "pg_dump --format=custom --file=/var/backups/vggbot/x.dump --host=db.example.nl --port=5433 "
        "--username=vggbot vggbot"
    ) in err
    assert "geheim" not in err
