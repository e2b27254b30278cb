"""Knowing cheaply whether the database changed, for answer caches that a write invalidates.

On SQLite, `PRAGMA data_version` on a connection changes whenever *another* connection (in this or
any other process) commits a change: that is exactly SQLite's own "has the file changed" check and costs
a few microseconds. A connection's own commits do not change its data_version, so every statement that
is not a read marks its connection, and when that connection goes back to the pool (after its commit or
rollback) a process-wide generation is bumped. A connection with uncommitted writes gets no marker at all,
so a transaction always sees its own writes.

On PostgreSQL there is no equally cheap and race-free signal, so `change_marker` returns None there and
callers read the database every time (still fast: bot/calendar_read.py).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, Engine, event

_WROTE = "vggbot_wrote"
_READ_ONLY = ("SELECT", "PRAGMA")

_lock = threading.Lock()
_generation = [0]  # bumped after any connection of this process that wrote is returned to the pool


def _bump() -> None:
    with _lock:
        _generation[0] += 1


def track_changes(engine: Engine) -> None:
    """Install the write tracking on a SQLite engine (storage.db.make_engine does this)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "before_cursor_execute")
    def _mark_writes(
        conn: Connection, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        if not statement.lstrip()[:6].upper().startswith(_READ_ONLY):
            conn.info[_WROTE] = True

    @event.listens_for(engine, "checkin")
    def _after_transaction(_dbapi_conn: Any, record: Any) -> None:
        # After the pool's reset, so the write is committed (or rolled back) before caches see the bump.
        if record is None or record.info.pop(_WROTE, False):
            _bump()

    @event.listens_for(engine, "invalidate")
    def _lost(_dbapi_conn: Any, _record: Any, _exc: BaseException | None) -> None:
        _bump()


def change_marker(connection: Connection) -> tuple[int, int] | None:
    """A value that differs after any committed change to the database; None when it cannot be known.

    Read it before reading the data a cache entry is made of: a change committed in between then only
    causes a needless miss, never a stale hit.
    """
    if connection.dialect.name != "sqlite" or connection.info.get(_WROTE):
        return None
    generation = _generation[0]
    version = connection.exec_driver_sql("PRAGMA data_version").scalar_one()
    return int(version), generation
