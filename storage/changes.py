"""Knowing cheaply whether the database changed, for answer caches that a write invalidates.

On SQLite, `PRAGMA data_version` changes on a connection whenever *another* connection (in this or any
other process) has committed a change: SQLite's own "has the file changed" check, a few microseconds.
The watcher keeps one connection of its own that never writes, so every commit by anyone moves it.

On PostgreSQL every commit that changes watched data is announced (NOTIFY, migration 0008) and each
process listens: storage/changes_postgres.py.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
import weakref

from sqlalchemy import Engine

from storage.changes_postgres import PostgresChangeWatcher
from storage.commits import ChangeVersion

__all__ = ["ChangeWatcher", "PostgresChangeWatcher"]


class ChangeWatcher:
    """`version()` differs after any committed change to the database file, by any connection.

    `PRAGMA data_version` moves on a connection whenever another connection has committed; each server
    thread reads it on a connection of its own (a shared one under a lock made the threads queue for it
    under load), and a thread that sees its value move moves the process-wide version. A read lets go
    of the interpreter, and under load that hand-over costs more than the read: a read that started
    less than `window` seconds ago (by any thread) stands for this one too. Commits by this process
    move the version at once, when their connection is back in the pool; another process's commit
    shows at the first read after it, at most `window` later.
    """

    def __init__(self, path: str, engine: Engine, *, window: float = 0.005) -> None:
        self._path = path
        self._window = window
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()  # guards the list, not the reads
        # Moved by a read that sees a change, and by this process's own commits.
        self._version = ChangeVersion(engine)
        self._read_at = -math.inf  # when the newest complete read started (time.monotonic)
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
        return cls(url.database, engine)

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # Only ever reads a pragma. 50 ms rides out the brief locks of other connections starting
            # or ending a read under load; a file held locked still gives "cannot tell" quickly.
            conn = sqlite3.connect(self._path, timeout=0.05, check_same_thread=False, isolation_level=None)
            self._local.conn = conn
            self._local.seen = None
            with self._lock:
                self._connections.append(conn)
        return conn

    def version(self) -> tuple[int, int] | None:
        """Read it before reading the data an answer is made of: a commit in between only causes a miss.

        None when SQLite cannot say (the file locked by another process): then nothing is kept or
        reused, and the caller's own read meets the same trouble and answers as it always does.
        """
        started = time.monotonic()
        if started - self._read_at <= self._window:
            return 0, self._version.value
        conn = self._connection()
        try:
            (value,) = conn.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            self._read_at = -math.inf  # nobody leans on an older read now
            return None
        if value != self._local.seen:  # a thread's first read, too: it cannot know what it missed
            self._local.seen = value
            self._version.move()
        self._read_at = started  # after the move: a read leaned on has moved what it saw
        return 0, self._version.value

    def close(self) -> None:
        self._version.close()
        with self._lock:
            _close_all(self._connections)


def _close_all(connections: list[sqlite3.Connection]) -> None:
    for conn in connections:
        conn.close()
    connections.clear()
