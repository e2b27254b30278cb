"""Following the changes of a PostgreSQL database without a round trip per answer: LISTEN/NOTIFY.

The counterpart of storage/changes.py's SQLite watcher; see `PostgresChangeWatcher`.
"""

from __future__ import annotations

import logging
import math
import select
import threading
import time
import weakref

import psycopg
from psycopg import pq
from psycopg.conninfo import make_conninfo
from sqlalchemy import Engine

from storage.commits import ChangeVersion

logger = logging.getLogger(__name__)

# The thread looks at its stop event at least this often, so close() never waits long.
TURN_SECONDS = 0.25


class PostgresChangeWatcher:
    """Knows of every commit by listening (`NOTIFY vggbot_changes`, migration 0008): no round trip.

    A thread of its own keeps one libpq connection (autocommit, not the pool's) that runs `LISTEN`;
    PostgreSQL delivers a notification when, and only when, a transaction that changed watched data
    commits, and every notification moves the version. Commits made in this process move it at once,
    when their connection is back in the pool, so an official's own change shows in the very next
    answer; another replica's shows as soon as its notification arrives (tens of microseconds on one
    machine). A version read is two attribute reads: no lock, no system call.

    The thread asks the server (the `change_counter` row) every `trust / 4` seconds: an answer proves
    the connection alive, and a changed counter catches a notification lost with a connection. The
    version is vouched for only while the server answered in the last `trust` seconds; otherwise
    `version()` says "cannot tell" (None) and the caller reads the database as usual, meeting any
    trouble there with the pool's own timeouts. A broken connection (a restarted server, a cut network)
    is replaced at once; if that fails, or the server does not answer within `wait` seconds (frozen),
    the thread rests `pause` seconds before it tries again. A silent server also empties the engine's
    pool of its idle connections, as stuck as the watcher's, so the caller's read skips the pool's
    ping and reports the trouble within Slack's 3 s.
    """

    _READ = b"SELECT n FROM change_counter WHERE id = 1"
    _NAME = b"vggbot_change_counter"
    _LISTEN = b"LISTEN vggbot_changes"

    def __init__(self, engine: Engine, *, wait: float = 0.5, pause: float = 1.0, trust: float = 1.0) -> None:
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
        self._trust = trust
        self._held: list[pq.abc.PGconn] = []  # the listening connection, when there is one
        self._counter: int | None = None  # change_counter when the server was last asked
        self._heard_at = -math.inf  # when the server last answered (time.monotonic)
        # Moved by every change heard of, and by this process's own commits.
        self._version = ChangeVersion(engine)
        self._stop = threading.Event()
        self._answered = threading.Event()  # the first connection answered, or failed to
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        # The thread holds the watcher only weakly (and not between its turns): when the process lets go
        # of it, its connection is closed and the thread ends.
        weakref.finalize(self, _retire, self._stop, self._held)

    def version(self) -> tuple[int, int] | None:
        """Read it before reading the data an answer is made of; None when it cannot tell."""
        if self._thread is None:
            self._start()
        if time.monotonic() - self._heard_at > self._trust or self._stop.is_set():
            return None  # not heard from the server lately, or closed
        return 0, self._version.value

    def close(self) -> None:
        self._stop.set()
        self._version.close()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(TURN_SECONDS + self._wait + 1)
        _finish_all(self._held)

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(
                    target=_follow, args=(weakref.ref(self),), name="vggbot-change-watcher", daemon=True
                )
                self._thread.start()
        self._answered.wait(self._wait * 2)

    def _step(self) -> None:
        """One turn of the thread: connect, or take in what arrived (waiting at most `trust / 4` and
        TURN_SECONDS), and ask the server when it is due."""
        worked = bool(self._held)
        try:
            if not worked:
                self._connect(time.monotonic() + self._wait)
                return
            conn = self._held[0]
            if _readable(conn, min(self._trust / 4, TURN_SECONDS)):
                self._hear(conn)
            if time.monotonic() - self._heard_at >= self._trust / 4:
                self._ask(conn, time.monotonic() + self._wait)
        except _Unanswered:
            self._lost()
            if worked:
                # The server is there but silent (frozen): the pool's idle connections are as stuck as
                # this one. Dropping them spares the caller's read the pool's ping (0.5 s) before it
                # tries a new connection and reports the trouble.
                self._engine.dispose()
            self._stop.wait(self._pause)
        except (_Failed, psycopg.OperationalError):
            self._lost()
            if not worked:  # a connection that worked is replaced at once; a new one that failed, later
                self._stop.wait(self._pause)

    def _lost(self) -> None:
        if self._heard_at > -math.inf:
            logger.warning("changes cannot be followed: answers are read from the database")
        self._heard_at = -math.inf
        _finish_all(self._held)
        self._answered.set()

    def _connect(self, deadline: float) -> None:
        conn = pq.PGconn.connect_start(self._conninfo)
        try:
            while True:
                polled = conn.connect_poll()
                if polled == pq.PollingStatus.OK:
                    break
                if polled == pq.PollingStatus.FAILED:
                    raise _Failed
                _wait_for(conn, polled == pq.PollingStatus.WRITING, deadline)
            conn.send_query(self._LISTEN)
            if _result(conn, deadline).status != pq.ExecStatus.COMMAND_OK:
                raise _Failed
            # Prepared once per connection: each ask is then a bare Bind/Execute, no parse or plan.
            conn.send_prepare(self._NAME, self._READ)
            if _result(conn, deadline).status != pq.ExecStatus.COMMAND_OK:
                raise _Failed
            # Listening from here on; what committed while nobody listened shows in the counter.
            self._ask(conn, deadline)
        except BaseException:
            conn.finish()
            raise
        self._held.append(conn)
        self._answered.set()

    def _hear(self, conn: pq.abc.PGconn) -> None:
        """Take in the notifications that have arrived."""
        conn.consume_input()  # raises OperationalError on a broken connection
        if conn.status != pq.ConnStatus.OK:
            raise _Failed
        self._take_notifications(conn)

    def _ask(self, conn: pq.abc.PGconn, deadline: float) -> None:
        conn.send_query_prepared(self._NAME, None)
        result = _result(conn, deadline)
        if result.status != pq.ExecStatus.TUPLES_OK or result.ntuples != 1:
            raise _Failed
        value = result.get_value(0, 0)
        if value is None:
            raise _Failed
        self._take_notifications(conn)
        if int(value) != self._counter:
            self._counter = int(value)
            self._version.move()
        self._heard_at = time.monotonic()  # after the moves: never vouch for a value not yet moved

    def _take_notifications(self, conn: pq.abc.PGconn) -> None:
        heard = False
        while conn.notifies() is not None:
            heard = True
        if heard:
            self._version.move()


def _follow(ref: weakref.ReferenceType[PostgresChangeWatcher]) -> None:
    """The watcher's thread: steps until the watcher is closed or collected, then closes its connection."""
    while True:
        watcher = ref()
        if watcher is None:
            return  # collected: `_retire` closed its connection
        if watcher._stop.is_set():
            _finish_all(watcher._held)
            return
        watcher._step()
        del watcher


def _retire(stop: threading.Event, held: list[pq.abc.PGconn]) -> None:
    stop.set()
    _finish_all(held)


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


def _readable(conn: pq.abc.PGconn, timeout: float) -> bool:
    poller = select.poll()
    poller.register(conn.socket, select.POLLIN)
    return bool(poller.poll(timeout * 1000))


def _wait_for(conn: pq.abc.PGconn, write: bool, deadline: float) -> None:
    """Wait until libpq's socket can be written (or read), at most until `deadline`."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Unanswered
    poller = select.poll()
    poller.register(conn.socket, select.POLLOUT if write else select.POLLIN)
    if not poller.poll(remaining * 1000):
        raise _Unanswered


def _finish_all(connections: list[pq.abc.PGconn]) -> None:
    for conn in connections:
        conn.finish()
    connections.clear()
