"""Knowing cheaply whether the database changed, for answer caches that a write invalidates.

On SQLite, `PRAGMA data_version` changes on a connection whenever *another* connection (in this or any
other process) has committed a change: SQLite's own "has the file changed" check, a few microseconds.
The watcher keeps one connection of its own that never writes, so every commit by anyone moves it.

On PostgreSQL the same role is played by `change_counter`, a one-row table that deferred triggers bump
at commit (migration 0002): it becomes visible in the same instant as the data, so a counter read
before the data is never newer than the data. One indexed row read instead of the answer's queries.
"""

from __future__ import annotations

import logging
import select
import sqlite3
import threading
import time
import weakref

import psycopg
from psycopg import pq
from psycopg.conninfo import make_conninfo
from sqlalchemy import Engine

logger = logging.getLogger(__name__)


class ChangeWatcher:
    """`version()` differs after any committed change to the database file, by any connection.

    Each server thread reads through a connection of its own (a shared one under a lock made the
    threads queue for it under load). A data_version is only comparable on the connection that gave
    it, so a version is the pair (connection, value): an answer kept by one thread is reused by that
    thread, and a commit by anyone moves every connection's value.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()  # guards the list, not the reads
        # Closed with their watcher (the process's AnswerCache), so no connection is left to the GC.
        weakref.finalize(self, _close_all, self._connections)

    @classmethod
    def for_engine(cls, engine: Engine) -> ChangeWatcher | PostgresChangeWatcher | None:
        """A watcher for a SQLite file or a PostgreSQL database; None for in-memory SQLite and others."""
        url = engine.url
        if url.get_backend_name() == "postgresql":
            return PostgresChangeWatcher(engine)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        if url.query or url.database.startswith("file:"):
            return None  # URI-style databases: not worth guessing how to open them
        return cls(url.database)

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # Only ever reads a pragma. 50 ms rides out the brief locks of other connections starting
            # or ending a read under load; a file held locked still gives "cannot tell" quickly.
            conn = sqlite3.connect(self._path, timeout=0.05, check_same_thread=False, isolation_level=None)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def version(self) -> tuple[int, int] | None:
        """Read it before reading the data an answer is made of: a commit in between only causes a miss.

        None when SQLite cannot say (the file locked by another process): then nothing is kept or
        reused, and the caller's own read meets the same trouble and answers as it always does.
        """
        conn = self._connection()
        try:
            (value,) = conn.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return id(conn), int(value)

    def close(self) -> None:
        with self._lock:
            _close_all(self._connections)


class PostgresChangeWatcher:
    """Reads `change_counter` on kept connections of its own: one round trip, no pool, no transaction.

    Through the engine's pool a read cost four round trips (the pre-ping, BEGIN, the read, the ROLLBACK
    at check-in) and a checkout. Here a few libpq connections in autocommit are kept (as many as
    threads read at the same moment, at most `keep` idle); the counter is one table row, so a version
    read on any of them compares with any other's.

    Every call ends within `wait` seconds, whatever the server does: a connection that fails (a
    restarted server, a cut network) is replaced at once and read again; if that fails too, or the
    server does not answer in time (frozen), `None` says "cannot tell", the caller reads the database
    as usual (and meets the trouble there, with the pool's own timeouts), and the watcher does not try
    again for `pause` seconds (longer than the caller's own read takes to fail), so an outage costs
    its callers next to nothing more. A silent server also
    empties the engine's pool of its idle connections, as stuck as the watcher's, so the caller's
    read skips the pool's ping and reports the trouble within Slack's 3 s.

    `wait` is far above a read's usual 30-100 µs because a false alarm is costly (seconds of reads
    without kept answers, the pool refilled): on a shared two-core machine under load, reads were
    seen to stall 250 ms.
    """

    _READ = b"SELECT n FROM change_counter WHERE id = 1"
    _NAME = b"vggbot_change_counter"

    def __init__(self, engine: Engine, *, wait: float = 0.5, pause: float = 5.0, keep: int = 16) -> None:
        _args, params = engine.dialect.create_connect_args(engine.url)
        params.pop("context", None)  # psycopg's adapters: not a connection parameter
        params.update(
            application_name="vggbot-change-watcher",
            connect_timeout=2,  # libpq's minimum; the `wait` deadline below is what counts
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=2,
            keepalives_count=2,
            tcp_user_timeout=int(wait * 1000) + 1000,
            options=f"-c statement_timeout={int(wait * 1000)}",
        )
        self._conninfo = make_conninfo(**params).encode()
        self._engine = engine
        self._wait = wait
        self._pause = pause
        self._keep = keep
        self._paused_until = 0.0
        self._idle: list[pq.abc.PGconn] = []
        self._closed = False
        self._lock = threading.Lock()  # guards the idle list, not the reads
        # Closed with their watcher (the process's AnswerCache), so no connection is left to the GC.
        weakref.finalize(self, _finish_all, self._idle)

    def version(self) -> tuple[int, int] | None:
        """The counter, read before the data an answer is made of; None when it cannot be read in time."""
        now = time.monotonic()
        if now < self._paused_until:
            return None
        deadline = now + self._wait
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        for attempt in (1, 2):
            try:
                if conn is None:
                    conn = self._connect(deadline)
                value = self._read(conn, deadline)
            except _Unanswered:
                # The server is there but silent (frozen): reconnecting would only wait again, and the
                # pool's idle connections are as stuck as this one. Dropping them spares the caller's
                # read the pool's ping (0.5 s) before it tries a new connection and reports the trouble.
                self._engine.dispose()
                break
            except (_Failed, psycopg.OperationalError):
                # A dead connection (server restarted, network cut): a new one, once.
                if conn is not None:
                    conn.finish()
                    conn = None
                if attempt == 1 and time.monotonic() < deadline:
                    continue
                break
            self._put_back(conn)
            return 0, value
        if conn is not None:
            conn.finish()
        self._paused_until = time.monotonic() + self._pause
        logger.warning("the change counter could not be read: answers are read from the database")
        return None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            _finish_all(self._idle)

    def _put_back(self, conn: pq.abc.PGconn) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self._keep:
                self._idle.append(conn)
                return
        conn.finish()

    def _connect(self, deadline: float) -> pq.abc.PGconn:
        conn = pq.PGconn.connect_start(self._conninfo)
        try:
            while True:
                polled = conn.connect_poll()
                if polled == pq.PollingStatus.OK:
                    break
                if polled == pq.PollingStatus.FAILED:
                    raise _Failed
                _wait_for(conn, polled == pq.PollingStatus.WRITING, deadline)
            # Prepared once per connection: each read is then a bare Bind/Execute, no parse or plan.
            conn.send_prepare(self._NAME, self._READ)
            if _result(conn, deadline).status != pq.ExecStatus.COMMAND_OK:
                raise _Failed
        except BaseException:
            conn.finish()
            raise
        return conn

    def _read(self, conn: pq.abc.PGconn, deadline: float) -> int:
        if conn.status != pq.ConnStatus.OK:
            raise _Failed
        conn.send_query_prepared(self._NAME, None)
        result = _result(conn, deadline)
        if result.status != pq.ExecStatus.TUPLES_OK or result.ntuples != 1:
            raise _Failed
        value = result.get_value(0, 0)
        if value is None:
            raise _Failed
        return int(value)


def _result(conn: pq.abc.PGconn, deadline: float) -> pq.abc.PGresult:
    """The result of what was just sent, waiting at most until `deadline`; the connection left idle."""
    try:
        while conn.flush():
            _wait_for(conn, True, deadline)
        while conn.is_busy():
            _wait_for(conn, False, deadline)
            conn.consume_input()
        result = conn.get_result()
        while conn.get_result() is not None:
            pass  # drain, so the connection is ready for the next read
    except psycopg.OperationalError as error:  # what libpq reports for a broken connection
        raise _Failed from error
    if result is None:
        raise _Failed
    return result


class _Failed(Exception):
    """The connection is broken or the read went wrong: try a new connection."""


class _Unanswered(Exception):
    """The deadline passed without an answer."""


def _wait_for(conn: pq.abc.PGconn, write: bool, deadline: float) -> None:
    """Wait until libpq's socket can be written (or read), at most until `deadline`."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Unanswered
    poller = select.poll()
    poller.register(conn.socket, select.POLLOUT if write else select.POLLIN)
    if not poller.poll(remaining * 1000):
        raise _Unanswered


def _close_all(connections: list[sqlite3.Connection]) -> None:
    for conn in connections:
        conn.close()
    connections.clear()


def _finish_all(connections: list[pq.abc.PGconn]) -> None:
    for conn in connections:
        conn.finish()
    connections.clear()
