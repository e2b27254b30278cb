"""Apply the Alembic migrations (`vggbot db upgrade`, and at every start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str = "") -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`; safe to run on every start.

    On SQLite, foreign keys are off while the migrations run: a batch migration rebuilds a table (copy,
    drop, rename), and dropping the old table with foreign keys on would delete its children's rows
    (ON DELETE CASCADE). Before the commit, `PRAGMA foreign_key_check` must find nothing dangling."""
    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:  # outside any transaction, where SQLite honours it (the driver does not begin one)
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, revision)
                if sqlite:
                    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if dangling:
                        raise RuntimeError(f"migration left rows without their parent: {dangling[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def head_revision() -> str:
    """The newest revision this version of the bot knows."""
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for a database without VGG-bot's tables."""
    return MigrationContext.configure(connection).get_current_revision()
