"""Answers kept until the data changes or time moves past what they show.

An entry holds the database's change version (storage/changes.py) read before its data was read, and
the moment until which the answer is right (the next meeting starts, a deadline passes). A hit needs the
same version and a moment before that: a committed write anywhere invalidates, and a stale answer is
never given. Only read-only handlers use it, each on a connection of its own, so no transaction can have
uncommitted writes the cache does not know about.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar, cast

from sqlalchemy.orm import Session

from storage.changes import ChangeWatcher, PostgresChangeWatcher
from storage.db import SessionFactory

MAX_ENTRIES = 512


T = TypeVar("T")
Version = tuple[int, int]  # (scope, value): values compare only within one scope (both watchers: 0)


@dataclass(frozen=True)
class Computed(Generic[T]):
    """A freshly read answer (a Reply, a view); `keep` False for one not worth keeping (an unknown overleg).

    Kept answers are shared by later requests: nobody may change them after they are returned.
    """

    reply: T
    valid_until: datetime | None = None
    keep: bool = True


class AnswerCache:
    """One per process (`deps.answers`), shared by the server's threads."""

    def __init__(self, watcher: ChangeWatcher | PostgresChangeWatcher | None) -> None:
        self._watcher = watcher
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[Version, datetime | None, object]] = {}

    def version(self) -> Version | None:
        return self._watcher.version() if self._watcher is not None else None

    def close(self) -> None:
        """Close the watcher's own connections (they are not the pool's: disposing the engine leaves them)."""
        if self._watcher is not None:
            self._watcher.close()

    def get(self, key: Hashable, version: Version, now: datetime) -> object | None:
        with self._lock:
            entry = self._entries.get((key, version[0]))
        if entry is None:
            return None
        kept_version, valid_until, reply = entry
        if kept_version != version or (valid_until is not None and now >= valid_until):
            return None
        return reply

    def put(self, key: Hashable, version: Version, computed: Computed[T]) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            # Per scope: a version only compares with one of the same scope.
            self._entries[(key, version[0])] = (version, computed.valid_until, computed.reply)

    def read_through(
        self,
        sessions: SessionFactory,
        key: Hashable,
        now: datetime,
        compute: Callable[[Session], Computed[T]],
    ) -> T:
        """The kept answer for `key`, or `compute` on a read-only session (kept when the database can tell).

        Read-only, so no `sessions.begin()`: the session is rolled back when it closes; `compute` must
        not write.
        """
        version = self.version()  # before any data is read
        if version is not None and (kept := self.get(key, version, now)) is not None:
            return cast(T, kept)  # stored by put() for this key, so of the type compute returns
        with sessions() as session:
            computed = compute(session)
        if version is not None and computed.keep:
            self.put(key, version, computed)
        return computed.reply
