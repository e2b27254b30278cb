"""Engine and session factory."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

SessionFactory = sessionmaker[Session]


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine tuned per backend: SQLite waits on locks and enforces foreign keys.

    `hide_parameters`: a database error's message (which reaches the log) must not carry the bound
    values, because those are titles, explanations and other message texts.
    """
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 2, "check_same_thread": False}, **kwargs)
        _begin_sqlite_transactions_for_real(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_timeout", 2)
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("connect_timeout", 2)
    return create_engine(url, connect_args=connect_args, **kwargs)


def _begin_sqlite_transactions_for_real(engine: Engine) -> None:
    """pysqlite begins a transaction late (at the first write) and in DEFERRED mode, so a read-then-write
    is not atomic, SAVEPOINTs misbehave and `FOR UPDATE` (which SQLite ignores) protects nothing. As
    SQLAlchemy's pysqlite notes recommend, the driver's own transaction handling is switched off and
    every transaction begins explicitly: IMMEDIATE (the write lock at once, so transactions that write
    run one after the other) unless the connection asks for DEFERRED (the read-only sessions)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=2000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_session_factory(engine: Engine) -> SessionFactory:
    """Sessions for work that may write: on SQLite each transaction holds the write lock from its start."""
    return sessionmaker(engine, expire_on_commit=False)


def make_read_session_factory(engine: Engine) -> SessionFactory:
    """Sessions for reading only: on SQLite they begin DEFERRED, so readers never wait for the write lock."""
    return sessionmaker(engine.execution_options(sqlite_begin="DEFERRED"), expire_on_commit=False)


def database_answers(engine: Engine) -> bool:
    """True when a query on a table succeeds: what /health reports.

    A table, not `SELECT 1`: on SQLite a pooled connection answers `SELECT 1` even while another
    process holds the file exclusively.
    """
    try:
        with engine.execution_options(sqlite_begin="DEFERRED").connect() as conn:
            conn.execute(text("SELECT 1 FROM alembic_version"))
    except Exception:
        return False
    return True
