"""This process's own commits, as the change watchers (storage/changes*.py) need to hear of them.

SQLAlchemy's `commit` event comes before the COMMIT; the pool's `checkin` after it, when the connection
is back in the pool. A mark on the connection's pool entry joins the two, so a watcher's version moves
only once what was written is visible to every other connection.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.pool import ConnectionPoolEntry

Listeners = list[tuple[str, Callable[..., None]]]


class Movable(Protocol):
    def _moved(self) -> None: ...


def commit_listeners(ref: weakref.ReferenceType[Movable]) -> Listeners:
    """The engine's events that move a watcher's version after a commit by this process."""
    mark = f"vggbot_committed_{id(ref)}"  # each watcher its own: several may watch one engine (tests)

    def committing(connection: Connection) -> None:
        """Before the COMMIT: the connection's pool entry remembers it, read when it is checked in."""
        connection.info[mark] = True

    def checked_in(_dbapi_connection: object, record: ConnectionPoolEntry | None) -> None:
        """Back in the pool after a commit: what it wrote is visible to everyone now."""
        watcher = ref()
        if watcher is not None and record is not None and record.info.pop(mark, False):
            watcher._moved()

    return [("commit", committing), ("checkin", checked_in)]


def remove_listeners(engine: Engine, listeners: Listeners) -> None:
    for name, listener in listeners:
        with contextlib.suppress(InvalidRequestError):  # already removed
            event.remove(engine, name, listener)
