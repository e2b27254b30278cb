"""Knowing cheaply whether the database changed, for answer caches that a write invalidates.

On SQLite, `PRAGMA data_version` changes on a connection whenever *another* connection (in this or any
other process) has committed a change: SQLite's own "has the file changed" check, a few microseconds.
The watcher keeps one connection of its own that never writes, so every commit by anyone moves it.

On PostgreSQL there is no equally cheap and race-free signal, so there is no watcher and callers read
the database every time (still fast: bot/calendar_read.py).
"""

from __future__ import annotations

import sqlite3
import threading
import weakref

from sqlalchemy import Engine


class ChangeWatcher:
    """`version()` differs after any committed change to the database file, by any connection."""

    def __init__(self, path: str) -> None:
        # Only ever reads a pragma; shared by the server's threads under a lock.
        # timeout=0: when the file is locked, say "cannot tell" at once instead of waiting.
        self._conn = sqlite3.connect(path, timeout=0, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        # Closed with its watcher (the process's AnswerCache), so no connection is ever left to the GC.
        weakref.finalize(self, self._conn.close)

    @classmethod
    def for_engine(cls, engine: Engine) -> ChangeWatcher | None:
        """A watcher for a SQLite file database; None elsewhere (PostgreSQL, in-memory SQLite)."""
        url = engine.url
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        if url.query or url.database.startswith("file:"):
            return None  # URI-style databases: not worth guessing how to open them
        return cls(url.database)

    def version(self) -> int | None:
        """Read it before reading the data an answer is made of: a commit in between only causes a miss.

        None when SQLite cannot say (the file locked by another process): then nothing is kept or
        reused, and the caller's own read meets the same trouble and answers as it always does.
        """
        with self._lock:
            try:
                (value,) = self._conn.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                return None
        return int(value)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
