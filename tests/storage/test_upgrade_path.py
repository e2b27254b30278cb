"""Upgrading keeps the data: from EVERY earlier Alembic revision to head, with rows in every table, on
SQLite and PostgreSQL. Generic over `storage/migrations/versions`, so a new migration is covered
without touching this file: the rows are made from the schema as it was at that revision."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, MetaData, Table, func, insert, inspect, select
from sqlalchemy import types as sqltypes
from sqlalchemy.orm import Session

from storage.db import make_engine
from storage.migrate import alembic_config, head_revision, upgrade
from storage.models import Base
from tests.support.postgres import create_database, drop_database, new_name

HEAD = head_revision()
EARLIER = [
    script.revision
    for script in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
    if script.revision != HEAD
]
ROWS_PER_TABLE = 2
# Tables a migration may legitimately empty or rewrite (a data migration says so here).
ROWS_MAY_CHANGE: set[str] = set()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without any table: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    server: str = request.getfixturevalue("postgres_server")
    name = new_name("upgrade_")
    yield create_database(server, name)
    drop_database(server, name)


def _value(column: Column[Any], i: int, keys: dict[str, list[Any]]) -> Any:
    """A plausible value for `column` in row `i`: the parent's key for a foreign key, the first member
    for what the models call an enum, else one by type (distinct per row, for unique keys)."""
    for fk in column.foreign_keys:
        parents = keys.get(fk.column.table.name) or [None]
        return parents[i % len(parents)]
    model_table = Base.metadata.tables.get(str(column.table.name))
    model_column = model_table.columns.get(column.name) if model_table is not None else None
    if model_column is not None and isinstance(model_column.type, sqltypes.Enum):
        return model_column.type.enums[0]
    kind = column.type
    if isinstance(kind, sqltypes.Boolean):
        return bool(i % 2)
    if isinstance(kind, sqltypes.Integer):
        return 1000 + i
    if isinstance(kind, sqltypes.DateTime):
        return datetime(2023, 3, 1, 10, 0, tzinfo=UTC) + timedelta(days=i)
    if isinstance(kind, sqltypes.Time):
        return time(10, 0)
    if isinstance(kind, sqltypes.Date):
        return date(2023, 3, 1) + timedelta(days=i)
    if isinstance(kind, sqltypes.JSON):
        return {"stap": i}
    if isinstance(kind, sqltypes.Numeric | sqltypes.Float):
        return i
    if isinstance(kind, sqltypes.String):
        text = f"{column.name}-{i}"
        return text[-kind.length :] if kind.length else text
    pytest.fail(f"no test value for {column.table.name}.{column.name} ({kind!r}); teach _value")


def _assigned_by_the_database(table: Table, column: Column[Any]) -> bool:
    if not column.primary_key or len(table.primary_key.columns) != 1:
        return False
    if not isinstance(column.type, sqltypes.Integer):
        return False
    model_table = Base.metadata.tables.get(str(table.name))
    model_column = model_table.columns.get(column.name) if model_table is not None else None
    return model_column is None or model_column.autoincrement is not False


def fill_every_table(engine: Engine) -> dict[str, int]:
    """Two rows in every table as the schema is now, parents first; the row count per table."""
    schema = MetaData()
    schema.reflect(engine)
    keys: dict[str, list[Any]] = {}
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in schema.sorted_tables:
            if table.name == "alembic_version":
                continue
            for i in range(ROWS_PER_TABLE):
                row = {
                    c.name: _value(c, i, keys)
                    for c in table.columns
                    if not _assigned_by_the_database(table, c)
                }
                conn.execute(insert(table).values(row))
            counts[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            if len(table.primary_key.columns) == 1:
                (pk,) = table.primary_key.columns
                keys[table.name] = list(conn.execute(select(pk).order_by(pk)).scalars())
    return counts


@pytest.mark.parametrize("revision", EARLIER)
def test_upgrade_from_every_earlier_revision_keeps_the_rows(empty_database: str, revision: str) -> None:
    """At `revision`, two rows in every table; after `db upgrade` every row is still there, every model
    reads its rows, and the schema is exactly the models'."""
    engine = make_engine(empty_database)
    try:
        upgrade(engine, revision)
        before = fill_every_table(engine)
        assert before, f"revision {revision} has no tables to fill"
        upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            for name, count in before.items():
                if name in tables and name not in ROWS_MAY_CHANGE:
                    table = Table(name, MetaData(), autoload_with=conn)
                    assert conn.execute(select(func.count()).select_from(table)).scalar_one() == count, name
            differences = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
        assert differences == []
        with Session(engine) as session:
            for mapper in Base.registry.mappers:
                session.scalars(select(mapper.class_)).all()  # every stored value reads back
    finally:
        engine.dispose()


def test_every_revision_but_head_is_tested() -> None:
    """The list comes from Alembic's own history, oldest first, so a new migration adds a case by itself."""
    assert EARLIER
    assert HEAD not in EARLIER
    assert EARLIER[0] == "0001"
