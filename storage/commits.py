"""The version a change watcher (storage/changes*.py) hands out, and this process's own commits moving it.

SQLAlchemy's `commit` event comes before the COMMIT; the pool's `checkin` after it, when the connection
is back in the pool. A mark on the connection's pool entry joins the two, so the version moves only
once what was written is visible to every other connection.
"""

from __future__ import annotations

import contextlib
import itertools
import weakref
from collections.abc import Callable

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.pool import ConnectionPoolEntry


class ChangeVersion:
    """A value that every `move()` replaces by one never given before (next() is atomic): a value read
    before a change can never equal one read after it, whichever thread moved it. Commits on `engine`
    by this process move it when their connection is back in the pool."""

    def __init__(self, engine: Engine) -> None:
        self._values = itertools.count(1)
        self.value = next(self._values)
        # The engine's listeners hold this only weakly; they are removed when it is closed or collected.
        listeners = _commit_listeners(weakref.ref(self))
        for name, listener in listeners:
            event.listen(engine, name, listener)
        self._retire = weakref.finalize(self, _remove, engine, listeners)

    def move(self) -> None:
        self.value = next(self._values)

    def close(self) -> None:
        self._retire()


def _commit_listeners(ref: weakref.ReferenceType[ChangeVersion]) -> list[tuple[str, Callable[..., None]]]:
    mark = f"vggbot_committed_{id(ref)}"  # each ChangeVersion its own: several may watch one engine (tests)

    def committing(connection: Connection) -> None:
        """Before the COMMIT: the connection's pool entry remembers it, read when it is checked in."""
        connection.info[mark] = True

    def checked_in(_dbapi_connection: object, record: ConnectionPoolEntry | None) -> None:
        """Back in the pool after a commit: what it wrote is visible to everyone now."""
        version = ref()
        if version is not None and record is not None and record.info.pop(mark, False):
            version.move()

    return [("commit", committing), ("checkin", checked_in)]


def _remove(engine: Engine, listeners: list[tuple[str, Callable[..., None]]]) -> None:
    for name, listener in listeners:
        with contextlib.suppress(InvalidRequestError):  # already removed
            event.remove(engine, name, listener)
