"""Engine and session factory."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, ExceptionContext
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

SessionFactory = sessionmaker[Session]


logger = logging.getLogger(__name__)

# A statement or lock wait longer than this fails instead of holding a request: Slack gives up after 3 s.
STATEMENT_TIMEOUT_MS = 2500


def make_engine(url: str, *, statement_timeout_ms: int = STATEMENT_TIMEOUT_MS, **kwargs: Any) -> Engine:
    """An engine tuned per backend: SQLite waits on locks and enforces foreign keys.

    `hide_parameters`: a database error's message (which reaches the log) must not carry the bound
    values, because those are titles, explanations and other message texts.
    """
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 2, "check_same_thread": False}, **kwargs)
        _begin_sqlite_transactions_for_real(engine)
        return _tell_unknown_commits(engine)
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_timeout", 2)
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("connect_timeout", 2)
    # A server that freezes with connections open (SIGSTOP, a hung disk, a silent network): unacknowledged
    # data fails after tcp_user_timeout, an idle connection's keepalives fail within ~9 s, and
    # statement_timeout / lock_timeout end a query that waits too long. Everything answers within 3 s.
    connect_args.setdefault("keepalives", 1)
    connect_args.setdefault("keepalives_idle", 5)
    connect_args.setdefault("keepalives_interval", 2)
    connect_args.setdefault("keepalives_count", 2)
    connect_args.setdefault("tcp_user_timeout", 3000)
    if statement_timeout_ms:
        options = (
            f"-c statement_timeout={statement_timeout_ms} -c lock_timeout={min(statement_timeout_ms, 2000)}"
        )
        connect_args.setdefault("options", options)
    return _tell_unknown_commits(create_engine(url, connect_args=connect_args, **kwargs))


class CommitOutcomeUnknown(OperationalError):
    """The connection was lost while COMMIT was on its way: the server may have committed or not.

    What the user is told must say so: "nothing was stored" may be untrue (the chaos run saw it: the
    server committed, the reset came before its answer, and the user read that nothing was saved)."""


_COMMITTING = "vggbot_committing"


def _tell_unknown_commits(engine: Engine) -> Engine:
    """Raise CommitOutcomeUnknown, not a plain OperationalError, for a connection lost during COMMIT."""

    @event.listens_for(engine, "commit")
    def _committing(conn: Connection) -> None:
        conn.info[_COMMITTING] = True

    @event.listens_for(engine, "begin")
    def _begun(conn: Connection) -> None:
        conn.info.pop(_COMMITTING, None)

    @event.listens_for(engine, "rollback")
    def _rolled_back(conn: Connection) -> None:
        conn.info.pop(_COMMITTING, None)

    @event.listens_for(engine, "handle_error")
    def _failed(context: ExceptionContext) -> BaseException | None:
        conn = context.connection
        if conn is None or not context.is_disconnect or not conn.info.pop(_COMMITTING, False):
            return None
        original = context.original_exception
        return CommitOutcomeUnknown("COMMIT", None, original, connection_invalidated=True)

    return engine


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


class QueryWatchdog:
    """Ends a PostgreSQL call that waits longer than `limit` seconds by shutting down its socket.

    A server that is stopped (SIGSTOP) or hangs with connections open still has its kernel acknowledge
    every packet, so neither TCP keepalives nor tcp_user_timeout fire, and statement_timeout needs the
    server to run. Without this, every request would wait for as long as the freeze lasts. Watched are
    statements, COMMIT and ROLLBACK, and the pool's ping; the shut socket makes the driver raise at
    once, and the pool replaces the connection.
    """

    def __init__(self, engine: Engine, *, limit: float, ping_limit: float = 0.5) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        # id(dbapi connection) -> (deadline, socket fd)
        self._running: dict[int, tuple[float, int]] = {}
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "after_cursor_execute", self._statement_done)
        event.listen(engine, "commit", self._statement)
        event.listen(engine, "rollback", self._statement)
        event.listen(engine, "handle_error", self._failed)
        event.listen(engine.pool, "checkin", lambda dbapi_conn, _record: self.done(dbapi_conn))
        ping = engine.dialect.do_ping

        def watched_ping(dbapi_conn: Any) -> bool:
            # A ping answers in milliseconds; one that waits is a frozen server, and a new connection
            # (connect_timeout 2 s) must still fit in Slack's 3 s.
            self.start(dbapi_conn, limit=ping_limit)
            try:
                return bool(ping(dbapi_conn))
            finally:
                self.done(dbapi_conn)

        engine.dialect.do_ping = watched_ping  # type: ignore[method-assign,assignment]
        self._stop = threading.Event()
        threading.Thread(target=self._watch, name="query-watchdog", daemon=True).start()

    def start(self, dbapi_conn: Any, *, limit: float | None = None) -> None:
        fd = getattr(getattr(dbapi_conn, "pgconn", None), "socket", None)
        if isinstance(fd, int) and fd >= 0:
            deadline = time.monotonic() + (self._limit if limit is None else limit)
            with self._lock:
                self._running[id(dbapi_conn)] = (deadline, fd)

    def done(self, dbapi_conn: Any) -> None:
        with self._lock:
            self._running.pop(id(dbapi_conn), None)

    def _statement(self, conn: Any, *_args: Any) -> None:
        self.start(conn.connection.dbapi_connection)

    def _statement_done(self, conn: Any, *_args: Any) -> None:
        self.done(conn.connection.dbapi_connection)

    def _failed(self, context: Any) -> None:
        connection = context.connection
        if connection is not None and not connection.invalidated:
            dbapi_conn = connection.connection.dbapi_connection
            if dbapi_conn is not None:
                self.done(dbapi_conn)

    def _watch(self) -> None:
        while not self._stop.wait(0.1):
            now = time.monotonic()
            with self._lock:
                late = [key for key, (deadline, _fd) in self._running.items() if now > deadline]
                fds = [self._running.pop(key)[1] for key in late]
            for fd in fds:
                logger.warning("the database did not answer in time: its connection is closed")
                with contextlib.suppress(OSError):
                    socket.socket(fileno=os.dup(fd)).shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self._stop.set()
